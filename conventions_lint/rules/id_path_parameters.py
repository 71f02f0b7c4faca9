"""CL204: path parameters that hold ids are UUIDs (id_fields.py: the ids of schemas)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.fixes.uuid_types import RetypesIntegerIds
from conventions_lint.recognize.annotations import int_alias
from conventions_lint.recognize.fastapi import Route, parameter, routes_of
from conventions_lint.recognize.ids import alias_shown, int_annotation, is_id_name
from conventions_lint.recognize.syntax import positional
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder


class IntegerIdPathParameter(RetypesIntegerIds, Rule):
    """
    ## What it does
    Checks for route path parameters named `{id}` or `{*_id}` whose handler
    parameter is typed `int` (also `Annotated[int, Path(...)]`).

    ## Why is this bad?
    Identifiers are UUIDs by convention; an `int` path parameter rejects every
    real id with a 422 and documents the wrong type in the OpenAPI schema.

    ## Fix safety
    The fix replaces `int` with `UUID`, adds `from uuid import UUID` (or
    uses `uuid.UUID` when the file has `import uuid`), drops the numeric
    bounds (`gt`, `ge`, `lt`, `le`, `multiple_of`) of the parameter's
    `Path(...)`, and turns a `{user_id:int}` path convertor into
    `{user_id:uuid}`, which would otherwise reject every UUID. It is unsafe:
    it changes what the endpoint accepts.

    There is no fix for a parameter typed by an alias of `int`, which is
    reported: retyping the alias is the project's decision. A name the fix
    imports never collides with one in scope: when a variable, attribute
    or parameter where it is used already has that name, it is not
    imported and there is no fix.
    """

    code = "CL204"
    name = "integer-id-path-parameter"
    OPTIONS = ("router-classes",)
    REQUIRES = (b"id}", b"id:")
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
    VALID = (
        Valid("""
            from uuid import UUID

            from fastapi import APIRouter

            router = APIRouter()


            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: UUID) -> UserResponse:
                ...
        """),
        # `page` is not an id, and `limit` and `owner_id` are query parameters.
        Valid("""
            from fastapi import APIRouter

            router = APIRouter()


            @router.get("/reports/{page}", response_model=list[ReportResponse])
            async def get_reports(page: int, limit: int = 50, owner_id: int | None = None) -> list[ReportResponse]:
                ...
        """),
        # Not a route.
        Valid("""
            def get_user_service(user_id: int) -> None:
                ...
        """),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import APIRouter

            router = APIRouter()


            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: int) -> UserResponse:
                ...
        """,
            line=7,
            column=29,
            fixed="""
            from uuid import UUID

            from fastapi import APIRouter

            router = APIRouter()


            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: UUID) -> UserResponse:
                ...
        """,
        ),
        Invalid(
            """
            from typing import Annotated

            from fastapi import FastAPI, Path

            app = FastAPI()


            @app.delete("/items/{id:int}", status_code=204)
            async def delete_item(id: Annotated[int, Path(gt=0)]) -> None:
                ...
        """,
            line=9,
            column=37,
            fixed="""
            from typing import Annotated
            from uuid import UUID

            from fastapi import FastAPI, Path

            app = FastAPI()


            @app.delete("/items/{id:uuid}", status_code=204)
            async def delete_item(id: Annotated[UUID, Path()]) -> None:
                ...
        """,
        ),
        Invalid(
            """
            from uuid import UUID

            from fastapi import APIRouter

            router = APIRouter(prefix="/users")


            @router.get("/{user_id}/posts/{post_id}", response_model=PostResponse)
            async def get_user_post(user_id: UUID, post_id: int) -> PostResponse:
                ...
        """,
            line=9,
            column=49,
            fixed="""
            from uuid import UUID

            from fastapi import APIRouter

            router = APIRouter(prefix="/users")


            @router.get("/{user_id}/posts/{post_id}", response_model=PostResponse)
            async def get_user_post(user_id: UUID, post_id: UUID) -> PostResponse:
                ...
        """,
        ),
    )

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        # A handler under several route decorators gets the parameters of all their paths.
        routes = [route for route in routes_of(self.context, node) if route.router_in_api]
        names = dict.fromkeys(name for route in routes for name in route.path_parameters)
        for name in names:
            param = parameter(node, name) if is_id_name(name) else None
            annotation = param.annotation.annotation if param and param.annotation else None
            integer = int_annotation(annotation) if annotation is not None else None
            if integer is not None:
                self.report(
                    integer, f"Type path parameter `{name}` as `UUID`, not `int`", fix=self._fix(routes, param, integer)
                )
            elif annotation is not None and (alias := int_alias(self.context, annotation)) is not None:
                message = f"Type path parameter `{name}` as `UUID`, not `int` (`{alias_shown(alias)}` stands for `int`)"
                self.report(alias, message)

    def _fix(self, routes: list[Route], param: cst.Param, integer: cst.BaseExpression) -> FixBuilder:
        """`UUID` for `int`; a `{name:int}` path convertor becomes `{name:uuid}`, or no UUID would match it."""
        convertor, uuid_convertor = f"{{{param.name.value}:int}}", f"{{{param.name.value}:uuid}}"
        paths = []
        for route in routes:
            path = route.keyword("path") or next(iter(positional(route.call)), None)
            if path is not None and isinstance(path.value, cst.SimpleString) and convertor in path.value.value:
                paths.append(path.value)
        also_replaced = (f"`{convertor}` with `{uuid_convertor}`",) if paths else ()
        fix = self._uuid_fix(integer, param.default, also_replaced=also_replaced)
        for path in paths:
            fix.replace(path, path.value.replace(convertor, uuid_convertor))
        return fix
