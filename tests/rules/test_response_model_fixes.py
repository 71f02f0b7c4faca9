"""CL301 missing-response-model: its fixes, safe from a return annotation, unsafe from the conventions."""

from __future__ import annotations

import pytest

from tests.helpers import fix, fix_project, found, lint


def cl301(source: str, **options):
    return lint(source, select=("CL301",), **options)


# Fixes

SCHEMA_ROUTER = """\
from fastapi import APIRouter

from app.schemas.user import UserResponse

router = APIRouter()
"""


def cl301_fix(source: str, *, unsafe: bool = False, **options) -> str:
    return fix(source, select=("CL301",), unsafe=unsafe, **options)


@pytest.mark.parametrize(
    ("decorator", "annotation", "expected"),
    [
        (
            '@router.get("/users/{user_id}")',
            "UserResponse",
            '@router.get("/users/{user_id}", response_model=UserResponse)',
        ),
        ('@router.get("/users")', "list[UserResponse]", '@router.get("/users", response_model=list[UserResponse])'),
        (
            '@router.get("/users")',
            "Optional[UserResponse]",
            '@router.get("/users", response_model=Optional[UserResponse])',
        ),
        ('@router.get("/users", )', "UserResponse", '@router.get("/users", response_model=UserResponse, )'),
        (
            '@router.get(path="/users", status_code=200)',
            "UserResponse",
            '@router.get(path="/users", status_code=200, response_model=UserResponse)',
        ),
    ],
)
def test_the_return_annotation_is_a_safe_fix(decorator: str, annotation: str, expected: str) -> None:
    source = (
        SCHEMA_ROUTER
        + f"""
{decorator}
async def get_user() -> {annotation}:
    ...
"""
    )
    assert cl301_fix(source) == source.replace(decorator, expected)


def test_the_fix_has_a_message_and_is_safe_for_an_annotation_unsafe_for_a_convention() -> None:
    source = (
        SCHEMA_ROUTER
        + """
@router.get("/users/{user_id}")
async def get_user(user_id: str) -> UserResponse:
    ...

@router.get("/users")
async def get_users():
    return await load()
"""
    )
    fixes = [d.fix for d in cl301(source)]
    assert [(f.message, f.applicability.value) for f in fixes] == [
        ("Add `response_model=UserResponse` to the route decorator", "safe"),
        ("Add `response_model=list[UserResponse]` to the route decorator", "unsafe"),
    ]


def test_the_conventional_schema_waits_for_unsafe_fixes() -> None:
    source = (
        SCHEMA_ROUTER
        + """
@router.get("/users/{user_id}")
async def get_user(user_id: str):
    return await load()
"""
    )
    assert cl301_fix(source) == source
    assert cl301_fix(source, unsafe=True) == source.replace(
        '@router.get("/users/{user_id}")', '@router.get("/users/{user_id}", response_model=UserResponse)'
    )


@pytest.mark.parametrize(
    ("method", "name", "path", "schema", "response_model"),
    [
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
    ],
)
def test_the_conventional_schema_comes_from_the_name_or_the_path(
    method: str, name: str, path: str, schema: str, response_model: str
) -> None:
    source = f"""
        from fastapi import APIRouter

        from app.schemas import {schema}

        router = APIRouter()

        @router.{method}("{path}")
        async def {name}():
            return await load()
    """
    assert cl301_fix(source, unsafe=True) == cl301_fix(source).replace(
        f'@router.{method}("{path}")', f'@router.{method}("{path}", response_model={response_model})'
    )


def test_a_schema_defined_in_the_file_counts() -> None:
    source = """
        from fastapi import APIRouter
        from pydantic import BaseModel

        router = APIRouter()

        class ItemResponse(BaseModel):
            name: str

        @router.get("/items")
        async def get_items():
            return await load()
    """
    assert "response_model=list[ItemResponse])" in cl301_fix(source, unsafe=True)


@pytest.mark.parametrize(
    ("name", "annotation"),
    [
        ("get_user", " -> None"),
        ("get_user", ' -> "UserResponse"'),
        ("get_team", ""),
        ("get_users_page", ""),
        ("get_by_id", ""),
        ("signup", ""),
    ],
)
def test_no_fix_without_a_usable_schema(name: str, annotation: str) -> None:
    source = (
        SCHEMA_ROUTER
        + f"""
@router.get("/things")
async def {name}(){annotation}:
    ...
"""
    )
    (diagnostic,) = cl301(source)
    assert diagnostic.fix is None


def test_no_fix_when_options_are_unpacked_into_the_decorator() -> None:
    source = (
        SCHEMA_ROUTER
        + """
@router.get("/users/{user_id}", **ADMIN_ONLY)
async def get_user(user_id: str) -> UserResponse:
    ...
"""
    )
    (diagnostic,) = cl301(source)
    assert diagnostic.fix is None


def test_one_argument_a_line_with_a_trailing_comma_gets_a_new_line() -> None:
    source = (
        SCHEMA_ROUTER
        + """
@router.post(
    "/users",
    status_code=201,  # created
)
async def create_user(payload: dict) -> UserResponse:
    ...
"""
    )
    assert (
        cl301_fix(source)
        == SCHEMA_ROUTER
        + """
@router.post(
    "/users",
    status_code=201,  # created
    response_model=UserResponse,
)
async def create_user(payload: dict) -> UserResponse:
    ...
"""
    )


def test_one_argument_a_line_without_a_trailing_comma_keeps_none() -> None:
    source = (
        SCHEMA_ROUTER
        + """
class UserViews:
    @router.put(
        "/users/{user_id}",
        status_code=200  # ok
    )
    async def update_user(self, user_id: str) -> UserResponse:
        ...
"""
    )
    assert (
        cl301_fix(source)
        == SCHEMA_ROUTER
        + """
class UserViews:
    @router.put(
        "/users/{user_id}",
        status_code=200,  # ok
        response_model=UserResponse
    )
    async def update_user(self, user_id: str) -> UserResponse:
        ...
"""
    )


def test_a_single_argument_on_its_own_line() -> None:
    source = (
        SCHEMA_ROUTER
        + """
@router.get(
    "/users",
)
async def get_users() -> list[UserResponse]:
    ...
"""
    )
    assert cl301_fix(source) == source.replace(
        '    "/users",\n', '    "/users",\n    response_model=list[UserResponse],\n'
    )


def test_arguments_sharing_lines_get_the_keyword_after_a_comma() -> None:
    source = (
        SCHEMA_ROUTER
        + """
@router.get("/users",
            status_code=200)
async def get_users() -> list[UserResponse]:
    ...
"""
    )
    assert cl301_fix(source) == source.replace(
        "status_code=200)", "status_code=200, response_model=list[UserResponse])"
    )


def test_crlf_line_endings_are_kept() -> None:
    source = (
        SCHEMA_ROUTER
        + """
@router.post(
    "/users",
    status_code=201,
)
async def create_user(payload: dict) -> UserResponse:
    ...
"""
    ).replace("\n", "\r\n")
    after = cl301_fix(source)
    assert after == source.replace(
        "    status_code=201,\r\n", "    status_code=201,\r\n    response_model=UserResponse,\r\n"
    )
    assert after.count("\n") == after.count("\r\n")


def test_fixed_code_is_not_flagged_again_and_the_rename_goes_along() -> None:
    source = (
        SCHEMA_ROUTER
        + """
@router.get("/users")
async def list_users():
    return await load()
"""
    )
    after = fix_project(source, select=("CL301", "CL601"), unsafe=True)
    assert (
        after
        == SCHEMA_ROUTER
        + """
@router.get("/users", response_model=list[UserResponse])
async def get_users():
    return await load()
"""
    )
    assert found(lint(after, select=("CL301", "CL601"))) == []
