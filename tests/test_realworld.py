"""The pinned real-world corpus, linted and fixed with every rule (opt-in: `pytest -m realworld`).

The corpus is the benchmark's (benchmarks/run.py): the `.py` files of pinned wheels
of FastAPI / SQLAlchemy / Pydantic projects, unpacked under benchmarks/.cache/corpus/.
`prepare_corpus()` downloads them the first time; without a network the test is
skipped, saying why. Minutes on two cores.

On a copy of the corpus, through the command line as a user runs it:
1. `check --select ALL --isolated`: no traceback, no CL002, and CL001 only for
   files CPython itself cannot parse;
2. `check --fix --unsafe-fixes`: no crash; every changed file parses (LibCST and
   `ast`); no fix had to be refused for breaking its file (the engine reports and
   drops such a fix, but it is a rule bug);
3. the same again: nothing changes.
The summary (findings per code before and after fixing, files fixed, seconds) is
printed at the end of the run by tests/conftest.py.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

import libcst
import pytest

pytestmark = pytest.mark.realworld

REPOSITORY = Path(__file__).resolve().parents[1]
BENCHMARK = REPOSITORY / "benchmarks" / "run.py"
DROPPED = re.compile(r"^error: (?P<path>.+): the fix for (?P<code>CL\d{3}) at \d+:\d+ produced invalid code")


def _benchmark():
    spec = importlib.util.spec_from_file_location("conventions_lint_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _online() -> bool:
    for host in ("pypi.org", "files.pythonhosted.org"):
        try:
            socket.create_connection((host, 443), timeout=5).close()
            return True
        except OSError:
            continue
    return False


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[str]]:
    """A copy of the corpus (the benchmark's files only) and its files, relative to the copy."""
    if not BENCHMARK.is_file():
        pytest.fail(f"{BENCHMARK} is missing: it pins and downloads the corpus")
    bench = _benchmark()
    try:
        prepared = bench.prepare_corpus()  # downloads only what benchmarks/.cache/ does not hold yet
    except SystemExit as stop:
        if not _online():
            pytest.skip(f"the pinned corpus is not in {bench.CACHE} and there is no network to download it: {stop}")
        pytest.fail(f"cannot prepare the pinned corpus: {stop}")
    files = prepared.all_files()
    assert len(files) > 1000, f"the corpus holds {len(files)} files"
    copy = tmp_path_factory.mktemp("realworld") / "corpus"
    for relative in files:
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bench.CORPUS / relative, copy / relative)
    return copy, files


def _check(root: Path, *options: str) -> tuple[subprocess.CompletedProcess, float]:
    command = [
        sys.executable,
        "-m",
        "conventions_lint",
        "check",
        "--select",
        "ALL",
        "--isolated",
        "--no-cache",
        "--exit-zero",
        "--output-format",
        "json-lines",
        *options,
        ".",
    ]
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=3600, env=environment)
    return completed, time.perf_counter() - started


def _findings(completed: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]


def _cpython_parses(data: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _snapshot(root: Path, files: list[str]) -> dict[str, bytes]:
    return {relative: (root / relative).read_bytes() for relative in files}


def test_the_corpus_lints_and_fixes_cleanly(corpus, report_summary) -> None:
    root, files = corpus
    original = _snapshot(root, files)
    problems: list[str] = []

    # 1. Lint.
    linted, lint_seconds = _check(root)
    assert "Traceback" not in linted.stderr + linted.stdout, linted.stderr
    assert (linted.returncode, linted.stderr) == (0, "")
    before = _findings(linted)
    by_path = {}
    for finding in before:
        by_path.setdefault(Path(finding["filename"]).relative_to(root).as_posix(), []).append(finding)
    problems += [
        f"CL002 {path}:{f['location']['row']}: {f['message']}"
        for path, found in by_path.items()
        for f in found
        if f["code"] == "CL002"
    ]
    problems += [
        f"CL001 on a file CPython parses: {path}: {f['message']}"
        for path, found in by_path.items()
        for f in found
        if f["code"] == "CL001" and _cpython_parses(original[path])
    ]

    # 2. Fix.
    fixing, fix_seconds = _check(root, "--fix", "--unsafe-fixes")
    assert "Traceback" not in fixing.stderr + fixing.stdout, fixing.stderr
    dropped: Counter = Counter()
    for line in fixing.stderr.splitlines():
        match = DROPPED.match(line)
        if match is None:
            problems.append(f"--fix: {line}")
        else:
            dropped[match["code"]] += 1
            problems.append(f"a fix broke the file: {line}")
    assert fixing.returncode == (2 if fixing.stderr else 0), fixing.stderr
    after = _findings(fixing)
    problems += [f"CL002 after fixing: {f['filename']}: {f['message']}" for f in after if f["code"] == "CL002"]
    fixed = _snapshot(root, files)
    changed = sorted(path for path in files if fixed[path] != original[path])
    for path in changed:
        try:
            libcst.parse_module(fixed[path])
        except Exception as error:
            problems.append(f"the fixed {path} does not parse with LibCST: {type(error).__name__}: {error}")
        if _cpython_parses(original[path]) and not _cpython_parses(fixed[path]):
            problems.append(f"the fixed {path} does not parse with CPython")
    leftovers = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.tmp"))
    problems += [f"temporary file left behind: {path}" for path in leftovers]

    # 3. Fix again: nothing to do.
    again, again_seconds = _check(root, "--fix", "--unsafe-fixes")
    assert "Traceback" not in again.stderr + again.stdout, again.stderr
    refixed = _snapshot(root, files)
    problems += [f"a second --fix changed {path}" for path in files if refixed[path] != fixed[path]]

    line_count = sum(data.count(b"\n") for data in original.values())
    codes_before = Counter(f["code"] for f in before)
    codes_after = Counter(f["code"] for f in after)
    lines = [
        f"{len(files)} files, {line_count} lines",
        f"lint: {lint_seconds:.0f} s; --fix --unsafe-fixes: {fix_seconds:.0f} s; second --fix: {again_seconds:.0f} s",
        f"files changed by --fix: {len(changed)}; findings: {len(before)} before, {len(after)} after",
        "code    before  after",
        *(f"{code}  {codes_before[code]:>7}  {codes_after[code]:>5}" for code in sorted(codes_before | codes_after)),
        "fixes refused because they broke the file: "
        + (", ".join(f"{code} × {count}" for code, count in sorted(dropped.items())) or "none"),
        *(["problems:", *problems] if problems else ["problems: none"]),
    ]
    report_summary("conventions-lint on the real-world corpus", "\n".join(lines))
    assert problems == []
