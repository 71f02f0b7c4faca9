"""The benchmark's measurements where findings are many (issue 17), beside run.py's:

(k) the finding-dense set: the corpus's ORM model and API modules (a column, mapped_column or
    relationship assigned at a line's start; an APIRouter or a route decorator), all rules on:
    cold, against the LibCST parse-only time of the same files (findings per 1,000 lines shown);
(l) `--fix --unsafe-fixes` on a fresh copy of the whole corpus, cold, against (a);
(m) on save with fixes, as editors run it (`--fix --quiet --stdin-filename`, cache on): a file of
    about 300 lines with about 50 findings, and a clean file of about 600 lines;
(n) start-up: the interpreter alone, the interpreter importing LibCST, and `conventions-lint
    --version`, against (f)'s runs on the three small projects.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import run as bench

_MODEL = re.compile(
    rb"^\s*\w+\s*(:\s*Mapped\[.*\])?\s*=\s*(sa\.|sqlalchemy\.)?(Column|mapped_column|relationship)\(", re.M
)
_API = re.compile(rb"(APIRouter\(|@\w*router\.(get|post|put|patch|delete)\(|@app\.(get|post|put|patch|delete)\()")
FIX_ARGS = ["--select", "ALL", "--isolated", "--exit-zero", "--quiet", "--no-cache", "--fix", "--unsafe-fixes"]
ON_SAVE_FIX = ["--select", "ALL", "--isolated", "--exit-zero", "--quiet", "--fix"]
Check = tuple[str, float, str, str]


def dense_files(corpus: bench.Corpus) -> list[str]:
    """The ORM model and API modules of the corpus."""
    found = []
    for path in corpus.all_files():
        data = (bench.CORPUS / path).read_bytes()
        if _MODEL.search(data) or _API.search(data):
            found.append(path)
    return found


def findings_by_file(sample: bench.Sample) -> Counter[str]:
    """`path:row:col: CODE message` lines of a --quiet concise run, counted by path."""
    return Counter(line.split(":", 1)[0] for line in sample.stdout.splitlines() if re.search(r":\d+:\d+: CL", line))


def dense_set(lint: str, corpus: bench.Corpus, runs: int) -> tuple[list[str], bench.Series, bench.Series, float]:
    """(k): the dense files, their cold run, their parse-only floor and their findings per 1,000 lines."""
    paths = dense_files(corpus)
    cold = bench.lint_cold(lint, "(k) cold, finding-dense set", paths, runs)
    floor, _ = bench.parse_only(paths, runs, label="(k) libcst parse-only, dense set")
    findings = sum(findings_by_file(cold.samples[-1]).values())
    return paths, cold, floor, 1000 * findings / corpus.count(paths)


def fix_corpus(lint: str, paths: Sequence[str], runs: int) -> bench.Series:
    """(l): `--fix --unsafe-fixes` on a fresh copy of the corpus each run (the copy is not timed)."""
    copies: list[Path] = []

    def fresh(_: int) -> None:
        copy = Path(tempfile.mkdtemp(prefix="conventions-lint-fix-"))
        for dist in bench.PINS:
            shutil.copytree(bench.CORPUS / dist, copy / dist)
        copies.append(copy)

    def remove(_: int) -> None:
        shutil.rmtree(copies.pop(), ignore_errors=True)

    return bench.repeat(
        "(l) --fix --unsafe-fixes, whole corpus",
        runs,
        [lint, "check", *FIX_ARGS, *paths],
        before=fresh,
        after=remove,
        cwd=lambda: copies[-1],
    )


def on_save_files(corpus: bench.Corpus, by_file: Counter[str]) -> tuple[str, str]:
    """(m)'s files: ~300 lines with the number of findings nearest 50, and a clean one of ~600 lines
    that imports SQLAlchemy, FastAPI or Pydantic (so that rules look at it)."""
    near = [p for p in corpus.all_files() if abs(corpus.lines[p] - 300) <= 60 and by_file[p]]
    dense = min(near, key=lambda p: (abs(by_file[p] - 50), p))
    framework = re.compile(rb"^\s*(from|import) (sqlalchemy|fastapi|pydantic)\b", re.M)
    clean = [
        p
        for p in corpus.all_files()
        if not by_file[p] and abs(corpus.lines[p] - 600) <= 120 and framework.search((bench.CORPUS / p).read_bytes())
    ]
    return dense, min(clean, key=lambda p: (abs(corpus.lines[p] - 600), p))


def on_save(lint: str, path: str, label: str, runs: int) -> bench.Series:
    """(m): one buffer through `--fix --quiet --stdin-filename`, the cache primed once before."""
    command = [lint, "check", *ON_SAVE_FIX, "--stdin-filename", path]
    bench.run(command, bench.CORPUS / path)
    return bench.repeat(label, runs, command, stdin=bench.CORPUS / path)


def start_up(lint: str, runs: int) -> list[bench.Series]:
    """(n): what every run pays before linting anything."""
    return [
        bench.repeat("(n) python -c pass", runs, [sys.executable, "-c", "pass"]),
        bench.repeat("(n) python -c 'import libcst'", runs, [sys.executable, "-c", "import libcst"]),
        bench.repeat("(n) conventions-lint --version", runs, [lint, "--version"]),
    ]


def dense_checks(
    cold_dense: bench.Series,
    floor_dense: bench.Series,
    per_kloc: float,
    cold: bench.Series,
    fixing: bench.Series,
    saves: Sequence[tuple[bench.Series, float]],
) -> list[Check]:
    checks: list[Check] = []

    def add(name: str, value: float, target: str, met: bool, *used: bench.Series) -> None:
        verdict = "invalid: a run failed" if any(s.failed for s in used) else "yes" if met else "**no**"
        checks.append((name, value, target, verdict))

    ratio = cold_dense.median / floor_dense.median
    add("(k)/(k) dense cold / parse-only", ratio, "≤ 0.75", ratio <= 0.75, cold_dense, floor_dense)
    checks.append(("(k) dense set findings per 1,000 lines", per_kloc, "(shown)", ""))
    fix_ratio = fixing.median / cold.median
    add("(l)/(a) --fix --unsafe-fixes / cold", fix_ratio, "≤ 2", fix_ratio <= 2, fixing, cold)
    for series, limit in saves:
        add(f"{series.label} wall s", series.median, f"< {limit}", series.median < limit, series)
    return checks
