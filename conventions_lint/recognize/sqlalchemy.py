"""SQLAlchemy shapes: column definitions, relationships and column types."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import last_name
from conventions_lint.recognize.syntax import is_true, keyword, positional, subscript_args, target_name, unwrap_optional

COLUMN_FACTORIES = frozenset({"Column", "mapped_column"})
INTEGER_TYPES = frozenset({"Integer", "BigInteger", "SmallInteger", "INTEGER", "BIGINT", "SMALLINT", "INT"})


def is_sqlalchemy(context: FileContext, expr: cst.BaseExpression, names: frozenset[str] | set[str]) -> bool:
    """`expr` names one of `names` from sqlalchemy (any submodule, any alias)."""
    return context.imports.refers_to(expr, "sqlalchemy", names)


def type_name(context: FileContext, expr: cst.BaseExpression) -> str | None:
    """`String` for `String`, `String(50)`, `sa.String()`, when it comes from sqlalchemy."""
    target = expr.func if isinstance(expr, cst.Call) else expr
    qualified = context.imports.qualify(target)
    if qualified is None or qualified.split(".", 1)[0] != "sqlalchemy":
        return None
    return qualified.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class ColumnDefinition:
    """`name: Mapped[T] = mapped_column(...)`, `name = Column(...)` or a bare `name: Mapped[T]`."""

    name: str
    statement: cst.BaseSmallStatement
    # T of Mapped[T], when annotated so.
    mapped_type: cst.BaseExpression | None
    call: cst.Call | None
    # The SQL type argument (`String(50)`, `Integer`), when one is given.
    sql_type: cst.BaseExpression | None
    foreign_keys: tuple[cst.Call, ...]

    @property
    def primary_key(self) -> bool:
        arg = keyword(self.call, "primary_key") if self.call is not None else None
        return arg is not None and is_true(arg.value)


def mapped_type(annotation: cst.BaseExpression) -> cst.BaseExpression | None:
    """T for `Mapped[T]` (from sqlalchemy.orm, or a bare `Mapped`)."""
    if isinstance(annotation, cst.Subscript) and last_name(annotation.value) == "Mapped":
        args = subscript_args(annotation)
        return args[0] if args else None
    return None


def column_definition(context: FileContext, statement: cst.BaseSmallStatement) -> ColumnDefinition | None:
    name = target_name(statement)
    if name is None:
        return None
    annotated = mapped_type(statement.annotation.annotation) if isinstance(statement, cst.AnnAssign) else None
    value = statement.value
    call = value if isinstance(value, cst.Call) and is_sqlalchemy(context, value.func, COLUMN_FACTORIES) else None
    if call is None and (annotated is None or value is not None):
        return None
    sql_type = None
    foreign_keys: list[cst.Call] = []
    if call is not None:
        type_arg = keyword(call, "type_")
        sql_type = type_arg.value if type_arg is not None else None
        for arg in positional(call):
            if isinstance(arg.value, cst.Call) and is_sqlalchemy(context, arg.value.func, {"ForeignKey"}):
                foreign_keys.append(arg.value)
            elif sql_type is None and type_name(context, arg.value) is not None:
                sql_type = arg.value
    return ColumnDefinition(name, statement, annotated, call, sql_type, tuple(foreign_keys))


def is_integer(context: FileContext, definition: ColumnDefinition) -> cst.BaseExpression | None:
    """The expression that makes a column an integer (`Integer`, or `int` in `Mapped[int]`), if any."""
    if definition.sql_type is not None:
        return definition.sql_type if type_name(context, definition.sql_type) in INTEGER_TYPES else None
    if definition.mapped_type is not None:
        inner = unwrap_optional(definition.mapped_type)
        return inner if isinstance(inner, cst.Name) and inner.value == "int" else None
    return None


def relationship_call(context: FileContext, expr: cst.BaseExpression | None) -> cst.Call | None:
    if isinstance(expr, cst.Call) and is_sqlalchemy(context, expr.func, {"relationship"}):
        return expr
    return None
