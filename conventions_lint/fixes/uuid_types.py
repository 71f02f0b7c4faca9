"""Fixes that retype an integer id as a UUID: key columns (CL201, CL202) and `int` annotations (CL203, CL204)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.fixes.calls import without_argument
from conventions_lint.names import last_name
from conventions_lint.recognize.syntax import is_builtin, subscript_args, unwrap_optional

if TYPE_CHECKING:
    from conventions_lint.context import FileContext
    from conventions_lint.fixes.builder import FixBuilder
    from conventions_lint.recognize.sqlalchemy import ColumnDefinition

_NUMERIC_BOUNDS = frozenset({"gt", "ge", "lt", "le", "multiple_of"})
_FIELD_FUNCTIONS = {
    "pydantic": frozenset({"Field"}),
    "fastapi": frozenset({"Path", "Query", "Body", "Header", "Cookie", "Form"}),
}


def uuid_annotation(fix: FixBuilder, definition: ColumnDefinition) -> None:
    """`Mapped[uuid.UUID]` for `Mapped[int]` (also inside `Optional[...]`)."""
    inner = unwrap_optional(definition.mapped_type) if definition.mapped_type is not None else None
    if inner is not None and is_builtin(inner, "int"):
        fix.replace(inner, fix.python_type("uuid.UUID"))


def uuid_sql_type(fix: FixBuilder) -> str:
    return f"{fix.import_name('sqlalchemy.dialects.postgresql', 'UUID')}(as_uuid=True)"


class RetypesIntegerIds:
    """The fix shared by the rules that retype an `int` id annotation to `UUID`.

    Numeric bounds (`Field(gt=0)`, `Path(ge=1)`) go with the `int`: pydantic cannot
    compare a UUID with a number. They may sit in an `Annotated[int, ...]`, which the
    walk reaches after visiting the class or function, so the rules report on leaving it.
    """

    context: FileContext

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # The `int` of each `Annotated[int, ...]`, with the metadata after it.
        self._annotated: dict[cst.CSTNode, list[cst.BaseExpression]] = {}

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if last_name(node.value) == "Annotated":
            args = subscript_args(node)
            if args and is_builtin(args[0], "int"):
                self._annotated[args[0]] = args[1:]

    def _uuid_fix(
        self,
        integer: cst.BaseExpression,
        default: cst.BaseExpression | None,
        *,
        also_replaced: tuple[str, ...] = (),
        blocks: tuple[cst.IndentedBlock, ...] = (),
    ) -> FixBuilder:
        """`blocks`: those between the visited node and the annotation, for the layout of edited calls."""
        bounded = [
            (call, bounds)
            for call in (*self._annotated.get(integer, ()), default)
            if (bounds := self._numeric_bounds(call))
        ]
        message = " and ".join(("Replace `int` with `UUID`", *also_replaced))
        fix = self.fix(message + (", dropping its numeric bounds" if bounded else ""))
        fix.replace(integer, fix.import_name("uuid", "UUID"))
        for call, bounds in bounded:
            unbounded = call
            for arg in bounds:
                unbounded = without_argument(unbounded, arg)
            fix.replace(call, unbounded, inner_blocks=blocks)
        return fix

    def _numeric_bounds(self, expr: cst.BaseExpression | None) -> list[cst.Arg]:
        """`gt=0` and the like in a pydantic `Field(...)` or a FastAPI `Path(...)`, `Query(...)`, …"""
        if not isinstance(expr, cst.Call) or not any(
            self.context.imports.refers_to(expr.func, package, names) for package, names in _FIELD_FUNCTIONS.items()
        ):
            return []
        return [arg for arg in expr.args if arg.keyword is not None and arg.keyword.value in _NUMERIC_BOUNDS]
