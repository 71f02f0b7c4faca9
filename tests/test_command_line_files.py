"""Choosing files from the command line as in ruff (ecosystem.md E1): `--exclude`, `--extend-exclude`,
`--per-file-ignores`, `--show-files`, stubs, `-` for standard input, `--stdin-filename` with `--force-exclude`,
and the warning for a run that finds no Python file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.bad_input import check, environment_with_repository, write_file

MODEL = "from sqlalchemy.orm import relationship\n\nauthor = relationship(User)\n"
FIXED = 'from sqlalchemy.orm import relationship\n\nauthor = relationship("User")\n'


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    write_file(tmp_path, "pyproject.toml", '[tool.conventions-lint]\nselect = ["CL102"]\nextend-exclude = ["legacy"]\n')
    for path in ("app/models.py", "legacy/models.py", "generated/models.py", "tests/test_models.py"):
        write_file(tmp_path, path, MODEL)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _codes_by_file(output: str) -> list[str]:
    return [line.split(":")[0] for line in output.splitlines() if ": CL" in line]


def test_extend_exclude_on_the_command_line_adds_to_the_configured_one(project) -> None:
    result = check("--extend-exclude", "generated,tests/*.py")
    assert _codes_by_file(result.stdout) == ["app/models.py"]


def test_exclude_on_the_command_line_replaces_the_configured_one(project) -> None:
    # As in ruff: `--exclude` replaces `exclude` (here the defaults, which leave out build/); `extend-exclude` stays.
    write_file(project, "build/models.py", MODEL)
    result = check("--exclude", "generated")
    assert _codes_by_file(result.stdout) == ["app/models.py", "build/models.py", "tests/test_models.py"]


def test_per_file_ignores_on_the_command_line(project) -> None:
    result = check("--per-file-ignores", "tests/*:CL102", "--extend-per-file-ignores", "generated/*:CL1")
    assert _codes_by_file(result.stdout) == ["app/models.py"]
    write_file(
        project,
        "pyproject.toml",
        '[tool.conventions-lint]\nselect = ["CL102"]\n[tool.conventions-lint.per-file-ignores]\n"app/*" = ["CL102"]\n',
    )
    # --per-file-ignores replaces the configured table, --extend-per-file-ignores adds to it.
    assert "app/models.py" in _codes_by_file(check("--per-file-ignores", "tests/*:CL102").stdout)
    assert "app/models.py" not in _codes_by_file(check("--extend-per-file-ignores", "tests/*:CL102").stdout)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--per-file-ignores", "tests/*", "error: --per-file-ignores: expected PATTERN:CODES"),
        ("--per-file-ignores", "tests/*:CL9Z", "error: --per-file-ignores 'tests/*:CL9Z': unknown rule code 'CL9Z'"),
        ("--extend-exclude", "app/[x", "error: --extend-exclude: unclosed '[' in glob 'app/[x'"),
    ],
)
def test_bad_command_line_globs_and_codes_are_one_line_errors(project, option, value, message) -> None:
    result = check(option, value)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_show_files_lists_what_would_be_linted(project) -> None:
    result = check("--show-files", "--extend-exclude", "tests")
    assert (result.exit_code, result.stdout) == (0, "app/models.py\ngenerated/models.py\n")


def test_stubs_are_skipped_whether_walked_or_named(project) -> None:
    # E1: walking skipped `.pyi`, pre-commit (which names them) linted them: CI and pre-commit disagreed.
    write_file(project, "app/models.pyi", MODEL)
    walked = check("--show-files", "app")
    named = check("--show-files", "app/models.pyi", "app/models.py")
    assert walked.stdout == named.stdout == "app/models.py\n"


def test_a_run_that_finds_no_python_file_warns(project) -> None:
    # E1: `check docs/` printed "All checks passed!" and exited 0 without a word; ruff warns.
    write_file(project, "docs/index.md", "# docs\n")
    result = check("docs")
    assert (result.exit_code, result.stdout) == (0, "All checks passed!\n")
    assert result.stderr == "warning: No Python files found under the given path(s)\n"
    assert check("app").stderr == ""


def _stdin(*args: str, source: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "conventions_lint", "check", "--no-cache", *args],
        input=source,
        capture_output=True,
        text=True,
        env=environment_with_repository(),
        cwd=cwd,
    )


def test_a_dash_reads_standard_input(project) -> None:
    result = _stdin("-", source=MODEL, cwd=project)
    assert (result.returncode, result.stdout.splitlines()[0]) == (
        1,
        '-:3:23: CL102 [*] Pass the class name as a string: `relationship("User")`',
    )
    fixed = _stdin("--fix", "--stdin-filename", "app/other.py", "-", source=MODEL, cwd=project)
    assert (fixed.returncode, fixed.stdout) == (0, FIXED)
    assert _stdin("-", "app", source=MODEL, cwd=project).stderr == (
        "error: `-` (standard input) cannot be given with other paths\n"
    )


@pytest.mark.parametrize("name", ["legacy/models.py", "app/models.pyi"])
def test_stdin_filename_honours_force_exclude_and_hands_the_buffer_back(project, name) -> None:
    # E1: `--stdin-filename` ignored `exclude` even with `--force-exclude`; ruff returns the buffer unchanged, exit 0.
    result = _stdin("--force-exclude", "--fix", "--stdin-filename", name, source=MODEL, cwd=project)
    assert (result.returncode, result.stdout) == (0, MODEL)
    linted = _stdin("--force-exclude", "--stdin-filename", name, source=MODEL, cwd=project)
    assert (linted.returncode, linted.stdout) == (0, "All checks passed!\n")


def test_stdin_filename_without_force_exclude_is_linted(project) -> None:
    result = _stdin("--fix", "--stdin-filename", "legacy/models.py", source=MODEL, cwd=project)
    assert (result.returncode, result.stdout) == (0, FIXED)
