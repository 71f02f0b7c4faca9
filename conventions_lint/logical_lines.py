"""Where every statement of a file begins, from one scan of its text: no parse, no code generation.

Python's logical lines (line_scan.py) begin statements, decorators and clause headers (`else:`,
`except:`, `case`), in the same order as a preorder walk of LibCST's statements meets them. So the
scan, paired with that walk, says on which line and column each statement's code starts. When the
two counts disagree (a construct the scan reads otherwise), nothing is placed and the caller falls
back on generating code.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst

from conventions_lint.line_scan import NEWLINE, Unreadable, logical_line_starts


@dataclass
class Places:
    """Where code starts, 1-based line and 0-based column, by id of node: `starts` of statements and
    decorators (their leading comment lines included), `headers` of compound statements (the first
    token after their decorators: `def`, `class`, `if`…)."""

    starts: dict[int, tuple[int, int]] = field(default_factory=dict)
    headers: dict[int, tuple[int, int]] = field(default_factory=dict)


def statement_places(module: cst.Module, text: str) -> Places:
    """Every statement LibCST can generate on its own, placed; nothing when the text cannot be paired."""
    try:
        starts = logical_line_starts(text)
    except Unreadable:
        return Places()
    expected = list(_preorder(module.body))
    if len(expected) != len(starts):
        return Places()
    places = Places()
    for (kind, node), (line, column) in zip(expected, _lines_and_columns(text, starts)):
        if node is not None:
            if kind is not _START:
                places.headers[id(node)] = (line, column)
            if kind is not _HEADER:
                places.starts[id(node)] = (line - len(node.leading_lines), column)
                # The first decorator starts where its statement does.
                for first in getattr(node, "decorators", ())[:1]:
                    places.starts[id(first)] = (line - len(first.leading_lines), column)
    return places


def _lines_and_columns(text: str, offsets: list[int]) -> Iterator[tuple[int, int]]:
    """1-based line and 0-based column of each of the ascending `offsets`."""
    if "\r" in text:  # old Mac or Windows line ends: the newline pattern finds them all
        line_starts = [0, *(match.end() for match in NEWLINE.finditer(text))]
        for offset in offsets:
            line = bisect.bisect_right(line_starts, offset)
            yield line, offset - line_starts[line - 1]
        return
    line, previous = 1, 0
    for offset in offsets:
        line += text.count("\n", previous, offset)
        previous = offset
        yield line, offset - (text.rfind("\n", 0, offset) + 1)


_START, _HEADER, _BOTH = "start", "header", "both"
_NOTHING = (_START, None)


def _preorder(statements) -> Iterator[tuple[str, cst.CSTNode | None]]:
    """One item per logical line, in order: the statement, decorator or compound statement's header
    that starts there, or nothing LibCST can generate alone (a clause header)."""
    for statement in statements:
        if type(statement) is cst.SimpleStatementLine:
            yield _START, statement
            continue
        decorators = getattr(statement, "decorators", ())
        if decorators:
            yield _START, statement
            yield from ((_START, decorator) for decorator in decorators[1:])
            yield _HEADER, statement
        else:
            yield _BOTH, statement
        if isinstance(statement, cst.Match):
            for case in statement.cases:
                yield _NOTHING
                yield from _block(case.body)
            continue
        yield from _block(statement.body)
        yield from _clauses(statement)


def _clauses(statement: cst.CSTNode) -> Iterator[tuple[str, cst.CSTNode | None]]:
    """`elif`, `else`, `except` and `finally` clauses: a header line each (an `elif` generated alone
    would read `if`), then their bodies."""
    for handler in getattr(statement, "handlers", ()):
        yield _NOTHING
        yield from _block(handler.body)
    orelse = getattr(statement, "orelse", None)
    if isinstance(orelse, cst.If):
        yield _NOTHING
        yield from _block(orelse.body)
        yield from _clauses(orelse)
    elif orelse is not None:
        yield _NOTHING
        yield from _block(orelse.body)
    final = getattr(statement, "finalbody", None)
    if final is not None:
        yield _NOTHING
        yield from _block(final.body)


def _block(body: cst.BaseSuite) -> Iterator[tuple[str, cst.CSTNode | None]]:
    # A one-line suite (`if x: y = 1`) is on its header's logical line.
    if isinstance(body, cst.IndentedBlock):
        yield from _preorder(body.body)


def nested_statements(statement: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The statements directly in a compound statement's bodies and clauses (an `elif` is one)."""
    if isinstance(statement, cst.Match):
        for case in statement.cases:
            yield from _lines(case.body)
        return
    yield from _lines(statement.body)
    for handler in getattr(statement, "handlers", ()):
        yield from _lines(handler.body)
    orelse = getattr(statement, "orelse", None)
    if isinstance(orelse, cst.If):
        yield orelse
    elif orelse is not None:
        yield from _lines(orelse.body)
    final = getattr(statement, "finalbody", None)
    if final is not None:
        yield from _lines(final.body)


def _lines(body: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    return body.body if isinstance(body, cst.IndentedBlock) else ()
