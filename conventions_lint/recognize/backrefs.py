"""What a `relationship(..., backref=...)` declares about the attribute it creates on the other class:
its name, the `backref(...)` options, and the reverse side CL101's fix writes in its place
(fixes/backrefs.py writes it; rules/relationships.py reports)."""

from __future__ import annotations

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.fixes.backrefs import ReverseSide, TableSide
from conventions_lint.recognize.mapped_classes import foreign_key_tables, table_name
from conventions_lint.recognize.sqlalchemy import is_sqlalchemy, mapped_type
from conventions_lint.recognize.syntax import (
    class_body_statements,
    is_false,
    is_list_annotation,
    is_true,
    keyword,
    positional,
    string_value,
    target_name,
)

_JOIN_ARGUMENTS = ("primaryjoin", "secondaryjoin", "foreign_keys")


def back_reference(context: FileContext, value: cst.BaseExpression) -> tuple[str | None, cst.Call | None]:
    """The reverse attribute's name, and the `backref(...)` call that gives its options."""
    if isinstance(value, cst.Call) and is_sqlalchemy(context, value.func, {"backref"}):
        name = backref_name(value)
        return (string_value(name.value) if name is not None else None), value
    return string_value(value), None


def backref_name(options: cst.Call | None) -> cst.Arg | None:
    """The name argument of `backref("posts", ...)`."""
    if options is None:
        return None
    return keyword(options, "name") or next(iter(positional(options)), None)


def relationship_target(call: cst.Call) -> str | None:
    """The class a relationship points at: `"User"` or `User`."""
    target = keyword(call, "argument") or next(iter(positional(call)), None)
    if target is None:
        return None
    return target.value.value if isinstance(target.value, cst.Name) else string_value(target.value)


def reverse_side(
    context: FileContext, call: cst.Call, name: str, options: cst.Call | None, target: cst.ClassDef | None
) -> ReverseSide | None:
    """The attribute the fix adds to the target class; None when the fix cannot write it."""
    source, statement = context.enclosing_class, context.parent
    if source is None or not any(statement is s for s in class_body_statements(source)):
        return None
    attribute = target_name(statement)
    # A join the relationship spells out would have to be mirrored on the reverse side.
    shaping = _JOIN_ARGUMENTS if source is target else (*_JOIN_ARGUMENTS, "remote_side")
    if attribute is None or any(keyword(call, argument) for argument in shaping):
        return None
    uselist = keyword(options, "uselist") if options is not None else None
    if uselist is not None:
        if not (is_true(uselist.value) or is_false(uselist.value)):
            return None
        declared = is_true(uselist.value)
    elif keyword(call, "secondary") is not None:
        declared = True
    elif source is target:
        # An adjacency list: `remote_side` marks the many-to-one side; without it the reverse needs one.
        if keyword(call, "remote_side") is None:
            return None
        declared = True
    else:
        declared = None
    annotated = mapped_type(statement.annotation.annotation) if isinstance(statement, cst.AnnAssign) else None
    carried = _carried(context, call, options, target)
    if carried is None:
        return None
    arguments = (f'"{source.name.value}"', f'back_populates="{attribute}"', *carried)
    return ReverseSide(
        name,
        source.name.value,
        arguments,
        declared,
        table_side(context, source),
        annotated is not None and is_list_annotation(annotated),
    )


def table_side(context: FileContext, node: cst.ClassDef) -> TableSide:
    return TableSide(table_name(context, node), tuple(foreign_key_tables(context, node)))


def _carried(
    context: FileContext, call: cst.Call, options: cst.Call | None, target: cst.ClassDef | None
) -> list[str] | None:
    """The `backref(...)` options, and the `secondary=` table both sides of a many-to-many name;
    None when the table cannot be named where the reverse side goes."""
    carried = [arg for arg in (options.args if options is not None else ()) if arg is not backref_name(options)]
    secondary = keyword(call, "secondary")
    if secondary is not None and not any(arg.keyword and arg.keyword.value == "secondary" for arg in carried):
        carried.append(secondary)
    code = context.module.code_for_node
    written = []
    for arg in carried:
        if arg.keyword is not None and arg.keyword.value == "secondary":
            table = _secondary(context, arg.value, target)
            if table is None:
                return None
            written.append(f"secondary={table}")
        else:
            written.append(
                code(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=cst.SimpleWhitespace("")))
            )
    return written


def _secondary(context: FileContext, value: cst.BaseExpression, target: cst.ClassDef | None) -> str | None:
    """The association table as the target class's body can name it: by its name in the metadata
    (`"article_tags"` for `article_tags = Table("article_tags", ...)`), which SQLAlchemy looks up when
    the mappers configure, wherever the class is. The variable itself only serves in this file, where
    it is bound by the time the target's body runs: imported, or assigned above the target class."""
    if string_value(value) is not None:
        return context.module.code_for_node(value)
    if not isinstance(value, cst.Name):
        return None
    name = association_table_name(context, value.value)
    if name is not None:
        return f'"{name}"'
    if target is not None and (
        value.value in context.imports.bindings or _assigned_before(context, value.value, target)
    ):
        return value.value
    return None


def association_table_name(context: FileContext, variable: str) -> str | None:
    """`"article_tags"` for a top-level `article_tags = Table("article_tags", metadata, ...)`
    (`"schema.article_tags"` with `schema="schema"`); None when either is not a plain string, or not a
    name SQLAlchemy can look the string up by (it evaluates it)."""
    table = context.index.assignment(variable)
    if not isinstance(table, cst.Call) or not is_sqlalchemy(context, table.func, {"Table"}):
        return None
    name = keyword(table, "name") or next(iter(positional(table)), None)
    schema = keyword(table, "schema")
    parts = [string_value(part.value) if part is not None else "" for part in (schema, name)]
    if any(part is None for part in parts) or not parts[1].isidentifier() or not (parts[0] or "_").isidentifier():
        return None
    return ".".join(part for part in parts if part)


def _assigned_before(context: FileContext, variable: str, target: cst.ClassDef) -> bool:
    for statement in context.module.body:
        if statement is target:
            return False
        if isinstance(statement, cst.SimpleStatementLine) and any(target_name(s) == variable for s in statement.body):
            return True
    return False
