"""CL301 missing-response-model: which routes are reported, and `# noqa` on them."""

from __future__ import annotations

import pytest

from tests.helpers import found, lint, project_tree, run_tree
from tests.snippets import ROUTER


def cl301(source: str, **options):
    return lint(source, select=("CL301",), **options)


@pytest.mark.parametrize(
    "status_code",
    [
        "204",
        "status.HTTP_204_NO_CONTENT",
        "HTTPStatus.NO_CONTENT",
        "http.HTTPStatus.NO_CONTENT",
        "starlette_status.HTTP_204_NO_CONTENT",
        "HTTP_204_NO_CONTENT",
        "304",
    ],
)
def test_routes_without_a_body_are_not_flagged(status_code: str) -> None:
    source = f"""
        import http
        from http import HTTPStatus

        from fastapi import APIRouter
        from starlette import status as starlette_status
        from starlette.status import HTTP_204_NO_CONTENT

        router = APIRouter()

        @router.delete("/users/{{user_id}}", status_code={status_code})
        async def delete_user(user_id: str) -> None:
            ...
    """
    assert found(cl301(source)) == []


@pytest.mark.parametrize("status_code", ["200", "status.HTTP_200_OK", "HTTPStatus.CREATED", "code"])
def test_routes_with_a_body_are_flagged(status_code: str) -> None:
    source = (
        ROUTER
        + f"""
@router.post("/users", status_code={status_code})
async def create_user(payload: dict):
    ...
"""
    )
    assert found(cl301(source)) == [("CL301", 5, 2)]


@pytest.mark.parametrize("keyword", ["response_model=None", "response_class=HTMLResponse", "include_in_schema=False"])
def test_exempting_keywords(keyword: str) -> None:
    source = (
        ROUTER
        + f"""
@router.get("/page", {keyword})
async def get_page():
    ...
"""
    )
    assert found(cl301(source)) == []


def test_include_in_schema_true_is_still_checked() -> None:
    source = (
        ROUTER
        + """
@router.get("/page", include_in_schema=True)
async def get_page():
    ...
"""
    )
    assert found(cl301(source)) == [("CL301", 5, 2)]


def test_return_annotation_counts_only_with_the_setting() -> None:
    source = (
        ROUTER
        + """
@router.get("/users")
async def get_users() -> list[UserResponse]:
    ...

@router.get("/users/count")
async def get_user_count():
    ...
"""
    )
    assert found(cl301(source)) == [("CL301", 5, 2), ("CL301", 9, 2)]
    assert found(cl301(source, allow_return_annotation=True)) == [("CL301", 9, 2)]


def test_response_class_annotation_from_fastapi_or_starlette_is_exempt() -> None:
    source = """
        from fastapi import APIRouter
        from fastapi.responses import StreamingResponse
        from starlette.responses import RedirectResponse

        from app.schemas.response import Response

        router = APIRouter()

        @router.get("/export")
        async def get_export() -> StreamingResponse:
            ...

        @router.get("/old")
        async def get_old() -> RedirectResponse:
            ...

        @router.get("/mine")
        async def get_mine() -> Response:
            ...
    """
    assert found(cl301(source)) == [("CL301", 17, 2)]


def test_websocket_head_and_options_routes_are_not_checked() -> None:
    source = (
        ROUTER
        + """
@router.websocket("/ws")
async def get_socket(websocket):
    ...

@router.head("/users")
async def get_users_head():
    ...

@router.options("/users")
async def get_users_options():
    ...
"""
    )
    assert found(cl301(source)) == []


def test_every_route_decorator_is_checked() -> None:
    source = (
        ROUTER
        + """
@router.get("/users", response_model=list[UserResponse])
@router.get("/users/", include_in_schema=False)
@router.get("/people")
async def get_users():
    ...
"""
    )
    assert found(cl301(source)) == [("CL301", 7, 2)]


def test_routers_are_recognised_by_construction_and_by_name() -> None:
    source = """
        from fastapi import APIRouter, FastAPI

        from app.api.deps import admin_router

        app = FastAPI()
        users = APIRouter()

        @app.get("/")
        async def get_root():
            ...

        @users.get("/users")
        async def get_users():
            ...

        @admin_router.get("/admin")
        async def get_admin():
            ...

        @cache.get("/users")
        def get_cached_users():
            ...
    """
    assert found(cl301(source)) == [("CL301", 8, 2), ("CL301", 12, 2), ("CL301", 16, 2)]


def test_messages() -> None:
    source = (
        ROUTER
        + """
@router.get("/users")
async def get_users() -> list[UserResponse]:
    ...

@router.get("/users/{user_id}")
async def get_user(user_id: str):
    return await load(user_id)

@router.post("/logout")
async def create_logout() -> None:
    ...

@router.post("/ping")
async def create_ping():
    ...

@router.post("/forgot-password", status_code=status.HTTP_202_ACCEPTED)
async def forgot_password(email: str):
    await send_reset_email(email)
"""
    )
    messages = [d.message for d in cl301(source)]
    # noise.md N6: the message of a route answering nothing says so whole, not "... with `response_model=`".
    assert messages == [
        "Declare the response schema with `response_model=list[UserResponse]` on the route decorator",
        "Declare the response schema with `response_model=` on the route decorator",
        "Declare `status_code=status.HTTP_204_NO_CONTENT` on the route decorator: `create_logout` returns nothing",
        "Declare `status_code=status.HTTP_204_NO_CONTENT` on the route decorator: `create_ping` returns nothing",
        "Declare `response_model=None` on the route decorator: `forgot_password` returns nothing",
    ]


def test_no_response_model_for_a_handler_that_returns_nothing() -> None:
    # fixes.md F7: `response_model=ReportResponse` on a handler without `return` made every call answer 500.
    source = (
        ROUTER
        + """
@router.post("/reports")
async def create_report(payload: dict):
    await enqueue(payload)

@router.get("/reports/{report_id}")
async def get_report(report_id: str):
    def render():
        return "nested"
    await audit(render)
"""
    )
    diagnostics = cl301(source)
    assert [d.fix for d in diagnostics] == [None, None]


@pytest.mark.parametrize(
    ("imports", "annotation"),
    [
        ("from sse_starlette.sse import EventSourceResponse", "EventSourceResponse"),
        ("from sse_starlette import EventSourceResponse", "EventSourceResponse"),
        ("from fastapi.responses import JSONResponse, StreamingResponse", "StreamingResponse | JSONResponse"),
        (
            "from starlette.responses import StreamingResponse\n\nclass CSVResponse(StreamingResponse):\n    ...",
            "CSVResponse",
        ),
    ],
)
def test_any_starlette_response_class_is_a_response_class(imports: str, annotation: str) -> None:
    # fixes.md F7: `response_model=EventSourceResponse` raised FastAPIError at import.
    source = (
        ROUTER
        + imports
        + f"""

@router.get("/events")
async def get_events() -> {annotation}:
    return await stream()
"""
    )
    assert cl301(source) == []


def test_f7_a_response_class_of_the_project_is_a_response_class_and_an_unknown_one_gets_no_fix() -> None:
    files = {
        "app/responses.py": "from fastapi.responses import StreamingResponse\n\n\nclass CSVResponse(StreamingResponse):\n    ...\n",
        "app/api/export.py": ROUTER
        + """from some_sdk.responses import PdfResponse

from app.responses import CSVResponse


@router.get("/export")
async def get_export() -> CSVResponse:
    return CSVResponse(rows())


@router.get("/pdf")
async def get_pdf() -> PdfResponse | CSVResponse:
    return PdfResponse(b"")
""",
    }
    with project_tree(files, select=("CL301",)) as root:
        assert [(d.code, d.span.start.row, d.fix) for d in run_tree(root).diagnostics] == [("CL301", 14, None)]


@pytest.mark.parametrize("first, last", [("  # noqa: CL301", ""), ("", "  # noqa: CL301"), ("  # noqa", "")])
def test_noqa_on_a_multi_line_decorator(first: str, last: str) -> None:
    source = (
        ROUTER
        + f"""
@router.get({first}
    "/users",
){last}
async def get_users():
    ...
"""
    )
    assert found(cl301(source)) == []


def test_noqa_for_another_code_does_not_suppress() -> None:
    source = (
        ROUTER
        + """
@router.get("/users")  # noqa: CL302
async def get_users():
    ...
"""
    )
    assert found(cl301(source)) == [("CL301", 5, 2)]


def test_methods_of_a_class_based_view_are_routes() -> None:
    source = (
        ROUTER
        + """
class UserView:
    @router.get("/users")
    async def get_users(self):
        ...
"""
    )
    assert found(cl301(source)) == [("CL301", 6, 6)]


def test_a_flask_app_bound_in_the_module_is_not_a_router() -> None:
    source = """
        from flask import Flask

        app = Flask(__name__)

        @app.get("/users")
        def get_users():
            return []
        """
    assert found(lint(source, select=("CL301", "CL601"))) == []


_DASHBOARD = {
    "app/templates.py": """from fastapi.templating import Jinja2Templates


class LocaleTemplates(Jinja2Templates):
    ...


templates = LocaleTemplates(directory="templates")
""",
    "app/responses.py": """from fastapi.responses import RedirectResponse


class HXRedirectResponse(RedirectResponse):
    ...
""",
    "app/dashboard.py": ROUTER
    + """from fastapi.responses import JSONResponse, RedirectResponse

from app.responses import HXRedirectResponse
from app.templates import templates


@router.get("/")
async def list_users(request: Request):
    return templates.TemplateResponse(request, "users.html", {})


@router.get("/callback")
async def callback(token: str):
    response = RedirectResponse(url="/admin/")
    response.set_cookie("session", token)
    return response


@router.post("/users/{user_id}/delete")
async def delete_user(user_id: str):
    if user_id:
        return HXRedirectResponse("/users")
    return templates.TemplateResponse("error.html", {})


@router.get("/items")
async def list_items(request: Request):
    if request:
        return templates.TemplateResponse("items.html", {})
    return {"items": []}


@router.get("/report")
async def get_report(response: Response):
    if response:
        response = RedirectResponse(url="/")
    return response


@router.get("/health")
async def get_health():
    return JSONResponse({"status": "ok"})
""",
}


def test_pages_and_redirects_the_handler_builds_have_no_body_to_describe() -> None:
    # Issue 15 (ecosystem): fief's dashboard renders templates and redirects; a JSON answer on one path, a
    # parameter returned as it came, and a JSONResponse (a body a schema describes) are still findings.
    with project_tree(_DASHBOARD, select=("CL301", "CL304")) as root:
        found_codes = [
            (d.code, d.span.start.row) for d in run_tree(root, jobs=1).diagnostics if d.path.endswith("dashboard.py")
        ]
    assert found_codes == [("CL301", 29), ("CL304", 30), ("CL301", 36), ("CL304", 37), ("CL301", 43), ("CL304", 44)]


_PROXY = {
    "app/http.py": """import aiohttp


async def get_session() -> aiohttp.ClientSession:
    ...
""",
    "app/proxy.py": ROUTER
    + """import httpx
from fastapi.responses import JSONResponse, StreamingResponse

from app.http import get_session, http


@router.post("/responses")
async def responses(payload: dict):
    r = None
    try:
        session = await get_session()
        r = await session.request("POST", URL, json=payload)
        if payload.get("stream"):
            return StreamingResponse(r.content)
        data = await r.json()
        if r.status >= 400:
            return JSONResponse(status_code=r.status, content=data)
        return data
    finally:
        await cleanup(r)


@router.get("/version")
async def get_version():
    async with httpx.AsyncClient() as client:
        r = await client.get(URL)
        return r.json()


@router.get("/catalog")
async def get_catalog():
    session = await get_session()
    r = await session.get(URL)
    if r.ok:
        return await r.json()
    return {"success": True}


@router.get("/models")
async def get_models(session: httpx.AsyncClient):
    r = await session.get(URL)
    return r.json()


@router.get("/tags")
async def get_tags():
    r = await http.get(URL)
    return await r.json()
""",
}


def test_a_pass_through_relays_another_services_schema() -> None:
    # Issue 15 (ecosystem): open-webui's /responses relays the OpenAI Responses API. A dict of the handler's own
    # on another path, a client the handler was handed, one the project model cannot describe: still findings.
    with project_tree(_PROXY, select=("CL301",)) as root:
        diagnostics = run_tree(root, jobs=1).diagnostics
    assert [(d.code, d.span.start.row) for d in diagnostics] == [("CL301", 33), ("CL301", 42), ("CL301", 48)]


def test_a_file_or_a_stream_the_handler_builds_still_wants_its_response_stated() -> None:
    # open-webui's /files/{id}/content (judged true): a file is no page; `response_class=` documents it.
    source = (
        ROUTER
        + """from fastapi.responses import FileResponse, StreamingResponse

@router.get("/files/{file_id}/content")
async def get_file_content(file_id: str):
    return FileResponse(path_of(file_id))

@router.get("/events")
async def get_events():
    return StreamingResponse(events())
"""
    )
    assert found(lint(source, select=("CL301", "CL304"))) == [
        ("CL301", 6, 2),
        ("CL304", 7, 11),
        ("CL301", 10, 2),
        ("CL304", 11, 11),
    ]
