"""A mapped class's table name as the first phase reads it: written (`__tablename__ = "users"`) or
computed from the class's name by a `@declared_attr` the class or a base defines
(`return cls.__name__.lower()`), which the classes below that base inherit.

Only those two computations are read: any other body (a regex to snake case, a
plural) is a `__tablename__` whose value is unknown, and a class inheriting it has
no known table. A foreign key or relationship is then never matched to it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

# The `ClassSummary.table_rule` values, and the flags of a class's `Meaning` that carry them to subclasses.
FROM_NAME, FROM_LOWER_NAME, UNKNOWN = "name", "lower", "unknown"
RULE_FLAGS = {FROM_NAME: "table-from-name", FROM_LOWER_NAME: "table-from-lower-name", UNKNOWN: "table-unknown"}


def written_table(statement: ast.stmt | None) -> tuple[str | None, str | None]:
    """`__tablename__ = "users"`: the table and no rule; another value: no table, and an unknown rule."""
    value = getattr(statement, "value", None)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value, None
    return None, UNKNOWN


def computed_rule(function: ast.stmt | None) -> str:
    """The rule of `def __tablename__(cls): return cls.__name__` (or `.lower()`), a docstring allowed."""
    if not isinstance(function, ast.FunctionDef) or not function.args.args:
        return UNKNOWN
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    returned = body[0].value if len(body) == 1 and isinstance(body[0], ast.Return) else None
    lower = (
        isinstance(returned, ast.Call)
        and not returned.args
        and not returned.keywords
        and isinstance(returned.func, ast.Attribute)
        and returned.func.attr == "lower"
    )
    name = returned.func.value if lower else returned
    is_name = (
        isinstance(name, ast.Attribute)
        and name.attr == "__name__"
        and isinstance(name.value, ast.Name)
        and name.value.id == function.args.args[0].arg
    )
    if not is_name:
        return UNKNOWN
    return FROM_LOWER_NAME if lower else FROM_NAME


def class_rule(own: str | None, written: bool, inherited: Iterable[tuple[str, ...]], opaque: bool) -> str | None:
    """The rule of a class, which its subclasses inherit: its own, else the one its bases agree on (None:
    no base computes a table name). Unknown when its table is written (a subclass without a
    `__tablename__` of its own shares it, or is refused) or a base the project cannot read may define one."""
    if written:
        return UNKNOWN
    if own is not None:
        return own
    rules = {rule for flags in inherited for rule, flag in RULE_FLAGS.items() if flag in flags}
    if opaque or len(rules) > 1:
        return UNKNOWN
    return rules.pop() if rules else None


def computed_table(rule: str | None, class_name: str) -> str | None:
    if rule == FROM_NAME:
        return class_name
    return class_name.lower() if rule == FROM_LOWER_NAME else None
