"""Imports a fix needs: reuse what the file binds, else add the import once, beside its kin.

`sa.String` when the file has `import sqlalchemy as sa`; `String` added to an
existing `from sqlalchemy import Column` line; otherwise a new line after the
file's last top-level import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

import libcst as cst

from conventions_lint.diagnostic import Edit, Span
from conventions_lint.fixes.import_order import is_sorted, name_position, statement_key
from conventions_lint.fixes.text import line_insertion
from conventions_lint.names import ImportMap, dotted_name
from conventions_lint.recognize.syntax import is_docstring


@dataclass(frozen=True)
class ImportPlan:
    module: str
    # None: `import module`; else the names of `from module import ...`.
    names: tuple[str, ...] | None
    # The `from module import ...` node the names are added to, or None for a new line.
    merge_into: cst.ImportFrom | None
    # The statement the new line goes after (before it, when `before`); None: the end of the file.
    place: cst.CSTNode | None = None
    before: bool = False
    # Blank lines opening a new section of the import block, or separating the imports from the code.
    blank_before: int = 0
    blank_after: int = 0
    # Its place in a sorted import block (`statement_key`).
    key: tuple = ()
    # `import module as alias`, when a name in scope hides the module's own.
    alias: str | None = None

    @property
    def line(self) -> str:
        if self.names is None:
            return f"import {self.module}" + (f" as {self.alias}" if self.alias else "")
        return f"from {self.module} import {', '.join(self.names)}"


def import_edits(
    plans: Iterable[ImportPlan], span_of: Callable[..., Span], lines: list[str], newline: str
) -> list[Edit]:
    """The edits of a fix's imports: names joined to existing imports; new lines that share a place
    written as one insertion, sorted, with a blank line between sections."""
    edits, places = [], {}
    for plan in plans:
        if plan.merge_into is not None:
            span = span_of(plan.merge_into)
            code = cst.Module([], default_newline=newline).code_for_node(_with_names(plan.merge_into, plan.names))
            edits.append(Edit(span.start, span.end, code))
        else:
            places.setdefault((id(plan.place), plan.before), []).append(plan)
    for group in places.values():
        group.sort(key=lambda plan: plan.key)
        text = newline * group[0].blank_before
        for previous, plan in zip([None, *group], group):
            if previous is not None and previous.key[:1] != plan.key[:1]:
                text += newline
            text += plan.line + newline
        text += newline * group[-1].blank_after
        place, before = group[0].place, group[0].before
        if place is None:
            row = len(lines) + 1
        elif before:
            row = span_of(place, start_only=True).start.row
        else:
            row = span_of(place).end.row + 1
        edits.append(line_insertion(row, text, lines, newline))
    return edits


def plan_import(
    module_node: cst.Module,
    imports: ImportMap,
    module: str,
    name: str | None,
    pending: ImportPlan | None,
    first_party: frozenset[str] = frozenset(),
    taken: frozenset[str] = frozenset(),
) -> tuple[str | None, ImportPlan | None]:
    """(how to spell it, the import to add or None); the spelling is None when a name is in the way.

    `name=None` asks for a top-level module itself (`uuid`, `pytest`). `taken`: names bound where
    the spelling is used, other than by the file's imports (a class's column `uuid` hides the
    module): no spelling starts with one. A module they hide is imported under another name
    (`import uuid as uuid_`); a name they hide is not imported.
    """
    if name is None:
        if pending is not None:
            return pending.alias or module, None
        # `import pytest as pt` serves: spell it `pt`.
        alias = next(
            (local for local, target in imports.bindings.items() if target == module and local not in taken), None
        )
        if alias is not None:
            return alias, None
        if imports.bindings.get(module, module) != module:
            return None, None  # the file's own `pytest` is not the module: no second one beside it
        free = next(local for local in _aliases(module) if local not in imports.bindings and local not in taken)
        plan = _new_plan(module_node, module, None, first_party)
        return free, plan if free == module else replace(plan, alias=free)
    spelled = bound_spelling(imports.bindings, module, name)
    if spelled is not None and spelled.split(".")[0] not in taken:
        return spelled, None
    if name in imports.bindings or name in taken:
        return None, None
    previous = pending.names if pending is not None and pending.names else ()
    names = previous if name in previous else (*previous, name)
    merge_into = _mergeable_import(module_node, module)
    if merge_into is not None:
        return name, ImportPlan(module, names, merge_into)
    return name, _new_plan(module_node, module, names, first_party)


def _aliases(module: str) -> Iterator[str]:
    """`uuid`, then `uuid_`, `uuid__`, …: the names a module may be imported under."""
    local = module
    while True:
        yield local
        local += "_"


def bound_spelling(bindings: Mapping[str, str], module: str, name: str) -> str | None:
    """How a file's imports already spell `module.name`, or None.

    `from sqlalchemy.types import String` serves where `sqlalchemy.String` is wanted;
    `import sqlalchemy as sa` gives `sa.String` but not `sa.orm.relationship`: importing a
    package does not load its submodules (SQLAlchemy's does not load `orm`).
    """
    package = module.split(".")[0]
    for local, target in bindings.items():
        if target == f"{module}.{name}" or (
            local == name and "." in target and target.split(".")[0] == package and target.rsplit(".", 1)[-1] == name
        ):
            return local
    return next(
        (f"{local}.{name}" for local, target in bindings.items() if target == module and "." not in local), None
    )


def _new_plan(
    module_node: cst.Module, module: str, names: tuple[str, ...] | None, first_party: frozenset[str]
) -> ImportPlan:
    """A new import line: in its sorted place when the file's imports are sorted, else after the last."""
    imports: list[tuple[tuple, cst.SimpleStatementLine]] = []
    docstring = None
    for statement in module_node.body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            break
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        if is_docstring(statement, module_node.body):
            docstring = statement
        key = _statement_key(statement, first_party)
        if key is not None:
            imports.append((key, statement))
    key = statement_key(module, names is not None, first_party)
    if imports:
        return replace(_sorted_plan(module, names, imports, key), key=key)
    if docstring is not None:
        return ImportPlan(module, names, None, docstring, blank_before=1, key=key)
    first = module_node.body[0] if module_node.body else None
    if first is None:
        return ImportPlan(module, names, None, key=key)
    # ruff's isort leaves two blank lines between imports and a definition, one before other code.
    blank = 2 if isinstance(first, (cst.FunctionDef, cst.ClassDef)) else 1
    # A definition's span starts at `def` or `class`: a line put there would split it from its decorators.
    if isinstance(first, (cst.FunctionDef, cst.ClassDef)) and first.decorators:
        first = first.decorators[0]
    return ImportPlan(module, names, None, first, before=True, blank_after=blank, key=key)


def _sorted_plan(
    module: str, names: tuple[str, ...] | None, imports: list[tuple[tuple, cst.SimpleStatementLine]], key: tuple
) -> ImportPlan:
    keys = [existing for existing, _ in imports]
    if not is_sorted(keys):
        return ImportPlan(module, names, None, imports[-1][1])
    same_section = [(existing, statement) for existing, statement in imports if existing[0] == key[0]]
    if same_section:
        later = next((statement for existing, statement in same_section if key < existing), None)
        if later is not None:
            return ImportPlan(module, names, None, later, before=True)
        return ImportPlan(module, names, None, same_section[-1][1])
    earlier = [statement for existing, statement in imports if existing[0] < key[0]]
    if earlier:
        return ImportPlan(module, names, None, earlier[-1], blank_before=1)
    return ImportPlan(module, names, None, imports[0][1], before=True, blank_after=1)


def _statement_key(statement: cst.SimpleStatementLine, first_party: frozenset[str]) -> tuple | None:
    """The sort key of a line holding one import, or None for any other line."""
    if len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Import):
        return statement_key(dotted_name(small.names[0].name) or "", False, first_party)
    if isinstance(small, cst.ImportFrom):
        module = "." * len(small.relative) + (dotted_name(small.module) or "" if small.module is not None else "")
        return statement_key(module, True, first_party)
    return None


def _mergeable_import(module_node: cst.Module, module: str) -> cst.ImportFrom | None:
    for statement in module_node.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and not small.relative
                and small.module is not None
                and dotted_name(small.module) == module
                and not isinstance(small.names, cst.ImportStar)
                and (small.lpar is None or _has_trailing_comma(small))
            ):
                return small
    return None


def _has_trailing_comma(node: cst.ImportFrom) -> bool:
    return isinstance(node.names[-1].comma, cst.Comma)


def _with_names(node: cst.ImportFrom, names: tuple[str, ...] | None) -> cst.ImportFrom:
    """The import with `names` added, each where it keeps the names sorted (else last)."""
    aliases = list(node.names)
    for name in names or ():
        current = [dotted_name(alias.name) or "" for alias in aliases]
        position = name_position(current, name)
        index = len(aliases) if position is None else position
        if node.lpar is None:
            aliases.insert(index, cst.ImportAlias(cst.Name(name)))
            aliases = [
                alias.with_changes(
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                    if at < len(aliases) - 1
                    else cst.MaybeSentinel.DEFAULT
                )
                for at, alias in enumerate(aliases)
            ]
        elif index < len(aliases):
            # One name a line, like the lines around it.
            between = aliases[0].comma if len(aliases) > 1 else aliases[-1].comma
            aliases.insert(index, cst.ImportAlias(cst.Name(name), comma=between))
        else:
            # One name a line, like the lines above it, keeping the trailing comma.
            last_comma = aliases[-1].comma
            between = aliases[-2].comma if len(aliases) > 1 else cst.Comma(whitespace_after=node.lpar.whitespace_after)
            aliases[-1] = aliases[-1].with_changes(comma=between)
            aliases.append(cst.ImportAlias(cst.Name(name), comma=last_comma))
    return node.with_changes(names=aliases)
