"""What holds an id: an `id` / `*_id` name, an `int` annotation, an integer key column (the CL2 rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.names import dotted_name
from conventions_lint.recognize.sqlalchemy import ColumnDefinition, column_of_call, is_integer
from conventions_lint.recognize.syntax import is_builtin, unwrap_optional

if TYPE_CHECKING:
    from conventions_lint.context import FileContext


def is_id_name(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def int_annotation(annotation: cst.BaseExpression) -> cst.BaseExpression | None:
    """The `int` of `int`, `Optional[int]`, `int | None` or `Annotated[int, ...]`."""
    inner = unwrap_optional(annotation)
    return inner if is_builtin(inner, "int") else None


def alias_shown(expr: cst.BaseExpression) -> str:
    """How a message names the alias of `int` an annotation uses."""
    return dotted_name(expr) or "the alias"


def integer_key_column(context: FileContext, call: cst.Call) -> tuple[ColumnDefinition, cst.BaseExpression] | None:
    """The column a visited call defines and what makes it an integer.

    Alembic revisions are generated history: the models are what gets fixed.
    """
    if "migrations" in context.roles:
        return None
    definition = column_of_call(context, call, context.parent)
    integer = is_integer(context, definition) if definition is not None else None
    return (definition, integer) if integer is not None else None
