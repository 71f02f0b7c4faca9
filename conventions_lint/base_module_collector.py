"""Collecting the facts of a file's imports as the walk's facts are made: a db-base file's
`BaseModuleFact` (base_module_facts.py), and where a model file's imports stand."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from conventions_lint.base_module_facts import BaseModuleFact, ImportLineFact, ListEndFact, TypeCheckingFact
from conventions_lint.diagnostic import Span
from conventions_lint.names import bound_name, dotted_name, last_name
from conventions_lint.recognize.syntax import is_docstring, string_value


def base_module_fact(module: cst.Module, span_of: Callable[..., Span]) -> BaseModuleFact:
    fact, block, previous_was_import = BaseModuleFact(), 0, False
    for statement in module.body:
        span = span_of(statement)
        fact.last_row = span.end.row
        line = import_line(statement, span, block)
        if line is not None:
            fact.imports.append(line)
            previous_was_import = True
            continue
        if previous_was_import:
            block += 1
        previous_was_import = False
        if isinstance(statement, (cst.ClassDef, cst.FunctionDef)):
            fact.defines_code = True
            fact.defined.append(statement.name.value)
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            targets = small.targets if isinstance(small, cst.Assign) else ()
            for target in targets:
                if isinstance(target.target, cst.Name):
                    fact.defined.append(target.target.value)
                    if target.target.value == "__all__":
                        fact.exports = _list_end(small.value, statement, span_of)
    return fact


def leading_imports(module: cst.Module, span_of: Callable[..., Span]) -> list[ImportLineFact]:
    """The import lines a module starts with (after its docstring), up to its first other statement."""
    lines = []
    for statement in module.body:
        line = import_line(statement, span_of(statement), 0)
        if line is None and not is_docstring(statement, module.body):
            break
        lines += [line] if line is not None else []
    return lines


def type_checking_block(module: cst.Module, span_of: Callable[..., Span]) -> TypeCheckingFact | None:
    """The first top-level `if TYPE_CHECKING:` (also `typing.TYPE_CHECKING`) with an indented body."""
    for statement in module.body:
        if (
            isinstance(statement, cst.If)
            and statement.orelse is None
            and last_name(statement.test) == "TYPE_CHECKING"
            and isinstance(statement.body, cst.IndentedBlock)
        ):
            indent = statement.body.indent if statement.body.indent is not None else module.default_indent
            lines = [import_line(line, span_of(line, (statement,)), 0) for line in statement.body.body]
            return TypeCheckingFact(span_of(statement).end.row, indent, [line for line in lines if line is not None])
    return None


def import_line(statement: cst.BaseStatement, span: Span, block: int) -> ImportLineFact | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    comment = statement.trailing_whitespace.comment
    text = comment.value if comment is not None else None
    if isinstance(small, cst.Import):
        names = [bound_name(alias) for alias in small.names]
        module = dotted_name(small.names[0].name) or ""
        return ImportLineFact(span.start.row, span.end.row, module, False, names, text, block)
    if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
        module = "." * len(small.relative) + (dotted_name(small.module) or "" if small.module is not None else "")
        names = [bound_name(alias) for alias in small.names]
        plain = span.start.row == span.end.row and small.lpar is None and all(a.asname is None for a in small.names)
        return ImportLineFact(span.start.row, span.end.row, module, True, names, text, block, plain)
    return None


def _list_end(value: cst.BaseExpression, statement: cst.CSTNode, span_of: Callable[..., Span]) -> ListEndFact | None:
    if not isinstance(value, (cst.List, cst.Tuple)) or not value.elements:
        return None
    items = [string_value(element.value) for element in value.elements]
    if any(item is None for item in items):
        return None
    last = value.elements[-1]
    end = span_of(last.value, (statement,)).end
    comma = last.comma
    indent = None
    if isinstance(comma, cst.Comma) and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace):
        before = value.elements[-2].comma.whitespace_after if len(value.elements) > 1 else None
        if isinstance(before, cst.ParenthesizedWhitespace):
            indent = before.last_line.value
        if indent is None:
            return None
    elif isinstance(comma, cst.Comma):
        return None  # `("User",)` on one line: rare enough to leave to the user
    return ListEndFact(end.row, end.column, indent, items)
