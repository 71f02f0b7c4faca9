"""What an annotation stands for when the project names it: `PrimaryKey` for `Annotated[int, Field(gt=0)]`."""

from __future__ import annotations

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import dotted_name
from conventions_lint.project_model.vocabulary import TYPE
from conventions_lint.recognize.syntax import unwrap_optional


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
