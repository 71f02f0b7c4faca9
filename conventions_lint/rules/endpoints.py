"""CL302: a POST states the status code it answers with."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.recognize.fastapi import ROUTE_TEXT, Route, is_response_class, routes_of
from conventions_lint.recognize.handlers import crud_family, parse_handler_name
from conventions_lint.recognize.route_kinds import is_crud_route, takes_body_of
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder


class CreateWithout201(Rule):
    """
    ## What it does
    Checks for `.post(...)` routes that create a resource without an explicit
    `status_code=`. A POST creates when its handler is named for a create
    (`create_*`, or a synonym the naming convention replaces: `add_*`, `new_*`,
    `register_*`, ...) or takes a `*Create` body (`payload: UserCreate`).

    Any value counts as explicit: `status_code=200` is a deliberate choice. A
    decorator that unpacks `**options` is not flagged, as the options may carry
    the status code.

    ## Why is this bad?
    FastAPI answers with `200 OK` unless told otherwise. A POST that creates a
    resource should answer `201 Created`, and the team states the status code of
    every POST on its decorator, so that clients and the OpenAPI schema see the
    code the endpoint really answers with.

    ## Known limits
    A POST that creates nothing is not a create, and `201 Created` would be
    wrong there (fixes.md F7): actions (the last fixed path segment is a verb:
    `/{id}/join`, `/{id}/take`, `/subscribe`, `/reset-password`), token
    endpoints (the last fixed segment ends in a single `token`: `/token`,
    `/{id}/access-token`; they issue a credential, which OAuth 2 answers
    with `200 OK`, while `POST /api-tokens` creates a stored token and is
    reported), links between two resources (`add_user_to_group`: it creates
    neither), webhook and callback receivers (`/webhook`, `/slack/events`), and posts answering a
    browser (`response_class=HTMLResponse`, `-> RedirectResponse`, as HTML
    form posts do), and posts returning any response object (`-> JSONResponse`:
    it carries its own status code, the decorator's is not used) are
    not reported, nor are POSTs that are neither named for a create nor take a
    `*Create` body (a login, a search); a create named otherwise is
    `route-crud-naming` (CL601)'s finding first.

    A batch (`POST /records/bulk`) is judged like any POST: a bulk create
    answers `201` as a create does, and a bulk upsert named as a create
    (`create_responses_bulk` taking a `ResponsesBulkCreate`) is reported,
    as nothing in the route says it updates.

    ## Fix safety
    The fix adds `status_code=status.HTTP_201_CREATED` after the decorator's last
    argument (on a line of its own when the arguments stand one a line) and
    imports `status` from `fastapi`: added to an existing `from fastapi import
    ...`, or spelled `fastapi.status` after `import fastapi`. There is no fix when
    the name `status` is bound to something else.

    The fix is unsafe: the endpoint's response code changes, so clients and tests
    that expect `200` break, and a POST that creates nothing wants another code.

    It is offered only on creates (a `create_*`-like handler or a
    `*Create` body, not an action path such as `/{id}/join` or a webhook;
    fixes.md F7), and a variable named `status` in the module withholds it
    like an import of another `status`.
    """

    code = "CL302"
    name = "create-without-201"
    OPTIONS = ("router-classes",)
    REQUIRES = ROUTE_TEXT
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
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
        # noise.md N4: actions, webhooks and form posts create nothing.
        Valid("""
            from fastapi import APIRouter, Form
            from fastapi.responses import RedirectResponse

            from app.schemas.incident import IncidentCreate

            router = APIRouter()

            @router.post("/{incident_id}/join")
            async def create_incident_member(incident_id: str) -> None:
                ...

            @router.post("/{case_id}/take")
            async def take_case(case_id: str) -> None:
                ...

            @router.post("/webhook")
            async def create_event_from_webhook(payload: IncidentCreate) -> None:
                ...

            @router.post("/incidents/new")
            async def create_incident_form(title: str = Form(...)) -> RedirectResponse:
                return RedirectResponse("/incidents", status_code=303)

            @router.post("/login")
            async def login() -> None:
                ...
        """),
        # Issue 15: a token endpoint and a link create no resource a 201 could announce.
        Valid("""
            from fastapi import APIRouter

            from app.schemas.group import GroupResponse, UserIdsForm
            from app.schemas.token import AccessTokenResponse, CreateAccessToken

            router = APIRouter()

            @router.post("/{user_id}/access-token", response_model=AccessTokenResponse)
            async def create_user_access_token(payload: CreateAccessToken) -> AccessTokenResponse:
                ...

            @router.post("/groups/{group_id}/users/add", response_model=GroupResponse)
            async def add_user_to_group(group_id: str, form_data: UserIdsForm) -> GroupResponse:
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
            if (
                route.method == "post"
                and route.router_in_api
                and not self._may_set_status(route)
                and self._creates(route)
            ):
                self.report(
                    route.call,
                    "Declare the status code of this create: `status_code=status.HTTP_201_CREATED`",
                    fix=self._fix(route),
                )

    def _creates(self, route: Route) -> bool:
        """A create: a `create_*` (`add_*`, `new_*`, ...) handler or a `*Create` body, on a CRUD route (not an
        action, a batch, a token endpoint, a webhook or a link, answering JSON rather than a page or a
        redirect), and not returning a response object (`-> JSONResponse`), which carries its own status code."""
        returns = route.function.returns
        if not is_crud_route(self.context, route):
            return False
        if returns is not None and is_response_class(self.context, returns.annotation):
            return False
        verb = parse_handler_name(route.function.name.value).verb
        return crud_family(verb) == "create" or takes_body_of(self.context, route, "Create")

    @staticmethod
    def _may_set_status(route: Route) -> bool:
        return route.keyword("status_code") is not None or any(arg.star == "**" for arg in route.call.args)

    def _fix(self, route: Route) -> FixBuilder:
        fix = self.fix("Add `status_code=status.HTTP_201_CREATED` to the route decorator")
        return fix.add_keyword(route.call, f"status_code={fix.import_name('fastapi', 'status')}.HTTP_201_CREATED")
