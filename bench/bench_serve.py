"""How long an edit of facts.yaml takes to show in the preview, on a synthetic project.

    python bench/bench_serve.py [--articles 1000] [--repeat 5] [--servers explainer mkdocs]
    python bench/bench_serve.py --articles 1000 --profile DIR    # where a rebuild's time goes

Why: editors correct facts.yaml with the development server running and look at the result in
their browser; the "Scale" issue's target is that, with N = 1,000 articles, the edit of one
fact shows in the browser within 3 s. The site tests (tests/test_serve.py) prove that the
reload happens; this measures how long it takes as the story grows.

How: a synthetic project of N articles is written with `bench/synth.py`; for each server
command, `python -m generator --root DIR serve` (dirty rebuilds: only the pages whose Markdown
changed are rendered) and plain `mkdocs serve -f DIR/mkdocs.yml` (every rebuild renders the
whole site), a fresh copy of it is served on a free port of 127.0.0.1. The first build is
timed from the start of the process to the first HTTP 200. Then, --repeat times, once the
server is idle: one fact's summary (a fact shown on an actor page and on its date page) is
changed in facts.yaml, written atomically as editors do; the clock starts; and two clients
wait for the new summary on the date page:

- "HTTP": fetches the page every 50 ms (the server holds a request while it rebuilds);
- "reload": does what the page's livereload script does in a browser: waits on the server's
  /livereload/ long poll, fetches the page again when it announces a newer build (held if a
  follow-up rebuild has started meanwhile), and repeats until the page has the new summary.

Reported: the first build, the median and the largest latency of each client, and the
rebuilds each edit caused with MkDocs' own time for each ("Documentation built in"). With
--profile, no server is started: one edit's rebuilds are run in this process as `explainer
serve` runs them (MkDocs' serve builder, dirty) and profiled with cProfile, and the time of
the hook's page generation, of MkDocs' rendering and of the search index is printed.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from benchmark import machine  # noqa: E402
from devserver import DevServer, display_command, edit_fact, get, write_atomically  # noqa: E402

_EPOCH = re.compile(r"livereload\((\d+), (\d+)\);")
_BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")


def synthesize(n: int, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "synth.py"), "--articles", str(n), str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def pick_fact(facts: Path) -> dict:
    """The first fact that is shown, has a day's date and actors, and a one-line summary."""
    text = facts.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    for fact in data.get("facts") or []:
        date = str(fact.get("date", ""))
        if fact.get("status") == "rejected" or not fact.get("actors"):
            continue
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            continue
        try:
            edit_fact(text, fact["id"], "summary", "x")
        except ValueError:
            continue
        return fact
    raise SystemExit(f"{facts}: no fact with a day's date, actors and a one-line summary")


def _reload_like_a_browser(server: DevServer, url: str, epoch: int, needle: str, out: dict):
    """What livereload's script does in the page: long poll, reload, until `needle` shows."""
    deadline = out["start"] + out["timeout"]
    while time.perf_counter() < deadline:
        status, body = get(f"{server.url}livereload/{epoch}/1", timeout=90)
        if status != 200:
            time.sleep(0.05)
            continue
        if int(body) <= epoch:
            continue
        status, page = get(url, timeout=max(1.0, deadline - time.perf_counter()))
        if needle in page:
            out["reload"] = time.perf_counter() - out["start"]
            return
        found = _EPOCH.search(page)
        epoch = int(found.group(1)) if found else int(body)


def measure(kind: str, synth: Path, work: Path, fact: dict, repeat: int, timeout: float) -> dict:
    project = work / kind
    shutil.rmtree(project, ignore_errors=True)  # a fresh copy: the first build is a whole one
    shutil.copytree(synth, project)
    (work / "tmp").mkdir(exist_ok=True)
    env = dict(os.environ, TMPDIR=str(work / "tmp"))
    server = DevServer(kind, project, work / f"{kind}.log", env)
    start = time.perf_counter()
    server.start(timeout=timeout)
    first = time.perf_counter() - start
    result: dict = {"kind": kind, "first": first, "http": [], "reload": [], "builds": []}
    result["load"] = [os.getloadavg()[0]]
    try:
        server.settle(timeout=timeout)
        url = f"{server.url}dates/{fact['date']}/"
        status, page = get(url, timeout=timeout)
        if status != 200 or f'id="f-{fact["id"]}"' not in page:
            raise SystemExit(f"{url}: the fact {fact['id']} is not on its date page ({status})")
        actor_url = f"{server.url}actors/{fact['actors'][0]}/"
        if f"f-{fact['id']}" not in get(actor_url, timeout=timeout)[1]:
            raise SystemExit(f"{actor_url}: the fact {fact['id']} is not on its actor page")
        facts = project / "facts.yaml"
        for i in range(repeat):
            server.settle(timeout=timeout)
            status, page = get(url, timeout=timeout)
            epoch = int(_EPOCH.search(page).group(1))
            summary = f"ملخص معدل للقياس رقم {i + 1}"
            needle = html.escape(summary, quote=False)
            text = edit_fact(facts.read_text(encoding="utf-8"), fact["id"], "summary", summary)
            since = len(server.log_text())
            out = {"start": time.perf_counter(), "timeout": timeout}
            reloader = threading.Thread(
                target=_reload_like_a_browser, args=(server, url, epoch, needle, out), daemon=True
            )
            write_atomically(facts, text)
            reloader.start()
            while True:
                status, page = get(url, timeout=timeout)
                if needle in page:
                    result["http"].append(time.perf_counter() - out["start"])
                    break
                if time.perf_counter() - out["start"] > timeout:
                    raise SystemExit(f"{kind}: the edit did not show in {timeout} s")
                time.sleep(0.05)
            reloader.join(timeout)
            result["reload"].append(out.get("reload", float("nan")))
            server.settle(timeout=timeout)
            result["builds"].append([float(s) for s in _BUILT.findall(server.log_text()[since:])])
            result["load"].append(os.getloadavg()[0])
            print(
                f"{kind} edit {i + 1}: HTTP {result['http'][-1]:.2f} s, reload "
                f"{result['reload'][-1]:.2f} s, builds {result['builds'][-1]}",
                file=sys.stderr,
            )
    finally:
        server.stop()
    return result


def _seconds(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} / {max(values):.2f}"


def table(results: list[dict], synth: Path) -> str:
    lines = [
        "| server | first build (start → HTTP 200) | edit → HTTP, median / max | edit → reload, median / max "
        "| rebuilds per edit (MkDocs' time each, median) |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        count = statistics.median(len(b) for b in r["builds"])
        most = max(len(b) for b in r["builds"])
        per = [statistics.median([b[i] for b in r["builds"] if len(b) > i]) for i in range(most)]
        times = " + ".join(f"{t:.2f}" for t in per)
        lines.append(
            f"| `{display_command(r['kind'], synth)}` | {r['first']:.1f} s "
            f"| {_seconds(r['http'])} s | {_seconds(r['reload'])} s | {count:g} ({times} s) |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# --profile: one edit's rebuilds, in this process, as `explainer serve` runs them


def profile(synth: Path, work: Path, fact: dict, out: Path, dirty: bool) -> None:
    import cProfile
    import pstats

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = work / "profile"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(synth, project)
    site_dir = work / "profile-site"
    serve_url = "http://127.0.0.1:8000/"
    timings: dict[str, float] = {}

    def timed(name, func):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - start

        return wrapper

    def get_config():  # as the builder of mkdocs.commands.serve, each plugin event timed
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir))
        config.site_url = serve_url
        plugins = config.plugins
        for event, methods in plugins.events.items():
            plugins.events[event] = [
                timed(f"{event} of {plugins._event_origins.get(m, '?')}", m) for m in methods
            ]
        return config

    if dirty and "--dirty" not in sys.argv:
        sys.argv.append("--dirty")  # as `explainer serve` tells mkdocs-static-i18n (site.serve)
    config = get_config()
    config.plugins.on_startup(command="serve", dirty=dirty)
    start = time.perf_counter()
    build(config, serve_url=serve_url, dirty=dirty)
    print(f"first build: {time.perf_counter() - start:.2f} s")
    facts = project / "facts.yaml"
    out.mkdir(parents=True, exist_ok=True)
    # Two edits: the first timed event by event, the second under cProfile (which slows
    # Python code down, unevenly). Each edit is followed by its rebuild and by a second one,
    # which finds nothing to do (the hook's watcher ignores the pages the first one wrote).
    for n, profiled in ((1, False), (2, True)):
        summary = f"ملخص للتحليل رقم {n}"
        write_atomically(
            facts, edit_fact(facts.read_text(encoding="utf-8"), fact["id"], "summary", summary)
        )
        for name in ("rebuild after the edit", "rebuild with nothing changed"):
            timings.clear()
            profiler = cProfile.Profile() if profiled else None
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            build(get_config(), serve_url=serve_url, dirty=dirty)
            total = time.perf_counter() - start
            if profiler is None:
                print(f"\n== {name}: {total:.2f} s")
                for what, seconds in sorted(timings.items(), key=lambda kv: -kv[1]):
                    if seconds >= 0.01:
                        print(f"   {seconds:6.2f} s  {what}")
                rest = total - sum(timings.values())
                print(f"   {rest:6.2f} s  the rest: config, files, nav, Markdown, theme, writing")
                continue
            profiler.disable()
            path = out / (name.replace(" ", "-") + ".prof")
            profiler.dump_stats(path)
            print(f"\n== {name}, under cProfile: {total:.2f} s (profile in {path})")
            pstats.Stats(str(path)).sort_stats("cumulative").print_stats(30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000, metavar="N")
    ap.add_argument("--repeat", type=int, default=5, metavar="K", help="edits per server")
    ap.add_argument(
        "--servers",
        nargs="+",
        choices=["explainer", "mkdocs", "mkdocs-dirty"],
        default=["explainer", "mkdocs"],
    )
    ap.add_argument("--timeout", type=float, default=600, help="seconds to wait for anything")
    ap.add_argument("--workdir", type=Path, help="keep the projects and logs here")
    ap.add_argument("--profile", type=Path, metavar="DIR", help="profile one edit's rebuilds")
    ap.add_argument(
        "--full", action="store_true", help="with --profile: full rebuilds (mkdocs serve)"
    )
    args = ap.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="explainer-bench-serve-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        synth = work / f"synth-{args.articles}"
        if not (synth / "facts.yaml").exists():
            seconds = synthesize(args.articles, synth)
            print(
                f"synthetic project of {args.articles:,} articles in {seconds:.1f} s",
                file=sys.stderr,
            )
        fact = pick_fact(synth / "facts.yaml")
        print(
            f"edited fact: {fact['id']} ({fact['date']}, {len(fact['actors'])} actors)",
            file=sys.stderr,
        )
        if args.profile:
            profile(synth, work, fact, args.profile, dirty=not args.full)
            return
        load_before = os.getloadavg()[0]
        results = [measure(k, synth, work, fact, args.repeat, args.timeout) for k in args.servers]
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    cmd = f"python bench/bench_serve.py --articles {args.articles} --repeat {args.repeat}"
    if args.servers != ["explainer", "mkdocs"]:
        cmd += " --servers " + " ".join(args.servers)
    during = max(x for r in results for x in r["load"])
    print(
        f"Machine: {machine()}; 1-minute load average {load_before:.2f} before the servers, "
        f"at most {during:.2f} while they ran (each server keeps one core busy while it builds)\n"
    )
    print(f"Command: `{cmd}` (N = {args.articles:,} articles, {args.repeat} edits per server)\n")
    print(table(results, Path("DIR")))


if __name__ == "__main__":
    main()
