"""An import that only an annotation needs, added by a fix in another file: under `if TYPE_CHECKING:`.

CL101 adds `posts: Mapped[list["Post"]]` to a class whose file may not import
`Post` (ruff's F821). Importing it at run time would often be circular (`post.py`
imports `user.py` already), so it goes under `if TYPE_CHECKING:`, as SQLAlchemy's
documentation does: joined to the file's block when it has one, else in a new one
after its imports, with `from typing import TYPE_CHECKING` in its sorted place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conventions_lint.diagnostic import Edit
from conventions_lint.fixes.base_imports import joined_import
from conventions_lint.fixes.deferred import lines_after
from conventions_lint.fixes.import_order import is_sorted, section, statement_key

if TYPE_CHECKING:
    from conventions_lint.base_module_facts import ImportLineFact
    from conventions_lint.facts import FileFacts


def annotation_import_edits(
    facts: FileFacts, filename: str, module: str, name: str, indent: str, first_party: frozenset[str]
) -> list[Edit]:
    """The edits importing `name` from `module` for annotations only, in the file with these facts
    (`indent`: one level of its indentation, for a new block)."""
    newline, block = facts.newline, facts.type_checking
    edits = []
    if block is None and "TYPE_CHECKING" not in facts.imports:
        edits.append(_typing_import(facts, filename, first_party))
    text = f"from {module} import {name}"
    if block is None:
        new_block = f"{newline}if TYPE_CHECKING:{newline}{indent}{text}{newline}"
        return [*edits, lines_after(facts, facts.import_end_row, new_block, filename)]
    same = next((line for line in block.imports if line.is_from and line.module == module), None)
    joined = joined_import(facts, filename, same, name, block.indent) if same is not None else ()
    if joined:
        return [*joined]
    return [_placed(facts, filename, block.imports, module, block.indent + text, first_party, block.end_row)]


def _typing_import(facts: FileFacts, filename: str, first_party: frozenset[str]) -> Edit:
    lines = facts.import_lines
    typing = next((line for line in lines if line.is_from and line.module == "typing"), None)
    joined = joined_import(facts, filename, typing, "TYPE_CHECKING") if typing is not None else ()
    if joined:
        return joined[0]
    text = "from typing import TYPE_CHECKING"
    return _placed(facts, filename, lines, "typing", text, first_party, facts.import_end_row)


def _placed(
    facts: FileFacts,
    filename: str,
    lines: list[ImportLineFact],
    module: str,
    text: str,
    first_party: frozenset[str],
    fallback_row: int,
) -> Edit:
    """`text` (an import of `module`) in its sorted place among `lines`, in its section, or in a section
    of its own between the others (ruff's I001); after `fallback_row` when they are not sorted."""
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
