"""Syntax newer than the interpreter running the linter (field report cross-file.md X10): judged by the
project's Python (`target-version`, else `requires-python`), which LibCST's parser reads, never by the
host interpreter alone. Newer than the host here means 3.12 syntax on 3.11; on a newer host the same
files simply parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from conventions_lint.cli import main
from conventions_lint.config import ConfigError, read_section, settings_from_section
from conventions_lint.source import judged_by_host, parses
from tests.bad_input import check
from tests.helpers import cli_runner

MODEL_WITH_NEW_SYNTAX = """\
from sqlalchemy import Column, String

from app.db.base_class import Base

type UserId = int


def first[T](xs: list[T]) -> T:
    return xs[0]


class User(Base):
    __tablename__ = "users"
    label = f"{"nested"}"
    name = Column(String)
"""
# Past ~3,300 operators a file is judged before it is parsed (LibCST's parser crashes on deep nesting).
LONG_MODEL = MODEL_WITH_NEW_SYNTAX + "".join(f"    alias_{i} = models.user.name.label\n" for i in range(1200))


def _project(root: Path, pyproject: str, source: str) -> None:
    (root / "pyproject.toml").write_text(pyproject)
    (root / "app" / "models").mkdir(parents=True)
    (root / "app" / "models" / "user.py").write_text(source)


REQUIRES = '[project]\nname = "x"\nrequires-python = ">=3.12"\n\n[tool.conventions-lint]\nselect = ["CL001", "CL401"]\n'
TARGET = '[tool.conventions-lint]\nselect = ["CL001", "CL401"]\ntarget-version = "py312"\n'


@pytest.mark.parametrize("pyproject", [REQUIRES, TARGET], ids=["requires-python", "target-version"])
@pytest.mark.parametrize("source", [MODEL_WITH_NEW_SYNTAX, LONG_MODEL], ids=["short", "past 3,300 operators"])
def test_3_12_syntax_is_no_syntax_error_and_findings_are_placed(
    tmp_path: Path, monkeypatch, pyproject: str, source: str
) -> None:
    _project(tmp_path, pyproject, source)
    monkeypatch.chdir(tmp_path)
    result = check("--output-format", "concise", ".")
    assert result.output.splitlines()[:2] == [
        "app/models/user.py:15:19: CL401 Give `String` a length: `String(255)`",
        "Found 1 error.",
    ]


@pytest.mark.parametrize("source", [MODEL_WITH_NEW_SYNTAX, LONG_MODEL], ids=["short", "past 3,300 operators"])
def test_fixes_in_a_file_with_3_12_syntax_are_applied(tmp_path: Path, monkeypatch, source: str) -> None:
    _project(tmp_path, REQUIRES, source)
    monkeypatch.chdir(tmp_path)
    result = check("--fix", "--unsafe-fixes", ".")
    assert result.exit_code == 0, result.output
    assert "invalid code" not in result.output
    fixed = (tmp_path / "app" / "models" / "user.py").read_text()
    assert fixed == source.replace("Column(String)", "Column(String(255))")


def test_a_file_no_rule_looks_at_is_judged_by_the_projects_python(tmp_path: Path, monkeypatch) -> None:
    _project(tmp_path, REQUIRES, "")
    (tmp_path / "app" / "types.py").write_text("type Pair[T] = tuple[T, T]\nmessage = f'{'quoted'}'\n")
    monkeypatch.chdir(tmp_path)
    assert check("app/types.py").exit_code == 0


def test_fixed_code_is_valid_for_the_projects_python() -> None:
    assert parses(b"type UserId = int\n", (3, 12))
    assert not parses(b"type UserId = \n", (3, 12))


def test_the_host_judges_only_what_it_can_read() -> None:
    assert judged_by_host(None)
    assert judged_by_host((3, 8))
    assert not judged_by_host((3, 99))


@pytest.mark.parametrize(
    ("requires", "expected"),
    [
        (">=3.12", (3, 12)),
        ("~=3.11", (3, 11)),
        (">=3.10, <4", (3, 10)),
        ("==3.13.*", (3, 13)),
        ("<3.13", None),
    ],
)
def test_requires_python_gives_the_target(tmp_path: Path, requires: str, expected) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f'[project]\nrequires-python = "{requires}"\n\n[tool.conventions-lint]\n')
    assert settings_from_section(read_section(path), tmp_path, "t").target_version == expected


def test_target_version_wins_over_requires_python_and_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nrequires-python = ">=3.10"\n\n[tool.conventions-lint]\ntarget-version = "py313"\n')
    assert settings_from_section(read_section(path), tmp_path, "t").target_version == (3, 13)
    with pytest.raises(ConfigError, match="target-version"):
        settings_from_section({"target-version": "3.12"}, tmp_path, "t")


def test_on_save_fixes_a_buffer_with_3_12_syntax(tmp_path: Path, monkeypatch) -> None:
    _project(tmp_path, REQUIRES, MODEL_WITH_NEW_SYNTAX)
    monkeypatch.chdir(tmp_path)
    arguments = ["check", "--no-cache", "--fix", "--unsafe-fixes", "--quiet", "--stdin-filename", "app/models/user.py"]
    result = cli_runner().invoke(main, arguments, input=MODEL_WITH_NEW_SYNTAX)
    assert result.exit_code == 0, result.output
    assert result.stdout == MODEL_WITH_NEW_SYNTAX.replace("Column(String)", "Column(String(255))")
