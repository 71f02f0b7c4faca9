"""Fixes the project phase finishes (`Rule.complete_fix`): edits placed from other files' facts.

The project phase never reads or parses a file, so these edits go where the facts
recorded a place: after a file's last import, at the end of its `from module import
...`, after a class's last attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from conventions_lint.diagnostic import Edit, Location
from conventions_lint.fixes.import_order import is_sorted, section, statement_key

if TYPE_CHECKING:
    from conventions_lint.base_module_facts import ImportLineFact
    from conventions_lint.facts import FileFacts


def lines_after(facts: FileFacts, row: int, text: str, filename: str | None) -> Edit:
    """Insert `text` (whole lines, each ending in the file's newline) after `row` (0: at the top)."""
    if row and row == facts.unterminated_row:
        # After a last line without a newline, the lines start with one instead, so the file ends as it did.
        text = facts.newline + text.removesuffix(facts.newline)
    return Edit(Location(row + 1, 1), Location(row + 1, 1), text, filename)


def import_names(
    facts: FileFacts, module: str, names: Sequence[str], filename: str | None, first_party: frozenset[str] = frozenset()
) -> Edit:
    """Import `names` from `module`: joined to the file's `from module import ...`, else on a new
    line in its sorted place among the file's imports when the facts know them (a model file's),
    else after its last import."""
    join = facts.import_joins.get(module)
    if join is None:
        text = f"from {module} import {', '.join(names)}"
        return sorted_import(facts, filename, facts.import_lines, module, text, first_party, facts.import_end_row)
    if join.indent is None:
        end = Location(join.row, join.column)
        return Edit(end, end, "".join(f", {name}" for name in names), filename)
    return lines_after(facts, join.row, "".join(f"{join.indent}{name},{facts.newline}" for name in names), filename)


def sorted_import(
    facts: FileFacts,
    filename: str | None,
    lines: Sequence[ImportLineFact],
    module: str,
    text: str,
    first_party: frozenset[str],
    fallback_row: int,
) -> Edit:
    """`text` (a `from module import ...` line) in its sorted place among `lines`, in its section, or in
    a section of its own between the others (ruff's I001); after `fallback_row` when they are not sorted."""
    newline = facts.newline
    key = statement_key(module, True, first_party)
    keys = [statement_key(line.module, line.is_from, first_party) for line in lines]
    if not lines or not is_sorted(keys):
        return lines_after(facts, fallback_row, text + newline, filename)
    before = [line for line, other in zip(lines, keys) if other <= key]
    after = [line for line, other in zip(lines, keys) if other > key]
    own = section(module, first_party)
    if before and section(before[-1].module, first_party) == own:
        return lines_after(facts, before[-1].end_row, text + newline, filename)
    if after:
        separated = "" if section(after[0].module, first_party) == own else newline
        return lines_after(facts, after[0].row - 1, text + newline + separated, filename)
    return lines_after(facts, before[-1].end_row, newline + text + newline, filename)
