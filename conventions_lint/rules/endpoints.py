"""CL302: a POST states the status code it answers with."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.recognize.fastapi import ROUTE_TEXT, Route, routes_of
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder


class CreateWithout201(Rule):
    """
    ## What it does
    Checks for `.post(...)` route decorators without an explicit `status_code=`.

    Any value counts as explicit: `status_code=200` on a POST that creates
    nothing (a login, an action) is a deliberate choice. A decorator that
    unpacks `**options` is not flagged, as the options may carry the status code.

    ## Why is this bad?
    FastAPI answers with `200 OK` unless told otherwise. A POST that creates a
    resource should answer `201 Created`, and the team states the status code of
    every POST on its decorator, so that clients and the OpenAPI schema see the
    code the endpoint really answers with.

    ## Fix safety
    The fix adds `status_code=status.HTTP_201_CREATED` after the decorator's last
    argument (on a line of its own when the arguments stand one a line) and
    imports `status` from `fastapi`: added to an existing `from fastapi import
    ...`, or spelled `fastapi.status` after `import fastapi`. There is no fix when
    the name `status` is bound to something else.

    The fix is unsafe: the endpoint's response code changes, so clients and tests
    that expect `200` break, and a POST that creates nothing wants another code.
    """

    code = "CL302"
    name = "create-without-201"
    REQUIRES = ROUTE_TEXT
    fix_safety = FixSafety.UNSAFE
    VALID = (
        Valid("""
            from fastapi import APIRouter, status

            from app.schemas.user import UserCreate, UserResponse

            router = APIRouter()

            @router.post("/users", response_model=UserResponse, status_code=status.HTTP_201_CREATED)
            async def create_user(payload: UserCreate) -> UserResponse:
                ...
        """),
        Valid("""
            from http import HTTPStatus

            from fastapi import APIRouter

            from app.schemas.auth import LoginRequest, TokenResponse

            router = APIRouter()

            @router.post("/login", response_model=TokenResponse, status_code=200)
            async def create_token(payload: LoginRequest) -> TokenResponse:
                ...

            @router.post("/reports", status_code=HTTPStatus.ACCEPTED)
            async def create_report() -> None:
                ...
        """),
        Valid("""
            from fastapi import APIRouter, status

            from app.core.cache import cache
            from app.core.routes import CREATE_OPTIONS

            router = APIRouter()

            @router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
            async def delete_user(user_id: str) -> None:
                ...

            @router.post("/users", **CREATE_OPTIONS)
            async def create_user() -> None:
                ...

            @cache.post("users")
            def create_user_entry() -> None:
                ...
        """),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import APIRouter

            from app.schemas.user import UserCreate, UserResponse

            router = APIRouter()

            @router.post("/users", response_model=UserResponse)
            async def create_user(payload: UserCreate) -> UserResponse:
                ...
            """,
            line=7,
            column=2,
            fixed="""
            from fastapi import APIRouter, status

            from app.schemas.user import UserCreate, UserResponse

            router = APIRouter()

            @router.post("/users", response_model=UserResponse, status_code=status.HTTP_201_CREATED)
            async def create_user(payload: UserCreate) -> UserResponse:
                ...
            """,
        ),
        Invalid(
            """
            from fastapi import FastAPI

            from app.schemas.item import ItemCreate, ItemResponse

            app = FastAPI()

            @app.post(
                "/items",
                response_model=ItemResponse,
            )
            async def create_item(payload: ItemCreate) -> ItemResponse:
                ...
            """,
            line=7,
            column=2,
            fixed="""
            from fastapi import FastAPI, status

            from app.schemas.item import ItemCreate, ItemResponse

            app = FastAPI()

            @app.post(
                "/items",
                response_model=ItemResponse,
                status_code=status.HTTP_201_CREATED,
            )
            async def create_item(payload: ItemCreate) -> ItemResponse:
                ...
            """,
        ),
        Invalid(
            """
            import fastapi

            from app.schemas.order import OrderCreate, OrderResponse

            router = fastapi.APIRouter(prefix="/orders")

            @router.post("", response_model=OrderResponse)
            def create_order(payload: OrderCreate) -> OrderResponse:
                ...
            """,
            line=7,
            column=2,
            fixed="""
            import fastapi

            from app.schemas.order import OrderCreate, OrderResponse

            router = fastapi.APIRouter(prefix="/orders")

            @router.post("", response_model=OrderResponse, status_code=fastapi.status.HTTP_201_CREATED)
            def create_order(payload: OrderCreate) -> OrderResponse:
                ...
            """,
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for route in routes_of(self.context, node):
            if route.method == "post" and not self._may_set_status(route):
                self.report(
                    route.call,
                    "Declare the status code of a POST route: `status_code=status.HTTP_201_CREATED` for a create",
                    fix=self._fix(route),
                )

    @staticmethod
    def _may_set_status(route: Route) -> bool:
        return route.keyword("status_code") is not None or any(arg.star == "**" for arg in route.call.args)

    def _fix(self, route: Route) -> FixBuilder:
        fix = self.fix("Add `status_code=status.HTTP_201_CREATED` to the route decorator")
        return fix.add_keyword(route.call, f"status_code={fix.import_name('fastapi', 'status')}.HTTP_201_CREATED")
