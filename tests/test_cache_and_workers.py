"""The result cache and the worker processes change how fast findings come, never which."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conventions_lint import __version__
from conventions_lint.cli import main
from conventions_lint.config import ConfigResolver
from conventions_lint.runner import FixMode, run
from conventions_lint.settings import Selection
from conventions_lint.workers import Workers
from tests.helpers import cli_runner, count_lints

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    shutil.copytree(
        EXAMPLES / "violating", tmp_path / "violating", ignore=shutil.ignore_patterns(".conventions_lint_cache")
    )
    monkeypatch.chdir(tmp_path / "violating")
    return tmp_path / "violating"


def lint(**options):
    resolver = ConfigResolver(config_file=None, isolated=False, overrides=Selection())
    outcome = run([Path(".")], resolver, **options)
    return [(d.path, d.code, d.location.row, d.location.column, d.message) for d in outcome.diagnostics]


def test_findings_are_the_same_serial_parallel_cold_and_warm(project: Path) -> None:
    serial = lint(jobs=1, use_cache=False)
    assert serial  # the example breaks every convention
    assert lint(jobs=2, use_cache=False) == serial
    assert lint(jobs=2) == serial  # cold: fills the cache
    assert (project / ".conventions_lint_cache" / "results.json").is_file()
    assert lint(jobs=2) == serial  # warm


def test_a_warm_run_parses_nothing_that_did_not_change(project: Path, monkeypatch) -> None:
    lint(jobs=1)
    linted = count_lints(monkeypatch)
    lint(jobs=1)
    assert linted == []
    with (project / "app" / "models" / "user.py").open("a") as handle:
        handle.write("# changed\n")
    lint(jobs=1)
    assert linted == ["app/models/user.py"]


def test_no_cache_writes_no_cache(project: Path) -> None:
    lint(jobs=1, use_cache=False)
    assert not (project / ".conventions_lint_cache").exists()


def test_a_corrupt_or_foreign_cache_is_ignored(project: Path) -> None:
    expected = lint(jobs=1, use_cache=False)
    cache = project / ".conventions_lint_cache" / "results.json"
    cache.parent.mkdir()
    for garbage in (
        "{not json",
        json.dumps({"version": "0.0.0", "entries": {}}),
        json.dumps({"version": __version__, "entries": {"app/models/user.py": 3, "app/main.py": {"key": 1}}}),
        "[]",
    ):
        cache.write_text(garbage)
        assert lint(jobs=1) == expected


def test_entries_of_deleted_files_are_pruned(project: Path) -> None:
    lint(jobs=1)
    (project / "app" / "models" / "posts.py").unlink()
    lint(jobs=1)
    entries = json.loads((project / ".conventions_lint_cache" / "results.json").read_text())["entries"]
    assert "app/models/posts.py" not in entries and "app/models/user.py" in entries


def test_a_save_from_an_editor_leaves_the_other_entries_as_they_were(project: Path) -> None:
    # It prunes nothing (checking every other file of a 2,000-file project cost a save 40 ms); the next run does.
    lint(jobs=1)
    (project / "app" / "models" / "posts.py").unlink()
    _check("--stdin-filename", "app/models/user.py", input=(project / "app/models/user.py").read_text())
    entries = json.loads((project / ".conventions_lint_cache" / "results.json").read_text())["entries"]
    assert "app/models/posts.py" in entries and "app/models/user.py" in entries
    lint(jobs=1)
    entries = json.loads((project / ".conventions_lint_cache" / "results.json").read_text())["entries"]
    assert "app/models/posts.py" not in entries


def test_fixes_with_workers_match_fixes_without(project: Path, tmp_path: Path) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(project, twin)
    lint(jobs=2, fix_mode=FixMode(fix=True, unsafe=True), use_cache=False)
    fixed_in_parallel = {p.relative_to(project): p.read_bytes() for p in sorted(project.rglob("*.py"))}
    os.chdir(twin)
    lint(jobs=1, fix_mode=FixMode(fix=True, unsafe=True), use_cache=False)
    assert {p.relative_to(twin): p.read_bytes() for p in sorted(twin.rglob("*.py"))} == fixed_in_parallel


def _check(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    result = cli_runner().invoke(main, ["check", *args], input=input, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def test_cache_dir_from_the_command_line_or_the_environment(project: Path, tmp_path: Path, monkeypatch) -> None:
    # As ruff's --cache-dir and RUFF_CACHE_DIR: the `cache-dir` setting had no command-line form.
    shared = tmp_path / "caches"
    expected = _check("--no-cache", ".").stdout
    assert _check("--cache-dir", str(shared), ".").stdout == expected
    assert not (project / ".conventions_lint_cache").exists()
    linted = count_lints(monkeypatch)
    assert _check(".", env={"CONVENTIONS_LINT_CACHE_DIR": str(shared)}).stdout == expected
    assert linted == []
    assert not (project / ".conventions_lint_cache").exists()
    # A directory outside the project may serve several projects: each has a file of its own there.
    twin = tmp_path / "twin"
    shutil.copytree(project, twin)
    monkeypatch.chdir(twin)
    _check("--cache-dir", str(shared), ".")
    assert len(list(shared.glob("results-*.json"))) == 2


def test_a_buffer_whose_file_is_not_on_disk_hits_the_cache(project: Path, monkeypatch) -> None:
    # ecosystem.md E4: its entry was pruned as a vanished file's when the cache was written, so every save linted
    # the new file afresh.
    source = (project / "app/models/posts.py").read_text()
    first = _check("--stdin-filename", "app/models/draft.py", input=source)
    linted = count_lints(monkeypatch)
    again = _check("--stdin-filename", "app/models/draft.py", input=source)
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert linted == []
    # A later run that does not lint it prunes it.
    _check("app/models/posts.py")
    entries = json.loads((project / ".conventions_lint_cache" / "results.json").read_text())["entries"]
    assert "app/models/draft.py" not in entries and "app/models/posts.py" in entries


def _square(task: int) -> int:
    return task * task


def test_workers_hand_results_back_in_the_order_of_the_items_though_the_biggest_go_first() -> None:
    items = list(range(200))
    made: list[int] = []

    def task(item: int) -> int:
        made.append(item)
        return item + 1

    pool = Workers(2)
    try:
        assert pool.map(_square, items, size=lambda item: item, make_task=task) == [(i + 1) * (i + 1) for i in items]
    finally:
        pool.close()
    assert made == items[::-1]  # made as handed out: the biggest first
