"""Imports that fixes left unused: removed, as ruff's F401 would ask next.

A fix that replaces `Integer` with `UUID(as_uuid=True)`, `create_engine` with
`create_async_engine` or `backref(...)` with `back_populates=` can take away the
last use of a name its file imports. Only such names go: a name that was unused
before the fixes is the user's business, and only names from the standard
library or third-party packages, whose import does nothing the app relies on
(importing a model module registers its classes with SQLAlchemy: those stay).
A name still written in a string (`Mapped["User"]`, `__all__`) counts as used.
"""

from __future__ import annotations

import ast

import libcst as cst

from conventions_lint.fixes.import_order import FIRST_PARTY, LOCAL, first_party_packages, section
from conventions_lint.names import bound_name


def unused_after_fixes(original: str, fixed: str, relative_path: str) -> set[str]:
    """The library names `fixed` imports at the top level and no longer uses, where `original` used them.

    Read with CPython's parser: a fix round's LibCST tree is the only one a fix may cost.
    """
    try:
        before, after = ast.parse(original), ast.parse(fixed)
    except (SyntaxError, ValueError):
        return set()
    first_party = first_party_packages(relative_path)
    candidates = {
        name for name, module in _imported_names(after) if section(module, first_party) not in (FIRST_PARTY, LOCAL)
    }
    if not candidates:
        return set()
    return (candidates & _uses(before, candidates)) - _uses(after, candidates)


def without_imports(module: cst.Module, names: set[str]) -> str:
    """The code of `module` without these names in its top-level imports (a line left without names goes)."""
    return module.visit(_RemoveNames(names)).code


def _imported_names(tree: ast.Module) -> list[tuple[str, str]]:
    """(bound name, module) of each top-level import's names."""
    bound = []
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and not statement.level and statement.module:
            bound += [(alias.asname or alias.name, statement.module) for alias in statement.names if alias.name != "*"]
        elif isinstance(statement, ast.Import):
            bound += [(alias.asname or alias.name.split(".")[0], alias.name) for alias in statement.names]
    return bound


def _uses(tree: ast.Module, names: set[str]) -> set[str]:
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in names:
            used.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            used.update(name for name in names if name in node.value)
    return used


class _RemoveNames(cst.CSTTransformer):
    """Removes the names from the module's top-level imports (a line left without names goes)."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self._emptied: set[int] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_If(self, node: cst.If) -> bool:
        return False

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        if updated.body:
            return updated
        # LibCST would drop the line with the blank lines and comments above it: leave_Module keeps those.
        emptied = updated.with_changes(body=[cst.Pass()])
        self._emptied.add(id(emptied))
        return emptied

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        """Lines left without imports go; the blank lines and comments above them stay, above the next line."""
        body, carried = [], []
        for statement in updated.body:
            if id(statement) in self._emptied:
                carried += statement.leading_lines
                continue
            if carried:
                statement = statement.with_changes(leading_lines=(*carried, *statement.leading_lines))
                carried = []
            body.append(statement)
        return updated.with_changes(body=body)

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom):
        if isinstance(updated.names, cst.ImportStar):
            return updated
        return self._kept(updated, list(updated.names))

    def leave_Import(self, original: cst.Import, updated: cst.Import):
        return self._kept(updated, list(updated.names))

    def _kept(self, node, aliases: list[cst.ImportAlias]):
        kept = [alias for alias in aliases if bound_name(alias) not in self.names]
        if len(kept) == len(aliases):
            return node
        if not kept:
            return cst.RemoveFromParent()
        # The last name keeps what followed the removed last one (a trailing comma in parentheses, or none).
        last = aliases[-1]
        if kept[-1] is not last:
            kept[-1] = kept[-1].with_changes(comma=last.comma)
        return node.with_changes(names=kept)
