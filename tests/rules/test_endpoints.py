"""CL302 create-without-201: POST routes without a status code, and the fix that adds 201."""

from __future__ import annotations

import textwrap

import pytest

from conventions_lint.diagnostic import Applicability
from tests.helpers import fix, found, lint
from tests.snippets import ROUTER

# CL302 create-without-201


def cl302(source: str, **options):
    return lint(source, select=("CL302",), **options)


def cl302_fix(source: str, *, unsafe: bool = True, **options) -> str:
    return fix(source, select=("CL302",), unsafe=unsafe, **options)


@pytest.mark.parametrize("status_code", ["201", "200", "status.HTTP_202_ACCEPTED", "HTTPStatus.OK", "code"])
def test_any_explicit_status_code_satisfies_a_post(status_code: str) -> None:
    source = (
        ROUTER
        + f"""
@router.post("/users", status_code={status_code})
async def create_user() -> None:
    ...
"""
    )
    assert found(cl302(source)) == []


def test_only_post_routes_are_checked_each_decorator_on_its_own() -> None:
    source = (
        ROUTER
        + """
@router.put("/users/{user_id}")
@router.post("/users/{user_id}")
@router.post("/users", status_code=201)
async def create_user() -> None:
    ...
"""
    )
    diagnostics = cl302(source)
    assert found(diagnostics) == [("CL302", 6, 2)]
    assert diagnostics[0].message == "Declare the status code of this create: `status_code=status.HTTP_201_CREATED`"


@pytest.mark.parametrize(
    ("path", "handler"),
    [
        ("/{incident_id}/join", "join_incident(incident_id: str)"),
        ("/{case_id}/take", "take_case(case_id: str)"),
        ("/subscribe", "create_subscription(payload: SubscriptionCreate)"),
        ("/webhook", "create_event(payload: EventCreate)"),
        ("/slack/events", "slack_events(request: Request)"),
        ("/reset-password", "reset_password(payload: PasswordReset)"),
        ("/login", "login(form: OAuth2PasswordRequestForm = Depends())"),
        ("/search", "search_users(query: UserQuery)"),
        ("/users/{user_id}/activate", "update_user(user_id: str)"),
    ],
)
def test_posts_that_create_nothing_are_not_creates(path: str, handler: str) -> None:
    # noise.md N4 / fixes.md F7: a 201 is wrong on actions, webhooks and non-creating posts.
    source = (
        ROUTER
        + f"""
@router.post("{path}")
async def {handler} -> None:
    ...
"""
    )
    assert found(cl302(source)) == []


def test_a_form_post_answering_a_redirect_is_not_a_create() -> None:
    source = (
        ROUTER
        + """
from fastapi.responses import HTMLResponse, RedirectResponse

@router.post("/items/new")
async def create_item(name: str = Form(...)) -> RedirectResponse:
    return RedirectResponse("/items", status_code=303)

@router.post("/items/new-page", response_class=HTMLResponse)
async def add_item(name: str = Form(...)):
    ...
"""
    )
    assert found(cl302(source)) == []


@pytest.mark.parametrize(
    "handler",
    [
        "create_user()",
        "add_user()",
        "new_user()",
        "signup(payload: UserCreate)",
        "save(payload: list[ItemCreate])",
        "create_channel_webhook()",
    ],
)
def test_a_create_is_named_for_one_or_takes_a_create_body(handler: str) -> None:
    source = (
        ROUTER
        + f"""
@router.post("/users")
async def {handler} -> None:
    ...
"""
    )
    assert found(cl302(source)) == [("CL302", 5, 2)]


def test_a_post_on_something_that_is_not_a_router_is_not_checked() -> None:
    source = """
        import requests

        session = requests.Session()
        session.post("https://example.com")

        @requests.post("/users")
        def create_user() -> None:
            ...
    """
    assert found(cl302(source)) == []


def test_the_fix_is_unsafe_and_waits_for_unsafe_fixes() -> None:
    source = (
        ROUTER
        + """
@router.post("/users")
async def create_user() -> None:
    ...
"""
    )
    assert cl302_fix(source, unsafe=False) == textwrap.dedent(source).lstrip("\n")
    (diagnostic,) = cl302(source)
    assert diagnostic.fix is not None
    assert diagnostic.fix.message == "Add `status_code=status.HTTP_201_CREATED` to the route decorator"
    assert diagnostic.fix.applicability is Applicability.UNSAFE


def test_the_fix_reuses_an_imported_status_and_imports_it_once() -> None:
    source = (
        ROUTER
        + """
@router.post("/users")
async def create_user() -> None:
    ...
"""
    )
    assert cl302_fix(source) == textwrap.dedent(source).lstrip("\n").replace(
        '"/users")', '"/users", status_code=status.HTTP_201_CREATED)'
    )

    two_routes = """
from fastapi import APIRouter

router = APIRouter()

@router.post("/users")
async def create_user() -> None:
    ...

@router.post("/teams")
async def create_team() -> None:
    ...
"""
    assert (
        cl302_fix(two_routes)
        == """\
from fastapi import APIRouter, status

router = APIRouter()

@router.post("/users", status_code=status.HTTP_201_CREATED)
async def create_user() -> None:
    ...

@router.post("/teams", status_code=status.HTTP_201_CREATED)
async def create_team() -> None:
    ...
"""
    )


def test_the_fix_adds_an_import_line_when_fastapi_is_not_imported() -> None:
    source = """
        \"\"\"Avatar routes.\"\"\"
        from app.api.routers import users_router
        from app.schemas.user import AvatarResponse


        @users_router.post("/users/{user_id}/avatar", response_model=AvatarResponse)
        async def create_avatar(user_id: str) -> AvatarResponse:
            ...
    """
    assert cl302_fix(source) == textwrap.dedent("""\
        \"\"\"Avatar routes.\"\"\"
        from fastapi import status

        from app.api.routers import users_router
        from app.schemas.user import AvatarResponse


        @users_router.post("/users/{user_id}/avatar", response_model=AvatarResponse, status_code=status.HTTP_201_CREATED)
        async def create_avatar(user_id: str) -> AvatarResponse:
            ...
    """)


def test_the_fix_reuses_an_alias_of_fastapi() -> None:
    source = """
        import fastapi as fa

        router = fa.APIRouter()

        @router.post("/users")
        async def create_user() -> None:
            ...
    """
    assert cl302_fix(source) == textwrap.dedent(source).lstrip("\n").replace(
        '"/users")', '"/users", status_code=fa.status.HTTP_201_CREATED)'
    )


def test_no_fix_when_status_is_another_name() -> None:
    source = """
        from fastapi import APIRouter

        from app.core import status

        router = APIRouter()

        @router.post("/users")
        async def create_user() -> None:
            ...
    """
    (diagnostic,) = cl302(source)
    assert diagnostic.fix is None
    assert cl302_fix(source) == textwrap.dedent(source).lstrip("\n")


def test_the_fix_keeps_crlf_line_endings() -> None:
    source = """\
from fastapi import APIRouter, Depends

from app.api.deps import get_user

router = APIRouter()


@router.post(
    "/users",
    dependencies=[Depends(get_user)],
)
async def create_user() -> None:
    ...
""".replace("\n", "\r\n")
    after = cl302_fix(source)
    assert after == source.replace("APIRouter, Depends\r\n", "APIRouter, Depends, status\r\n").replace(
        "dependencies=[Depends(get_user)],\r\n",
        "dependencies=[Depends(get_user)],\r\n    status_code=status.HTTP_201_CREATED,\r\n",
    )
    assert after.count("\n") == after.count("\r\n")
    assert found(cl302(after)) == []


def test_the_fix_keeps_crlf_in_a_parenthesised_import() -> None:
    source = (
        "from fastapi import (\r\n    APIRouter,\r\n)\r\n\r\nrouter = APIRouter()\r\n\r\n"
        '@router.post("/users")\r\nasync def create_user() -> None:\r\n    ...\r\n'
    )
    after = cl302_fix(source)
    assert after.startswith("from fastapi import (\r\n    APIRouter,\r\n    status,\r\n)\r\n")
    assert after.count("\n") == after.count("\r\n")


@pytest.mark.parametrize("first, last", [("  # noqa: CL302", ""), ("", "  # noqa: CL302")])
def test_noqa_on_a_multi_line_post_decorator(first: str, last: str) -> None:
    source = (
        ROUTER
        + f"""
@router.post({first}
    "/users",
){last}
async def create_user() -> None:
    ...
"""
    )
    assert found(cl302(source)) == []


def test_creating_a_webhook_resource_is_a_create_receiving_one_is_not() -> None:
    source = (
        ROUTER
        + """
@router.post("/{channel_id}/webhooks/create")
async def create_channel_webhook(channel_id: str) -> None:
    ...

@router.post("/webhooks/{webhook_id}/{token}")
async def post_webhook_message(webhook_id: str, token: str) -> None:
    ...
"""
    )
    assert found(cl302(source)) == [("CL302", 5, 2)]


def test_a_create_returning_a_response_object_sets_its_own_status() -> None:
    # The decorator's status_code is not used when the handler returns a response (phoenix's /register).
    source = (
        ROUTER
        + """
from fastapi.responses import JSONResponse

@router.post("/register")
async def create_client(payload: ClientCreate) -> JSONResponse:
    return JSONResponse(await register(payload), status_code=201)
"""
    )
    assert found(cl302(source)) == []


def test_token_endpoints_and_links_create_nothing_a_201_could_announce() -> None:
    # Issue 15 (ecosystem): fief's minted access token, open-webui's members added to a group; a collection of
    # stored tokens (`/api-tokens`) is a resource, and its POST a create, as is prefect's bulk create of runs.
    source = (
        ROUTER
        + """
@router.post("/{id}/create_flow_run/bulk")
async def bulk_create_flow_runs(flow_runs: list[FlowRunCreate]) -> list[FlowRunResponse]:
    ...

@router.post("/{id}/access-token")
async def create_user_access_token(payload: CreateAccessToken) -> AccessTokenResponse:
    ...

@router.post("/id/{id}/users/add")
async def add_user_to_group(id: str, form_data: UserIdsForm) -> GroupResponse:
    ...

@router.post("/api-tokens")
async def create_api_token() -> ApiTokenResponse:
    ...
"""
    )
    assert found(cl302(source)) == [("CL302", 5, 2), ("CL302", 17, 2)]
