"""Measure the whole pipeline on synthetic corpora, side by side, and write BENCHMARKS.md.

    python bench/benchmark.py --sizes 1000 10000 [--repeat 3] [--write BENCHMARKS.md]

For each size N it writes a synthetic project (bench/synth.py), then times, each in a fresh
process so that peak memory is its own (the larger of the largest process's peak RSS and the
sum of the PSS of the process and its workers, sampled every second):

- extract with one process and with all cores (articles per second; the cache is bypassed),
- check, generate (a first run, a no-op re-run, and a run after a one-fact edit), and the
  full `mkdocs build` (pages per second),
- the date engine against dateparser's `search_dates` on the same articles, in one process.

Every step runs --repeat times and the median is reported. Times are wall-clock seconds on
this machine; the machine is described in the output.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _tree(pid: int) -> list[int]:
    """The process and its descendants (Linux /proc)."""
    out = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for child in children:
        out += _tree(int(child))
    return out


def _pss_mib(pid: int) -> float:
    """Proportional set size: a page shared by k processes counts 1/k in each (forked
    workers share most of the build's memory with it)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


class TreeMemory(threading.Thread):
    """The largest sum of PSS over a process and its workers, sampled every second.

    Sampling is slow for the process (the kernel walks its page tables), hence the long
    interval; a peak shorter than a second can be missed, which the kernel's own figure for
    the largest single process (ru_maxrss) makes up for in run().
    """

    def __init__(self, pid: int, interval: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.peak = max(self.peak, sum(_pss_mib(p) for p in _tree(self.pid)))


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak memory in MiB of it and its workers).

    The peak is the larger of the kernel's peak RSS of the largest single process (wait4:
    exact, but blind to workers running side by side) and the sum of the PSS of the process
    and its workers sampled every second (TreeMemory).
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeMemory(proc.pid)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{stderr}")
    return elapsed, max(usage.ru_maxrss / 1024, sampler.peak)


def median_run(
    cmd: list[str], cwd: Path, repeat: int, before=None, runs: list[float] | None = None
) -> tuple[float, float]:
    """(the median time of `repeat` runs, the highest peak); each run's time added to
    `runs` if given."""
    times, peaks = [], []
    for _ in range(repeat):
        if before:
            before()
        t, m = run(cmd, cwd)
        times.append(t)
        peaks.append(m)
    if runs is not None:
        runs.extend(times)
    return statistics.median(times), max(peaks)


def count_pages(site_src: Path) -> int:
    return sum(1 for _ in site_src.rglob("*.md"))


def dates_vs_dateparser(project: Path, sample: int) -> dict:
    """Articles per second of the date engine and of dateparser.search_dates, same articles."""
    code = f"""
import statistics, sys, time, warnings
from pathlib import Path
warnings.filterwarnings("ignore")
sys.path.insert(0, {str(REPO)!r})
from generator.ingest import read_corpus
from generator.dates import find_dates
from dateparser.search import search_dates
arts, _ = read_corpus(Path({str(project / "seeds")!r}))
arts = arts[:{sample}]
def rate(fn):
    t = time.perf_counter()
    for a in arts:
        fn(a)
    return len(arts) / (time.perf_counter() - t)
import datetime
ours = lambda a: find_dates(a.raw, a.meta.published)
theirs = lambda a: search_dates(a.raw, languages=["ar"], settings={{"RELATIVE_BASE": datetime.datetime.combine(a.meta.published, datetime.time())}})
ours(arts[0]); theirs(arts[0])  # imports and first-use set-up out of the clock
rounds = [(rate(ours), rate(theirs)) for _ in range(3)]  # interleaved: both see the same load
print(statistics.median(r[0] for r in rounds), statistics.median(r[1] for r in rounds),
      statistics.median(r[0] / r[1] for r in rounds))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    ours, theirs, ratio = map(float, out.stdout.split())
    return {"ours": ours, "dateparser": theirs, "ratio": ratio, "sample": sample}


def bench_size(n: int, repeat: int, workdir: Path, build_repeat: int | None = None) -> dict:
    project = workdir / f"n{n}"
    exe = [sys.executable, "-m", "generator", "-q", "--root", str(project)]
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "synth.py"),
            "--articles",
            str(n),
            "--no-extract",
            str(project),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    synth_s = time.perf_counter() - t0
    pristine = (project / "facts.yaml").read_bytes()

    def reset() -> None:
        (project / "facts.yaml").write_bytes(pristine)

    res: dict = {"n": n, "synth_s": synth_s}
    reps = repeat if n <= 2000 else 1
    res["extract1"] = median_run([*exe, "extract", "--no-cache", "--jobs", "1"], REPO, reps, reset)
    res["extractN"] = median_run([*exe, "extract", "--no-cache", "--jobs", "0"], REPO, reps, reset)
    res["facts_bytes"] = (project / "facts.yaml").stat().st_size

    def forget() -> None:
        """As on a fresh clone: no facts.yaml read before (.explainer-cache/), no stamp."""
        shutil.rmtree(project / ".explainer-cache", ignore_errors=True)

    res["check"] = median_run([*exe, "check"], REPO, reps, forget)
    hand_written = {
        Path(p).parts[1]
        for p in subprocess.run(
            ["git", "ls-files", "site_src"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.split()
    }

    def clean_pages() -> None:
        """Leave only the hand-written pages: the next step generates everything again."""
        for child in (project / "site_src").iterdir():
            if child.name not in hand_written:
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()

    def before_build() -> None:
        """Hand-written pages only, no cache, a fresh site directory, and the disk done with
        deleting the last ones (its write-back otherwise runs during the build: seconds at
        N = 10,000)."""
        clean_pages()
        forget()
        shutil.rmtree(workdir / f"site{n}", ignore_errors=True)
        os.sync()
        time.sleep(5)

    clean_pages()
    forget()
    res["generate_first"] = run([*exe, "generate"], REPO)
    res["generate"] = median_run([*exe, "generate"], REPO, reps)
    extracted = (project / "facts.yaml").read_bytes()
    edits = iter(range(1, 1000))

    def edit_one_fact() -> None:
        """An editor's correction: one fact's summary in the middle of facts.yaml reworded."""
        edit_summary(project / "facts.yaml", next(edits))

    res["generate_edit"] = median_run([*exe, "generate"], REPO, reps, edit_one_fact)
    (project / "facts.yaml").write_bytes(extracted)

    res["build"] = median_run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(workdir / f"site{n}"),
        ],
        REPO,
        build_repeat or reps,
        before_build,  # the whole build: MkDocs starts from hand-written pages, its hook generates
        res.setdefault("build_runs", []),
    )
    res["pages"] = count_pages(project / "site_src")
    res["index"] = search_indexes(workdir / f"site{n}")
    res["dates"] = dates_vs_dateparser(project, min(n, 100))
    return res


def search_indexes(site: Path) -> list[tuple[str, int, int]]:
    """Each edition's search index, as a reader's browser downloads it on a page with a search
    box: (its path in the site, bytes, bytes gzipped)."""
    out = []
    for path in sorted(site.glob("**/search/search_index.json")):
        data = path.read_bytes()
        out.append((path.relative_to(site).as_posix(), len(data), len(gzip.compress(data, 6))))
    return out


_PLAIN_SUMMARY = re.compile(r"^( +summary: )(?![\"'|>])", re.M)


def edit_summary(facts: Path, n: int) -> None:
    """Reword the summary of the fact in the middle of facts.yaml (the n-th edit: each one
    differs from the last), as an editor would in a text editor."""
    text = facts.read_text(encoding="utf-8")
    spots = list(_PLAIN_SUMMARY.finditer(text))
    spot = spots[len(spots) // 2]
    after = re.sub(r"^تعديل \d+ ", "", text[spot.end() :])
    facts.write_text(text[: spot.end()] + f"تعديل {n} " + after, encoding="utf-8")


def table(results: list[dict]) -> str:
    lines = [
        "| N articles | extract, 1 process | extract, all cores | check "
        "| generate (no-op / one-fact edit / first) "
        "| mkdocs build | pages | search index (largest edition; gzip) "
        "| dates: engine vs dateparser |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        n = r["n"]
        e1, m1 = r["extract1"]
        en, mn = r["extractN"]
        c, mc = r["check"]
        g, mg = r["generate"]
        g1, mg1 = r["generate_first"]
        ge, mge = r["generate_edit"]
        b, mb = r["build"]
        runs = sorted(r.get("build_runs", []))
        spread = f" (runs {runs[0]:.1f}–{runs[-1]:.1f} s)" if len(runs) > 1 else ""
        d = r["dates"]
        _, raw, packed = max(r["index"], key=lambda i: i[1], default=("", 0, 0))
        lines.append(
            f"| {n:,} | {e1:.1f} s, {n / e1:,.0f} art/s, {m1:,.0f} MiB "
            f"| {en:.1f} s, {n / en:,.0f} art/s, {mn:,.0f} MiB "
            f"| {c:.1f} s, {mc:,.0f} MiB "
            f"| {g:.2f} s / {ge:.2f} s / {g1:.2f} s, {mg:,.0f} / {mge:,.0f} / {mg1:,.0f} MiB "
            f"| {b:.1f} s{spread}, {r['pages'] / b:,.0f} pages/s, {mb:,.0f} MiB | {r['pages']:,} "
            f"| {raw / 1e6:,.1f} MB ({packed / 1e6:,.1f} MB) "
            f"| {d['ours']:,.0f} vs {d['dateparser']:,.1f} art/s (×{d['ratio']:,.1f}, {d['sample']} articles) |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--english",
        action="store_true",
        help="generate and build the English edition too (it doubles the pages); without it, "
        "EXPLAINER_ENGLISH=false: the Arabic edition alone",
    )
    ap.add_argument(
        "--build-repeat",
        type=int,
        default=None,
        help="runs of the whole build at every size (default: --repeat up to 2,000 articles, "
        "one run above)",
    )
    ap.add_argument(
        "--write", type=Path, default=None, help="write the table into this Markdown file"
    )
    args = ap.parse_args()
    os.environ["EXPLAINER_ENGLISH"] = "true" if args.english else "false"  # read by mkdocs.yml
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as tmp:
        results = [bench_size(n, args.repeat, Path(tmp), args.build_repeat) for n in args.sizes]
    load_after = os.getloadavg()[0]
    out = table(results)
    cmd = (
        "python bench/benchmark.py --sizes "
        + " ".join(map(str, args.sizes))
        + f" --repeat {args.repeat}"
        + (f" --build-repeat {args.build_repeat}" if args.build_repeat else "")
        + (" --english" if args.english else "")
    )
    editions = "Arabic and English" if args.english else "Arabic only (EXPLAINER_ENGLISH=false)"
    report = (
        f"Machine: {machine()}; 1-minute load average {load_before:.2f} before the run, "
        f"{load_after:.2f} after it\n\nCommand: `{cmd}`; editions: {editions}\n\n{out}\n"
    )
    print(report)
    for r in results:
        print(f"N={r['n']}: facts.yaml {r['facts_bytes']:,} bytes; synth {r['synth_s']:.1f} s")
    if args.write:
        write_results(args.write, report)


def write_results(path: Path, report: str) -> None:
    """Replace the measured part of BENCHMARKS.md (between its markers), keep the prose."""
    start, end = "<!-- results -->", "<!-- /results -->"
    text = path.read_text("utf-8") if path.exists() else f"{start}\n{end}\n"
    if start not in text or end not in text:
        text += f"\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{report}{end}{tail}", "utf-8")


if __name__ == "__main__":
    main()
