"""The names a scope binds, for fixes that must spell an added name so nothing in scope shadows it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

import libcst as cst

from conventions_lint.names import bound_name
from conventions_lint.node_children import children, concrete_node_types

# Their names are their own: a comprehension's loop variable is not the enclosing scope's.
_OWN_SCOPES = frozenset({cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp})


def bound_names(scope: cst.Module | cst.ClassDef | cst.FunctionDef) -> frozenset[str]:
    """What the body of `scope` binds directly (not in nested functions or classes, whose names it
    binds): assignments of every form, loop and `with` targets, `except … as`, nested definitions,
    a function's parameters, `global`/`nonlocal` names; imports too, except a module's own, which
    `ImportMap` reads as what they stand for."""
    collector = _Bindings(scope)
    collector.read(scope.body if isinstance(scope, cst.Module) else scope.body.body)
    if isinstance(scope, cst.FunctionDef):
        params = scope.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            collector.names.add(param.name.value)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                collector.names.add(star.name.value)
    return frozenset(collector.names)


class _Bindings:
    """Reads the binding forms below some statements; a `visit_*` that returns False keeps out of the
    node's children. Not a LibCST visitor: that rebuilds every node it passes, which cost as much as
    the parse of the module whenever a fix in it asked what the module binds."""

    def __init__(self, scope: cst.CSTNode) -> None:
        self._module_level = isinstance(scope, cst.Module)
        self.names: set[str] = set()

    def read(self, statements: Sequence[cst.CSTNode]) -> None:
        visits, node_types = _visits(), concrete_node_types()
        pending = list(statements)
        while pending:
            node = pending.pop()
            kind = type(node)
            if kind in _OWN_SCOPES:
                continue
            visit = visits.get(kind)
            if visit is None or visit(self, node) is not False:
                pending.extend(children(node, node_types))

    def _target(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.names.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target(element.value)
        elif isinstance(target, cst.StarredElement):
            self._target(target.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        # `with … as x`, `except E as x`; an import's `as` is read with the import.
        if not isinstance(node.name, (cst.Name, cst.Tuple, cst.List)):
            return
        self._target(node.name)

    def visit_Import(self, node: cst.Import) -> bool:
        if not self._module_level:
            for alias in node.names:
                self.names.add(bound_name(alias))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if not self._module_level and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                self.names.add(bound_name(alias))
        return False

    def visit_Global(self, node: cst.Global) -> None:
        self.names.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.names.update(item.name.value for item in node.names)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.names.add(node.name.value)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self.names.add(node.name.value)


@cache
def _visits() -> dict[type[cst.CSTNode], Callable[[_Bindings, cst.CSTNode], bool | None]]:
    return {
        getattr(cst, name[len("visit_") :]): method
        for name, method in vars(_Bindings).items()
        if name.startswith("visit_")
    }
