"""Where every statement of a file begins, from one scan of its text: no parse, no code generation.

Python's logical lines (line_scan.py) begin statements, decorators and clause headers (`else:`,
`except:`, `case`), in the same order as a preorder walk of LibCST's statements meets them. So the
scan, paired with that walk, says on which line and column each statement's code starts. Where the
two disagree (a construct the scan does not follow), they are paired one top-level statement at a
time: a statement the scan cannot read is code-generated, which says where the next one starts.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst

from conventions_lint.line_scan import NEWLINE, Unreadable, first_token, logical_line_starts, logical_lines


@dataclass
class Places:
    """Where code starts, 1-based line and 0-based column, by id of node: `starts` of statements and
    decorators (their leading comment lines included), `headers` of compound statements (the first
    token after their decorators: `def`, `class`, `if`…)."""

    starts: dict[int, tuple[int, int]] = field(default_factory=dict)
    headers: dict[int, tuple[int, int]] = field(default_factory=dict)


def statement_places(module: cst.Module, text: str, generate: Callable[[cst.CSTNode, int], tuple[int, int]]) -> Places:
    """Every statement LibCST can generate on its own, placed. A top-level statement the scan cannot read
    is placed by `generate(statement, line)`, which code-generates it whole from the line its code starts
    on (so places the statements in it) and says where its code ends (line, column)."""
    expected = list(_preorder(module.body))
    try:
        starts = logical_line_starts(text)
    except Unreadable:
        starts = []
    places = Places()
    if len(starts) != len(expected):
        expected, starts = _by_statement(module.body, text, generate, places)
    for (kind, node), (line, column) in zip(expected, _lines_and_columns(text, starts)):
        if node is not None:
            if kind is not _START:
                places.headers[id(node)] = (line, column)
            if kind is not _HEADER:
                places.starts[id(node)] = (line - rows(node.leading_lines), column)
                # The first decorator starts where its statement does.
                for first in getattr(node, "decorators", ())[:1]:
                    places.starts[id(first)] = (line - rows(first.leading_lines), column)
    return places


def rows(lines: Sequence[cst.EmptyLine]) -> int:
    """How many rows blank or comment lines take: one each, and one more for each backslash that
    continues one onto the next."""
    count = len(lines)
    for line in lines:
        if "\\" in line.whitespace.value:
            count += len(NEWLINE.findall(line.whitespace.value))
    return count


def _by_statement(
    statements: Sequence[cst.BaseStatement],
    text: str,
    generate: Callable[[cst.CSTNode, int], tuple[int, int]],
    places: Places,
) -> tuple[list[tuple[str, cst.CSTNode | None]], list[int]]:
    """The logical lines of the top-level statements the scan reads (what each is, where it starts), one
    statement at a time; the others are generated whole, from the row their code starts on, and the
    scan resumes where their code ends."""
    expected: list[tuple[str, cst.CSTNode | None]] = []
    starts: list[int] = []
    position, line_starts = 0, None
    for statement in statements:
        wanted = list(_preorder((statement,)))
        read = _read(text, position, len(wanted))
        if read is not None and _aligned(statement, text, read):
            expected += wanted
            starts += (start for start, _ in read)
            position = read[-1][1]
            continue
        if line_starts is None:
            line_starts = [0, *(match.end() for match in NEWLINE.finditer(text))]
        first = first_token(text, position)
        line = bisect.bisect_right(line_starts, first) - rows(statement.leading_lines)
        places.starts[id(statement)] = (line, 0)
        end_line, end_column = generate(statement, line)
        position = line_starts[end_line - 1] + end_column if end_line <= len(line_starts) else len(text)
    return expected, starts


def _read(text: str, position: int, count: int) -> list[tuple[int, int]] | None:
    """The next `count` logical lines from `position`, if the scan can read them and the text has them."""
    read = []
    try:
        for line in logical_lines(text, start=position):
            read.append(line)
            if len(read) == count:
                return read
    except Unreadable:
        pass
    return None


def _aligned(statement: cst.CSTNode, text: str, read: list[tuple[int, int]]) -> bool:
    """Whether the logical lines read for a top-level statement start at the left margin where it has
    lines of its own (its first, decorators, clause headers) and are indented elsewhere (its body)."""
    at_margin = [start == 0 or text[start - 1] in "\r\n" for start, _ in read]
    return at_margin[0] and sum(at_margin) == _margin_lines(statement)


def _margin_lines(statement: cst.CSTNode) -> int:
    count = len(getattr(statement, "decorators", ())) + 1 + len(getattr(statement, "handlers", ()))
    orelse = getattr(statement, "orelse", None)
    while isinstance(orelse, cst.If):  # `elif`
        count += 1
        orelse = orelse.orelse
    return count + (orelse is not None) + (getattr(statement, "finalbody", None) is not None)


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
