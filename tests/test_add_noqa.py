"""`check --add-noqa`: a `# noqa: CODE` for every finding, where the engine looks for it, as ruff writes it."""

from __future__ import annotations

import shutil
import stat
import textwrap
from pathlib import Path

import pytest

from conventions_lint.add_noqa import with_noqa
from conventions_lint.cli import main
from conventions_lint.diagnostic import Diagnostic, point
from tests.helpers import cli_runner, lint

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "violating"
MODEL = "app/models/user.py"
SELECT = ("CL401", "CL003")


def _silenced(source: str, *, path: str = MODEL, select: tuple[str, ...] = SELECT) -> tuple[str, int]:
    """The source after --add-noqa, checked to lint clean: the comments really silence what they were added for."""
    code = textwrap.dedent(source).lstrip("\n")
    diagnostics = lint(code, path=path, select=select)
    assert diagnostics, "the example should have findings"
    changed, added = with_noqa(code.encode(), diagnostics, "utf-8")
    text = changed.decode()
    assert lint(text, path=path, select=select) == []
    assert with_noqa(changed, lint(text, path=path, select=select), "utf-8") == (changed, 0)
    return text, added


def _model(*body: str) -> str:
    return "from sqlalchemy import Column, String\n\n\nclass User(Base):\n    __tablename__ = 'users'\n" + "".join(
        f"    {line}\n" for line in body
    )


def test_a_comment_is_appended_to_the_finding_row() -> None:
    text, added = _silenced(_model("name = Column(String)   ", "email = Column(String(255))"))
    assert added == 1
    assert text.splitlines()[5:] == ["    name = Column(String)  # noqa: CL401", "    email = Column(String(255))"]


def test_several_findings_on_a_row_share_one_sorted_directive() -> None:
    text, added = _silenced(_model("name = Column(String); title = Column(String)"), select=("CL401", "CL105"))
    assert added == 1
    assert text.splitlines()[5] == "    name = Column(String); title = Column(String)  # noqa: CL105, CL401"


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# noqa: E501", "  # noqa: CL401, E501"),
        ("#noqa:E501,W291", "  # noqa: CL401, E501, W291"),
        ("# noqa: E501 -- legacy table", "  # noqa: CL401, E501 -- legacy table"),
        ("# type: ignore  # noqa: E501", "  # type: ignore  # noqa: CL401, E501"),
        ("# noqa: E501  # type: ignore", "  # noqa: CL401, E501  # type: ignore"),
        ("# the legacy table", "  # the legacy table  # noqa: CL401"),
        # A colon without codes is no directive (it suppresses nothing): a real one is added, as ruff does.
        ("# noqa:", "  # noqa:  # noqa: CL401"),
    ],
)
def test_existing_comments_are_kept_and_codes_merged(comment: str, expected: str) -> None:
    text, added = _silenced(_model(f"name = Column(String)  {comment}"))
    assert added == 1
    assert text.splitlines()[5] == "    name = Column(String)" + expected


def test_a_blanket_noqa_is_left_as_it_is() -> None:
    source = b"x = 1  # noqa\n"
    finding = Diagnostic("app/x.py", "CL401", "message", point(1, 1), 1)
    assert with_noqa(source, [finding], "utf-8") == (source, 0)


def test_codes_already_covered_by_a_prefix_are_not_added() -> None:
    source = b"x = 1  # noqa: CL4\n"
    finding = Diagnostic("app/x.py", "CL401", "message", point(1, 1), 1)
    assert with_noqa(source, [finding], "utf-8") == (source, 0)


def test_syntax_errors_and_internal_errors_get_no_comment() -> None:
    source = b"def f(:\n"
    findings = [Diagnostic("app/x.py", code, "message", point(1, 7), 1) for code in ("CL001", "CL002")]
    assert with_noqa(source, findings, "utf-8") == (source, 0)


def test_never_inside_a_multi_line_string_but_on_its_last_row() -> None:
    text, _ = _silenced(
        _model(
            'name = Column(String, doc="""',
            "    # noqa would be text here",
            '""", nullable=True)',
        )
    )
    assert text.splitlines()[5:] == [
        '    name = Column(String, doc="""',
        "        # noqa would be text here",
        '    """, nullable=True)  # noqa: CL401',
    ]


def test_when_the_string_ends_inside_the_statement_the_nearest_row_the_engine_reads_is_used() -> None:
    text, _ = _silenced(_model("name = Column(", '    String, doc="""', "    text", '    """', ")"))
    assert text.splitlines()[5:] == [
        "    name = Column(",
        '        String, doc="""',
        "        text",
        '        """',
        "    )  # noqa: CL401",
    ]


def test_f_strings_over_several_rows_count_as_strings() -> None:
    text, _ = _silenced(_model('name = Column(String, doc=f"""{', '    1}""")'))
    assert text.splitlines()[5:] == ['    name = Column(String, doc=f"""{', '        1}""")  # noqa: CL401']


def test_never_after_a_backslash_continuation() -> None:
    text, _ = _silenced(_model('name = Column(String, doc="a" \\', '    "b")'))
    assert text.splitlines()[5:] == ['    name = Column(String, doc="a" \\', '        "b")  # noqa: CL401']


def test_a_whole_module_finding_in_an_empty_file() -> None:
    text, added = _silenced("", path="app/models/UserModel.py", select=("CL604",))
    assert (text, added) == ("# noqa: CL604\n", 1)


def test_a_whole_module_finding_under_a_multi_line_docstring_goes_where_the_engine_reads_it() -> None:
    text, _ = _silenced('"""The\nmodule."""\nx = 1', path="app/models/UserModel.py", select=("CL604",))
    assert text == '"""The\nmodule."""\n# conventions-lint: noqa: CL604\nx = 1'


def test_line_endings_encoding_and_byte_order_mark_are_kept() -> None:
    source = _model("name = Column(String)  # café").replace("\n", "\r\n")
    for encoded, detected in (
        (source.encode("utf-8"), "utf-8"),
        ("\ufeff".encode() + source.encode("utf-8"), "utf-8-sig"),
        (("# -*- coding: latin-1 -*-\r\n" + source).encode("latin-1"), "iso-8859-1"),
    ):
        encoding = "latin-1" if b"coding" in encoded else "utf-8"
        text = encoded.decode(encoding).removeprefix("\ufeff")
        changed, added = with_noqa(encoded, lint(text, path=MODEL, select=SELECT), detected)
        assert added == 1
        assert changed == encoded.replace("# café".encode(encoding), "# café  # noqa: CL401".encode(encoding))


# End to end, on a copy of the bundled example project.


@pytest.fixture
def example(tmp_path: Path, monkeypatch) -> Path:
    root = tmp_path / "violating"
    shutil.copytree(EXAMPLE, root)
    monkeypatch.chdir(root)
    return root


def _check(*args: str):
    result = cli_runner().invoke(main, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def _sources(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*.py"))}


def test_add_noqa_on_the_example_leaves_only_the_syntax_error(example: Path) -> None:
    before = _sources(example)
    findings = _check("--output-format", "json").stdout.count('"code"')
    result = _check("--add-noqa")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    added = int(result.stderr.split()[1])
    assert result.stderr == f"Added {added} noqa directives.\n"
    assert 0 < added <= findings
    after = _sources(example)
    assert after["app/legacy/broken.py"] == before["app/legacy/broken.py"]
    # Only comments were added or extended: the code on every line is as it was.
    for path, data in after.items():
        old, new = before[path].decode().splitlines(), data.decode().splitlines()
        assert len(old) == len(new)
        for a, b in zip(new, old):
            assert a == b or ("# noqa: " in a and a.startswith(b.split("  # noqa")[0].rstrip())), (path, b, a)

    remaining = _check()
    assert remaining.exit_code == 1
    assert remaining.stdout == "app/legacy/broken.py:2:13: CL001 SyntaxError: invalid syntax\nFound 1 error.\n"

    again = _check("--add-noqa")
    assert (again.exit_code, again.stderr) == (0, "Added 0 noqa directives.\n")
    assert _sources(example) == after


def test_add_noqa_keeps_permission_bits_and_is_quiet_with_quiet(example: Path) -> None:
    model = example / "app" / "models" / "user.py"
    model.chmod(0o640)
    result = _check("--add-noqa", "-q", "app/models/user.py")
    assert (result.exit_code, result.output) == (0, "")
    assert "# noqa: " in model.read_text()
    assert stat.S_IMODE(model.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    "other", [["--fix"], ["--fix-only"], ["--diff"], ["--write-baseline", "b.json"], ["--stdin-filename", "x.py"]]
)
def test_add_noqa_does_not_go_with_fixes_stdin_or_write_baseline(example: Path, other: list[str]) -> None:
    result = _check("--add-noqa", *other)
    assert result.exit_code == 2
    assert result.stderr == f"error: --add-noqa cannot be used with {other[0]}\n"


def test_add_noqa_never_fixes_even_when_the_configuration_says_fix(example: Path) -> None:
    (example / "pyproject.toml").write_text("[tool.conventions-lint]\nfix = true\nunsafe-fixes = true\n")
    _check("--add-noqa")
    assert "relationship(User)  # noqa: CL102" in (example / "app" / "models" / "posts.py").read_text()


def test_a_file_that_cannot_be_written_is_reported(example: Path, monkeypatch) -> None:
    def refuse(path, original, fixed):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("conventions_lint.add_noqa.write_fixed", refuse)
    result = _check("--add-noqa", "app/models/user.py")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: app/models/user.py: cannot write the file: Permission denied\nAdded 0 noqa directives.\n"
    )
