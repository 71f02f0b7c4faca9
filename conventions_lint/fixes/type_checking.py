"""An import that only an annotation needs, added by a fix in another file: under `if TYPE_CHECKING:`.

CL101 adds `posts: Mapped[list["Post"]]` to a class whose file may not import
`Post` (ruff's F821). Importing it at run time would often be circular (`post.py`
imports `user.py` already), so it goes under `if TYPE_CHECKING:`, as SQLAlchemy's
documentation does: joined to the file's block when it has one, else in a new one
after its imports, with `from typing import TYPE_CHECKING` in its sorted place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conventions_lint.diagnostic import Edit, Location
from conventions_lint.fixes.base_imports import joined_import
from conventions_lint.fixes.deferred import lines_after, sorted_import

if TYPE_CHECKING:
    from conventions_lint.facts import FileFacts


def annotation_import_edits(
    facts: FileFacts, filename: str, module: str, name: str, indent: str, first_party: frozenset[str]
) -> list[Edit]:
    """The edits importing `name` from `module` for annotations only, in the file with these facts
    (`indent`: one level of its indentation, for a new block)."""
    block = facts.type_checking
    edits = []
    if block is None and "TYPE_CHECKING" not in facts.imports:
        edits.append(_typing_import(facts, filename, first_party))
    text = f"from {module} import {name}"
    if block is None:
        return [*edits, *_new_block(facts, filename, indent + text)]
    same = next((line for line in block.imports if line.is_from and line.module == module), None)
    joined = joined_import(facts, filename, same, name, block.indent) if same is not None else ()
    if joined:
        return [*joined]
    return [sorted_import(facts, filename, block.imports, module, block.indent + text, first_party, block.end_row)]


def _new_block(facts: FileFacts, filename: str, line: str) -> list[Edit]:
    """`if TYPE_CHECKING:` and `line` after the imports. Between two blank lines (the usual two before a
    class), the block's header and the blank line after it are edits that the fixes adding other
    classes' imports share: one block gets them all, sorted, as the fixing orders insertions by text."""
    newline, row = facts.newline, facts.import_end_row + 1
    if facts.blank_lines_after_imports < 2:
        return [
            lines_after(facts, facts.import_end_row, f"{newline}if TYPE_CHECKING:{newline}{line}{newline}", filename)
        ]
    header = Edit(Location(row, 1), Location(row + 1, 1), f"{newline}if TYPE_CHECKING:{newline}", filename)
    added = Edit(Location(row + 1, 1), Location(row + 1, 1), line + newline, filename)
    after = Edit(Location(row + 1, 1), Location(row + 2, 1), newline * 2, filename)
    return [header, added, after]


def _typing_import(facts: FileFacts, filename: str, first_party: frozenset[str]) -> Edit:
    lines = facts.import_lines
    typing = next((line for line in lines if line.is_from and line.module == "typing"), None)
    joined = joined_import(facts, filename, typing, "TYPE_CHECKING") if typing is not None else ()
    if joined:
        return joined[0]
    text = "from typing import TYPE_CHECKING"
    return sorted_import(facts, filename, lines, "typing", text, first_party, facts.import_end_row)
