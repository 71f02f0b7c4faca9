"""Imports a fix needs: reuse what the file binds, else add the import once, beside its kin.

`sa.String` when the file has `import sqlalchemy as sa`; `String` added to an
existing `from sqlalchemy import Column` line; otherwise a new line after the
file's last top-level import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import libcst as cst

from conventions_lint.diagnostic import Edit, Span
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
    # The statement the new line goes after; None puts it before `first`.
    anchor: cst.CSTNode | None
    # Where the module's code begins: its first statement, or that statement's first decorator.
    first: cst.CSTNode | None

    def edit(self, span_of: Callable[..., Span], lines: list[str], newline: str) -> Edit:
        if self.merge_into is not None:
            span = span_of(self.merge_into)
            code = cst.Module([], default_newline=newline).code_for_node(_with_names(self.merge_into, self.names))
            return Edit(span.start, span.end, code)
        text = f"import {self.module}" if self.names is None else f"from {self.module} import {', '.join(self.names)}"
        if self.anchor is not None:
            row = span_of(self.anchor).end.row + 1
        elif self.first is not None:
            row = span_of(self.first, start_only=True).start.row
        else:
            row = len(lines) + 1
        return line_insertion(row, text + newline, lines, newline)


def plan_import(
    module_node: cst.Module, imports: ImportMap, module: str, name: str | None, pending: ImportPlan | None
) -> tuple[str | None, ImportPlan | None]:
    """(how to spell it, the import to add or None); the spelling is None when a local name is in the way.

    `name=None` asks for a top-level module itself (`uuid`, `pytest`).
    """
    if name is None:
        # `import pytest as pt` serves: spell it `pt`.
        alias = next((local for local, target in imports.bindings.items() if target == module), None)
        if alias is not None:
            return alias, None
        return (None, None) if module in imports.bindings else (module, _new_plan(module_node, module, None))
    spelled = bound_spelling(imports.bindings, module, name)
    if spelled is not None:
        return spelled, None
    if name in imports.bindings:
        return None, None
    previous = pending.names if pending is not None and pending.names else ()
    names = previous if name in previous else (*previous, name)
    merge_into = _mergeable_import(module_node, module)
    if merge_into is not None:
        return name, ImportPlan(module, names, merge_into, None, None)
    return name, _new_plan(module_node, module, names)


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


def _new_plan(module_node: cst.Module, module: str, names: tuple[str, ...] | None) -> ImportPlan:
    anchor = None
    for statement in module_node.body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            break
        if isinstance(statement, cst.SimpleStatementLine) and (
            is_docstring(statement, module_node.body)
            or any(isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body)
        ):
            anchor = statement
    first = module_node.body[0] if module_node.body else None
    # A definition's span starts at `def` or `class`: a line put there would split it from its decorators.
    if isinstance(first, (cst.FunctionDef, cst.ClassDef)) and first.decorators:
        first = first.decorators[0]
    return ImportPlan(module, names, None, anchor, first)


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
    aliases = list(node.names)
    for name in names or ():
        if node.lpar is None:
            aliases[-1] = aliases[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            aliases.append(cst.ImportAlias(cst.Name(name)))
        else:
            # One name a line, like the lines above it, keeping the trailing comma.
            last_comma = aliases[-1].comma
            between = aliases[-2].comma if len(aliases) > 1 else cst.Comma(whitespace_after=node.lpar.whitespace_after)
            aliases[-1] = aliases[-1].with_changes(comma=between)
            aliases.append(cst.ImportAlias(cst.Name(name), comma=last_comma))
    return node.with_changes(names=aliases)
