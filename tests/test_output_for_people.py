"""Output as a ruff user expects it (ecosystem.md E2): colour on a terminal (NO_COLOR, FORCE_COLOR, --color),
one form for every path in JSON, summaries that are true on standard input, no doubled lines, whole help texts."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bad_input import check, environment_with_repository, write_file

RELATIONSHIP = "from sqlalchemy.orm import relationship\n\nauthor = relationship(User)\n"
FINDING = 'app/models.py:3:23: CL102 [*] Pass the class name as a string: `relationship("User")`'
BOLD, CYAN, RED_BOLD, RESET = "\x1b[1m", "\x1b[36m", "\x1b[31m\x1b[1m", "\x1b[0m"
COLOURED = (
    f"{BOLD}app/models.py{RESET}{CYAN}:{RESET}3{CYAN}:{RESET}23{CYAN}:{RESET} {RED_BOLD}CL102{RESET} "
    f'{CYAN}[*]{RESET} Pass the class name as a string: `relationship("User")`'
)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    write_file(tmp_path, "pyproject.toml", '[tool.conventions-lint]\nselect = ["CL102", "CL801"]\n')
    write_file(tmp_path, "app/models.py", RELATIONSHIP)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None, source: str | None = None):
    environment = {key: value for key, value in environment_with_repository().items() if "COLOR" not in key}
    return subprocess.run(
        [sys.executable, "-m", "conventions_lint", *args],
        input=source,
        capture_output=True,
        text=True,
        env={**environment, **(env or {})},
        cwd=cwd,
    )


def _on_a_terminal(*args: str, cwd: Path, env: dict[str, str]) -> str:
    """What the command prints on a pseudo-terminal."""
    leader, follower = pty.openpty()
    environment = {key: value for key, value in environment_with_repository().items() if "COLOR" not in key}
    process = subprocess.Popen(
        [sys.executable, "-m", "conventions_lint", *args],
        stdout=follower,
        stderr=follower,
        stdin=subprocess.DEVNULL,
        env={**environment, **env},
        cwd=cwd,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait()
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_a_terminal_gets_colour_as_in_ruff(project) -> None:
    shown = _on_a_terminal("check", "--no-cache", cwd=project, env={})
    assert shown.splitlines()[0] == COLOURED
    assert f"{CYAN}[*]{RESET} 1 fixable with the `--fix` option." in shown


@pytest.mark.parametrize(
    ("env", "option", "coloured"),
    [
        ({"NO_COLOR": "1"}, (), False),
        ({"NO_COLOR": ""}, (), True),  # an empty NO_COLOR means nothing (no-color.org)
        ({"NO_COLOR": "1"}, ("--color", "always"), True),
        ({}, ("--color", "never"), False),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, ("--color", "never"), False),
    ],
)
def test_no_color_and_the_color_option_on_a_terminal(project, env, option, coloured) -> None:
    first = _on_a_terminal("check", "--no-cache", *option, cwd=project, env=env).splitlines()[0]
    assert first == (COLOURED if coloured else FINDING)


def test_a_pipe_gets_no_colour_unless_forced(project) -> None:
    assert _run("check", "--no-cache", cwd=project).stdout.splitlines()[0] == FINDING
    assert _run("check", "--no-cache", cwd=project, env={"FORCE_COLOR": "1"}).stdout.splitlines()[0] == COLOURED
    assert _run("check", "--no-cache", "--color", "always", cwd=project).stdout.splitlines()[0] == COLOURED
    # FORCE_COLOR beats NO_COLOR, as in ruff.
    both = _run("check", "--no-cache", cwd=project, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert both.stdout.splitlines()[0] == COLOURED


def test_formats_for_tools_are_never_coloured(project) -> None:
    result = _run("check", "--no-cache", "--output-format", "json", "--color", "always", cwd=project)
    assert "\x1b" not in result.stdout
    assert json.loads(result.stdout)[0]["code"] == "CL102"


def test_errors_are_coloured_on_a_coloured_stderr(project) -> None:
    result = _run("check", "--no-cache", "missing.py", "--color", "always", cwd=project)
    assert result.stderr == "\x1b[31m\x1b[1merror\x1b[0m: missing.py: no such file or directory\n"


MODEL = """\
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base_class import Base


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author = relationship(User)
"""


def _cross_file_project(root: Path) -> None:
    write_file(root, "db/base.py", "from db.base_class import Base\n")
    write_file(root, "db/base_class.py", "class Base:\n    pass\n")
    write_file(root, "app/models/post.py", MODEL)
    (root / "app/models.py").unlink()


def test_json_paths_are_all_absolute_and_same_file_edits_carry_none(project) -> None:
    # E2: a cross-file edit carried a relative `filename` beside the finding's absolute one.
    _cross_file_project(project)
    result = _run("check", "--no-cache", "--output-format", "json", "..", cwd=project / "app")
    records = {record["code"]: record for record in json.loads(result.stdout)}
    base, post = (str(project / "db/base.py"), str(project / "app/models/post.py"))
    assert records["CL801"]["filename"] == records["CL102"]["filename"] == post
    assert [edit["filename"] for edit in records["CL801"]["fix"]["edits"]] == [base]
    assert ["filename" in edit for edit in records["CL102"]["fix"]["edits"]] == [False]


def test_messages_name_other_files_relative_to_the_working_directory(project) -> None:
    # E2: from a subdirectory the paths in messages were absolute.
    _cross_file_project(project)
    result = _run("check", "--no-cache", "models/post.py", cwd=project / "app")
    assert result.stdout.splitlines()[0] == (
        "models/post.py:6:7: CL801 [*] Import `Post` in `../db/base.py` so Alembic autogenerate sees its table"
    )


def test_the_stdin_summary_counts_only_the_fixes_that_can_apply_to_the_buffer(project) -> None:
    # E2: after `--fix --stdin-filename` the summary still offered the cross-file fixes, which cannot apply.
    _cross_file_project(project)
    source = (project / "app/models/post.py").read_text()
    result = _run("check", "--no-cache", "--fix", "--stdin-filename", "app/models/post.py", cwd=project, source=source)
    assert result.stdout == source.replace("relationship(User)", 'relationship("User")')
    assert result.stderr.splitlines()[-1] == "Found 2 errors (1 fixed, 1 remaining)."
    assert "fixable" not in result.stderr
    linted = _run("check", "--no-cache", "--stdin-filename", "app/models/post.py", cwd=project, source=source)
    assert linted.stdout.splitlines()[-1] == "[*] 1 fixable with the `--fix` option."


def test_fix_only_with_show_fixes_says_fixed_once(project) -> None:
    # E2: `--fix-only --show-fixes` printed "Fixed 1 error." after the listing that says it already.
    result = check("--fix-only", "--show-fixes")
    assert result.stdout == "Fixed 1 error:\n- app/models.py:\n    1 × CL102 (relationship-target-not-string)\n\n"
    write_file(project, "app/models.py", RELATIONSHIP)
    assert check("--fix-only").stdout == "Fixed 1 error.\n"


def test_the_top_level_help_shows_each_commands_description_whole(project) -> None:
    # E2: `--help` cut the `rule` command's description mid-sentence ("(e.g.").
    result = _run("--help", cwd=project, env={"COLUMNS": "80"})
    commands = result.stdout.split("Commands:\n", 1)[1]
    assert "..." not in commands and "(e.g." not in commands
    assert "  rule    Print a rule's documentation (`rule CL101`; every rule's: --all).\n" in commands
    assert "  rules   List every rule: code, name, fix, its safety, on by default or not.\n" in commands
