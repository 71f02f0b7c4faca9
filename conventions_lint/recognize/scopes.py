"""The names a scope binds, for fixes that must spell an added name so nothing in scope shadows it."""

from __future__ import annotations

import libcst as cst

from conventions_lint.names import bound_name

# Their names are their own: a comprehension's loop variable is not the enclosing scope's.
_OWN_SCOPES = (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def bound_names(scope: cst.Module | cst.ClassDef | cst.FunctionDef) -> frozenset[str]:
    """What the body of `scope` binds directly (not in nested functions or classes, whose names it
    binds): assignments of every form, loop and `with` targets, `except … as`, nested definitions,
    a function's parameters, `global`/`nonlocal` names; imports too, except a module's own, which
    `ImportMap` reads as what they stand for."""
    collector = _Bindings(scope)
    body = scope.body if isinstance(scope, cst.Module) else scope.body.body
    for statement in body:
        statement.visit(collector)
    if isinstance(scope, cst.FunctionDef):
        params = scope.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            collector.names.add(param.name.value)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                collector.names.add(star.name.value)
    return frozenset(collector.names)


class _Bindings(cst.CSTVisitor):
    def __init__(self, scope: cst.CSTNode) -> None:
        self._module_level = isinstance(scope, cst.Module)
        self.names: set[str] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        return not isinstance(node, _OWN_SCOPES) and super().on_visit(node)

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
