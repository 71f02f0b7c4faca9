"""LibCST is imported by runs that parse, once, and by no other (conventions_lint/lazy_libcst.py).

Each test runs in a process of its own: this one has imported LibCST already.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    shutil.copytree(
        EXAMPLES / "violating", tmp_path / "violating", ignore=shutil.ignore_patterns(".conventions_lint_cache")
    )
    monkeypatch.chdir(tmp_path / "violating")
    return tmp_path / "violating"


def _imports_of_a_run(*args: str) -> tuple[str, list[str]]:
    """The output of a command-line run and the modules it imported, as `-X importtime` lists
    them (forked workers list theirs too)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "conventions_lint", "check", *args, "."],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    imported = [line.rpartition("|")[2].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    return done.stdout, imported


def test_libcst_is_imported_by_runs_that_parse_and_only_once(project: Path) -> None:
    serial, _ = _imports_of_a_run("--no-cache", "--jobs", "1")
    cold, cold_imports = _imports_of_a_run("--jobs", "2")
    warm, warm_imports = _imports_of_a_run("--jobs", "2")
    assert cold == warm == serial
    # Loaded by the processes that parse: each of the two workers (forked before the run read its files).
    assert cold_imports.count("libcst._nodes.expression") == 2
    # Answered from the cache: nothing to parse, and LibCST is not imported (see lazy_libcst.py).
    assert "conventions_lint.rules" in warm_imports
    assert not [name for name in warm_imports if name.startswith("libcst.")]


def test_once_loaded_it_is_a_plain_module() -> None:
    # CPython looks names up on a subclass of ModuleType far slower, and rules look up node types all the time.
    script = """
import sys, types
from conventions_lint.lazy_libcst import defer_libcst, load_libcst
defer_libcst()
import libcst as cst
assert type(cst) is not types.ModuleType and "libcst._nodes.module" not in sys.modules
load_libcst()
assert type(cst) is types.ModuleType and cst.Name is sys.modules["libcst"].Name
print(cst.parse_module("x = 1\\n").code, end="")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "x = 1\n", "")
