"""Fixes the project phase finishes (`Rule.complete_fix`): edits placed from other files' facts.

The project phase never reads or parses a file, so these edits go where the facts
recorded a place: after a file's last import, at the end of its `from module import
...`, after a class's last attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conventions_lint.diagnostic import Edit, Location

if TYPE_CHECKING:
    from conventions_lint.facts import FileFacts


def lines_after(facts: FileFacts, row: int, text: str, filename: str | None) -> Edit:
    """Insert `text` (whole lines, each ending in the file's newline) after `row` (0: at the top)."""
    if row and row == facts.unterminated_row:
        # After a last line without a newline, the lines start with one instead, so the file ends as it did.
        text = facts.newline + text.removesuffix(facts.newline)
    return Edit(Location(row + 1, 1), Location(row + 1, 1), text, filename)


def import_names(facts: FileFacts, module: str, names: Sequence[str], filename: str | None) -> Edit:
    """Import `names` from `module`: joined to the file's `from module import ...`, else on a new
    line after its last import."""
    join = facts.import_joins.get(module)
    if join is None:
        return lines_after(
            facts, facts.import_end_row, f"from {module} import {', '.join(names)}{facts.newline}", filename
        )
    if join.indent is None:
        end = Location(join.row, join.column)
        return Edit(end, end, "".join(f", {name}" for name in names), filename)
    return lines_after(facts, join.row, "".join(f"{join.indent}{name},{facts.newline}" for name in names), filename)


def merged_insertions(edits: Sequence[Edit]) -> list[Edit]:
    """Insertions at one place made one, in this order: the fixing would sort them by their text."""
    merged: list[Edit] = []
    for edit in edits:
        same = next(
            (
                index
                for index, other in enumerate(merged)
                if other.location == other.end_location == edit.location == edit.end_location
            ),
            None,
        )
        if same is None:
            merged.append(edit)
        else:
            merged[same] = Edit(edit.location, edit.location, merged[same].content + edit.content, edit.filename)
    return merged
