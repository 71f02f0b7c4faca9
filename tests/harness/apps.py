"""Fix a copy of an app and run it for real, before and after: the harness of issue 14.

Each state of the project is probed in a fresh interpreter (probe.py): its
modules import, its mappers configure, each FastAPI app's OpenAPI schema builds,
with a summary of every relationship, column and operation; and ruff's F and I
rules are run over it. A fix is judged the way a user judges it: by whether the
app still works, and whether ruff finds something new in the fixed code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from conventions_lint.cli import main
from tests.helpers import cli_runner, dedent_source

PROBE = Path(__file__).with_name("probe.py")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True)
class AppUnderTest:
    """A project to fix: a bundled example (`examples/<name>`) or files written for one field report."""

    name: str
    # The environment its settings read, beside DATABASE_URL: a SQLite file, through aiosqlite unless `sync_url`.
    env: tuple[tuple[str, str], ...] = ()
    files: tuple[tuple[str, str], ...] = ()
    sync_url: bool = True
    # Options of `conventions-lint check`, beside --fix (a field report's app selects its rules).
    options: tuple[str, ...] = ()

    def copy_to(self, directory: Path) -> Path:
        root = directory / self.name
        if self.files:
            for path, code in self.files:
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                (root / path).write_text(dedent_source(code))
        else:
            shutil.copytree(EXAMPLES / self.name, root, ignore=shutil.ignore_patterns(".conventions_lint_cache"))
        return root


@dataclass
class State:
    """What one state of a project does, as probe.py reports it, and what ruff finds in it."""

    report: dict
    ruff: Counter = field(default_factory=Counter)
    # The files `ruff format` would change.
    unformatted: frozenset[str] = frozenset()

    @property
    def broken_imports(self) -> dict[str, str]:
        return {name: error for name, error in self.report["imports"].items() if error != "ok"}

    def failures(self) -> list[str]:
        """What does not work: modules that do not import, mappers that do not configure, schemas that do not build."""
        problems = [f"import {name}: {error}" for name, error in self.broken_imports.items()]
        if self.report["configure"] != "ok":
            problems.append(f"configure_mappers(): {self.report['configure']}")
        problems += [f"{app}.openapi(): {error}" for app, error in self.report["openapi"].items() if error != "ok"]
        return problems

    def failed_calls(self) -> dict[str, object]:
        return {
            f"{app} {route}": status
            for app, calls in self.report.get("calls", {}).items()
            for route, status in calls.items()
            if not isinstance(status, int) or status >= 500
        }


def probe(root: Path, app: AppUnderTest, *, client: bool) -> State:
    database = root.parent / f"{root.name}.db"
    database.unlink(missing_ok=True)
    driver = "sqlite" if app.sync_url else "sqlite+aiosqlite"
    env = {**os.environ, "DATABASE_URL": f"{driver}:///{database}", **dict(app.env)}
    env.pop("PYTHONPATH", None)
    command = [sys.executable, str(PROBE), str(root), *(["--client"] if client else [])]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return State(json.loads(done.stdout), _ruff(root), _unformatted(root))


def _ruff(root: Path) -> Counter:
    """ruff's F and I findings, counted by file and code and message (rows move when fixes add lines)."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F,I", "--output-format", "json", "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    findings = json.loads(done.stdout)
    return Counter(
        (Path(f["filename"]).relative_to(root).as_posix(), f["code"], f["message"]) for f in findings if f["code"]
    )


def _unformatted(root: Path) -> frozenset[str]:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--isolated", "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    prefix = "Would reformat: "
    return frozenset(line.removeprefix(prefix) for line in done.stdout.splitlines() if line.startswith(prefix))


def fix(root: Path, app: AppUnderTest, *, unsafe: bool) -> str:
    """Run `conventions-lint check --fix` on the project, as its user would; returns the output."""
    previous = os.getcwd()
    os.chdir(root)
    try:
        arguments = ["check", "--fix", "--no-cache", "--exit-zero", *app.options]
        result = cli_runner().invoke(main, [*arguments, *(["--unsafe-fixes"] if unsafe else []), "."])
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    return result.output


def new_ruff_findings(before: State, after: State) -> list[tuple[str, str, str]]:
    """ruff's new F and I findings, and a file `ruff format` would now change that it left alone before."""
    unformatted = [(path, "format", "would reformat") for path in sorted(after.unformatted - before.unformatted)]
    return sorted((after.ruff - before.ruff).elements()) + unformatted


def changed(before: dict, after: dict) -> dict[str, tuple]:
    """The entries of two summaries that differ, key by key."""
    return {
        key: (before.get(key), after.get(key))
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    }
