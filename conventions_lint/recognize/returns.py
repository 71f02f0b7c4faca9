"""Which functions return a value: a `return <value>` of their own, not one of a nested function's.

A function's returns are all known only once the walk has passed its body, so the
question is asked when leaving it: the `ReturnTracker` (a service the walk feeds, one
per file) is left after the rules, and still holds the answer for the function they leave.
"""

from __future__ import annotations

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.recognize.syntax import is_builtin
from conventions_lint.visitor import Service


class ReturnTracker(Service):
    """The functions being walked that have returned a value so far (`return None` is no value)."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self._returning: set[int] = set()

    def visit_Return(self, node: cst.Return) -> None:
        function = self.context.enclosing_function
        if function is not None and node.value is not None and not is_builtin(node.value, "None"):
            self._returning.add(id(function))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._returning.discard(id(node))

    def returns_nothing(self, function: cst.FunctionDef) -> bool:
        """`-> None`, or no return annotation and no `return <value>`: a route with this handler answers `null`."""
        if function.returns is not None:
            return is_builtin(function.returns.annotation, "None")
        return id(function) not in self._returning
