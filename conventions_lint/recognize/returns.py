"""What functions return: whether a value of their own (a `return <value>`, not a nested function's), and
whether every value they return is a page or a redirect built for a browser.

A function's returns are all known only once the walk has passed its body, so the
question is asked when leaving it: the `ReturnTracker` (a service the walk feeds, one
per file) is left after the rules, and still holds the answer for the function they leave.
"""

from __future__ import annotations

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.recognize.fastapi import builds_page_or_redirect
from conventions_lint.recognize.syntax import is_builtin, parameters
from conventions_lint.visitor import Service


class ReturnTracker(Service):
    """The values each function being walked has returned so far (`return None` is no value), and what
    its local names are bound to (None for a binding other than `name = value`: a loop, a `with`, `+=`)."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self._returned: dict[int, list[cst.BaseExpression]] = {}
        self._bound: dict[int, dict[str, list[cst.BaseExpression | None]]] = {}

    def visit_Return(self, node: cst.Return) -> None:
        function = self.context.enclosing_function
        if function is not None and node.value is not None and not is_builtin(node.value, "None"):
            self._returned.setdefault(id(function), []).append(node.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target, None)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, None)

    def visit_AsName(self, node: cst.AsName) -> None:
        if not isinstance(self.context.parent, cst.WithItem):
            self._bind(node.name, None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        # `async with httpx.AsyncClient() as client`: what the `with` enters, taken for what it binds.
        if node.asname is not None:
            self._bind(node.asname.name, node.item)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, None)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._returned.pop(id(node), None)
        self._bound.pop(id(node), None)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        function = self.context.enclosing_function
        if function is None:
            return
        if isinstance(target, cst.Name):
            self._bound.setdefault(id(function), {}).setdefault(target.value, []).append(value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, None)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, None)

    def returns_nothing(self, function: cst.FunctionDef) -> bool:
        """`-> None`, or no return annotation and no `return <value>`: a route with this handler answers `null`."""
        if function.returns is not None:
            return is_builtin(function.returns.annotation, "None")
        return id(function) not in self._returned

    def values_of(self, function: cst.FunctionDef, expr: cst.BaseExpression) -> list[cst.BaseExpression | None]:
        """What an expression of the function may hold: the values a local name is bound to (None for a
        binding that is not `name = value`), or the expression itself. A parameter may hold anything."""
        if isinstance(expr, cst.Name):
            bound = self._bound.get(id(function), {}).get(expr.value)
            if bound is not None:
                taken = any(param.name.value == expr.value for param in parameters(function))
                return [None] if taken else bound
        return [expr]

    def returned(self, function: cst.FunctionDef) -> list[cst.BaseExpression]:
        """The values the function returns (`return None` is none)."""
        return self._returned.get(id(function), [])

    def answers_a_browser(self, function: cst.FunctionDef) -> bool:
        """Whether every value the function returns is a page or a redirect it builds
        (`templates.TemplateResponse(...)`, `RedirectResponse(url)`), or a local name bound to nothing
        else (`response = RedirectResponse(url)`, then `response.set_cookie(...)`): FastAPI sends such a
        response as it is, no response model filters or documents it."""
        returned = self.returned(function)
        return bool(returned) and all(
            found is not None and builds_page_or_redirect(self.context, found)
            for value in returned
            for found in self.values_of(function, value)
        )
