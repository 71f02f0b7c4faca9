"""CL801's edits: a model's import added to `db/base.py` where it works and ruff finds nothing new.

Beside the model imports already there (after `class Base` when they follow it: above
it, the import would be circular), in their sorted place (I001), with their comment
(`# noqa: F401,E402`) and, when they are listed in `__all__`, listed there too (F401).
A model imported from a module already imported joins that line, its names sorted.
Without model imports, the line goes after the file's imports, or, when the file
defines classes or functions a model may import, at its end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conventions_lint.diagnostic import Edit, Location
from conventions_lint.fixes.deferred import lines_after
from conventions_lint.fixes.import_order import is_sorted, name_key, statement_key

if TYPE_CHECKING:
    from conventions_lint.base_module_facts import BaseModuleFact, ImportLineFact
    from conventions_lint.facts import FileFacts


def base_import_edits(
    facts: FileFacts, filename: str | None, module: str, name: str, models: set[str], first_party: frozenset[str]
) -> tuple[Edit, ...]:
    """The edits importing `name` from `module` in the db-base file with these facts. The imports beside
    which the new one goes are those of `models` (the modules that define mapped classes) and of the
    module's own package (`app.models`)."""
    base = facts.base_module
    newline = facts.newline
    if base is None:
        return ()
    joined = next((line for line in base.imports if line.is_from and line.module == module), None)
    if joined is not None:
        return joined_import(facts, filename, joined, name)
    package = module.rpartition(".")[0]
    neighbours = [line for line in base.imports if line.module in models or line.module.rpartition(".")[0] == package]
    block = _block(base, neighbours)
    text = f"from {module} import {name}"
    if not block:
        if base.defines_code:
            # After the definitions a model module may import from here: a bottom import, as the neighbours are.
            return (lines_after(facts, base.last_row, f"{text}  # noqa: E402, F401{newline}", filename),)
        return (lines_after(facts, facts.import_end_row, text + newline, filename),)
    comments = {line.comment for line in neighbours if line.block == block[0].block}
    comment = comments.pop() if len(comments) == 1 else None
    line_text = f"{text}  {comment}{newline}" if comment else text + newline
    edits = [_placed(facts, filename, block, module, first_party, line_text)]
    exported = base.exports
    if exported is not None and all(
        bound in exported.items for line in neighbours for bound in line.names if line.block == block[0].block
    ):
        edits.append(_exported(facts, filename, name))
    return tuple(edits)


def _block(base: BaseModuleFact, neighbours: list[ImportLineFact]) -> list[ImportLineFact]:
    """The import block of the last model import; without one, the last block when nothing follows it."""
    if neighbours:
        number = neighbours[-1].block
    elif base.imports and not base.defines_code:
        number = base.imports[-1].block
    else:
        return []
    return [line for line in base.imports if line.block == number]


def _placed(
    facts: FileFacts,
    filename: str | None,
    block: list[ImportLineFact],
    module: str,
    first_party: frozenset[str],
    text: str,
) -> Edit:
    """The new line in its sorted place in the block (when the block is sorted), else after it."""
    key = statement_key(module, True, first_party)
    keys = [statement_key(line.module, line.is_from, first_party) for line in block]
    if is_sorted(keys):
        later = next((line for line, existing in zip(block, keys) if key < existing), None)
        if later is not None:
            return lines_after(facts, later.row - 1, text, filename)
    return lines_after(facts, block[-1].end_row, text, filename)


def joined_import(
    facts: FileFacts, filename: str | None, line: ImportLineFact, name: str, indent: str = ""
) -> tuple[Edit, ...]:
    """`name` joined to `from module import ...` (a top-level line, or one `indent`ed in a block): the line
    written anew with its names sorted, when it is one plain line; else after its last name (ruff sorts
    the names of a line it can read), at the top level."""
    if not line.plain:
        join = facts.import_joins.get(line.module) if not indent else None
        if join is None:
            return ()
        end = Location(join.row, join.column)
        return (Edit(end, end, f", {name}", filename),)
    names = [*line.names, name]
    if is_sorted([name_key(existing) for existing in line.names]):
        names.sort(key=name_key)
    comment = f"  {line.comment}" if line.comment else ""
    text = f"{indent}from {line.module} import {', '.join(names)}{comment}{facts.newline}"
    start, end = Location(line.row, 1), Location(line.end_row + 1, 1)
    if line.end_row == facts.unterminated_row:
        return (Edit(start, Location(line.end_row, 10**6), text.removesuffix(facts.newline), filename),)
    return (Edit(start, end, text, filename),)


def _exported(facts: FileFacts, filename: str | None, name: str) -> Edit:
    exported = facts.base_module.exports
    if exported.indent is None:
        end = Location(exported.row, exported.column)
        return Edit(end, end, f', "{name}"', filename)
    return lines_after(facts, exported.row, f'{exported.indent}"{name}",{facts.newline}', filename)
