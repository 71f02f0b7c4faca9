"""CL3: endpoints declare what they answer, with what status, from an injected session."""

from __future__ import annotations

import libcst as cst

from conventions_lint.recognize.fastapi import CRUD_METHODS, NO_BODY_STATUSES, Route, is_response_class, routes_of
from conventions_lint.recognize.syntax import is_builtin
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid


class MissingResponseModel(Rule):
    """
    ## What it does
    Checks for route decorators (`@router.get(...)`, `@app.post(...)`, `.put`,
    `.patch`, `.delete`) without `response_model=`.

    Not flagged: routes that answer without a body (`status_code=204`, also
    205 and 304, spelled as a number, `status.HTTP_204_NO_CONTENT` or
    `HTTPStatus.NO_CONTENT`); routes given a `response_class=`, or whose
    handler is annotated to return a FastAPI or Starlette `Response` class
    (`RedirectResponse`, `StreamingResponse`, …); routes hidden with
    `include_in_schema=False`; websocket, HEAD and OPTIONS routes; and an
    explicit `response_model=None`, which is a deliberate choice.

    A return annotation does not count as a response model unless the
    `allow-return-annotation` setting is `true`.

    ## Why is this bad?
    `response_model` is what FastAPI uses to filter the returned object (an ORM
    instance must not leak its `hashed_password`), to validate it and to
    document the endpoint in OpenAPI. The team declares it on every route, on
    the decorator, where reviewers look for it.

    Note that ruff's FAST001 asks for the opposite (it calls `response_model`
    redundant next to a return annotation): a team using both turns FAST001 off.

    ## Fix safety
    The fix adds `response_model=` to the decorator. It is safe when the value
    is taken from the handler's return annotation, which FastAPI already uses as
    the response model. It is unsafe when the value is the `<Entity>Response`
    schema picked by the naming convention, which may filter or validate the
    response differently from what the handler returns today.
    """

    code = "CL301"
    name = "missing-response-model"
    fix_safety = FixSafety.SOMETIMES
    VALID = (
        Valid("""
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: str) -> UserResponse:
                ...
        """),
        Valid("""
            from fastapi import APIRouter, status

            router = APIRouter()

            @router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
            async def delete_user(user_id: str) -> None:
                ...
        """),
        Valid("""
            from fastapi import FastAPI
            from fastapi.responses import HTMLResponse, RedirectResponse

            app = FastAPI()

            @app.get("/", response_class=HTMLResponse)
            async def get_home() -> str:
                return "<h1>Hello</h1>"

            @app.get("/docs-redirect", include_in_schema=False)
            async def get_docs_redirect():
                return RedirectResponse("/docs")

            @app.get("/login")
            async def get_login() -> RedirectResponse:
                return RedirectResponse("/auth")

            @app.websocket("/ws")
            async def get_socket(websocket):
                ...
        """),
        Valid(
            """
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users")
            async def get_users() -> list[UserResponse]:
                ...
            """,
            settings=(("allow-return-annotation", True),),
        ),
        Valid("""
            from app.core.cache import cache

            @cache.get("users")
            def get_users():
                return ["alice", "bob"]
        """),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users/{user_id}")
            async def get_user(user_id: str) -> UserResponse:
                ...
            """,
            line=7,
            column=2,
        ),
        Invalid(
            """
            from fastapi import FastAPI

            app = FastAPI()

            @app.post(
                "/users",
                status_code=201,
            )
            async def create_user(payload: dict):
                ...
            """,
            line=5,
            column=2,
        ),
        Invalid(
            """
            from http import HTTPStatus

            from fastapi import APIRouter

            router = APIRouter()

            @router.get("/health", status_code=HTTPStatus.OK)
            def get_health() -> dict[str, str]:
                return {"status": "ok"}
            """,
            line=7,
            column=2,
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for route in routes_of(self.context, node):
            if self._needs_response_model(route):
                self.report(route.call, self._message(route), fix_at=route.call)

    def _needs_response_model(self, route: Route) -> bool:
        if route.method not in CRUD_METHODS:
            return False
        if route.keyword("response_model") is not None or route.keyword("response_class") is not None:
            return False
        if route.status_code in NO_BODY_STATUSES or not route.in_schema:
            return False
        returns = route.function.returns
        if returns is None:
            return True
        return not (self.settings.allow_return_annotation or is_response_class(self.context, returns.annotation))

    def _message(self, route: Route) -> str:
        returns = route.function.returns
        if returns is None:
            return "Declare the response schema with `response_model=` on the route decorator"
        if is_builtin(returns.annotation, "None"):
            return ("Declare `status_code=status.HTTP_204_NO_CONTENT` for a route that answers nothing, "
                    "or its response schema with `response_model=`")
        annotation = self.context.module.code_for_node(returns.annotation)
        return f"Declare the response schema with `response_model={annotation}` on the route decorator"
