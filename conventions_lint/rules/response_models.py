"""CL301: every route declares what it answers (`response_model=`), so FastAPI filters and documents it.

fixes/response_models.py says what the fix adds; recognize/route_kinds.py which routes leave their answer
undeclared, and recognize/returns.py which handlers return a value."""

from __future__ import annotations

import libcst as cst

from conventions_lint.fixes.response_models import AddsResponseModels
from conventions_lint.recognize.fastapi import ROUTE_TEXT, Route, routes_of
from conventions_lint.recognize.returns import ReturnTracker
from conventions_lint.recognize.route_kinds import leaves_answer_undeclared
from conventions_lint.rule import FixAvailability, Invalid, Rule, Valid

_USER_SCHEMAS = """\
from pydantic import BaseModel


class UserFilter(BaseModel):
    email: str | None = None


class UserResponse(BaseModel):
    id: int
    email: str
"""


class MissingResponseModel(AddsResponseModels, Rule):
    """
    ## What it does
    Checks for route decorators (`@router.get(...)`, `@app.post(...)`, `.put`,
    `.patch`, `.delete`) without `response_model=`. Not flagged:
    - routes that answer without a body: `status_code=204` (also 205, 304),
      as a number, `status.HTTP_204_NO_CONTENT` or `HTTPStatus.NO_CONTENT`;
    - routes given a `response_class=`, or whose handler is annotated to
      return a Starlette `Response` class (`RedirectResponse`, sse-starlette's
      `EventSourceResponse`, a project class deriving from one, a union);
    - pages and redirects: a handler whose every return is one it builds
      (`templates.TemplateResponse(...)`, `RedirectResponse(url)`, a local name
      bound only to one, as fief's dashboard does); a file or a `JSONResponse`
      still wants its `response_class=` or schema stated;
    - pass-throughs: a handler returning the body of an HTTP client's response
      (`return await r.json()`; an aiohttp, httpx or requests client made in
      the handler or returned by a function the project model describes) and
      otherwise only response objects it builds: it answers another
      service's schema, which a response model of the team's would filter;
    - `include_in_schema=False`; websocket, HEAD and OPTIONS routes; an
      explicit `response_model=None`, a deliberate choice.

    A return annotation does not count as a response model unless the
    `allow-return-annotation` setting is `true`. A handler that returns
    nothing (`-> None`, or no annotation and no `return` of a value) is told
    to declare `status_code=status.HTTP_204_NO_CONTENT`, or `response_model=None`
    when its decorator states another status (`202 Accepted`).

    ## Why is this bad?
    `response_model` is what FastAPI uses to filter the returned object (an ORM
    instance must not leak its `hashed_password`), to validate it and to
    document the endpoint in OpenAPI. The team declares it on every route, on
    the decorator, where reviewers look for it.

    Note that ruff's FAST001 asks for the opposite (it calls `response_model`
    redundant next to a return annotation): a team using both turns FAST001 off.

    ## Fix safety
    The fix adds `response_model=` after the decorator's last argument (on a
    line of its own when the arguments stand one a line). It is safe when the
    value is the handler's return annotation, which FastAPI already uses as
    the response model: `-> list[UserResponse]` gives
    `response_model=list[UserResponse]`. There is none when the annotation
    names a class that cannot be told from a `Response` class (one of a
    third-party package the project model does not describe, or a project
    class deriving from one): `response_model=` set to a response class makes
    FastAPI fail at import (fixes.md F7).

    Without a return annotation the value is the `<Entity>Response` schema the
    naming convention points to (`get_user`: `UserResponse`; `get_users`,
    `get_all_users`: `list[UserResponse]`; `get_by_id` takes its noun from
    the path `/users/{user_id}`), when that class is in the file or exactly
    one file of the project defines it (the fix then imports it from there).
    It is unsafe: the schema may filter or validate the response differently
    from what the handler returns today.

    No fix for a handler that returns nothing (it wants `status_code=204`: a
    response model would fail every call with a 500, fixes.md F7), for a
    string annotation, or for a decorator with `**options`, which may set
    `response_model` already.

    ## Known limits
    Only what the handler itself does is seen: a pass-through through a
    helper (`return await send_request(...)`), a client the handler is handed
    or one of a module-level variable, and a handler returning a page
    through a helper (`return await form.get_response()`) are reported. So
    is a pass-through that answers a dict of its own on some path.

    A `Response` subclass of a third-party package other than sse-starlette
    is not recognised: the route is reported (without a fix). Mark such a
    route `response_class=` (which also documents it). A class imported from
    a module of the project that the project model cannot find is taken for
    a schema.
    """

    code = "CL301"
    name = "missing-response-model"
    OPTIONS = ("router-classes",)
    REQUIRES = ROUTE_TEXT
    SERVICES = (ReturnTracker,)
    fix_availability = FixAvailability.SOMETIMES
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
        # fixes.md F7: any Starlette response class, third-party ones included, is a response class.
        Valid("""
            from fastapi import APIRouter
            from sse_starlette.sse import EventSourceResponse
            from starlette.responses import StreamingResponse

            router = APIRouter()


            class CSVResponse(StreamingResponse):
                media_type = "text/csv"


            @router.get("/events")
            async def get_events() -> EventSourceResponse:
                return EventSourceResponse(stream())

            @router.get("/reports/export")
            async def get_report_export() -> CSVResponse | EventSourceResponse:
                return CSVResponse(rows())
        """),
        # Issue 15: a pass-through answers another service's schema; a page or a redirect has no body.
        Valid("""
            import httpx
            from fastapi import APIRouter, Request
            from fastapi.responses import RedirectResponse, StreamingResponse
            from fastapi.templating import Jinja2Templates

            router = APIRouter()
            templates = Jinja2Templates(directory="templates")

            @router.post("/chat/completions")
            async def proxy_chat_completion(payload: dict):
                async with httpx.AsyncClient() as client:
                    upstream = await client.post("https://api.example.com/v1/chat", json=payload)
                    if payload.get("stream"):
                        return StreamingResponse(upstream.aiter_bytes())
                    return upstream.json()

            @router.get("/users")
            async def list_users(request: Request):
                return templates.TemplateResponse(request, "users.html", {})

            @router.get("/auth/callback")
            async def callback(token: str):
                response = RedirectResponse(url="/admin/")
                response.set_cookie("session", token)
                return response
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
            fixed="""
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: str) -> UserResponse:
                ...
            """,
        ),
        Invalid(
            """
            from fastapi import FastAPI

            from app.schemas.user import UserCreate, UserResponse

            app = FastAPI()

            @app.post(
                "/users",
                status_code=201,  # created
            )
            async def create_user(payload: UserCreate):
                return await create_user_service(payload)
            """,
            line=7,
            column=2,
            fixed="""
            from fastapi import FastAPI

            from app.schemas.user import UserCreate, UserResponse

            app = FastAPI()

            @app.post(
                "/users",
                status_code=201,  # created
                response_model=UserResponse,
            )
            async def create_user(payload: UserCreate):
                return await create_user_service(payload)
            """,
        ),
        Invalid(
            """
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users")
            async def get_all_users():
                return await get_users_service()
            """,
            line=7,
            column=2,
            fixed="""
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users", response_model=list[UserResponse])
            async def get_all_users():
                return await get_users_service()
            """,
        ),
        # The schema is defined in another file of the project: the fix imports it from there.
        Invalid(
            """
            from fastapi import APIRouter, Depends

            from app.schemas.user import UserFilter

            router = APIRouter()

            @router.get("/users")
            async def list_users(filters: UserFilter = Depends()):
                return await get_users_service(filters)
            """,
            line=7,
            column=2,
            path="app/api/users.py",
            others=(("app/schemas/user.py", _USER_SCHEMAS),),
            fixed="""
            from fastapi import APIRouter, Depends

            from app.schemas.user import UserFilter, UserResponse

            router = APIRouter()

            @router.get("/users", response_model=list[UserResponse])
            async def list_users(filters: UserFilter = Depends()):
                return await get_users_service(filters)
            """,
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
            fixed="""
            from http import HTTPStatus

            from fastapi import APIRouter

            router = APIRouter()

            @router.get("/health", status_code=HTTPStatus.OK, response_model=dict[str, str])
            def get_health() -> dict[str, str]:
                return {"status": "ok"}
            """,
        ),
        Invalid(
            """
            from fastapi import APIRouter

            router = APIRouter()

            @router.post("/logout")
            async def create_logout() -> None:
                ...
            """,
            line=5,
            column=2,
        ),
    )

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        # At the end of the function, when its returns have been seen.
        returns_nothing = self.context.service(ReturnTracker).returns_nothing(node)
        for route in routes_of(self.context, node):
            if leaves_answer_undeclared(self.context, route, annotation_declares=self.settings.allow_return_annotation):
                fix, request = self._response_model_fix(route, returns_nothing)
                # A schema this file does not know: the project phase looks for the module to import it from.
                self.report(route.call, self._message(route, returns_nothing), fix=fix, deferred=request)

    def _message(self, route: Route, returns_nothing: bool) -> str:
        returns = route.function.returns
        if returns_nothing:
            # A status chosen already (`202 Accepted`) stays: the empty body is what is left to declare.
            wanted = "response_model=None" if route.keyword("status_code") else "status_code=status.HTTP_204_NO_CONTENT"
            return f"Declare `{wanted}` on the route decorator: `{route.function.name.value}` returns nothing"
        if returns is None:
            return "Declare the response schema with `response_model=` on the route decorator"
        annotation = self.context.module.code_for_node(returns.annotation)
        return f"Declare the response schema with `response_model={annotation}` on the route decorator"
