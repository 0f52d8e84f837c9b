"""A development server (`mkdocs serve` or `explainer serve`) as a real subprocess.

Used by tests/test_serve.py and bench/bench_serve.py. The server runs in its own process group
on a free port of 127.0.0.1, with its output going to a log file (a pipe that nobody reads
would stall it once full). stop() ends the whole group: SIGINT first, so that MkDocs shuts
down and removes its temporary site folder, then SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KINDS = ("mkdocs", "mkdocs-dirty", "explainer")
# What MkDocs' serve logs when a build ends: the first build, a rebuild, a failed rebuild
_BUILD_ENDS = ("Serving on", "Reloading browsers", "An error happened during the rebuild")


# The server is started through this: a suite run in the background (where the shell ignores
# SIGINT, and every process started from it inherits that) would otherwise get servers deaf to
# the Ctrl-C that stop() sends first, each then waiting 15 s for the SIGTERM; Python installs
# its KeyboardInterrupt handler only where SIGINT is not ignored when it starts.
_WITH_SIGINT = [
    sys.executable,
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])",
]


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (start() retries if it is taken)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command(kind: str, project: Path, addr: str) -> list[str]:
    """`mkdocs serve` (full rebuilds), `mkdocs serve --dirty` (kind "mkdocs-dirty") or
    `explainer serve` (dirty rebuilds) of a project."""
    if kind in ("mkdocs", "mkdocs-dirty"):
        return [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "-f",
            str(project / "mkdocs.yml"),
            "-a",
            addr,
            *(["--dirty"] if kind == "mkdocs-dirty" else []),
        ]
    if kind == "explainer":
        return [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(project),
            "serve",
            "--dev-addr",
            addr,
        ]
    raise ValueError(kind)


def display_command(kind: str, project: Path, addr: str = "127.0.0.1:8000") -> str:
    """The command as a person types it."""
    cmd = serve_command(kind, project, addr)
    head = "mkdocs" if kind.startswith("mkdocs") else "python -m generator"
    return " ".join([head, *cmd[3:]])


def get(url: str, timeout: float) -> tuple[int, str]:
    """(status, body) of one GET; status 0 when nothing answers. The server holds a request
    while it rebuilds, so the timeout has to cover a whole build."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def edit_fact(text: str, fact_id: str, key: str, value: str) -> str:
    """facts.yaml text with one line `key: value` of one fact replaced, all else unchanged.

    As an editor changes it by hand: comments, order and quoting stay as they are. The old
    value must be on one line (not a block scalar).
    """
    start = re.search(rf"^( *)- id: {re.escape(fact_id)}[ \t]*$", text, re.M)
    if start is None:
        raise ValueError(f"no fact {fact_id!r}")
    indent = start.group(1)
    end = re.compile(rf"^{indent}- |^\S", re.M).search(text, start.end())
    line = re.compile(rf"^{indent}  {re.escape(key)}: (.*)$", re.M).search(
        text, start.end(), end.start() if end else len(text)
    )
    if line is None or line.group(1).startswith((">", "|")):
        raise ValueError(f"fact {fact_id!r} has no one-line {key!r}")
    return text[: line.start(1)] + value + text[line.end(1) :]


def write_atomically(path: Path, text: str) -> None:
    """Write as many editors and tools do: a temporary file, then a rename over the old one."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_in_place(path: Path, text: str) -> None:
    """Write as other editors do: truncate the file and write it again (same inode)."""
    with path.open("r+", encoding="utf-8") as f:
        f.truncate(0)
        f.write(text)


class DevServer:
    """One `mkdocs serve` / `explainer serve` of `project`, with live reload."""

    def __init__(self, kind: str, project: Path, log: Path, env: dict[str, str] | None = None):
        self.kind = kind
        self.project = project
        self.log = log
        self.env = dict(os.environ if env is None else env)
        self.env.setdefault("PYTHONPATH", str(REPO))  # the code of this checkout
        self.env.setdefault("NO_MKDOCS_2_WARNING", "1")
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def start(self, timeout: float = 300) -> DevServer:
        """Start the server and wait until its first build is served (HTTP 200)."""
        for _ in range(3):
            addr = f"127.0.0.1:{free_port()}"
            self.url = f"http://{addr}/"
            with self.log.open("ab") as log:
                self.proc = subprocess.Popen(
                    [*_WITH_SIGINT, *serve_command(self.kind, self.project, addr)],
                    cwd=self.project,
                    env=self.env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.alive():
                if get(self.url, timeout=max(1.0, deadline - time.monotonic()))[0] == 200:
                    return self
                time.sleep(0.1)
            if not self.alive() and "Address already in use" in self.log_text():
                continue  # another process took the port between free_port() and the bind
            self.stop()
            raise RuntimeError(f"{self.kind} serve did not come up:\n{self.log_text()[-4000:]}")
        raise RuntimeError(f"{self.kind} serve found no free port:\n{self.log_text()[-4000:]}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def wait_for_log(self, pattern: str, timeout: float, since: int = 0) -> re.Match:
        """The first match of `pattern` in the log after character `since`."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.compile(pattern, re.M).search(self.log_text(), since)
            if match:
                return match
            if time.monotonic() > deadline or not self.alive():
                raise AssertionError(
                    f"no {pattern!r} in the log:\n{self.log_text()[since:][-4000:]}"
                )
            time.sleep(0.1)

    def building(self) -> bool:
        """Whether the log shows a build that has not ended yet."""
        log = self.log_text()
        start = log.rfind("Building documentation...")
        return start >= 0 and not any(log.find(end, start) >= 0 for end in _BUILD_ENDS)

    def settle(self, quiet: float = 2.0, timeout: float = 300) -> None:
        """Wait until no rebuild is under way or due: no build open in the log, and the log
        still for `quiet` seconds (a rebuild starts at most a polling interval, 0.5 s, after
        the change it follows). A server that keeps rebuilding by itself fails here."""
        deadline = time.monotonic() + timeout
        size, still_since = -1, time.monotonic()
        while time.monotonic() - still_since < quiet or self.building():
            if time.monotonic() > deadline:
                raise AssertionError(f"the server never settles:\n{self.log_text()[-4000:]}")
            now = self.log.stat().st_size
            if now != size:
                size, still_since = now, time.monotonic()
            time.sleep(0.1)

    def stop(self) -> None:
        """End the server's whole process group; safe to call twice."""
        proc = self.proc
        if proc is None:
            return
        for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            if proc.poll() is not None:
                break
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(wait)
            except subprocess.TimeoutExpired:
                continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # anything the server started that outlived it
        self.proc = None

    def __enter__(self) -> DevServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
