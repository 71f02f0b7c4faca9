"""CL2 at the API surface: schema fields and path parameters that hold ids are UUIDs (identifiers.py: columns)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.fixes.calls import without_argument
from conventions_lint.names import dotted_name, last_name
from conventions_lint.recognize.annotations import int_alias
from conventions_lint.recognize.fastapi import Route, parameter, routes_of
from conventions_lint.recognize.syntax import (
    class_body_statements,
    is_builtin,
    positional,
    subscript_args,
    unwrap_optional,
)
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.context import FileContext
    from conventions_lint.fixes.builder import FixBuilder

_NUMERIC_BOUNDS = frozenset({"gt", "ge", "lt", "le", "multiple_of"})
_FIELD_FUNCTIONS = {
    "pydantic": frozenset({"Field"}),
    "fastapi": frozenset({"Path", "Query", "Body", "Header", "Cookie", "Form"}),
}


def _spelled(expr: cst.BaseExpression) -> str:
    return dotted_name(expr) or "the alias"


def is_id_name(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def _int_annotation(annotation: cst.BaseExpression) -> cst.BaseExpression | None:
    """The `int` of `int`, `Optional[int]`, `int | None` or `Annotated[int, ...]`."""
    inner = unwrap_optional(annotation)
    return inner if is_builtin(inner, "int") else None


class _RetypesIntegerIds:
    """The fix shared by the rules that retype an `int` id annotation to `UUID`.

    Numeric bounds (`Field(gt=0)`, `Path(ge=1)`) go with the `int`: pydantic cannot
    compare a UUID with a number. They may sit in an `Annotated[int, ...]`, which the
    walk reaches after visiting the class or function, so the rules report on leaving it.
    """

    context: FileContext

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # The `int` of each `Annotated[int, ...]`, with the metadata after it.
        self._annotated: dict[cst.CSTNode, list[cst.BaseExpression]] = {}

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if last_name(node.value) == "Annotated":
            args = subscript_args(node)
            if args and is_builtin(args[0], "int"):
                self._annotated[args[0]] = args[1:]

    def _uuid_fix(
        self,
        integer: cst.BaseExpression,
        default: cst.BaseExpression | None,
        *,
        also_replaced: tuple[str, ...] = (),
        blocks: tuple[cst.IndentedBlock, ...] = (),
    ) -> FixBuilder:
        """`blocks`: those between the visited node and the annotation, for the layout of edited calls."""
        bounded = [
            (call, bounds)
            for call in (*self._annotated.get(integer, ()), default)
            if (bounds := self._numeric_bounds(call))
        ]
        message = " and ".join(("Replace `int` with `UUID`", *also_replaced))
        fix = self.fix(message + (", dropping its numeric bounds" if bounded else ""))
        fix.replace(integer, fix.import_name("uuid", "UUID"))
        for call, bounds in bounded:
            unbounded = call
            for arg in bounds:
                unbounded = without_argument(unbounded, arg)
            fix.replace(call, unbounded, inner_blocks=blocks)
        return fix

    def _numeric_bounds(self, expr: cst.BaseExpression | None) -> list[cst.Arg]:
        """`gt=0` and the like in a pydantic `Field(...)` or a FastAPI `Path(...)`, `Query(...)`, …"""
        if not isinstance(expr, cst.Call) or not any(
            self.context.imports.refers_to(expr.func, package, names) for package, names in _FIELD_FUNCTIONS.items()
        ):
            return []
        return [arg for arg in expr.args if arg.keyword is not None and arg.keyword.value in _NUMERIC_BOUNDS]


class IntegerIdField(_RetypesIntegerIds, Rule):
    """
    ## What it does
    Checks for Pydantic model fields named `id` or `*_id` typed as `int`
    (also `Optional[int]`, `int | None` and `Annotated[int, ...]`).
    Settings classes (`BaseSettings`) are not schemas and are not checked.

    ## Why is this bad?
    Identifiers are UUIDs by convention. An `int` id field accepts and
    documents the wrong type, so the API contract disagrees with the database.

    ## Fix safety
    The fix replaces `int` with `UUID` (inside `Optional[...]` and
    `Annotated[...]` too), adds `from uuid import UUID` (or uses `uuid.UUID`
    when the file has `import uuid`), and drops the numeric bounds (`gt`,
    `ge`, `lt`, `le`, `multiple_of`) of the field's `Field(...)`, which a
    UUID cannot be compared with. It is unsafe: it changes what the API
    accepts and returns.
    """

    code = "CL203"
    name = "integer-id-field"
    OPTIONS = ("schema-bases",)
    REQUIRES = (b"id:", b"id :")
    fix_safety = FixSafety.UNSAFE
    VALID = (
        Valid(
            """
            from uuid import UUID

            from pydantic import BaseModel


            class PostResponse(BaseModel):
                id: UUID
                author_id: UUID
                title: str
        """,
            path="app/schemas/post.py",
        ),
        # Not id fields, or not a Pydantic model.
        Valid("""
            from dataclasses import dataclass

            from pydantic import BaseModel


            class PostStats(BaseModel):
                view_count: int
                request_id: str


            @dataclass
            class Row:
                id: int
        """),
        Valid("""
            from pydantic_settings import BaseSettings


            class Settings(BaseSettings):
                telegram_chat_id: int = 0
        """),
    )
    INVALID = (
        Invalid(
            """
            from uuid import UUID

            from pydantic import BaseModel


            class PostResponse(BaseModel):
                id: int
                author_id: UUID
                title: str
        """,
            line=7,
            column=9,
            path="app/schemas/post.py",
            fixed="""
            from uuid import UUID

            from pydantic import BaseModel


            class PostResponse(BaseModel):
                id: UUID
                author_id: UUID
                title: str
        """,
        ),
        Invalid(
            """
            from typing import Annotated, Optional

            from pydantic import BaseModel, Field


            class PostUpdate(BaseModel):
                editor_id: Optional[Annotated[int, Field(gt=0)]] = None
        """,
            line=7,
            column=35,
            fixed="""
            from typing import Annotated, Optional
            from uuid import UUID

            from pydantic import BaseModel, Field


            class PostUpdate(BaseModel):
                editor_id: Optional[Annotated[UUID, Field()]] = None
        """,
        ),
        Invalid(
            """
            from pydantic import BaseModel


            class PostBase(BaseModel):
                title: str


            class PostCreate(PostBase):
                author_id: int | None = None
        """,
            line=9,
            column=16,
            fixed="""
            from uuid import UUID

            from pydantic import BaseModel


            class PostBase(BaseModel):
                title: str


            class PostCreate(PostBase):
                author_id: UUID | None = None
        """,
        ),
    )

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        if not self.context.index.is_pydantic(node) or self.context.index.is_settings(node):
            return
        for statement in class_body_statements(node):
            if not (isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name)):
                continue
            name = statement.target.value
            if not is_id_name(name):
                continue
            integer = _int_annotation(statement.annotation.annotation)
            if integer is not None:
                fix = self._uuid_fix(integer, statement.value, blocks=(node.body,))
                self.report(integer, f"Type `{name}` as `UUID`, not `int`", fix=fix)
            elif (alias := int_alias(self.context, statement.annotation.annotation)) is not None:
                # The alias is shared: retyping it is the project's decision, not a fix of this field.
                self.report(alias, f"Type `{name}` as `UUID`, not `int` (`{_spelled(alias)}` stands for `int`)")


class IntegerIdPathParameter(_RetypesIntegerIds, Rule):
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
    """

    code = "CL204"
    name = "integer-id-path-parameter"
    OPTIONS = ("router-classes",)
    REQUIRES = (b"id}", b"id:")
    fix_safety = FixSafety.UNSAFE
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
            integer = _int_annotation(annotation) if annotation is not None else None
            if integer is not None:
                self.report(
                    integer, f"Type path parameter `{name}` as `UUID`, not `int`", fix=self._fix(routes, param, integer)
                )
            elif annotation is not None and (alias := int_alias(self.context, annotation)) is not None:
                message = f"Type path parameter `{name}` as `UUID`, not `int` (`{_spelled(alias)}` stands for `int`)"
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
