"""`# noqa` on a line and `# conventions-lint: noqa` for a file, read and applied."""

from __future__ import annotations

import textwrap

import pytest

from conventions_lint.noqa import Suppressions, find_suppressions
from tests.helpers import found, lint


def _suppressions(source: str) -> Suppressions:
    return find_suppressions(textwrap.dedent(source).lstrip("\n"))


@pytest.mark.parametrize(
    ("comment", "codes"),
    [
        ("# noqa", ()),
        ("#noqa", ()),
        ("# NOQA", ()),
        ("# noqa because the table is legacy", ()),
        ("# noqa: CL101", ("CL101",)),
        ("# noqa:CL101", ("CL101",)),
        ("# noqa : CL101", ("CL101",)),
        ("# noqa: cl101", ("CL101",)),
        ("# noqa: CL101,CL401", ("CL101", "CL401")),
        ("# noqa: CL101, CL401", ("CL101", "CL401")),
        ("# noqa: CL101 CL401", ("CL101", "CL401")),
        ("# noqa: CL101, E501 -- legacy table", ("CL101", "E501")),
        ("# type: ignore[arg-type]  # noqa: CL102", ("CL102",)),
    ],
)
def test_line_directives(comment: str, codes: tuple[str, ...]) -> None:
    suppressions = _suppressions(f"x = 1  {comment}\n")
    assert suppressions.rows == {1: codes}
    assert suppressions.file_codes is None


@pytest.mark.parametrize(
    "comment",
    [
        "# noqa: see ticket 12",  # a colon promises codes; without them nothing is suppressed
        "# noqa:",
        "# noqaCL101",
        "# not noqa",
        "# conventions-lint: noqa: please",
    ],
)
def test_malformed_or_unrelated_comments_suppress_nothing(comment: str) -> None:
    assert _suppressions(f"x = 1  {comment}\n") == Suppressions()


def test_noqa_inside_a_string_is_not_a_comment() -> None:
    assert _suppressions('x = "# noqa"\ny = """\n# noqa\n"""\n') == Suppressions()


def test_rows_are_one_based_and_per_line() -> None:
    suppressions = _suppressions("""
        a = 1
        b = 2  # noqa: CL101
        c = 3  # noqa
    """)
    assert suppressions.rows == {2: ("CL101",), 3: ()}
    assert suppressions.suppresses("CL101", [2])
    assert not suppressions.suppresses("CL102", [2])
    assert not suppressions.suppresses("CL10", [2])  # a code is covered by its prefixes, not the other way
    assert suppressions.suppresses("CL102", [3])
    assert not suppressions.suppresses("CL101", [1])
    assert suppressions.suppresses("CL101", [1, 2])


@pytest.mark.parametrize(
    ("source", "file_codes"),
    [
        ("# conventions-lint: noqa\nx = 1\n", ()),
        ("x = 1\n#conventions-lint:noqa\n", ()),
        ("# Conventions-Lint: NOQA\n", ()),
        ("# conventions-lint: noqa: CL101\n", ("CL101",)),
        ("# conventions-lint: noqa: CL101, CL4\n", ("CL101", "CL4")),
        ("# conventions-lint: noqa: CL101\n# conventions-lint: noqa: CL102\n", ("CL101", "CL102")),
        ("# conventions-lint: noqa: CL101\n# conventions-lint: noqa\n", ()),
        ("# conventions-lint: noqa\n# conventions-lint: noqa: CL101\n", ()),
    ],
)
def test_file_directives(source: str, file_codes: tuple[str, ...]) -> None:
    suppressions = find_suppressions(source)
    assert suppressions.file_codes == file_codes
    assert suppressions.rows == {}


def test_file_directive_suppresses_its_codes_everywhere() -> None:
    suppressions = find_suppressions("# conventions-lint: noqa: CL101, CL6\n")
    assert suppressions.suppresses("CL101", [40])
    assert suppressions.suppresses("CL605", [40])
    assert not suppressions.suppresses("CL102", [40])
    assert find_suppressions("# conventions-lint: noqa\n").suppresses("CL999", [])


def test_round_trip_through_a_dict() -> None:
    suppressions = _suppressions("""
        # conventions-lint: noqa: CL4
        x = 1  # noqa: CL101
        y = 2  # noqa
    """)
    assert Suppressions.from_dict(suppressions.to_dict()) == suppressions


# Through the engine: CL102 reports the class object passed to relationship().
MODEL = """
    from sqlalchemy.orm import relationship


    class Post(Base):
        author = relationship(User){comment}
        editor = relationship({first}
            User,{middle}
        ){last}
        reviewer = relationship("User")  # noqa: CL102
"""


def _findings(header: str = "", comment: str = "", first: str = "", middle: str = "", last: str = "") -> list:
    source = header + textwrap.dedent(MODEL).lstrip("\n").format(comment=comment, first=first, middle=middle, last=last)
    return found(lint(source, select=("CL102",)))


def test_both_findings_without_noqa() -> None:
    assert _findings() == [("CL102", 5, 27), ("CL102", 7, 9)]


@pytest.mark.parametrize(
    "comment", ["  # noqa", "  # noqa: CL102", "  # noqa: CL101,CL102", "  # NOQA:cl102", "  # noqa: CL1"]
)
def test_noqa_on_the_reported_line(comment: str) -> None:
    assert _findings(comment=comment) == [("CL102", 7, 9)]


@pytest.mark.parametrize("comment", ["  # noqa: CL101", "  # noqa: CL2", "  # noqa:", "  # noqa: later"])
def test_noqa_for_other_codes_or_malformed_keeps_the_finding(comment: str) -> None:
    assert _findings(comment=comment) == [("CL102", 5, 27), ("CL102", 7, 9)]


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_noqa_on_the_first_reported_or_last_line_of_a_multi_line_statement(where: str) -> None:
    assert _findings(**{where: "  # noqa: CL102"}) == [("CL102", 5, 27)]


def test_noqa_on_a_neighbouring_statement_does_not_apply() -> None:
    source = textwrap.dedent(MODEL).format(comment="", first="", middle="", last="")
    source = source.replace("class Post(Base):", "class Post(Base):  # noqa")
    assert found(lint(source, select=("CL102",))) == [("CL102", 5, 27), ("CL102", 7, 9)]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("# conventions-lint: noqa\n", []),
        ("# conventions-lint: noqa: CL102\n", []),
        ("# conventions-lint: noqa: CL1\n", []),  # prefixes count, as in flake8
        ("# conventions-lint: noqa: CL101\n", [("CL102", 6, 27), ("CL102", 8, 9)]),
    ],
)
def test_file_level_noqa(header: str, expected: list) -> None:
    assert _findings(header=header) == expected


@pytest.mark.parametrize("source", ["def f(:  # noqa\n", "# conventions-lint: noqa\ndef f(:\n"])
def test_syntax_errors_cannot_be_suppressed(source: str) -> None:
    assert [code for code, _, _ in found(lint(source))] == ["CL001"]
