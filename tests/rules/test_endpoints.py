from __future__ import annotations

import pytest

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
