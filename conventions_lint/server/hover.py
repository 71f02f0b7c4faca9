"""Hover: a rule's documentation (what `conventions-lint rule CODE` prints) over its finding or its code
in a `# noqa: CODES` comment; a prefix there (`CL6`) lists the rules it covers."""

from __future__ import annotations

import re

from lsprotocol import types

from conventions_lint.diagnostic import Diagnostic
from conventions_lint.fixes.text import split_lines
from conventions_lint.noqa import find_suppressions
from conventions_lint.registry import ALL_RULES, RULES_BY_CODE
from conventions_lint.server.convert import lsp_range
from conventions_lint.server.features import ConventionsLintServer

_CODE = re.compile(r"[A-Za-z]+[0-9]+")


async def hover(ls: ConventionsLintServer, params: types.HoverParams) -> types.Hover | None:
    document = await ls.settled(params.text_document.uri)
    if document.text is None:
        return None
    codec, lines = ls.workspace.position_codec, split_lines(document.text)
    # 1-based row, code point column: the engine's.
    position = codec.position_from_client_units(lines, params.position)
    row, column = position.line + 1, position.character + 1
    in_noqa = _noqa_code_at(document.text, row, column)
    if in_noqa is not None:
        code, start, end = in_noqa
        span = types.Range(types.Position(row - 1, start - 1), types.Position(row - 1, end - 1))
        return _hover(_documentation(code), codec.range_to_client_units(lines, span))
    # On the first line of a finding: one that spans the module (its file name) is not over every line.
    here = [
        finding
        for finding in document.findings
        if finding.span.start.row == row
        and finding.span.start.column <= column
        and (finding.span.end.row > row or column <= finding.span.end.column)
    ]
    if not here:
        return None
    # The innermost finding: a module's (its file name) spans the module, a column's the column.
    first = min(here, key=_extent)
    codes = list(dict.fromkeys(finding.code for finding in here if finding.span == first.span))
    return _hover(
        "\n---\n\n".join(_documentation(code) for code in codes),
        lsp_range(codec, lines, first.span.start, first.span.end),
    )


def _extent(finding: Diagnostic) -> tuple[int, int]:
    start, end = finding.span.start, finding.span.end
    return end.row - start.row, end.column - start.column


def _hover(markdown: str, where: types.Range) -> types.Hover:
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown), range=where)


def _noqa_code_at(text: str, row: int, column: int) -> tuple[str, int, int] | None:
    """The code of a `# noqa` directive under (row, column), and its 1-based columns."""
    directive = find_suppressions(text).directives.get(row)
    if directive is None or not directive.start <= column < directive.end:
        return None
    line = split_lines(text)[row - 1]
    for match in _CODE.finditer(line, directive.start - 1, directive.end - 1):
        if match.start() + 1 <= column <= match.end():
            return match.group().upper(), match.start() + 1, match.end() + 1
    return None


def _documentation(code: str) -> str:
    if code in RULES_BY_CODE:
        return RULES_BY_CODE[code].documentation()
    covered = [rule for rule in ALL_RULES if rule.code.startswith(code)]
    if not covered:
        return f"`{code}`: no conventions-lint rule has this code (`conventions-lint rules` lists them)."
    listed = "\n".join(f"- `{rule.code}` {rule.name}" for rule in covered)
    return f"`{code}` covers {len(covered)} rules:\n\n{listed}\n"
