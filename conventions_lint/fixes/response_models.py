"""The `response_model=` CL301's fix adds to a route decorator (rules/response_models.py reports).

Its value is the handler's return annotation, else the `<Entity>Response` schema the
naming convention points to; a schema this file does not bind is imported in the project
phase from the one file that defines it (`complete_schema_import`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.diagnostic import Applicability, DeferredRequest, Fix
from conventions_lint.fixes.deferred import import_names
from conventions_lint.module_paths import module_name
from conventions_lint.recognize.fastapi import names_unknown_class
from conventions_lint.recognize.handlers import conventional_response, parse_handler_name

if TYPE_CHECKING:
    from conventions_lint.context import FileContext
    from conventions_lint.diagnostic import Diagnostic
    from conventions_lint.fixes.builder import FixBuilder
    from conventions_lint.recognize.fastapi import Route
    from conventions_lint.rule import Project


@dataclass(frozen=True)
class ImportSchema(DeferredRequest):
    """CL301's request: import the schema `schema` from the one file of the project that defines it."""

    schema: str


@dataclass(frozen=True)
class ResponseModel:
    """The value a fix gives `response_model=`, how safe that is, and the import it needs from another file."""

    value: str
    applicability: Applicability
    request: ImportSchema | None = None


class AddsResponseModels:
    """Mixed into CL301's rule: the fix it offers for a route, started with its `fix`, and completed in the
    project phase when the schema is to be imported from another file."""

    context: FileContext

    @classmethod
    def complete_fix(cls, diagnostic: Diagnostic, files: Project) -> Fix | None:
        return complete_schema_import(diagnostic, files)

    def _response_model_fix(self, route: Route, returns_nothing: bool) -> tuple[FixBuilder | None, ImportSchema | None]:
        if returns_nothing:
            return None, None  # `response_model=` on a handler that returns nothing fails every call with a 500
        model = response_model(self.context, route)
        if model is None:
            return None, None
        fix = self.fix(f"Add `response_model={model.value}` to the route decorator", model.applicability)
        return fix.add_keyword(route.call, f"response_model={model.value}"), model.request


def response_model(context: FileContext, route: Route) -> ResponseModel | None:
    """`response_model=` from the return annotation (safe), else from the naming convention (unsafe);
    None when neither gives a value FastAPI accepts (for a handler that returns a value)."""
    returns = route.function.returns
    if returns is None:
        response = conventional_response(parse_handler_name(route.function.name.value), route.path)
        if response is None:
            return None
        bound = response.schema in context.index.classes or response.schema in context.imports.bindings
        request = None if bound else ImportSchema(response.schema)
        return ResponseModel(response.annotation, Applicability.UNSAFE, request)
    if isinstance(returns.annotation, cst.BaseString):
        return None  # a string annotation is resolved by FastAPI, a string `response_model` is not
    if names_unknown_class(context, returns.annotation):
        return None  # a Response subclass is no response model: FastAPI fails at import
    return ResponseModel(context.module.code_for_node(returns.annotation), Applicability.SAFE)


def complete_schema_import(diagnostic: Diagnostic, files: Project) -> Fix | None:
    """The schema imported from the one file of the project that defines it, with `response_model=`."""
    schema = diagnostic.deferred.request.schema
    home, here = files.only_schema_class(schema), files.at(diagnostic.path)
    module = module_name(home.relative_path) if home is not None else None
    if module is None or here is None:
        return None
    return Fix(
        f"Add `response_model=` to the route decorator, importing `{schema}` from `{module}`",
        Applicability.UNSAFE,
        (*diagnostic.deferred.edits, import_names(here.facts, module, [schema], None)),
    )
