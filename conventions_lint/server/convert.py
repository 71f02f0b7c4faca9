"""From the engine's findings and fixes (1-based rows, code point columns) to LSP's (0-based, the client's units)."""

from __future__ import annotations

import tokenize
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path
from pygls.workspace import PositionCodec

from conventions_lint.diagnostic import Diagnostic, Location
from conventions_lint.engine import INTERNAL_ERROR, SYNTAX_ERROR
from conventions_lint.fixes.text import split_lines
from conventions_lint.noqa import UNUSED_NOQA

SOURCE = "conventions-lint"
# Findings about APIs their libraries deprecated: editors strike them through.
DEPRECATED = frozenset({"CL105", "CL404", "CL505"})


def lsp_range(codec: PositionCodec, lines: list[str], start: Location, end: Location) -> types.Range:
    zero_based = types.Range(
        types.Position(max(start.row - 1, 0), max(start.column - 1, 0)),
        types.Position(max(end.row - 1, 0), max(end.column - 1, 0)),
    )
    return codec.range_to_client_units(lines, zero_based)


def lsp_diagnostic(
    codec: PositionCodec, lines: list[str], finding: Diagnostic, url: str | None = None
) -> types.Diagnostic:
    """`url`: the rule's documentation page, where one is published (see options.py)."""
    serious = finding.code in (SYNTAX_ERROR, INTERNAL_ERROR)
    tags = (
        [types.DiagnosticTag.Unnecessary]
        if finding.code == UNUSED_NOQA
        else [types.DiagnosticTag.Deprecated]
        if finding.code in DEPRECATED
        else None
    )
    return types.Diagnostic(
        range=lsp_range(codec, lines, finding.span.start, finding.span.end),
        severity=types.DiagnosticSeverity.Error if serious else types.DiagnosticSeverity.Warning,
        code=finding.code,
        code_description=types.CodeDescription(href=url) if url else None,
        source=SOURCE,
        message=finding.message,
        tags=tags,
    )


def fix_edit(
    codec: PositionCodec, uri: str, lines: list[str], finding: Diagnostic, folder: Path | None
) -> types.WorkspaceEdit | None:
    """The fix's edits; those in another file (the project phase's) against that file as it is on disk."""
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in finding.fix.edits:
        target, target_lines = uri, lines
        if edit.filename is not None:
            # Shown paths are relative to the workspace folder.
            other = Path(edit.filename) if folder is None else folder / edit.filename
            try:
                with tokenize.open(other) as handle:
                    target, target_lines = from_fs_path(str(other)), split_lines(handle.read())
            except (OSError, SyntaxError, UnicodeDecodeError):
                return None
        changes.setdefault(target, []).append(
            types.TextEdit(
                range=lsp_range(codec, target_lines, edit.location, edit.end_location), new_text=edit.content
            )
        )
    return types.WorkspaceEdit(changes=changes)


def text_edits(codec: PositionCodec, old: str, new: str) -> list[types.TextEdit]:
    """`old` made `new` by one edit of the lines that differ, so that an editor keeps its marks and cursor
    on the lines around (a whole-document replacement would move them all)."""
    if old == new:
        return []
    before, after = split_lines(old), split_lines(new)
    first = 0
    while first < min(len(before), len(after)) and before[first] == after[first]:
        first += 1
    last_before, last_after = len(before), len(after)
    while last_before > first and last_after > first and before[last_before - 1] == after[last_after - 1]:
        last_before, last_after = last_before - 1, last_after - 1
    start = types.Position(first, 0)
    if not before or last_before < len(before) or before[-1].endswith(("\n", "\r")):
        end = types.Position(last_before, 0)
    else:  # through the end of a last line without a newline
        end = types.Position(last_before - 1, codec.client_num_units(before[-1]))
    return [types.TextEdit(range=types.Range(start, end), new_text="".join(after[first:last_after]))]
