"""Small questions about LibCST nodes that several rules ask."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from conventions_lint.names import last_name


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def positional(call: cst.Call) -> list[cst.Arg]:
    return [arg for arg in call.args if arg.keyword is None and not arg.star]


def string_value(expr: cst.BaseExpression | None) -> str | None:
    """The value of a plain (non f-) string literal, or None."""
    if type(expr) is cst.SimpleString:
        value = literal_value(expr)
        return value if isinstance(value, str) else None
    if type(expr) is cst.ConcatenatedString:
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def literal_value(string: cst.SimpleString) -> str | bytes:
    """`string.evaluated_value`, read off the literal when it has no escapes: LibCST compiles every
    literal it evaluates (`ast.literal_eval`), which cost 4 % of a run on finding-dense code."""
    prefix, body = string.prefix, string.raw_value
    # A carriage return stands for a newline in the value (the tokenizer reads CRLF as LF).
    if "\r" not in body and (prefix == "r" or (prefix in ("", "u") and "\\" not in body)):
        return body
    return string.evaluated_value


def is_docstring(statement: cst.CSTNode, body: Sequence[cst.CSTNode]) -> bool:
    """Whether `statement` is the docstring of the module or class whose statements are `body`."""
    return (
        bool(body)
        and statement is body[0]
        and isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def is_true(expr: cst.BaseExpression | None) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "True"


def is_false(expr: cst.BaseExpression | None) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "False"


def subscript_args(expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The index expressions of `X[a, b]`; empty for anything else."""
    if type(expr) is not cst.Subscript:
        return []
    return [element.slice.value for element in expr.slice if type(element.slice) is cst.Index]


def unwrap_optional(expr: cst.BaseExpression) -> cst.BaseExpression:
    """`X` for `Optional[X]`, `Union[X, None]`, `X | None`, `None | X` and `Annotated[X, ...]`."""
    while True:
        kind = type(expr)
        if kind is cst.Subscript and last_name(expr.value) in ("Optional", "Annotated"):
            args = subscript_args(expr)
            if not args:
                return expr
            expr = args[0]
        elif kind is cst.Subscript and last_name(expr.value) == "Union":
            members = [arg for arg in subscript_args(expr) if not _is_none(arg)]
            if len(members) != 1:
                return expr
            expr = members[0]
        elif kind is cst.BinaryOperation and type(expr.operator) is cst.BitOr:
            if _is_none(expr.right):
                expr = expr.left
            elif _is_none(expr.left):
                expr = expr.right
            else:
                return expr
        else:
            return expr


def union_members(expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The types of `A | B | None` or `Union[A, B]` without `None`: [A, B]; [expr] for anything else."""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
        members = [*union_members(expr.left), *union_members(expr.right)]
    elif isinstance(expr, cst.Subscript) and last_name(expr.value) in ("Union", "Optional"):
        members = [member for arg in subscript_args(expr) for member in union_members(arg)]
    else:
        return [expr]
    return [member for member in members if not _is_none(member)] or [expr]


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def is_builtin(expr: cst.BaseExpression, name: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == name


def is_list_annotation(expr: cst.BaseExpression) -> bool:
    """`list[X]`, `List[X]`, `Sequence[X]`, `Iterable[X]` (after unwrapping Optional)."""
    expr = unwrap_optional(expr)
    target = expr.value if isinstance(expr, cst.Subscript) else expr
    return last_name(target) in ("list", "List", "Sequence", "Iterable", "tuple", "Tuple", "set", "Set")


def target_name(statement: cst.BaseSmallStatement) -> str | None:
    """The single name an `x = …` or `x: T = …` statement binds."""
    kind = type(statement)
    if kind is cst.AnnAssign and type(statement.target) is cst.Name:
        return statement.target.value
    if kind is cst.Assign and len(statement.targets) == 1:
        target = statement.targets[0].target
        if type(target) is cst.Name:
            return target.value
    return None


def class_body_statements(node: cst.ClassDef) -> list[cst.BaseSmallStatement]:
    """The simple statements directly in a class body (`x = …`, `x: T = …`, …)."""
    if type(node.body) is not cst.IndentedBlock:
        return list(node.body.body)
    found: list[cst.BaseSmallStatement] = []
    for line in node.body.body:
        if type(line) is cst.SimpleStatementLine:
            found.extend(line.body)
    return found


def parameters(function: cst.FunctionDef, *, skip_first: bool = False) -> list[cst.Param]:
    """Every parameter in source order, `*args` and `**kwargs` included; less the first when asked."""
    params = function.params
    positional_params = [*params.posonly_params, *params.params]
    if skip_first:
        positional_params = positional_params[1:]
    star_arg = [params.star_arg] if isinstance(params.star_arg, cst.Param) else []
    star_kwarg = [params.star_kwarg] if params.star_kwarg is not None else []
    return [*positional_params, *star_arg, *params.kwonly_params, *star_kwarg]


def assignment_target(statement: cst.Assign | cst.AnnAssign) -> cst.BaseExpression:
    """What `x = …` or `x: T = …` assigns to (the first target of a chained assignment)."""
    return statement.target if isinstance(statement, cst.AnnAssign) else statement.targets[0].target
