"""Import-aware name resolution, cheap enough to run on every file.

Only the module's top level (and the `if`/`try`/`with` blocks there, where
`TYPE_CHECKING` and optional imports live) is read: no scope analysis and no
LibCST metadata provider, which would cost a multiple of the parse.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    from conventions_lint.project_model.vocabulary import Vocabulary


def dotted_name(expr: cst.BaseExpression) -> str | None:
    """`sa.orm.relationship` for an Attribute chain of Names, else None."""
    parts: list[str] = []
    # `type(...) is`, not isinstance: LibCST's classes are ABCs, and isinstance through ABCMeta cost 5 %
    # of a run on finding-dense code; the concrete node classes have no subclasses.
    while type(expr) is cst.Attribute:
        parts.append(expr.attr.value)
        expr = expr.value
    if type(expr) is not cst.Name:
        return None
    parts.append(expr.value)
    return ".".join(reversed(parts))


def last_name(expr: cst.BaseExpression) -> str | None:
    """The rightmost identifier of a Name or Attribute: `String` for `sa.String`."""
    if type(expr) is cst.Name:
        return expr.value
    if type(expr) is cst.Attribute:
        return expr.attr.value
    return None


def bound_name(alias: cst.ImportAlias) -> str:
    """The name an import binds: its `as` name, else the top package (`import a.b` binds `a`)."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return (dotted_name(alias.name) or "").split(".")[0]


def _module_name(node: cst.ImportFrom) -> str:
    dots = "." * len(node.relative)
    module = dotted_name(node.module) if node.module is not None else ""
    return dots + (module or "")


class ImportMap:
    """Maps the names a module binds by import to the qualified names they stand for."""

    def __init__(self, module: cst.Module, vocabulary: Vocabulary | None = None) -> None:
        # Names the project model resolved to a framework name under another name (`SyncSession`, re-exported).
        self._external = vocabulary
        self.bindings: dict[str, str] = {}
        self.star_modules: list[str] = []
        for small in _top_level_small_statements(module.body):
            if isinstance(small, cst.Import):
                self._add_import(small)
            elif isinstance(small, cst.ImportFrom):
                self._add_import_from(small)

    def _add_import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            if alias.asname is not None:
                self.bindings[alias.asname.name.value] = full
            else:
                # `import sqlalchemy.orm` binds the top package name only.
                top = full.split(".")[0]
                self.bindings[top] = top

    def _add_import_from(self, node: cst.ImportFrom) -> None:
        module = _module_name(node)
        if isinstance(node.names, cst.ImportStar):
            self.star_modules.append(module)
            return
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            local = alias.asname.name.value if alias.asname is not None else name
            # `from . import models` is `.models`, `from .db import Base` is `.db.Base`.
            self.bindings[local] = f"{module}.{name}" if module.rstrip(".") else module + name

    def qualify(self, expr: cst.BaseExpression) -> str | None:
        """The qualified name an expression refers to through the imports, or None."""
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        target = (self._external.external_name(head) if self._external is not None else None) or self.bindings.get(head)
        if target is None:
            if not self.star_modules:
                return None
            # Which star import defines the name is unknown; a later one shadows an earlier one.
            target = f"{self.star_modules[-1]}.{head}"
        return f"{target}.{rest}" if rest else target

    def refers_to(
        self, expr: cst.BaseExpression, package: str, names: frozenset[str] | set[str] | tuple[str, ...]
    ) -> bool:
        """True when `expr` is one of `names` imported from `package` or any submodule of it."""
        qualified = self.qualify(expr)
        if qualified is None:
            return False
        top = qualified.split(".", 1)[0]
        return top == package and qualified.rsplit(".", 1)[-1] in names

    def module_of(self, name: str) -> str | None:
        """The module a bare imported name comes from: `app.schemas.user` for `UserResponse`."""
        target = self.bindings.get(name)
        if target is None:
            return None
        # The leading dots of a relative import are the package, `.` for `from . import deps`.
        dots = target[: len(target) - len(target.lstrip("."))]
        module, _, _ = target[len(dots) :].rpartition(".")
        return dots + module or None


def _top_level_small_statements(body) -> Iterator[cst.BaseSmallStatement]:
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
        elif isinstance(statement, (cst.If, cst.Try, cst.TryStar, cst.With)):
            for block in (statement, *_compound_branches(statement)):
                # An indented block holds statements; `if TYPE_CHECKING: import x` holds small ones.
                if isinstance(block.body, cst.SimpleStatementSuite):
                    yield from block.body.body
                else:
                    yield from _top_level_small_statements(block.body.body)


def _compound_branches(statement) -> list:
    if isinstance(statement, cst.If):
        branches = []
        orelse = statement.orelse
        while orelse is not None:
            branches.append(orelse)
            orelse = orelse.orelse if isinstance(orelse, cst.If) else None
        return branches
    if isinstance(statement, (cst.Try, cst.TryStar)):
        return [*statement.handlers, *(b for b in (statement.orelse, statement.finalbody) if b is not None)]
    return []
