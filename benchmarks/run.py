#!/usr/bin/env python3
"""Benchmark conventions-lint on real FastAPI / SQLAlchemy / Pydantic code.

Usage, from the repository root:

    pip install -e '.[bench]'            # ruff and Fixit, beside conventions-lint
    python benchmarks/run.py [--runs N]  # N timed runs per measurement (default 3)

The first run downloads pinned wheels with `pip download --no-deps` into the git-ignored
benchmarks/.cache/ and unpacks their `.py` files (about 2,000 files, 500,000 lines). A pin
that cannot be downloaded is an error: another version would make the numbers incomparable.
Measured, each as median / min / max of N runs (wall clock):
  (a) conventions-lint cold: `--no-cache`, cache directory removed before each run,
      `--select ALL --isolated --exit-zero --quiet`, whole corpus;
  (b) warm, nothing changed (cache on, one priming run first);
  (c) warm after one file changed (a unique comment appended before each run);
  (d) LibCST parse-only of the same files in one process (the floor);
  (e) ruff `check --select FAST,ASYNC,N --no-cache` on the same files;
  (f) Fixit 2 (`fixit lint`, default rules) and conventions-lint (cold) on
      fastapi-users, fastcrud and sqladmin, each and in total;
  (g) on-save latency: a ~600-line FastAPI + SQLAlchemy file through `--stdin-filename`
      (cache enabled, as an editor would run it);
  (h) peak RSS of the largest process of (a), (b) and (g), from os.wait4;
  (i) scaling exponent: cold runs on every other file vs the whole corpus;
  (j) the language server with the whole corpus as one workspace, cold cache (removed before
      each start): seconds from opening the on-save file to its first diagnostics, to its
      project's findings (the corpus indexed in the background), and from each of five
      changes to its diagnostics (a plain JSON-RPC client over pipes, as an editor's), and
      each change over a LibCST parse of that file (timed alone, beside it: a change re-parses
      the whole buffer, so this ratio says more than seconds on a loaded machine); the peak RSS
      is the largest of the server and the process that indexes the corpus for it.
  (k)-(n) where findings are many, and start-up: see benchmarks/dense.py.

Every tool runs in benchmarks/.cache/corpus with the files named on its command line, so all
see the same files (no tool's excludes apply); ruff also gets --isolated. Cold runs vary a
lot on a loaded machine: there, raise --runs. Python tools run from bytecode, as pip installs
them: PYTHONDONTWRITEBYTECODE is dropped, so an editable install's modules are compiled once,
by the preflight run, not in every timed run.

Prints the ratios against their targets and the timings as Markdown tables and writes
them, with the machine and tool versions, to benchmarks/RESULTS.md. Memory is in MB
(10^6 bytes). Tools are looked up beside sys.executable first, then on PATH.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import math
import os
import platform
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
WHEELS = CACHE / "wheels"
CORPUS = CACHE / "corpus"
RESULTS = HERE / "RESULTS.md"

PINS = {
    "prefect": "3.9.1",
    "apache-airflow-core": "3.3.2",
    "open-webui": "0.12.4",
    "fastapi-users": "15.0.5",
    "fastcrud": "0.23.0",
    "sqladmin": "0.32.0",
}
SMALL = ("fastapi-users", "fastcrud", "sqladmin")
LINT_CACHE_NAME = ".conventions_lint_cache"
ALL_RULES = ["--select", "ALL", "--isolated", "--exit-zero", "--quiet"]
# --isolated so that a [tool.ruff] table in some parent pyproject.toml cannot change the work.
RUFF_ARGS = ["check", "--select", "FAST,ASYNC,N", "--no-cache", "--exit-zero", "--quiet", "--isolated"]
ONSAVE_LINES = 600

PARSE_ONLY = """\
import sys, libcst
failed = 0
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    try:
        libcst.parse_module(open(path, "rb").read())
    except Exception:
        failed += 1
print(failed)
"""


@dataclass
class Sample:
    seconds: float
    maxrss: int  # bytes: the largest of the child and of the children it waited for
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Series:
    label: str
    samples: list[Sample] = field(default_factory=list)
    failed: bool = False  # a crashed run's time measures the crash, not the work

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.maxrss for s in self.samples) / 1e6


@dataclass
class Corpus:
    files: dict[str, list[str]]  # distribution -> paths relative to CORPUS
    lines: dict[str, int]  # path -> line count

    def all_files(self) -> list[str]:
        return [p for dist in PINS for p in self.files[dist]]

    def count(self, paths: Sequence[str]) -> int:
        return sum(self.lines[p] for p in paths)


PROBLEMS: list[str] = []


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def find_tool(name: str) -> str:
    # The interpreter's own bin dir first: PATH may hold another venv's older copy.
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which(name)
    if found is None:
        sys.exit(
            f"error: `{name}` is neither beside {sys.executable} nor on PATH; "
            "install the benchmark extra: pip install -e '.[bench]'"
        )
    return found


def tool_version(tool: str) -> str:
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout
    return out.split()[-1] if out.split() else "unknown"


def download(dist: str, version: str) -> Path:
    stem = f"{re.sub(r'[-_.]+', '_', dist).lower()}-{version}-"
    wheels = sorted(WHEELS.glob(f"{stem}*.whl"))
    if not wheels:
        log(f"downloading {dist}=={version}")
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(WHEELS),
            f"{dist}=={version}",
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wheels = sorted(WHEELS.glob(f"{stem}*.whl"))
        if done.returncode != 0 or not wheels:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-5:])
            sys.exit(
                f"error: cannot download the pinned wheel {dist}=={version}; no other version is substituted.\n{tail}"
            )
    return wheels[0]


def unpack(wheel: Path, dest: Path) -> None:
    marker = dest / ".unpacked"
    if marker.is_file() and marker.read_text() == wheel.name:
        return
    shutil.rmtree(dest, ignore_errors=True)
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.endswith(".py") and not name.startswith("/") and ".." not in name.split("/"):
                target = dest / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    # Each project gets its own root, as in its repository: without a marker, Fixit's file walk
    # takes the repository's root and drops every file, as benchmarks/.cache/ is git-ignored.
    # `root = true` also keeps Fixit from reading configuration above it: default rules only.
    # Nothing at CORPUS itself: a pyproject.toml there would make conventions-lint, run from
    # CORPUS with --isolated, index the whole corpus as the rest of the project on every run.
    (dest / "pyproject.toml").write_text("[tool.fixit]\nroot = true\n")
    marker.write_text(wheel.name)


def prepare_corpus() -> Corpus:
    WHEELS.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    for dist, version in PINS.items():
        unpack(download(dist, version), CORPUS / dist)
        paths = sorted(p.relative_to(CORPUS).as_posix() for p in (CORPUS / dist).rglob("*.py"))
        files[dist] = paths
        for path in paths:
            lines[path] = len((CORPUS / path).read_bytes().splitlines())
    return Corpus(files, lines)


# Without PYTHONDONTWRITEBYTECODE: see the module docstring.
TOOL_ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: Sequence[str], stdin: Path | None = None, cwd: Path = CORPUS) -> Sample:
    with open(stdin or os.devnull, "rb") as fin, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdin=fin, stdout=out, stderr=err, cwd=cwd, env=TOOL_ENVIRONMENT)
        # wait4 rather than proc.wait(): it also returns the child's resource usage.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # Linux reports ru_maxrss in KiB, macOS in bytes.
        scale = 1 if sys.platform == "darwin" else 1024
        return Sample(
            seconds,
            usage.ru_maxrss * scale,
            proc.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


def repeat(
    label: str,
    runs: int,
    cmd: Sequence[str],
    *,
    stdin: Path | None = None,
    before: Callable[[int], None] | None = None,
    after: Callable[[int], None] | None = None,
    ok_codes: Sequence[int] = (0,),
    cwd: Callable[[], Path] = lambda: CORPUS,
) -> Series:
    """`cwd()` is asked after `before`, which may make the directory the run is to work in."""
    series = Series(label)
    for i in range(runs):
        if before:
            before(i)
        try:
            sample = run(cmd, stdin, cwd())
        finally:
            if after:
                after(i)
        series.samples.append(sample)
        log(f"  {label} [{i + 1}/{runs}]: {sample.seconds:.2f} s, {sample.maxrss / 1e6:.0f} MB")
        series.failed |= not check(label, sample, ok_codes)
    return series


def check(label: str, sample: Sample, ok_codes: Sequence[int]) -> bool:
    # CL002 is conventions-lint's finding for a file it crashed on; the run itself still exits 0.
    crashed = [line for line in sample.stdout.splitlines() if re.search(r"\bCL002\b", line)]
    if sample.returncode not in ok_codes or "Traceback" in sample.stderr or crashed:
        excerpt = "\n".join(crashed[:5] + sample.stderr.strip().splitlines()[-8:]) or "(no stderr)"
        problem = f"{label}: exit code {sample.returncode}\n{excerpt}"
        if problem not in PROBLEMS:
            PROBLEMS.append(problem)
            log(f"  problem: {problem}")
        return False
    return True


def preflight(lint: str, path: str) -> None:
    # Fail in seconds, not after twenty minutes of timing a crash, when the package is mid-edit.
    if not check("preflight", run([lint, "check", *ALL_RULES, "--no-cache", path]), (0,)):
        sys.exit(f"error: conventions-lint fails on {path} alone (see above); nothing was measured")


def clear_lint_cache(_: int = 0) -> None:
    # Wherever the cache lands (the working directory or a project root), it is under CORPUS.
    for found in list(CORPUS.rglob(LINT_CACHE_NAME)):
        shutil.rmtree(found, ignore_errors=True)


def lint_cold(lint: str, label: str, paths: Sequence[str], runs: int) -> Series:
    return repeat(label, runs, [lint, "check", *ALL_RULES, "--no-cache", *paths], before=clear_lint_cache)


def lint_warm(lint: str, paths: Sequence[str], changed: str, runs: int) -> tuple[Series, Series]:
    cmd = [lint, "check", *ALL_RULES, *paths]
    clear_lint_cache()
    check("(b) priming run", run(cmd), (0,))
    if not any(CORPUS.rglob(LINT_CACHE_NAME)):
        PROBLEMS.append(
            f"no {LINT_CACHE_NAME} appeared under {CORPUS} after the priming run: (b) and (c) "
            "ran without a cache, or the cache lives elsewhere and (a) may not be cold"
        )
    unchanged = repeat("(b) warm, unchanged", runs, cmd)
    target = CORPUS / changed
    original, stat = target.read_bytes(), target.stat()

    def edit(i: int) -> None:
        # A unique comment each time, so a content-hash cache cannot have seen it.
        target.write_bytes(original + f"\n# benchmark edit {i} {time.time_ns()}\n".encode())

    def restore(_: int) -> None:
        target.write_bytes(original)
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    try:
        one_changed = repeat("(c) warm, one file changed", runs, cmd, before=edit, after=restore)
    finally:
        restore(0)
    return unchanged, one_changed


def parse_only(paths: Sequence[str], runs: int, label: str = "(d) libcst parse-only") -> tuple[Series, int]:
    listing = CACHE / f"parse-only-files-{len(paths)}.txt"
    listing.write_text("\n".join(paths) + "\n")
    series = repeat(label, runs, [sys.executable, "-c", PARSE_ONLY, str(listing)])
    failed = int(series.samples[-1].stdout.strip() or 0)
    return series, failed


def onsave_file(corpus: Corpus) -> str:
    def imports(path: str, module: str) -> bool:
        text = (CORPUS / path).read_text(encoding="utf-8", errors="replace")
        return re.search(rf"^\s*(from|import) {module}\b", text, re.MULTILINE) is not None

    both = [
        p
        for p in corpus.all_files()
        if abs(corpus.lines[p] - ONSAVE_LINES) <= ONSAVE_LINES // 5
        and imports(p, "fastapi")
        and imports(p, "sqlalchemy")
    ]
    if not both:  # only if PINS change: the pinned corpus has several
        sys.exit(f"error: no file of {ONSAVE_LINES} ± 20% lines imports both fastapi and sqlalchemy")
    return min(both, key=lambda p: (abs(corpus.lines[p] - ONSAVE_LINES), p))


SERVER_CHANGES = 5
SERVER_TIMEOUT = 600  # seconds for any one answer: indexing 2,000 files cold on a busy machine takes a while


class LspPipe:
    """The least of an LSP client: framed JSON-RPC over the server's standard input and output."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc, self.next_id = proc, 0
        # Read on a thread of its own, so that a server that stays silent fails the wait instead of hanging it.
        self.messages: queue.Queue[dict | None] = queue.Queue()
        threading.Thread(target=self._read_all, daemon=True).start()

    def send(self, method: str, params: object, *, request: bool = False) -> None:
        message: dict[str, object] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read_all(self) -> None:
        try:
            while True:
                self.messages.put(self.receive())
        except (RuntimeError, ValueError, OSError):
            self.messages.put(None)

    def receive(self) -> dict:
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def wait_for(self, wanted: Callable[[dict], bool]) -> dict:
        deadline = time.perf_counter() + SERVER_TIMEOUT
        while (left := deadline - time.perf_counter()) > 0:
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                break
            if message is None:
                raise RuntimeError("the server closed its output")
            if wanted(message):
                return message
        raise RuntimeError("no answer from the server in time")


def server_session(lint: str, path: str) -> tuple[float, float, list[float], int]:
    """One cold start of the server on the corpus as a workspace: seconds to the file's first diagnostics,
    to its project's findings, after each change; and the server's peak RSS in bytes."""
    clear_lint_cache()
    uri = (CORPUS / path).as_uri()
    text = (CORPUS / path).read_text(encoding="utf-8")
    proc = subprocess.Popen(
        [lint, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=CORPUS, env=TOOL_ENVIRONMENT
    )
    pipe = LspPipe(proc)

    def published(version: int) -> Callable[[dict], bool]:
        return lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version

    try:
        folder = {"uri": CORPUS.as_uri(), "name": "corpus"}
        initialize = {
            "processId": os.getpid(),
            "rootUri": CORPUS.as_uri(),
            "workspaceFolders": [folder],
            "capabilities": {},
            "initializationOptions": {"select": ["ALL"]},
        }
        pipe.send("initialize", initialize, request=True)
        pipe.wait_for(lambda m: m.get("id") == pipe.next_id)
        pipe.send("initialized", {})
        start = time.perf_counter()
        document = {"uri": uri, "languageId": "python", "version": 1, "text": text}
        pipe.send("textDocument/didOpen", {"textDocument": document})
        pipe.wait_for(published(1))
        first = time.perf_counter() - start
        pipe.wait_for(published(1))  # again, with the project's findings
        project = time.perf_counter() - start
        changes = []
        for version in range(2, 2 + SERVER_CHANGES):
            text += f"# benchmark edit {version}\n"
            start = time.perf_counter()
            change = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}
            pipe.send("textDocument/didChange", change)
            pipe.wait_for(published(version))
            changes.append(time.perf_counter() - start)
        pipe.send("shutdown", None, request=True)
        pipe.wait_for(lambda m: m.get("id") == pipe.next_id)
        pipe.send("exit", None)
        proc.stdin.close()
    except BaseException:
        proc.kill()
        raise
    finally:
        # wait4 rather than proc.wait(): it also returns the server's resource usage.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    scale = 1 if sys.platform == "darwin" else 1024
    return first, project, changes, usage.ru_maxrss * scale


# One file's LibCST parse, timed in a process of its own: what each change costs at the least, since a
# change re-parses the whole buffer. Changes over parses, measured side by side, holds on a loaded machine.
PARSE_ONE = """\
import statistics, sys, time, libcst
source = open(sys.argv[1], "rb").read()
libcst.parse_module(source)
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    libcst.parse_module(source)
    times.append(time.perf_counter() - start)
print(statistics.median(times))
"""


def parse_one(path: str, runs: int) -> float:
    done = subprocess.run(
        [sys.executable, "-c", PARSE_ONE, str(CORPUS / path), str(runs * SERVER_CHANGES)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout)


def server_timings(lint: str, path: str, runs: int) -> tuple[Series, Series, Series]:
    """(j): the language server's first diagnostics, project findings and changes, over `runs` cold starts."""
    first, project, change = (
        Series("(j) server: first diagnostics"),
        Series("(j) server: project's findings"),
        Series(f"(j) server: each change ({SERVER_CHANGES} a start)"),
    )
    for i in range(runs):
        try:
            opened, indexed, changes, rss = server_session(lint, path)
        except (OSError, RuntimeError, ValueError) as error:
            PROBLEMS.append(f"(j) server session {i + 1}: {error}")
            for series in (first, project, change):
                series.failed = True
            continue
        first.samples.append(Sample(opened, rss, 0, "", ""))
        project.samples.append(Sample(indexed, rss, 0, "", ""))
        change.samples += [Sample(seconds, rss, 0, "", "") for seconds in changes]
        log(
            f"  (j) server [{i + 1}/{runs}]: first {opened:.2f} s, project {indexed:.1f} s, "
            f"changes {', '.join(f'{c:.3f}' for c in changes)} s, {rss / 1e6:.0f} MB"
        )
    return first, project, change


def server_checks(first: Series, change: Series, parse: float) -> list[tuple[str, float, str, str]]:
    checks = []
    if change.samples:
        checks.append(("(j) server each change / LibCST parse of the file", change.median / parse, "(no target)", "-"))
    for label, series, limit in (("first diagnostics s", first, 1.0), ("each change s", change, 0.15)):
        if not series.samples:
            checks.append((f"(j) server {label}", math.nan, f"< {limit}", "invalid: a run failed"))
            continue
        met = "invalid: a run failed" if series.failed else "yes" if series.median < limit else "**no**"
        checks.append((f"(j) server {label}", series.median, f"< {limit}", met))
    return checks


def fmt_row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def timing_table(series: Sequence[Series]) -> list[str]:
    rows = [
        fmt_row(["measurement", "median s", "min s", "max s", "peak RSS MB"]),
        fmt_row(["---", "---:", "---:", "---:", "---:"]),
    ]
    for s in series:
        seconds = [x.seconds for x in s.samples]
        label = s.label + (" (failed, see Problems)" if s.failed else "")
        rows.append(fmt_row([label, *(f"{x:.3f}" for x in (s.median, min(seconds), max(seconds))), f"{s.peak_mb:.0f}"]))
    return rows


def target_table(checks: Sequence[tuple[str, float, str, str]]) -> list[str]:
    rows = [fmt_row(["check", "measured", "target", "met"]), fmt_row(["---", "---:", "---", "---"])]
    rows += [fmt_row([name, f"{value:.3g}", target, verdict]) for name, value, target, verdict in checks]
    return rows


def git_commit() -> str:
    # Read-only: which source was measured, and whether it had uncommitted edits.
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=HERE, capture_output=True, text=True, check=True).stdout.strip()

    try:
        dirty = git("status", "--porcelain", "--untracked-files=no")
        return git("rev-parse", "--short", "HEAD") + (" with uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def target_checks(
    cold: Series,
    warm: Series,
    floor: Series,
    ruff_cold: Series,
    small: Sequence[tuple[str, Series, Series]],
    on_save: Series,
    cold_half: Series,
    exponent: float,
) -> list[tuple[str, float, str, str]]:
    checks: list[tuple[str, float, str, str]] = []

    def add(name: str, value: float, target: str, met: bool, *used: Series) -> None:
        verdict = "invalid: a run failed" if any(s.failed for s in used) else "yes" if met else "**no**"
        checks.append((name, value, target, verdict))

    add(
        "(a)/(d) cold / parse-only",
        cold.median / floor.median,
        "≤ 0.75",
        cold.median <= 0.75 * floor.median,
        cold,
        floor,
    )
    add(
        "(b)/(e) warm / ruff cold",
        warm.median / ruff_cold.median,
        "≤ 3",
        warm.median <= 3 * ruff_cold.median,
        warm,
        ruff_cold,
    )
    for dist, theirs, ours in small:
        add(
            f"(f) Fixit / ours, {dist}",
            theirs.median / ours.median,
            "≥ 25",
            theirs.median >= 25 * ours.median,
            theirs,
            ours,
        )
    fixit_total, ours_total = (sum(s.median for s in column) for column in list(zip(*small))[1:])
    add(
        "(f) Fixit / ours, three projects",
        fixit_total / ours_total,
        "≥ 25",
        fixit_total >= 25 * ours_total,
        *(s for _, theirs, ours in small for s in (theirs, ours)),
    )
    add("(g) on-save wall s", on_save.median, "< 0.35", on_save.median < 0.35, on_save)
    for s in (cold, warm, on_save):
        add(f"(h) peak RSS MB, {s.label[:3]}", s.peak_mb, "< 200", s.peak_mb < 200, s)
    add("(i) scaling exponent", exponent, "≤ 1", exponent <= 1, cold, cold_half)
    return checks


def render(
    corpus: Corpus,
    paths: Sequence[str],
    half: Sequence[str],
    onsave: str,
    runs: int,
    unparsable: int,
    versions: str,
    elapsed: float,
    checks: Sequence[tuple[str, float, str, str]],
    series: Sequence[Series],
    small: Sequence[tuple[str, Series, Series]],
) -> str:
    pins = ", ".join(f"{d}=={v}" for d, v in PINS.items())
    lines = [
        "# conventions-lint benchmark",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}",
        (
            f"- machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}; "
            f"Python {platform.python_version()} ({platform.python_implementation()})"
        ),
        f"- {versions}",
        (
            f"- corpus: {len(paths)} files, {corpus.count(paths)} lines from {pins}; "
            f"{unparsable} files LibCST cannot parse (skipped by (d) only)"
        ),
        f"- half corpus for (i): {len(half)} files, {corpus.count(half)} lines",
        (f"- on-save file (g), also the file changed in (c): `{onsave}` ({corpus.lines[onsave]} lines)"),
        f"- {runs} timed runs per measurement; the benchmark took {elapsed:.0f} s",
        "",
        "## Targets",
        "",
        *target_table(checks),
        "",
        "## Timings",
        "",
        *timing_table(series),
        "",
        (
            f"(f) totals over {', '.join(SMALL)}: Fixit {sum(t.median for _, t, _ in small):.3f} s, "
            f"conventions-lint {sum(o.median for _, _, o in small):.3f} s (sums of medians)."
        ),
        "",
    ]
    if PROBLEMS:
        lines += ["## Problems", "", *(f"```\n{p}\n```" for p in PROBLEMS), ""]
    return "\n".join(lines)


def many_findings(
    lint: str, corpus: Corpus, paths: Sequence[str], cold: Series, runs: int
) -> tuple[list[Series], list[tuple[str, float, str, str]]]:
    """(k)-(n), measured by benchmarks/dense.py."""
    import dense

    dense_paths, cold_dense, floor_dense, per_kloc = dense.dense_set(lint, corpus, runs)
    log(f"dense set: {len(dense_paths)} files, {corpus.count(dense_paths)} lines, {per_kloc:.1f} findings per 1,000")
    fixing = dense.fix_corpus(lint, paths, runs)
    by_file = dense.findings_by_file(cold.samples[-1])
    many, clean = dense.on_save_files(corpus, by_file)
    log(f"on save with fixes: {many} ({corpus.lines[many]} lines, {by_file[many]} findings), {clean} (clean)")
    saves = [
        (
            dense.on_save(lint, many, f"(m) on save --fix, {corpus.lines[many]} lines, {by_file[many]} findings", runs),
            0.3,
        ),
        (dense.on_save(lint, clean, f"(m) on save --fix, clean, {corpus.lines[clean]} lines", runs), 0.2),
    ]
    starting = dense.start_up(lint, runs)
    series = [cold_dense, floor_dense, fixing, *(s for s, _ in saves), *starting]
    return series, dense.dense_checks(cold_dense, floor_dense, per_kloc, cold, fixing, saves)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement (at least 3)")
    runs = parser.parse_args().runs
    if runs < 3:
        parser.error("--runs must be at least 3: a median of fewer says little")
    started = time.perf_counter()
    lint, ruff, fixit = find_tool("conventions-lint"), find_tool("ruff"), find_tool("fixit")
    corpus = prepare_corpus()
    paths = corpus.all_files()
    half = paths[::2]  # every other file, so each project keeps its share
    onsave = onsave_file(corpus)
    log(
        f"corpus: {len(paths)} files, {corpus.count(paths)} lines; on-save file: {onsave} "
        f"({corpus.lines[onsave]} lines)"
    )
    preflight(lint, onsave)

    cold = lint_cold(lint, "(a) cold, whole corpus", paths, runs)
    warm, changed = lint_warm(lint, paths, onsave, runs)
    floor, unparsable = parse_only(paths, runs)
    ruff_cold = repeat("(e) ruff FAST,ASYNC,N", runs, [ruff, *RUFF_ARGS, *paths])
    small: list[tuple[str, Series, Series]] = []
    for dist in SMALL:
        # Fixit exits 1 when it has findings.
        theirs = repeat(f"(f) fixit, {dist}", runs, [fixit, "lint", *corpus.files[dist]], ok_codes=(0, 1))
        ours = lint_cold(lint, f"(f) conventions-lint, {dist}", corpus.files[dist], runs)
        small.append((dist, theirs, ours))
    on_save = repeat(
        "(g) on-save, --stdin-filename",
        runs,
        [lint, "check", *ALL_RULES, "--stdin-filename", onsave],
        stdin=CORPUS / onsave,
    )
    cold_half = lint_cold(lint, "(i) cold, half corpus", half, runs)
    server_first, server_project, server_change = server_timings(lint, onsave, runs)
    dense_series, dense_checks = many_findings(lint, corpus, paths, cold, runs)

    exponent = math.log(cold.median / cold_half.median) / math.log(corpus.count(paths) / corpus.count(half))
    checks = target_checks(cold, warm, floor, ruff_cold, small, on_save, cold_half, exponent)
    checks += server_checks(server_first, server_change, parse_one(onsave, runs))
    checks += dense_checks
    versions = (
        f"conventions-lint {tool_version(lint)} (commit {git_commit()}), libcst "
        f"{importlib.metadata.version('libcst')}, ruff {tool_version(ruff)}, fixit {tool_version(fixit)}"
    )
    series = [cold, warm, changed, floor, ruff_cold, *(s for _, t, o in small for s in (t, o)), on_save, cold_half]
    series += [s for s in (server_first, server_project, server_change) if s.samples]
    series += dense_series
    report = render(
        corpus, paths, half, onsave, runs, unparsable, versions, time.perf_counter() - started, checks, series, small
    )
    RESULTS.write_text(report, encoding="utf-8")
    print(report)
    log(f"wrote {RESULTS}")


if __name__ == "__main__":
    # benchmarks/dense.py imports this module as `run`: one module, one PROBLEMS list.
    sys.modules.setdefault("run", sys.modules[__name__])
    main()
