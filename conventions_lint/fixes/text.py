"""Text edits on source: line splitting as Python counts lines, and applying edits."""

from __future__ import annotations

import re
from collections.abc import Sequence

from conventions_lint.diagnostic import Edit, Location

# Python (and LibCST) end lines at \r\n, \r and \n only; str.splitlines also splits at \f, \v, ….
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each keeping its line ending."""
    return _LINE.findall(text)


def line_insertion(row: int, text: str, lines: Sequence[str], newline: str) -> Edit:
    """Insert whole lines before `row`. At the end of a file without a final newline the
    newline goes first, so the file still ends the way it did."""
    if row > len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        end = Location(len(lines), len(lines[-1]) + 1)
        return Edit(end, end, newline + text.removesuffix(newline))
    return Edit(Location(row, 1), Location(row, 1), text)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits (of this file) to `text`."""
    starts = [0]
    for line in split_lines(text):
        starts.append(starts[-1] + len(line))

    def offset(location: Location) -> int:
        return min(starts[min(location.row, len(starts)) - 1] + location.column - 1, len(text))

    pieces, cursor = [], 0
    for edit in sorted(edits):
        start, end = offset(edit.location), offset(edit.end_location)
        pieces.append(text[cursor:start])
        pieces.append(edit.content)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
