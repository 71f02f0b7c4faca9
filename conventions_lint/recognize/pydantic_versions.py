"""Code written for both Pydantic versions: whether the node being visited runs only on Pydantic v1.

A branch is for v1 when the condition that leads to it is false whenever Pydantic v2 runs it:
the `else` of `if <v2 check>:`, the body of `if <v1 check>:` or `if not <v2 check>:`, the same
for `a if <check> else b`, and what follows `if <v2 check>: return`. A condition is judged
under v2 in three values (true, false, unknown; `and`/`or`/`not` as Kleene's logic has them),
never by the type a variable's name suggests. What it knows of v2:
- pydantic's own version (`pydantic.VERSION`, `pydantic.version.VERSION`, under any name the
  imports give it), read by a small evaluator (`.startswith()`, `.split()`, `[i]`, `int()`,
  comparisons) for two v2 versions that must agree;
- `hasattr(x, "model_dump")` and the other `model_*` attributes only v2 models have;
- a flag or a check that says it is one: a name whose words are `v1`/`v2` with `pydantic`
  (`PYDANTIC_V2`, `IS_PYDANTIC_V2`, `is_pydantic_v1()`), or `v1`/`v2` in the name of a check
  imported from a module of the `pydantic` package path (prefect's
  `prefect._internal.pydantic.v2_schema.is_v2_model`);
- a flag of the module (`_V2 = pydantic.VERSION.startswith("2")`), by its value.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from typing import Any

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import last_name
from conventions_lint.recognize.syntax import positional, string_value

_VERSION_NAMES = frozenset({"pydantic.VERSION", "pydantic.version.VERSION"})
# Two v2 releases: a version test must give the same answer for both to say what v2 does.
_V2_RELEASES = ("2.0.0", "2.99.99")
# Attributes of v2 models that v1 models lack.
_V2_ATTRIBUTES = frozenset(
    {
        "model_dump",
        "model_dump_json",
        "model_validate",
        "model_validate_json",
        "model_fields",
        "model_config",
        "model_copy",
        "model_construct",
        "model_json_schema",
    }
)


@cache
def _exits() -> tuple[type[cst.CSTNode], ...]:
    """Statements after which the rest of the block does not run (built on first use: a cached run
    never loads LibCST, lazy_libcst.py)."""
    return (cst.Return, cst.Raise, cst.Continue, cst.Break)


_DEPTH = 4


class _Unknown(Exception):
    """The evaluator met something it does not model."""


def runs_only_on_pydantic_v1(context: FileContext) -> bool:
    """Whether the node being visited is reached only when Pydantic v1 runs (see the module's doc)."""
    for parent, child in pairwise(context.ancestors):
        if isinstance(parent, (cst.If, cst.IfExp)) and child is not parent.test:
            needed = child is parent.body
            if on_v2(context, parent.test) is (not needed):
                return True
        body = getattr(parent, "body", None)
        if isinstance(body, (list, tuple)):
            before = next((body[:index] for index, statement in enumerate(body) if statement is child), ())
            if _exits_on_v2(context, before):
                return True
    return False


def _exits_on_v2(context: FileContext, statements) -> bool:
    """Whether one of `statements` is `if <true on v2>: ... return` (no `else`): what follows is for v1."""
    for statement in statements:
        if not isinstance(statement, cst.If) or statement.orelse is not None:
            continue
        last = statement.body.body[-1] if statement.body.body else None
        small = last.body[-1] if isinstance(last, cst.SimpleStatementLine) and last.body else None
        if isinstance(small, _exits()) and on_v2(context, statement.test) is True:
            return True
    return False


def on_v2(context: FileContext, test: cst.BaseExpression, depth: int = 0) -> bool | None:
    """The value of `test` when Pydantic v2 runs: True, False, or None when it cannot be told."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        value = on_v2(context, test.expression, depth)
        return None if value is None else not value
    if isinstance(test, cst.BooleanOperation):
        left, right = on_v2(context, test.left, depth), on_v2(context, test.right, depth)
        if isinstance(test.operator, cst.And):
            return False if False in (left, right) else (True if left and right else None)
        return True if True in (left, right) else (False if left is False and right is False else None)
    if isinstance(test, cst.Call) and last_name(test.func) == "hasattr" and len(test.args) == 2:
        return True if string_value(test.args[1].value) in _V2_ATTRIBUTES else None
    said = _said_version(context, test.func if isinstance(test, cst.Call) else test)
    if said is not None:
        return said == "2"
    if isinstance(test, cst.Name) and depth < _DEPTH:
        value = context.index.assignment(test.value)
        if value is not None:
            return on_v2(context, value, depth + 1)
    answers = set()
    for release in _V2_RELEASES:
        try:
            answers.add(bool(_evaluate(context, test, release)))
        except (_Unknown, ValueError, TypeError, IndexError):
            return None
    return answers.pop() if len(answers) == 1 else None


def _said_version(context: FileContext, expr: cst.BaseExpression) -> str | None:
    """`"2"` for `PYDANTIC_V2` or prefect's `is_v2_model`, `"1"` for `PYDANTIC_V1`: see the module's doc."""
    name = last_name(expr)
    if name is None:
        return None
    words = [word.lower() for word in re.split(r"_+|(?<=[a-z0-9])(?=[A-Z])", name) if word]
    versions = {word[-1] for word in words if word in ("v1", "v2", "pydanticv1", "pydanticv2")}
    if "pydantic" in words:
        versions |= {word for word in words if word in ("1", "2")}
    if len(versions) != 1:
        return None
    qualified = context.imports.qualify(expr) or ""
    of_pydantic = any("pydantic" in word for word in words) or "pydantic" in qualified.split(".")[:-1]
    return versions.pop() if of_pydantic else None


def _evaluate(context: FileContext, expr: cst.BaseExpression, release: str) -> Any:
    """The value of a Pydantic version test with pydantic's version `release`."""
    if isinstance(expr, (cst.Name, cst.Attribute)):
        if context.imports.qualify(expr) in _VERSION_NAMES:
            return release
        raise _Unknown
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        return string_value(expr)
    if isinstance(expr, cst.Integer):
        return int(expr.value)
    if isinstance(expr, cst.Tuple):
        return tuple(_evaluate(context, element.value, release) for element in expr.elements)
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
        return _evaluate(context, expr.value, release)[_evaluate(context, expr.slice[0].slice.value, release)]
    if isinstance(expr, cst.Comparison):
        return _compare(context, expr, release)
    if isinstance(expr, cst.Call):
        return _call(context, expr, release)
    raise _Unknown


def _compare(context: FileContext, expr: cst.Comparison, release: str) -> bool:
    left = _evaluate(context, expr.left, release)
    for target in expr.comparisons:
        compare = _comparisons().get(type(target.operator))
        if compare is None:
            raise _Unknown
        right = _evaluate(context, target.comparator, release)
        if not compare(left, right):
            return False
        left = right
    return True


@cache
def _comparisons() -> dict[type[cst.CSTNode], Any]:
    """Built on first use, as _exits()."""
    return {
        cst.Equal: lambda a, b: a == b,
        cst.NotEqual: lambda a, b: a != b,
        cst.LessThan: lambda a, b: a < b,
        cst.LessThanEqual: lambda a, b: a <= b,
        cst.GreaterThan: lambda a, b: a > b,
        cst.GreaterThanEqual: lambda a, b: a >= b,
    }


def _call(context: FileContext, expr: cst.Call, release: str) -> Any:
    args = [_evaluate(context, arg.value, release) for arg in positional(expr)]
    if len(args) != len(expr.args):
        raise _Unknown
    if isinstance(expr.func, cst.Name) and expr.func.value == "int" and len(args) == 1:
        return int(args[0])
    if isinstance(expr.func, cst.Attribute) and expr.func.attr.value in ("startswith", "split") and len(args) <= 1:
        receiver = _evaluate(context, expr.func.value, release)
        if isinstance(receiver, str):
            return getattr(receiver, expr.func.attr.value)(*args)
    raise _Unknown
