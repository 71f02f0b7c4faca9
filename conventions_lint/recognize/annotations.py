"""What an annotation stands for when the project names it: `PrimaryKey` for `Annotated[int, Field(gt=0)]`;
whether it can hold a database handle or a mapped object at all."""

from __future__ import annotations

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import dotted_name
from conventions_lint.project_model.vocabulary import OPAQUE, TYPE
from conventions_lint.recognize.syntax import string_value, subscript_args, unwrap_optional

_BUILTIN_TYPES = frozenset(
    {
        "Any",
        "None",
        "bool",
        "bytes",
        "dict",
        "float",
        "frozenset",
        "int",
        "list",
        "object",
        "set",
        "str",
        "tuple",
        "type",
    }
)
_DATABASE_PACKAGES = frozenset({"sqlalchemy", "sqlmodel"})


def aliased_type(context: FileContext, annotation: cst.BaseExpression) -> str | None:
    """The qualified type (`builtins.int`, `uuid.UUID`) of a type alias the annotation names, here or elsewhere
    in the project (`X = Annotated[T, ...]`, `X: TypeAlias = T`); None when it names no alias."""
    inner = unwrap_optional(annotation)
    meaning = context.vocabulary.get(dotted_name(inner)) if isinstance(inner, (cst.Name, cst.Attribute)) else None
    if meaning is None or meaning.kind != TYPE or not meaning.types:
        return None
    return meaning.types[0]


def int_alias(context: FileContext, annotation: cst.BaseExpression) -> cst.BaseExpression | None:
    """The alias of `int` an annotation names (`PrimaryKey`, `Optional[PrimaryKey]`), if it names one."""
    return unwrap_optional(annotation) if aliased_type(context, annotation) == "builtins.int" else None


def holds_plain_data(context: FileContext, annotation: cst.BaseExpression) -> bool:
    """Whether every class the annotation names is known to be neither a mapped class nor a database type:
    builtins (`dict[str, list[str]]`), other packages' types (`collections.Counter`), the project's classes
    the project model says are not mapped (a dataclass, an enum). A name it cannot resolve is not plain."""
    for expr in _named_classes(annotation):
        dotted = dotted_name(expr) if expr is not None else None
        if dotted is None:
            return False
        meaning = context.vocabulary.get(dotted)
        if meaning is not None:
            if meaning.table is not None or meaning.has(OPAQUE):
                return False
            continue
        qualified = context.imports.qualify(expr)
        if qualified is None:
            if dotted not in _BUILTIN_TYPES:
                return False
            continue
        package = qualified.split(".", 1)[0]
        if not context.vocabulary.known or package in _DATABASE_PACKAGES or package in context.vocabulary.packages:
            return False
    return True


def _named_classes(annotation: cst.BaseExpression) -> list[cst.BaseExpression | None]:
    """The classes an annotation names: `dict[str, list[Pool]]` gives `dict`, `str`, `list`, `Pool`; None
    stands for what is not a name (a call, a literal)."""
    quoted = string_value(annotation)
    if quoted is not None:
        try:
            return _named_classes(cst.parse_expression(quoted))
        except cst.ParserSyntaxError:
            return [None]
    if isinstance(annotation, (cst.Name, cst.Attribute)):
        return [annotation]
    if isinstance(annotation, cst.Subscript):
        return [annotation.value, *(c for arg in subscript_args(annotation) for c in _named_classes(arg))]
    if isinstance(annotation, cst.BinaryOperation):
        return [*_named_classes(annotation.left), *_named_classes(annotation.right)]
    return [None]
