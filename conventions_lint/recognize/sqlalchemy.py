"""SQLAlchemy shapes: column definitions and column types, and column calls rewritten by fixes
(mapped_classes.py: tables, foreign keys, relationships)."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.fixes.calls import with_argument
from conventions_lint.names import dotted_name, last_name
from conventions_lint.project_model.vocabulary import STR_HAS_LENGTH, UNBOUNDED_STRING
from conventions_lint.recognize.syntax import (
    class_body_statements,
    is_builtin,
    is_false,
    is_true,
    keyword,
    positional,
    string_value,
    subscript_args,
    target_name,
    unwrap_optional,
)

COLUMN_FACTORIES = frozenset({"Column", "mapped_column"})
INTEGER_TYPES = frozenset({"Integer", "BigInteger", "SmallInteger", "INTEGER", "BIGINT", "SMALLINT", "INT"})
# Types that are VARCHAR without a length; `Text`/`UnicodeText` are unbounded by design.
LENGTH_TYPES = frozenset({"String", "Unicode", "VARCHAR", "NVARCHAR"})
# Positional `Column(...)` arguments that are not the column's type.
_SCHEMA_ITEMS = frozenset(
    {
        "ForeignKey",
        "Sequence",
        "Identity",
        "Computed",
        "CheckConstraint",
        "FetchedValue",
        "DefaultClause",
        "ColumnDefault",
    }
)


def is_sqlalchemy(context: FileContext, expr: cst.BaseExpression, names: frozenset[str] | set[str]) -> bool:
    """`expr` names one of `names` from sqlalchemy (any submodule, any alias)."""
    return context.imports.refers_to(expr, "sqlalchemy", names)


def type_name(context: FileContext, expr: cst.BaseExpression) -> str | None:
    """`String` for `String`, `String(50)`, `sa.String()`, `String().with_variant(...)`, when from sqlalchemy."""
    qualified = context.imports.qualify(type_reference(expr))
    if qualified is None or qualified.split(".", 1)[0] != "sqlalchemy":
        return None
    return qualified.rsplit(".", 1)[-1]


def type_reference(expr: cst.BaseExpression) -> cst.BaseExpression:
    """`sa.String` for `sa.String`, `sa.String(50)` and `sa.String(50).with_variant(...)`."""
    expr = variant_base(expr)
    return expr.func if isinstance(expr, cst.Call) else expr


def variant_base(expr: cst.BaseExpression) -> cst.BaseExpression:
    """`String(50)` for `String(50).with_variant(...)`: the type used everywhere but the variant's dialect."""
    while isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        if expr.func.attr.value != "with_variant":
            break
        expr = expr.func.value
    return expr


@dataclass(frozen=True)
class ColumnDefinition:
    """`name: Mapped[T] = mapped_column(...)`, `name = Column(...)`, a bare `name: Mapped[T]`,
    or a `Column("name", ...)` inside `Table(...)`."""

    name: str | None
    # The statement that defines the column, or the `Column(...)` call when it is not assigned.
    statement: cst.CSTNode
    # T of Mapped[T], when annotated so.
    mapped_type: cst.BaseExpression | None
    call: cst.Call | None
    # The SQL type argument (`String(50)`, `Integer`, a custom type), when one is given.
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


def column_call(context: FileContext, expr: cst.BaseExpression | None) -> cst.Call | None:
    if isinstance(expr, cst.Call) and is_sqlalchemy(context, expr.func, COLUMN_FACTORIES):
        return expr
    return None


def column_definition(context: FileContext, statement: cst.BaseSmallStatement) -> ColumnDefinition | None:
    """The column an assignment (or bare `Mapped[T]` annotation) defines, if it defines one."""
    name = target_name(statement)
    if name is None:
        return None
    annotated = mapped_type(statement.annotation.annotation) if isinstance(statement, cst.AnnAssign) else None
    value = statement.value
    call = column_call(context, value)
    if call is None and (annotated is None or value is not None):
        return None
    sql_type, foreign_keys = _type_and_foreign_keys(context, call)
    return ColumnDefinition(name, statement, annotated, call, sql_type, foreign_keys)


def column_of_call(context: FileContext, call: cst.Call, parent: cst.CSTNode | None) -> ColumnDefinition | None:
    """The column a `Column(...)`/`mapped_column(...)` call defines, given the call's parent node."""
    if column_call(context, call) is None:
        return None
    if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is call:
        definition = column_definition(context, parent)
        if definition is not None:
            return definition
    first = next(iter(positional(call)), None)
    name = string_value(first.value) if first is not None else None
    sql_type, foreign_keys = _type_and_foreign_keys(context, call)
    return ColumnDefinition(name, call, None, call, sql_type, foreign_keys)


def _type_and_foreign_keys(
    context: FileContext, call: cst.Call | None
) -> tuple[cst.BaseExpression | None, tuple[cst.Call, ...]]:
    if call is None:
        return None, ()
    type_arg = keyword(call, "type_")
    sql_type = type_arg.value if type_arg is not None else None
    foreign_keys: list[cst.Call] = []
    for arg in positional(call):
        value = arg.value
        callee = value.func if isinstance(value, cst.Call) else value
        if isinstance(value, cst.Call) and is_sqlalchemy(context, callee, {"ForeignKey"}):
            foreign_keys.append(value)
        elif sql_type is None and string_value(value) is None and not is_sqlalchemy(context, callee, _SCHEMA_ITEMS):
            # The first other positional argument is the type, whichever package it comes from.
            sql_type = value
    return sql_type, tuple(foreign_keys)


def is_integer(context: FileContext, definition: ColumnDefinition) -> cst.BaseExpression | None:
    """The expression that makes a column an integer (`Integer`, or `int` in `Mapped[int]`), if any."""
    if definition.sql_type is not None:
        return definition.sql_type if type_name(context, definition.sql_type) in INTEGER_TYPES else None
    if definition.mapped_type is not None:
        inner = unwrap_optional(definition.mapped_type)
        return inner if is_builtin(inner, "int") else None
    return None


def unbounded_string_type(context: FileContext, definition: ColumnDefinition) -> str | None:
    """`String` when the column's SQL type is `String`/`Unicode`/`VARCHAR`/`NVARCHAR` with no length."""
    if definition.sql_type is None:
        return None
    name = type_name(context, definition.sql_type)
    if name not in LENGTH_TYPES:
        return None
    sql_type = variant_base(definition.sql_type)
    if isinstance(sql_type, cst.Call):
        length = keyword(sql_type, "length") or next(iter(positional(sql_type)), None)
        if length is not None and not is_builtin(length.value, "None"):
            return None
    return name


def implicit_str_type(context: FileContext, definition: ColumnDefinition) -> cst.BaseExpression | None:
    """The `str` of a `Mapped[str]` column that gives no SQL type: it maps to unbounded `String()`.

    A foreign key column takes its type from the column it references, so it is not implicit.
    Only `mapped_column()` reads the annotation; a bare `Column()` has no type at all. A call
    that passes `*args` or `**kwargs` may pass the type in them.
    """
    if definition.sql_type is not None or definition.foreign_keys or definition.mapped_type is None:
        return None
    call = definition.call
    if call is not None and (
        not is_sqlalchemy(context, call.func, {"mapped_column"}) or any(arg.star for arg in call.args)
    ):
        return None
    inner = unwrap_optional(definition.mapped_type)
    return inner if is_builtin(inner, "str") else None


def declares_columns(context: FileContext, node: cst.ClassDef) -> bool:
    """A mapped class, or a mixin/abstract base that defines `Column`/`mapped_column` attributes."""
    if context.index.is_mapped(node):
        return True
    return any(column_call(context, getattr(statement, "value", None)) for statement in class_body_statements(node))


def maps_str_type(context: FileContext) -> bool:
    """Whether a declarative base in this module sets `type_annotation_map = {str: ...}`."""
    for node in context.index.classes.values():
        for statement in class_body_statements(node):
            value = getattr(statement, "value", None)
            if (
                target_name(statement) == "type_annotation_map"
                and isinstance(value, cst.Dict)
                and any(isinstance(e, cst.DictElement) and is_builtin(e.key, "str") for e in value.elements)
            ):
                return True
    return False


def type_position(call: cst.Call) -> int:
    """Where a column's type goes among `Column(...)` arguments: after a leading column name."""
    first = call.args[0] if call.args else None
    named = first is not None and first.keyword is None and not first.star and string_value(first.value) is not None
    return 1 if named else 0


# The Python type a `Mapped[...]` annotation takes for a column type, by the type's name.
_PYTHON_TYPES = {
    **dict.fromkeys(INTEGER_TYPES, "int"),
    **dict.fromkeys(
        ("String", "Text", "Unicode", "UnicodeText", "VARCHAR", "NVARCHAR", "CHAR", "NCHAR", "TEXT", "CLOB"), "str"
    ),
    **dict.fromkeys(("Boolean", "BOOLEAN"), "bool"),
    **dict.fromkeys(("DateTime", "DATETIME", "TIMESTAMP"), "datetime.datetime"),
    **dict.fromkeys(("Date", "DATE"), "datetime.date"),
    **dict.fromkeys(("Time", "TIME"), "datetime.time"),
    "Interval": "datetime.timedelta",
    **dict.fromkeys(("Float", "FLOAT", "REAL", "Double", "DOUBLE", "DOUBLE_PRECISION"), "float"),
    **dict.fromkeys(("Numeric", "NUMERIC", "DECIMAL"), "decimal.Decimal"),
    **dict.fromkeys(("Uuid", "UUID"), "uuid.UUID"),
    **dict.fromkeys(("JSON", "JSONB"), "dict"),
    **dict.fromkeys(("LargeBinary", "BYTEA", "BLOB", "BINARY", "VARBINARY"), "bytes"),
}


def python_type(context: FileContext, sql_type: cst.BaseExpression) -> str | None:
    """The Python type of a sqlalchemy column type, module-qualified: `int` for `Integer`,
    `datetime.datetime` for `DateTime(timezone=True)`, `str` for `UUID(as_uuid=False)`; None when unknown."""
    found = _PYTHON_TYPES.get(type_name(context, sql_type) or "")
    base = variant_base(sql_type)
    if found is None or not isinstance(base, cst.Call):
        return found
    as_uuid, asdecimal = keyword(base, "as_uuid"), keyword(base, "asdecimal")
    if found == "uuid.UUID" and as_uuid is not None:
        return "uuid.UUID" if is_true(as_uuid.value) else "str" if is_false(as_uuid.value) else None
    if found in ("float", "decimal.Decimal") and asdecimal is not None:
        return "decimal.Decimal" if is_true(asdecimal.value) else "float" if is_false(asdecimal.value) else None
    return found


def str_has_length_by_base(context: FileContext, node: cst.ClassDef | None) -> bool:
    """Whether a base of `node` elsewhere in the project maps `str` to a type with a length (`type_annotation_map`)."""
    meaning = context.vocabulary.get(node.name.value) if node is not None else None
    return meaning is not None and STR_HAS_LENGTH in meaning.flags


def project_string_type(context: FileContext, definition: ColumnDefinition) -> str | None:
    """The name of a project `TypeDecorator` whose `impl` is a string type without a length, if the column uses one."""
    if definition.sql_type is None:
        return None
    reference = type_reference(definition.sql_type)
    meaning = context.vocabulary.get(dotted_name(reference))
    return dotted_name(reference) if meaning is not None and UNBOUNDED_STRING in meaning.flags else None


def annotation_map_value(context: FileContext, annotation: cst.BaseExpression) -> cst.BaseExpression | None:
    """The SQL type a declarative base of this module maps a Python type to in `type_annotation_map`."""
    wanted = dotted_name(annotation)
    for node in context.index.classes.values():
        for statement in class_body_statements(node):
            value = getattr(statement, "value", None)
            if wanted is not None and target_name(statement) == "type_annotation_map" and isinstance(value, cst.Dict):
                for element in value.elements:
                    if isinstance(element, cst.DictElement) and dotted_name(element.key) == wanted:
                        return element.value
    return None


DATETIME_TYPES = frozenset({"DateTime", "DATETIME", "TIMESTAMP"})
# Database functions a timestamp default may call: all give the transaction's (or statement's) time.
_NOW_FUNCTIONS = frozenset(
    {
        "now",
        "current_timestamp",
        "localtimestamp",
        "statement_timestamp",
        "transaction_timestamp",
        "clock_timestamp",
        "timezone",
        "utc_timestamp",
    }
)


def stamps_now(context: FileContext, value: cst.BaseExpression) -> bool:
    """`func.now()` and its kin from sqlalchemy, or SQL spelled out in `text(...)` (taken on trust)."""
    if not isinstance(value, cst.Call):
        return False
    if is_sqlalchemy(context, value.func, {"text", "literal_column"}):
        return True
    parts = (context.imports.qualify(value.func) or "").split(".")
    return (
        parts[0] == "sqlalchemy"
        and len(parts) > 2
        and parts[-2] in ("func", "functions")
        and parts[-1] in _NOW_FUNCTIONS
    )


def has_timezone(sql_type: cst.BaseExpression) -> bool:
    """`DateTime(timezone=True)`, `TIMESTAMP(True)`: the first argument of the date-time types is `timezone`."""
    base = variant_base(sql_type)
    given = (keyword(base, "timezone") or next(iter(positional(base)), None)) if isinstance(base, cst.Call) else None
    return given is not None and is_true(given.value)


def with_timezone(sql_type: cst.BaseExpression) -> cst.Call:
    """`DateTime(timezone=True)` for `DateTime`, `DateTime()` and `DateTime(timezone=False)`."""
    call = sql_type if isinstance(sql_type, cst.Call) else cst.Call(sql_type)
    given = keyword(call, "timezone") or next(iter(positional(call)), None)
    if given is not None:
        return call.deep_replace(given.value, cst.Name("True"))
    return with_argument(call, 0, "True", name="timezone")


def column_nullable(call: cst.Call) -> bool | None:
    """Whether a `Column(...)` is nullable: as given, else unless it is a primary key; None when unknown."""
    if any(arg.star for arg in call.args):
        return None
    given = keyword(call, "nullable") or keyword(call, "primary_key")
    if given is None:
        return True
    if not (is_true(given.value) or is_false(given.value)):
        return None
    return is_true(given.value) == (given.keyword.value == "nullable")
