"""What a mapped class is made of beyond its columns: its table, the tables its foreign keys point at, its
relationships (also those a `@declared_attr` returns) and the attributes its bases hand down.

sqlalchemy.py reads the columns themselves; this reads how mapped classes link to one another.
"""

from __future__ import annotations

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import dotted_name, last_name
from conventions_lint.project_model.vocabulary import CLASS, OPAQUE
from conventions_lint.recognize.sqlalchemy import column_definition, is_sqlalchemy
from conventions_lint.recognize.syntax import (
    class_body_statements,
    is_builtin,
    keyword,
    positional,
    string_value,
    subscript_args,
    target_name,
    unwrap_optional,
)

RELATIONSHIP_FACTORIES = frozenset({"relationship", "relation"})
# The columns CL104 asks every table for: a link row's are beside its keys.
_TIMESTAMPS = frozenset({"created_at", "updated_at"})
# The annotations a relationship is declared with, and the collections it may hold its targets in
# (a keyed dict's value is the last item).
_RELATIONSHIP_ANNOTATIONS = frozenset({"Mapped", "WriteOnlyMapped", "DynamicMapped"})
_COLLECTIONS = frozenset(
    {"list", "List", "set", "Set", "frozenset", "FrozenSet", "Sequence", "MutableSequence", "dict", "Dict", "Mapping"}
)


def relationship_call(context: FileContext, expr: cst.BaseExpression | None) -> cst.Call | None:
    if isinstance(expr, cst.Call) and is_sqlalchemy(context, expr.func, RELATIONSHIP_FACTORIES):
        return expr
    return None


def registry_name(context: FileContext, expr: cst.BaseExpression) -> str | None:
    """The name SQLAlchemy's registry knows a class by: its own, not the one it is imported or re-exported
    as (`from app.models.account import Account as Owner`: `"Account"`, never `"Owner"`)."""
    meaning = context.vocabulary.get(dotted_name(expr))
    qualified = meaning.qualified if meaning is not None else context.imports.qualify(expr)
    return last_name(expr) if qualified is None else qualified.rsplit(".", 1)[-1]


def relationship_target(context: FileContext, call: cst.Call, statement: cst.CSTNode) -> str | None:
    """The registry name of the class a relationship points to, None when it cannot be read: its argument
    (a class under any name, a string, `lambda: X`), else, as SQLAlchemy does, its annotation's class
    (`Mapped[list["X"]]`, `Mapped[X | None]`, `WriteOnlyMapped[list["X"]]`, `Mapped["list[X]"]`)."""
    argument = keyword(call, "argument") or next(iter(positional(call)), None)
    if argument is not None:
        expr = argument.value.body if isinstance(argument.value, cst.Lambda) else argument.value
        return _class_of(context, expr)
    annotation = statement.annotation.annotation if isinstance(statement, cst.AnnAssign) else None
    if not isinstance(annotation, cst.Subscript) or last_name(annotation.value) not in _RELATIONSHIP_ANNOTATIONS:
        return None
    items = subscript_args(annotation)
    return _class_of(context, items[0]) if len(items) == 1 else None


def _class_of(context: FileContext, expr: cst.BaseExpression) -> str | None:
    """The class an annotation or a target names, through strings, optionals and collections."""
    for _ in range(8):
        text = string_value(expr)
        if text is not None:
            try:
                expr = cst.parse_expression(text)
            except cst.ParserSyntaxError:
                return None
        expr = unwrap_optional(expr)
        if isinstance(expr, cst.Subscript) and last_name(expr.value) in _COLLECTIONS:
            items = subscript_args(expr)
            if not items:
                return None
            expr = items[-1]
        elif string_value(expr) is None:
            return registry_name(context, expr) if dotted_name(expr) is not None else None
    return None


def table_name(context: FileContext, node: cst.ClassDef) -> str | None:
    """The name of a class's table: the `__tablename__` it writes as a string, else the one the project
    model computes (a `@declared_attr` of a base returning `cls.__name__.lower()`); None when unknown."""
    for statement in class_body_statements(node):
        if target_name(statement) == "__tablename__":
            return string_value(statement.value)
    return _project_table(context, node.name.value)


def _project_table(context: FileContext, name: str) -> str | None:
    meaning = context.vocabulary.get(name)
    return meaning.table if meaning is not None and meaning.kind == CLASS else None


def foreign_key_tables(context: FileContext, node: cst.ClassDef) -> list[str | None]:
    """The table each `ForeignKey(...)` column of a class points at; None where it cannot be read."""
    return [
        _referenced_table(context, foreign_key)
        for statement in class_body_statements(node)
        for foreign_key in getattr(column_definition(context, statement), "foreign_keys", ())
    ]


def _referenced_table(context: FileContext, foreign_key: cst.Call) -> str | None:
    """`users` for `ForeignKey("users.id")`, `ForeignKey("auth.users.id")` and `ForeignKey(User.id)`."""
    column = keyword(foreign_key, "column") or next(iter(positional(foreign_key)), None)
    if column is None:
        return None
    text = string_value(column.value)
    if text is not None:
        parts = text.split(".")
        return parts[-2] if len(parts) >= 2 else None
    owner = (dotted_name(column.value) or "").split(".")[0]
    node = context.index.classes.get(owner)
    # A class of another module: what the project model knows of its table.
    return table_name(context, node) if node is not None else _project_table(context, owner)


def declared_attr_returns(
    node: cst.ClassDef,
) -> list[tuple[cst.FunctionDef, cst.SimpleStatementLine, cst.Return]]:
    """`@declared_attr def basket(cls): return relationship(...)`: each such method of a class body, with the
    line of its `return` and the `return` itself (what it declares under the method's name)."""
    found = []
    for method in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
        if not isinstance(method, cst.FunctionDef) or not isinstance(method.body, cst.IndentedBlock):
            continue
        if not any(last_name(decorator.decorator) == "declared_attr" for decorator in method.decorators):
            continue
        for line in method.body.body:
            for small in line.body if isinstance(line, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.Return) and small.value is not None:
                    found.append((method, line, small))
    return found


def declared_attribute_name(context: FileContext) -> str | None:
    """`user_id` while visiting the body of `@declared_attr def user_id(cls)` (also `@declared_attr.directive`,
    `@sqlalchemy.orm.declared_attr`): the attribute of the mapped class the returned column becomes."""
    function = context.enclosing_function
    if function is None:
        return None
    for decorator in function.decorators:
        expr = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        if isinstance(expr, cst.Attribute) and last_name(expr) == "directive":
            expr = expr.value
        if is_sqlalchemy(context, expr, {"declared_attr"}):
            return function.name.value
    return None


def is_association_class(context: FileContext, node: cst.ClassDef) -> bool:
    """A link table mapped as a class, whose rows have nothing to update: beside its timestamps, two or
    more columns, every one of them a foreign key or part of the primary key (`user_id` and `group_id`; a
    surrogate `id` and two foreign keys; a key of `dag_id` and `name`), with relationships or table
    arguments beside them at most. Changing any of them makes the row another link."""
    columns = [column_definition(context, statement) for statement in class_body_statements(node)]
    keys = [column for column in columns if column is not None and column.name not in _TIMESTAMPS]
    return len(keys) >= 2 and all(column.foreign_keys or column.primary_key for column in keys)


def ancestor_attributes(context: FileContext, node: cst.ClassDef) -> set[str] | None:
    """The names `node`'s ancestors bind: the bodies of this module's classes, and what the project says of
    the others (a base or mixin of another module, followed through its own bases); None when a base may
    hold attributes out of sight (one the project cannot resolve that is not a declarative base)."""
    names: set[str] = set()
    seen, pending = [node], [node]
    while pending:
        for base in pending.pop(0).bases:
            expr = base.value.value if isinstance(base.value, cst.Subscript) else base.value
            local = context.index.classes.get(expr.value) if isinstance(expr, cst.Name) else None
            if local is not None:
                if all(local is not other for other in seen):
                    seen.append(local)
                    pending.append(local)
                    names.update(target_name(statement) for statement in class_body_statements(local))
                continue
            meaning = context.vocabulary.get(dotted_name(expr))
            if meaning is not None and meaning.kind == CLASS and OPAQUE not in meaning.flags:
                names.update(meaning.attributes)
            elif not _holds_no_columns(context, expr):
                return None
    return names


def _holds_no_columns(context: FileContext, base: cst.BaseExpression) -> bool:
    """A base that adds no columns of its own: sqlalchemy's bases, `object`, `typing.Generic`, `abc.ABC`,
    and declarative bases (`Base = declarative_base()`, an imported `Base`, `db.Model`), judged by name."""
    qualified = context.imports.qualify(base) or ""
    if qualified.split(".", 1)[0] in ("sqlalchemy", "typing", "typing_extensions", "abc") or is_builtin(base, "object"):
        return True
    name = last_name(base) or ""
    return name in context.index.declarative_bases or name.endswith("Base") or name == "Model"
