"""Do two versions of conventions-lint find and fix the same? (A refactoring must not change either.)

    python benchmarks/compare_runs.py record TREE OUT      # run TREE's code, write OUT/*.json, *.diff
    python benchmarks/compare_runs.py compare BEFORE AFTER # compare two such directories

`record` runs `python -m conventions_lint` from the checkout TREE (first on PYTHONPATH) on
examples/violating, examples/clean and the benchmark corpus: JSON findings of the default
selection (examples) or `--select ALL --isolated` (corpus), and the `--diff --unsafe-fixes`
output of each. The corpus is linted in a copy, so the diff's paths do not depend on where it is.
Findings compare on everything JSON holds, fixes included, with paths relative to the run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / ".cache" / "corpus"
EXAMPLES = HERE.parent / "examples"


def _run(tree: Path, cwd: Path, *args: str, with_stderr: bool = False) -> str:
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-m", "conventions_lint", "check", "--no-cache", *args, "."],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"{cwd}: exit {done.returncode}\n{done.stderr}")
    # A diff's count ("Would fix 3 errors.") goes to standard error.
    return done.stdout + done.stderr if with_stderr else done.stdout


def record(tree: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in ("violating", "clean"):
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / name
            shutil.copytree(EXAMPLES / name, copy, ignore=shutil.ignore_patterns(".conventions_lint_cache"))
            (out / f"examples-{name}.json").write_text(
                _run(tree, copy, "--output-format", "json", "--exit-zero"), encoding="utf-8"
            )
            (out / f"examples-{name}.diff").write_text(
                _run(tree, copy, "--diff", "--unsafe-fixes", with_stderr=True), encoding="utf-8"
            )
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "corpus"
        shutil.copytree(CORPUS, copy, symlinks=True)
        everything = ("--select", "ALL", "--isolated", "--jobs", "1")
        (out / "corpus.json").write_text(
            _run(tree, copy, *everything, "--output-format", "json", "--exit-zero"), encoding="utf-8"
        )
        (out / "corpus.diff").write_text(
            _run(tree, copy, *everything, "--diff", "--unsafe-fixes", with_stderr=True), encoding="utf-8"
        )


def _findings(path: Path) -> list[str]:
    records = json.loads(path.read_text(encoding="utf-8"))
    # Each run's paths are absolute, under its own directory: keep what follows the directory, in the
    # finding's path and in the edits a fix makes to other files (CL101's reverse side, CL801's import).
    roots = {"corpus", "violating", "clean"}
    keyed = []
    for record in records:
        parts = Path(record.pop("filename")).parts
        start = min(index for index, part in enumerate(parts) if part in roots) + 1
        run_directory = json.dumps(str(Path(*parts[:start])) + os.sep)[1:-1]
        keyed.append(json.dumps({"path": "/".join(parts[start:]), **record}, sort_keys=True).replace(run_directory, ""))
    return sorted(keyed)


def _diff(path: Path) -> str:
    """A recorded diff without the count that standard error adds ("Would fix 3 errors."), which
    one of the baseline's recordings lacks: the diff itself is what must not change."""
    return "".join(line for line in path.open(encoding="utf-8") if not line.startswith("Would fix "))


def compare(before: Path, after: Path) -> bool:
    same = True
    for name in sorted(path.name for path in before.iterdir() if path.suffix in (".json", ".diff")):
        if not (after / name).exists():
            continue
        if name.endswith(".json"):
            old, new = _findings(before / name), _findings(after / name)
            lost, gained = sorted(set(old) - set(new)), sorted(set(new) - set(old))
            verdict = "same" if old == new else f"DIFFERENT: {len(lost)} lost, {len(gained)} new"
            print(f"{name}: {len(old)} findings before, {len(new)} after: {verdict}")
            for line in [*(f"- {item}" for item in lost[:5]), *(f"+ {item}" for item in gained[:5])]:
                print("   ", line[:300])
            same &= old == new
        else:
            old, new = _diff(before / name), _diff(after / name)
            hunks = old.count("\n@@ ") + old.startswith("@@ ")
            print(f"{name}: {len(old.splitlines())} lines, {hunks} hunks: {'same' if old == new else 'DIFFERENT'}")
            same &= old == new
    return same


if __name__ == "__main__":
    command, first, second = sys.argv[1:4]
    if command == "record":
        record(Path(first).resolve(), Path(second))
    else:
        sys.exit(0 if compare(Path(first), Path(second)) else 1)
