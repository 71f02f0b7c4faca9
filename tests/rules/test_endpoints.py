from __future__ import annotations

import textwrap

import pytest

from conventions_lint.diagnostic import FixSafety
from tests.helpers import fix, found, lint

ROUTER = """
from fastapi import APIRouter, status

router = APIRouter()
"""


def cl301(source: str, **options):
    return lint(source, select=("CL301",), **options)


@pytest.mark.parametrize("status_code", [
    "204",
    "status.HTTP_204_NO_CONTENT",
    "HTTPStatus.NO_CONTENT",
    "http.HTTPStatus.NO_CONTENT",
    "starlette_status.HTTP_204_NO_CONTENT",
    "HTTP_204_NO_CONTENT",
    "304",
])
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
    source = ROUTER + f"""
@router.post("/users", status_code={status_code})
async def create_user(payload: dict):
    ...
"""
    assert found(cl301(source)) == [("CL301", 5, 2)]


@pytest.mark.parametrize("keyword", ["response_model=None", "response_class=HTMLResponse", "include_in_schema=False"])
def test_exempting_keywords(keyword: str) -> None:
    source = ROUTER + f"""
@router.get("/page", {keyword})
async def get_page():
    ...
"""
    assert found(cl301(source)) == []


def test_include_in_schema_true_is_still_checked() -> None:
    source = ROUTER + """
@router.get("/page", include_in_schema=True)
async def get_page():
    ...
"""
    assert found(cl301(source)) == [("CL301", 5, 2)]


def test_return_annotation_counts_only_with_the_setting() -> None:
    source = ROUTER + """
@router.get("/users")
async def get_users() -> list[UserResponse]:
    ...

@router.get("/users/count")
async def get_user_count():
    ...
"""
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
    source = ROUTER + """
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
    assert found(cl301(source)) == []


def test_every_route_decorator_is_checked() -> None:
    source = ROUTER + """
@router.get("/users", response_model=list[UserResponse])
@router.get("/users/", include_in_schema=False)
@router.get("/people")
async def get_users():
    ...
"""
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
    source = ROUTER + """
@router.get("/users")
async def get_users() -> list[UserResponse]:
    ...

@router.get("/users/{user_id}")
async def get_user(user_id: str):
    ...

@router.post("/logout")
async def create_logout() -> None:
    ...
"""
    messages = [d.message for d in cl301(source)]
    assert messages == [
        "Declare the response schema with `response_model=list[UserResponse]` on the route decorator",
        "Declare the response schema with `response_model=` on the route decorator",
        "Declare `status_code=status.HTTP_204_NO_CONTENT` for a route that answers nothing, "
        "or its response schema with `response_model=`",
    ]


@pytest.mark.parametrize("first, last", [("  # noqa: CL301", ""), ("", "  # noqa: CL301"), ("  # noqa", "")])
def test_noqa_on_a_multi_line_decorator(first: str, last: str) -> None:
    source = ROUTER + f"""
@router.get({first}
    "/users",
){last}
async def get_users():
    ...
"""
    assert found(cl301(source)) == []


def test_noqa_for_another_code_does_not_suppress() -> None:
    source = ROUTER + """
@router.get("/users")  # noqa: CL302
async def get_users():
    ...
"""
    assert found(cl301(source)) == [("CL301", 5, 2)]


def test_methods_of_a_class_based_view_are_routes() -> None:
    source = ROUTER + """
class UserView:
    @router.get("/users")
    async def get_users(self):
        ...
"""
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


# Fixes

SCHEMA_ROUTER = """\
from fastapi import APIRouter

from app.schemas.user import UserResponse

router = APIRouter()
"""


def cl301_fix(source: str, *, unsafe: bool = False, **options) -> str:
    return fix(source, select=("CL301",), unsafe=unsafe, **options)


@pytest.mark.parametrize(("decorator", "annotation", "expected"), [
    ('@router.get("/users/{user_id}")', "UserResponse", '@router.get("/users/{user_id}", response_model=UserResponse)'),
    ('@router.get("/users")', "list[UserResponse]", '@router.get("/users", response_model=list[UserResponse])'),
    ('@router.get("/users")', "Optional[UserResponse]", '@router.get("/users", response_model=Optional[UserResponse])'),
    ('@router.get("/users", )', "UserResponse", '@router.get("/users", response_model=UserResponse, )'),
    ('@router.get(path="/users", status_code=200)', "UserResponse",
     '@router.get(path="/users", status_code=200, response_model=UserResponse)'),
])
def test_the_return_annotation_is_a_safe_fix(decorator: str, annotation: str, expected: str) -> None:
    source = SCHEMA_ROUTER + f"""
{decorator}
async def get_user() -> {annotation}:
    ...
"""
    assert cl301_fix(source) == source.replace(decorator, expected)


def test_the_fix_has_a_message_and_is_safe_for_an_annotation_unsafe_for_a_convention() -> None:
    source = SCHEMA_ROUTER + """
@router.get("/users/{user_id}")
async def get_user(user_id: str) -> UserResponse:
    ...

@router.get("/users")
async def get_users():
    ...
"""
    fixes = [d.fix for d in cl301(source)]
    assert [(f.message, f.applicability.value) for f in fixes] == [
        ("Add `response_model=UserResponse` to the route decorator", "safe"),
        ("Add `response_model=list[UserResponse]` to the route decorator", "unsafe"),
    ]


def test_the_conventional_schema_waits_for_unsafe_fixes() -> None:
    source = SCHEMA_ROUTER + """
@router.get("/users/{user_id}")
async def get_user(user_id: str):
    ...
"""
    assert cl301_fix(source) == source
    assert cl301_fix(source, unsafe=True) == source.replace(
        '@router.get("/users/{user_id}")', '@router.get("/users/{user_id}", response_model=UserResponse)')


@pytest.mark.parametrize(("method", "name", "path", "schema", "response_model"), [
    ("get", "get_user", "/users/{user_id}", "UserResponse", "UserResponse"),
    ("get", "get_users", "/users", "UserResponse", "list[UserResponse]"),
    ("get", "get_all_users", "/users", "UserResponse", "list[UserResponse]"),
    ("get", "get_user_list", "/users", "UserResponse", "list[UserResponse]"),
    ("get", "get_users_by_team", "/teams/{team_id}/users", "UserResponse", "list[UserResponse]"),
    ("get", "get_user_profiles", "/profiles", "UserProfileResponse", "list[UserProfileResponse]"),
    ("get", "get_categories", "/categories", "CategoryResponse", "list[CategoryResponse]"),
    ("get", "get_people", "/people", "PersonResponse", "list[PersonResponse]"),
    ("get", "get_status", "/status", "StatusResponse", "StatusResponse"),
    ("get", "read_user", "/users/{user_id}", "UserResponse", "UserResponse"),
    ("post", "create_user", "/users", "UserResponse", "UserResponse"),
    ("put", "update_user", "/users/{user_id}", "UserResponse", "UserResponse"),
    ("get", "get_by_id", "/users/{user_id}", "UserResponse", "UserResponse"),
    ("get", "get", "/users", "UserResponse", "list[UserResponse]"),
    ("get", "get", "/user-profiles/{profile_id}", "UserProfileResponse", "UserProfileResponse"),
])
def test_the_conventional_schema_comes_from_the_name_or_the_path(method: str, name: str, path: str, schema: str,
                                                                  response_model: str) -> None:
    source = f"""
        from fastapi import APIRouter

        from app.schemas import {schema}

        router = APIRouter()

        @router.{method}("{path}")
        async def {name}():
            ...
    """
    assert cl301_fix(source, unsafe=True) == cl301_fix(source).replace(
        f'@router.{method}("{path}")', f'@router.{method}("{path}", response_model={response_model})')


def test_a_schema_defined_in_the_file_counts() -> None:
    source = """
        from fastapi import APIRouter
        from pydantic import BaseModel

        router = APIRouter()

        class ItemResponse(BaseModel):
            name: str

        @router.get("/items")
        async def get_items():
            ...
    """
    assert 'response_model=list[ItemResponse])' in cl301_fix(source, unsafe=True)


@pytest.mark.parametrize(("name", "annotation"), [
    ("get_user", " -> None"),
    ("get_user", ' -> "UserResponse"'),
    ("get_team", ""),
    ("get_users_page", ""),
    ("get_by_id", ""),
    ("signup", ""),
])
def test_no_fix_without_a_usable_schema(name: str, annotation: str) -> None:
    source = SCHEMA_ROUTER + f"""
@router.get("/things")
async def {name}(){annotation}:
    ...
"""
    (diagnostic,) = cl301(source)
    assert diagnostic.fix is None


def test_no_fix_when_options_are_unpacked_into_the_decorator() -> None:
    source = SCHEMA_ROUTER + """
@router.get("/users/{user_id}", **ADMIN_ONLY)
async def get_user(user_id: str) -> UserResponse:
    ...
"""
    (diagnostic,) = cl301(source)
    assert diagnostic.fix is None


def test_one_argument_a_line_with_a_trailing_comma_gets_a_new_line() -> None:
    source = SCHEMA_ROUTER + """
@router.post(
    "/users",
    status_code=201,  # created
)
async def create_user(payload: dict) -> UserResponse:
    ...
"""
    assert cl301_fix(source) == SCHEMA_ROUTER + """
@router.post(
    "/users",
    status_code=201,  # created
    response_model=UserResponse,
)
async def create_user(payload: dict) -> UserResponse:
    ...
"""


def test_one_argument_a_line_without_a_trailing_comma_keeps_none() -> None:
    source = SCHEMA_ROUTER + """
class UserViews:
    @router.put(
        "/users/{user_id}",
        status_code=200  # ok
    )
    async def update_user(self, user_id: str) -> UserResponse:
        ...
"""
    assert cl301_fix(source) == SCHEMA_ROUTER + """
class UserViews:
    @router.put(
        "/users/{user_id}",
        status_code=200,  # ok
        response_model=UserResponse
    )
    async def update_user(self, user_id: str) -> UserResponse:
        ...
"""


def test_a_single_argument_on_its_own_line() -> None:
    source = SCHEMA_ROUTER + """
@router.get(
    "/users",
)
async def get_users() -> list[UserResponse]:
    ...
"""
    assert cl301_fix(source) == source.replace('    "/users",\n', '    "/users",\n    response_model=list[UserResponse],\n')


def test_arguments_sharing_lines_get_the_keyword_after_a_comma() -> None:
    source = SCHEMA_ROUTER + """
@router.get("/users",
            status_code=200)
async def get_users() -> list[UserResponse]:
    ...
"""
    assert cl301_fix(source) == source.replace("status_code=200)", "status_code=200, response_model=list[UserResponse])")


def test_crlf_line_endings_are_kept() -> None:
    source = (SCHEMA_ROUTER + """
@router.post(
    "/users",
    status_code=201,
)
async def create_user(payload: dict) -> UserResponse:
    ...
""").replace("\n", "\r\n")
    after = cl301_fix(source)
    assert after == source.replace('    status_code=201,\r\n', '    status_code=201,\r\n    response_model=UserResponse,\r\n')
    assert after.count("\n") == after.count("\r\n")


def test_fixed_code_is_not_flagged_again_and_the_rename_goes_along() -> None:
    source = SCHEMA_ROUTER + """
@router.get("/users")
async def list_users():
    ...
"""
    after = fix(source, select=("CL301", "CL601"), unsafe=True)
    assert after == SCHEMA_ROUTER + """
@router.get("/users", response_model=list[UserResponse])
async def get_users():
    ...
"""
    assert found(lint(after, select=("CL301", "CL601"))) == []


# CL302 create-without-201

def cl302(source: str, **options):
    return lint(source, select=("CL302",), **options)


def cl302_fix(source: str, *, unsafe: bool = True, **options) -> str:
    return fix(source, select=("CL302",), unsafe=unsafe, **options)


@pytest.mark.parametrize("status_code", ["201", "200", "status.HTTP_202_ACCEPTED", "HTTPStatus.OK", "code"])
def test_any_explicit_status_code_satisfies_a_post(status_code: str) -> None:
    source = ROUTER + f"""
@router.post("/users", status_code={status_code})
async def create_user() -> None:
    ...
"""
    assert found(cl302(source)) == []


def test_only_post_routes_are_checked_each_decorator_on_its_own() -> None:
    source = ROUTER + """
@router.put("/users/{user_id}")
@router.post("/users/{user_id}")
@router.post("/users", status_code=201)
async def update_user() -> None:
    ...
"""
    diagnostics = cl302(source)
    assert found(diagnostics) == [("CL302", 6, 2)]
    assert diagnostics[0].message == ("Declare the status code of a POST route: "
                                      "`status_code=status.HTTP_201_CREATED` for a create")


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
    source = ROUTER + """
@router.post("/users")
async def create_user() -> None:
    ...
"""
    assert cl302_fix(source, unsafe=False) == textwrap.dedent(source).lstrip("\n")
    diagnostic, = cl302(source)
    assert diagnostic.fix is not None
    assert diagnostic.fix.message == "Add `status_code=status.HTTP_201_CREATED` to the route decorator"
    assert diagnostic.fix.applicability is FixSafety.UNSAFE


def test_the_fix_reuses_an_imported_status_and_imports_it_once() -> None:
    source = ROUTER + """
@router.post("/users")
async def create_user() -> None:
    ...
"""
    assert cl302_fix(source) == textwrap.dedent(source).lstrip("\n").replace(
        '"/users")', '"/users", status_code=status.HTTP_201_CREATED)')

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
    assert cl302_fix(two_routes) == """\
from fastapi import APIRouter, status

router = APIRouter()

@router.post("/users", status_code=status.HTTP_201_CREATED)
async def create_user() -> None:
    ...

@router.post("/teams", status_code=status.HTTP_201_CREATED)
async def create_team() -> None:
    ...
"""


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
        from app.api.routers import users_router
        from app.schemas.user import AvatarResponse
        from fastapi import status


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
        '"/users")', '"/users", status_code=fa.status.HTTP_201_CREATED)')


def test_no_fix_when_status_is_another_name() -> None:
    source = """
        from fastapi import APIRouter

        from app.core import status

        router = APIRouter()

        @router.post("/users")
        async def create_user() -> None:
            ...
    """
    diagnostic, = cl302(source)
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
        "dependencies=[Depends(get_user)],\r\n", "dependencies=[Depends(get_user)],\r\n"
                                                  "    status_code=status.HTTP_201_CREATED,\r\n")
    assert after.count("\n") == after.count("\r\n")
    assert found(cl302(after)) == []


def test_the_fix_keeps_crlf_in_a_parenthesised_import() -> None:
    source = "from fastapi import (\r\n    APIRouter,\r\n)\r\n\r\nrouter = APIRouter()\r\n\r\n" \
             "@router.post(\"/users\")\r\nasync def create_user() -> None:\r\n    ...\r\n"
    after = cl302_fix(source)
    assert after.startswith("from fastapi import (\r\n    APIRouter,\r\n    status,\r\n)\r\n")
    assert after.count("\n") == after.count("\r\n")


@pytest.mark.parametrize("first, last", [("  # noqa: CL302", ""), ("", "  # noqa: CL302")])
def test_noqa_on_a_multi_line_post_decorator(first: str, last: str) -> None:
    source = ROUTER + f"""
@router.post({first}
    "/users",
){last}
async def create_user() -> None:
    ...
"""
    assert found(cl302(source)) == []


# CL303 session-not-injected

def cl303(source: str, **options):
    return lint(source, select=("CL303",), **options)


def test_a_factory_defined_in_the_file_is_followed_and_its_dependency_is_not_flagged() -> None:
    source = """
        from fastapi import APIRouter
        from sqlalchemy import create_engine
        from sqlalchemy.orm import sessionmaker

        engine = create_engine("sqlite://")
        SessionLocal = sessionmaker(bind=engine)
        router = APIRouter()


        def get_db():
            db = SessionLocal()
            try:
                yield db
            finally:
                db.close()


        @router.get("/users")
        def get_users() -> list:
            db = SessionLocal()
            return db.query(User).all()
    """
    diagnostics = cl303(source)
    assert found(diagnostics) == [("CL303", 20, 10)]
    assert diagnostics[0].message == ("Take the session as a `Depends(...)` parameter instead of opening a session "
                                      "with `SessionLocal()` in the route handler")


@pytest.mark.parametrize(("imports", "call", "spelled"), [
    ("import sqlalchemy as sa", "sa.create_engine(url)", "sa.create_engine()"),
    ("from sqlalchemy.ext.asyncio import create_async_engine as make_engine", "make_engine(url)", "make_engine()"),
    ("from sqlalchemy.orm import Session as OrmSession", "OrmSession(engine)", "OrmSession()"),
    ("from sqlmodel import Session", "Session(engine)", "Session()"),
    ("from sqlalchemy.orm import scoped_session, sessionmaker", "scoped_session(sessionmaker())", "scoped_session()"),
    ("from app.db import session as db_module", "db_module.AsyncSessionLocal()", "db_module.AsyncSessionLocal()"),
    ("from app.db.session import async_session_maker", "async_session_maker()", "async_session_maker()"),
    ("from sqlalchemy.orm import sessionmaker", "sessionmaker(bind=engine)()", "sessionmaker()()"),
])
def test_every_spelling_of_a_construction_is_one_finding(imports: str, call: str, spelled: str) -> None:
    source = f"""
{imports}
from fastapi import APIRouter

router = APIRouter()

@router.get("/status")
async def get_status(url: str) -> None:
    handle = {call}
"""
    diagnostics = cl303(source)
    assert found(diagnostics) == [("CL303", 8, 14)]
    assert f"with `{spelled}` in the route handler" in diagnostics[0].message


def test_an_engine_is_named_in_the_message() -> None:
    source = """
        from fastapi import APIRouter
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        router = APIRouter()

        @router.get("/status")
        async def get_status(url: str) -> None:
            async with AsyncSession(create_async_engine(url)) as db:
                ...
            engine = create_async_engine(url)
    """
    diagnostics = cl303(source)
    assert found(diagnostics) == [("CL303", 8, 16), ("CL303", 10, 14)]
    assert diagnostics[1].message == ("Take the session as a `Depends(...)` parameter instead of creating an engine "
                                      "with `create_async_engine()` in the route handler")


def test_a_factory_made_in_the_handler_is_reported_where_it_makes_a_session() -> None:
    source = """
        from fastapi import APIRouter
        from sqlalchemy.orm import sessionmaker

        from app.db.session import engine

        router = APIRouter()

        @router.get("/status")
        def get_status() -> None:
            factory = sessionmaker(bind=engine)
            with factory() as db:
                ...
    """
    assert found(cl303(source)) == [("CL303", 11, 10)]


@pytest.mark.parametrize("construction", [
    "requests.Session()",
    "aiohttp.ClientSession()",
    "Session()",
    "session_factory()",
    "engine.connect()",
    "db.begin()",
    "get_session()",
])
def test_what_is_not_a_session_or_engine_built_here(construction: str) -> None:
    source = f"""
import aiohttp
import requests
from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.api.deps import get_db, get_engine, get_session_factory
from app.http import Session
from app.services.session_service import get_session

router = APIRouter()

@router.get("/status")
async def get_status(
    db: AsyncSession = Depends(get_db),
    engine: AsyncEngine = Depends(get_engine),
    session_factory=Depends(get_session_factory),
) -> None:
    handle = {construction}
"""
    assert found(cl303(source)) == []


def test_only_route_handlers_and_what_they_define_are_checked() -> None:
    source = """
        from fastapi import APIRouter, BackgroundTasks

        from app.db.session import SessionLocal

        router = APIRouter()


        class UserRepository:
            def __init__(self) -> None:
                self.db = SessionLocal()


        def cleanup() -> None:
            with SessionLocal() as db:
                ...


        @router.post("/cleanups", status_code=202)
        def create_cleanup(tasks: BackgroundTasks) -> None:
            def run() -> None:
                with SessionLocal() as db:
                    ...

            tasks.add_task(run)


        class UserView:
            @router.get("/users")
            def get_users(self) -> list:
                return SessionLocal().execute(query).all()
    """
    assert found(cl303(source)) == [("CL303", 21, 14), ("CL303", 30, 16)]


def test_a_star_import_does_not_make_a_parameter_a_session_factory() -> None:
    source = """
        from fastapi import APIRouter, Depends

        from app.db import *

        router = APIRouter()

        @router.get("/status")
        async def get_status(session_factory=Depends(get_session_factory)) -> None:
            async with session_factory() as db:
                ...
    """
    assert found(cl303(source)) == []


# CL304 untyped-endpoint-parameter

def cl304(source: str, **options):
    return lint(source, select=("CL304",), **options)


def test_each_unannotated_parameter_and_the_return_are_findings_of_their_own() -> None:
    source = ROUTER.replace("APIRouter, status", "APIRouter, Depends") + """
@router.get("/items/{item_id}")
@router.get("/things/{item_id}")
async def get_item(item_id, /, q: str, *tags, db=Depends(get_db), verbose, **extra):
    ...
"""
    diagnostics = cl304(source)
    assert sorted(found(diagnostics)) == [("CL304", 7, 11), ("CL304", 7, 20), ("CL304", 7, 41), ("CL304", 7, 47),
                                          ("CL304", 7, 67), ("CL304", 7, 78)]
    assert sorted((d.span.start.column, d.message) for d in diagnostics) == [
        (11, "Add a return type annotation to `get_item`"),
        (20, "Annotate `item_id` with its type, which FastAPI validates and documents"),
        (41, "Annotate `*tags` with its type, which FastAPI validates and documents"),
        (47, "Annotate `db` with the type its dependency provides"),
        (67, "Annotate `verbose` with its type, which FastAPI validates and documents"),
        (78, "Annotate `**extra` with its type, which FastAPI validates and documents"),
    ]


def test_self_and_cls_are_exempt_but_only_in_first_place() -> None:
    source = ROUTER + """
class UserView:
    @router.get("/users")
    def get_users(self, other) -> list:
        ...

    @router.get("/teams")
    @classmethod
    def get_teams(cls, self) -> list:
        ...
"""
    assert found(cl304(source)) == [("CL304", 7, 25), ("CL304", 12, 24)]


def test_a_dependency_annotated_through_annotated_is_typed() -> None:
    source = """
        from typing import Annotated

        from fastapi import APIRouter, Depends
        from sqlalchemy.ext.asyncio import AsyncSession

        router = APIRouter()

        @router.get("/users")
        async def get_users(db: Annotated[AsyncSession, Depends(get_db)]) -> list:
            ...
    """
    assert found(cl304(source)) == []


def test_noqa_on_the_line_of_a_parameter() -> None:
    source = ROUTER + """
@router.get("/users")
async def get_users(
    db=Depends(get_db),  # noqa: CL304
    skip=0,
) -> list:
    ...
"""
    assert found(cl304(source)) == [("CL304", 8, 5)]


def test_route_handlers_are_not_also_missing_type_hints() -> None:
    source = ROUTER + """
@router.get("/users")
async def get_users(skip):
    ...
"""
    assert found(lint(source, path="app/services/user_service.py", select=("CL304", "CL902"))) == [
        ("CL304", 6, 11), ("CL304", 6, 21)]


# CL305 unpaginated-collection-endpoint

def cl305(source: str, **options):
    return lint(source, select=("CL305",), **options)


def collection_route(parameters: str, decorator: str = '@router.get("/users", response_model=list[UserResponse])',
                     returns: str = "list[UserResponse]") -> str:
    return f"""
import typing
from typing import Annotated, List, Optional

from fastapi import APIRouter, Depends, Query
from fastapi_pagination import LimitOffsetPage, Page, Params
from fastapi_pagination.limit_offset import LimitOffsetParams

from app.api.deps import Pagination, get_db, get_pagination, paginate
from app.schemas.user import UserResponse

router = APIRouter()

{decorator}
async def get_users({parameters}) -> {returns}:
    ...
"""


@pytest.mark.parametrize("parameters", [
    "skip: int = 0, limit: int = 100",
    "offset: int = 0",
    "page: int = 1",
    "size: Annotated[int, Query(le=100)] = 50",
    "page_size: int = 50",
    "per_page: int = 50",
    "cursor: str | None = None",
    "params: Params = Depends()",
    "params: Annotated[LimitOffsetParams, Depends()]",
    "pagination: Annotated[Pagination, Depends(get_pagination)]",
    "pagination: Pagination = Depends()",
    "p=Depends(paginate)",
    "p: dict = Depends(get_pagination)",
])
def test_a_paging_parameter_pages_a_list(parameters: str) -> None:
    assert found(cl305(collection_route(parameters))) == []


@pytest.mark.parametrize("parameters", [
    "",
    "db=Depends(get_db)",
    "page_id: str",
    "q: str | None = None",
    "pages: int = 1",
])
def test_without_a_paging_parameter_a_list_is_flagged(parameters: str) -> None:
    assert found(cl305(collection_route(parameters))) == [("CL305", 13, 2)]


@pytest.mark.parametrize(("decorator", "returns", "expected"), [
    ('@router.get("/users", response_model=list[UserResponse])', "dict", [("CL305", 13, 2)]),
    ('@router.get("/users", response_model=typing.List[UserResponse])', "dict", [("CL305", 13, 2)]),
    ('@router.get("/users", response_model=Optional[List[UserResponse]])', "dict", [("CL305", 13, 2)]),
    ('@router.get("/users")', "typing.Sequence[UserResponse]", [("CL305", 13, 2)]),
    ('@router.get("/users")', "list[UserResponse] | None", [("CL305", 13, 2)]),
    ('@router.get("/users", response_model=Page[UserResponse])', "list[UserResponse]", []),
    ('@router.get("/users", response_model=LimitOffsetPage[UserResponse])', "dict", []),
    ('@router.get("/users")', "Page[UserResponse]", []),
    ('@router.get("/users", response_model=None)', "list[UserResponse]", []),
    ('@router.get("/users", response_model=UserResponse)', "list[UserResponse]", []),
    ('@router.post("/users", response_model=list[UserResponse], status_code=201)', "list[UserResponse]", []),
    ('@router.get("/users")', "dict[str, list[UserResponse]]", []),
])
def test_what_answers_a_list(decorator: str, returns: str, expected: list) -> None:
    assert found(cl305(collection_route("", decorator, returns))) == expected


def test_the_paging_parameters_are_a_setting() -> None:
    source = collection_route("first: int = 10, after: str | None = None")
    assert found(cl305(source)) == [("CL305", 13, 2)]
    assert found(cl305(source, paging_parameters=["first", "after"])) == []
    assert found(cl305(collection_route("skip: int = 0"), paging_parameters=["first", "after"])) == [
        ("CL305", 13, 2)]


def test_each_listing_get_decorator_is_reported() -> None:
    source = ROUTER + """
@router.get("/users", response_model=list[UserResponse])
@router.get("/members", response_model=list[UserResponse])
@router.get("/users/me", response_model=UserResponse)
async def get_users():
    ...
"""
    diagnostics = cl305(source)
    assert found(diagnostics) == [("CL305", 5, 2), ("CL305", 6, 2)]
    assert diagnostics[0].message == ("Page this collection endpoint: take `skip` and `limit` (or a pagination "
                                      "dependency), or answer a `Page[...]`")

