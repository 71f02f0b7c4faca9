from __future__ import annotations

import pytest

from tests.helpers import fix, found, lint

ROUTES = """
from typing import Any, List, Optional

from fastapi import APIRouter

from app.schemas.user import UserResponse, UsersPage

router = APIRouter()
"""


def messages(source: str, code: str, **options) -> list[str]:
    return [d.message for d in lint(source, select=(code,), **options)]


def route(method: str, name: str, response: str = "") -> str:
    keyword = f", response_model={response}" if response else ""
    return ROUTES + f"""
@router.{method}("/path"{keyword})
async def {name}():
    ...
"""


# CL601 route-crud-naming

@pytest.mark.parametrize(("method", "name", "suggested"), [
    ("get", "read_user", "get_user"),
    ("get", "fetch_user", "get_user"),
    ("get", "retrieve_user", "get_user"),
    ("get", "find_user", "get_user"),
    ("get", "show_user", "get_user"),
    ("get", "user", "get_user"),
    ("get", "health", "get_health"),
    ("post", "add_user", "create_user"),
    ("post", "new_user", "create_user"),
    ("post", "register_user", "create_user"),
    ("post", "insert_user", "create_user"),
    ("post", "get_user", "create_user"),
    ("post", "signup", "create_signup"),
    ("put", "edit_user", "update_user"),
    ("put", "set_user", "update_user"),
    ("patch", "patch_user", "update_user"),
    ("patch", "modify_user", "update_user"),
    ("delete", "remove_user", "delete_user"),
    ("delete", "destroy_user", "delete_user"),
    ("delete", "del_user", "delete_user"),
    ("delete", "erase_user", "delete_user"),
    ("delete", "_remove_user", "_delete_user"),
])
def test_verb_is_replaced_or_prefixed(method: str, name: str, suggested: str) -> None:
    source = route(method, name)
    assert found(lint(source, select=("CL601",))) == [("CL601", 10, 11)]
    verb = suggested.lstrip("_").split("_")[0]
    assert messages(source, "CL601") == [
        f"Rename `{name}` to `{suggested}`: {method.upper()} handlers start with `{verb}_`"
    ]


@pytest.mark.parametrize(("method", "name"), [
    ("get", "get_user"), ("post", "create_user"), ("put", "update_user"), ("patch", "update_user"),
    ("delete", "delete_user"), ("head", "users_exist"), ("options", "users_options"), ("post", "create"),
])
def test_correct_names_and_unchecked_methods(method: str, name: str) -> None:
    assert found(lint(route(method, name), select=("CL601",))) == []


@pytest.mark.parametrize(("name", "response", "suggested"), [
    ("get_user", "list[UserResponse]", "get_users"),
    ("get_user", "List[UserResponse]", "get_users"),
    ("get_user", "Optional[list[UserResponse]]", "get_users"),
    ("get_category", "list[UserResponse]", "get_categories"),
    ("get_user_profile", "list[UserResponse]", "get_user_profiles"),
    ("get_user_by_email", "list[UserResponse]", "get_users_by_email"),
    ("get_person", "list[UserResponse]", "get_people"),
])
def test_a_list_response_wants_a_plural_noun(name: str, response: str, suggested: str) -> None:
    assert messages(route("get", name, response), "CL601") == [
        f"Rename `{name}` to `{suggested}`: the route answers a list"
    ]


@pytest.mark.parametrize(("name", "response", "suggested"), [
    ("get_users", "UserResponse", "get_user"),
    ("get_users", "Optional[UserResponse]", "get_user"),
    ("get_categories", "schemas.CategoryResponse", "get_category"),
    ("get_people", "UserResponse", "get_person"),
])
def test_a_single_response_wants_a_singular_noun(name: str, response: str, suggested: str) -> None:
    shown = response.removeprefix("Optional[").removesuffix("]").rsplit(".", 1)[-1]
    assert messages(route("get", name, response), "CL601") == [
        f"Rename `{name}` to `{suggested}`: the route answers a single `{shown}`"
    ]


@pytest.mark.parametrize(("name", "response"), [
    ("get_users", "list[UserResponse]"),
    ("get_users_by_email", "list[UserResponse]"),
    ("get_team_users_by_role", "list[UserResponse]"),
    ("get_user_list", "list[UserResponse]"),
    ("get_all_user", "list[UserResponse]"),
    ("get_status", "list[UserResponse]"),
    ("get_data", "UserResponse"),
    ("get_news", "list[UserResponse]"),
    ("get_address", "UserResponse"),
    ("get_users", "UsersPage"),
    ("get_users", "Page[UserResponse]"),
    ("get_users", "dict"),
    ("get_users", "Any"),
    ("get_users", "UserListResponse"),
    ("get_user_stats", "UserStatsResponse"),
    ("get", "list[UserResponse]"),
    ("get_by_id", "list[UserResponse]"),
])
def test_nouns_that_agree_with_the_response(name: str, response: str) -> None:
    assert found(lint(route("get", name, response), select=("CL601",))) == []


def test_number_is_taken_from_the_return_annotation_without_response_model() -> None:
    source = ROUTES + """
@router.get("/users/{user_id}")
async def get_users(user_id: str) -> UserResponse:
    ...
"""
    assert messages(source, "CL601") == ["Rename `get_users` to `get_user`: the route answers a single `UserResponse`"]


def test_response_model_none_leaves_the_number_alone() -> None:
    source = ROUTES + """
@router.get("/users/{user_id}", response_model=None)
async def get_users(user_id: str) -> UserResponse:
    ...
"""
    assert messages(source, "CL601") == []


def test_verb_and_number_together() -> None:
    assert messages(route("get", "list_user", "list[UserResponse]"), "CL601") == [
        "Rename `list_user` to `get_users`: GET handlers start with `get_` and the route answers a list"
    ]
    assert messages(route("get", "read_users", "UserResponse"), "CL601") == [
        "Rename `read_users` to `get_user`: GET handlers start with `get_` and the route answers a single "
        "`UserResponse`"
    ]


def test_only_get_checks_the_number() -> None:
    assert messages(route("post", "create_users", "UserResponse"), "CL601") == []
    assert messages(route("put", "update_user", "list[UserResponse]"), "CL601") == []


def test_first_route_decorator_decides_and_functions_without_routes_are_ignored() -> None:
    source = ROUTES + """
@router.put("/users/{user_id}")
@router.patch("/users/{user_id}")
async def update_user(user_id: str):
    ...

def list_users():
    ...
"""
    assert found(lint(source, select=("CL601",))) == []


def test_finding_is_at_the_name_and_noqa_on_the_def_line() -> None:
    source = route("get", "read_user")
    (diagnostic,) = lint(source, select=("CL601",))
    assert (diagnostic.span.start.row, diagnostic.span.start.column) == (10, 11)
    assert (diagnostic.span.end.row, diagnostic.span.end.column) == (10, 20)
    suppressed = source.replace("async def read_user():", "async def read_user():  # noqa: CL601")
    assert found(lint(suppressed, select=("CL601",))) == []
    assert fix(suppressed, select=("CL601",), unsafe=True) == fix(suppressed, select=("CL601",))


HANDLERS = """\
from fastapi import APIRouter, Depends

from app import users
from app.schemas.user import UserResponse

router = APIRouter()


@router.get("/users", response_model=list[UserResponse])
async def list_users(limit: int = 10):
    return await users.list_users(limit=limit)


@router.get("/users/first", response_model=UserResponse)
async def get_first_user(found=Depends(list_users)):
    everything = await list_users(limit=1)
    print(list_users.__name__, f"{list_users}", router.url_path_for("list_users"))
    return call(list_users=everything)
"""


def test_the_rename_is_unsafe_and_updates_references_in_the_file() -> None:
    assert fix(HANDLERS, select=("CL601",)) == HANDLERS
    assert fix(HANDLERS, select=("CL601",), unsafe=True) == """\
from fastapi import APIRouter, Depends

from app import users
from app.schemas.user import UserResponse

router = APIRouter()


@router.get("/users", response_model=list[UserResponse])
async def get_users(limit: int = 10):
    return await users.list_users(limit=limit)


@router.get("/users/first", response_model=UserResponse)
async def get_first_user(found=Depends(get_users)):
    everything = await get_users(limit=1)
    print(get_users.__name__, f"{get_users}", router.url_path_for("list_users"))
    return call(list_users=everything)
"""


def test_the_rename_fix_message_and_safety() -> None:
    (diagnostic,) = lint(HANDLERS, select=("CL601",))
    assert diagnostic.fix.message == "Rename `list_users` to `get_users`"
    assert diagnostic.fix.applicability.value == "unsafe"
    assert len(diagnostic.fix.edits) == 5


@pytest.mark.parametrize("binding", [
    "def get_users():\n    ...\n",
    "class get_users:\n    ...\n",
    "from app.legacy import get_users\n",
    "from app import legacy as get_users\n",
    "get_users = None\n",
    "def helper():\n    get_users = 1\n    return get_users\n",
])
def test_no_rename_onto_a_name_the_file_already_uses(binding: str) -> None:
    source = ROUTES + """
@router.get("/users", response_model=list[UserResponse])
async def list_users():
    ...

""" + binding
    (diagnostic,) = lint(source, select=("CL601",))
    assert diagnostic.fix is None
    assert fix(source, select=("CL601",), unsafe=True) == fix(source, select=("CL601",))


def test_two_handlers_wanting_one_name_leave_the_second_unfixed() -> None:
    source = """\
from fastapi import APIRouter

router = APIRouter()


@router.get("/users/{user_id}")
async def read_user(user_id: str):
    ...


@router.get("/users/{user_id}/again")
async def fetch_user(user_id: str):
    ...
"""
    after = fix(source, select=("CL601",), unsafe=True)
    assert after == source.replace("read_user", "get_user")
    assert found(lint(after, select=("CL601",))) == [("CL601", 12, 11)]


def test_methods_and_nested_handlers_are_reported_without_a_fix() -> None:
    source = ROUTES + """
class UserViews:
    @router.get("/users")
    async def list_users(self):
        ...


def make_router():
    @router.delete("/users/{user_id}", status_code=204)
    async def remove_user(user_id: str):
        ...
    return remove_user
"""
    diagnostics = lint(source, select=("CL601",))
    assert found(diagnostics) == [("CL601", 11, 15), ("CL601", 17, 15)]
    assert [d.fix for d in diagnostics] == [None, None]


def test_the_rename_keeps_crlf_line_endings() -> None:
    source = HANDLERS.replace("\n", "\r\n")
    after = fix(source, select=("CL601",), unsafe=True)
    assert "async def get_users(limit: int = 10):\r\n" in after
    assert after.count("\n") == after.count("\r\n") == source.count("\n")
    assert fix(after, select=("CL601",), unsafe=True) == after


# CL602 schema-class-suffix

SCHEMAS = """
from enum import Enum

from pydantic import BaseModel, RootModel

from app.schemas.base import BaseSchema


class Role(str, Enum):
    ADMIN = "admin"


class UserBase(BaseModel):
    email: str


class UserPublic(UserBase):
    id: str


class UserTags(RootModel):
    root: list[str]


class TeamSummary(BaseSchema):
    name: str


class Helper:
    pass
"""


def test_schema_suffixes() -> None:
    assert found(lint(SCHEMAS, path="app/schemas/user.py", select=("CL602",))) == [
        ("CL602", 16, 7), ("CL602", 20, 7), ("CL602", 24, 7),
    ]


def test_schema_suffixes_setting_replaces_the_list() -> None:
    diagnostics = lint(SCHEMAS, path="app/schemas/user.py", select=("CL602",),
                       schema_suffixes=["Base", "Public", "Summary"])
    assert found(diagnostics) == [("CL602", 20, 7)]
    assert diagnostics[0].message == "Name the schema `UserTags` with one of the suffixes `Base`, `Public`, `Summary`"


def test_subscripted_pydantic_bases_are_schemas() -> None:
    source = """
        from typing import Generic, TypeVar

        from pydantic import BaseModel, RootModel

        T = TypeVar("T")

        class UserTags(RootModel[list[str]]):
            pass

        class Page(BaseModel, Generic[T]):
            items: list[T]
    """
    assert found(lint(source, path="app/schemas/user.py", select=("CL602",))) == [("CL602", 7, 7), ("CL602", 10, 7)]


def test_schemas_outside_schemas_modules_are_not_checked() -> None:
    assert found(lint(SCHEMAS, path="app/api/endpoints/user.py", select=("CL602",))) == []
    assert found(lint(SCHEMAS, path="app/schemas.py", select=("CL602",))) == [
        ("CL602", 16, 7), ("CL602", 20, 7), ("CL602", 24, 7),
    ]


# CL603 service-function-suffix

SERVICE = """
import asyncio


def _hash(password: str) -> str:
    return password


async def create_user(db, payload):
    async def notify():
        ...
    return payload


def get_user_service(db, user_id):
    ...


class UserService:
    def get_user(self, user_id):
        ...


if True:
    def delete_user(db, user_id):
        ...
"""


def test_public_module_level_functions_of_services() -> None:
    diagnostics = lint(SERVICE, path="app/services/user.py", select=("CL603",))
    assert found(diagnostics) == [("CL603", 8, 11), ("CL603", 24, 9)]
    assert diagnostics[0].message == (
        "Rename `create_user` to `create_user_service`: public service functions end in `_service`"
    )
    assert diagnostics[0].fix.message == "Rename `create_user` to `create_user_service`"
    assert diagnostics[0].fix.applicability.value == "unsafe"


SERVICE_WITH_REFERENCES = """\
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User


async def get_user(db: AsyncSession, user_id: str) -> User | None:
    return await db.scalar(sa.select(User).where(User.id == user_id))


async def get_user_or_404_service(db: AsyncSession, user_id: str) -> User:
    user = await get_user(db, user_id)
    if user is None:
        raise LookupError(get_user.__name__)
    return user


__all__ = ["get_user", "get_user_or_404_service"]
"""


def test_service_rename_is_unsafe_and_updates_references() -> None:
    path = "app/services/user_service.py"
    assert fix(SERVICE_WITH_REFERENCES, path=path, select=("CL603",)) == SERVICE_WITH_REFERENCES
    after = fix(SERVICE_WITH_REFERENCES, path=path, select=("CL603",), unsafe=True)
    assert after == SERVICE_WITH_REFERENCES.replace("get_user(", "get_user_service(").replace(
        "get_user.__name__", "get_user_service.__name__")
    assert '__all__ = ["get_user", ' in after
    assert found(lint(after, path=path, select=("CL603",))) == []


def test_service_rename_keeps_crlf_and_respects_the_suffix_setting() -> None:
    source = SERVICE_WITH_REFERENCES.replace("\n", "\r\n")
    after = fix(source, path="app/services/user_service.py", select=("CL603",), unsafe=True, service_suffix="_svc")
    assert "async def get_user_svc(db: AsyncSession, user_id: str) -> User | None:\r\n" in after
    assert "    user = await get_user_svc(db, user_id)\r\n" in after
    assert after.count("\n") == after.count("\r\n") == source.count("\n")


def test_no_service_rename_onto_an_existing_name() -> None:
    source = "def create_user(db):\n    ...\n\n\ndef create_user_service(db):\n    return create_user(db)\n"
    (diagnostic,) = lint(source, path="app/services/user.py", select=("CL603",))
    assert diagnostic.fix is None
    assert fix(source, path="app/services/user.py", select=("CL603",), unsafe=True) == source


def test_service_suffix_setting_and_role_by_file_name() -> None:
    source = "def get_user_svc(db, user_id):\n    ...\n\ndef get_user_service(db, user_id):\n    ...\n"
    assert found(lint(source, path="app/users/user_service.py", select=("CL603",), service_suffix="_svc")) == [
        ("CL603", 4, 5)
    ]
    assert found(lint(source, path="app/crud/user.py", select=("CL603",))) == []


# CL604 module-not-snake-case

@pytest.mark.parametrize(("path", "message"), [
    ("app/UserProfile.py", "Rename `UserProfile.py` to `user_profile.py`: module names are snake_case"),
    ("app/HTTPClient.py", "Rename `HTTPClient.py` to `http_client.py`: module names are snake_case"),
    ("app/user-profile.py", "Rename `user-profile.py` to `user_profile.py`: module names are snake_case"),
    ("app/user.profile.py", "Rename `user.profile.py` to `user_profile.py`: module names are snake_case"),
    ("app/Types.pyi", "Rename `Types.pyi` to `types.pyi`: module names are snake_case"),
    ("app/2fa.py", "Rename `2fa.py` to a snake_case name that starts with a letter"),
])
def test_not_snake_case(path: str, message: str) -> None:
    assert messages("x = 1\n", "CL604", path=path) == [message]


@pytest.mark.parametrize("path", [
    "app/user_profile.py", "app/__init__.py", "app/__main__.py", "app/_private.py", "app/v2.py", "app/stubs.pyi",
    "migrations/versions/1a2b_Add_Users.py", "app/README.md",
])
def test_snake_case_and_unchecked_files(path: str) -> None:
    assert messages("x = 1\n", "CL604", path=path) == []


@pytest.mark.parametrize("source", [
    "", "# a comment\n\n\nimport os\n", '\n\n"""Docstring."""\n', "#!/usr/bin/env python\nx = 1\n",
])
def test_file_findings_are_at_the_first_line_and_column(source: str) -> None:
    assert found(lint(source, path="app/UserProfile.py", select=("CL604",))) == [("CL604", 1, 1)]


def test_file_findings_can_be_suppressed_on_the_first_line_or_for_the_file() -> None:
    assert found(lint("# noqa: CL604\nx = 1\n", path="app/UserProfile.py", select=("CL604",))) == []
    assert found(lint("x = 1\n# conventions-lint: noqa\n", path="app/UserProfile.py", select=("CL604",))) == []


# CL605 plural-module-name

@pytest.mark.parametrize(("path", "suggested"), [
    ("app/models/users.py", "user.py"),
    ("app/models/people.py", "person.py"),
    ("app/models/addresses.py", "address.py"),
    ("app/models/statuses.py", "status.py"),
    ("app/schemas/user_profiles.py", "user_profile.py"),
    ("app/schemas/categories.py", "category.py"),
    ("app/services/users_service.py", "user_service.py"),
    ("app/services/user_services.py", "user_service.py"),
    ("app/services/users.py", "user.py"),
    ("app/billing/invoices_service.py", "invoice_service.py"),
    ("app/models/analyses.py", "analysis.py"),
])
def test_plural_modules(path: str, suggested: str) -> None:
    file_name = path.rsplit("/", 1)[-1]
    assert messages("x = 1\n", "CL605", path=path) == [
        f"Rename `{file_name}` to `{suggested}`: model, schema and service modules are named in the singular"
    ]


@pytest.mark.parametrize("path", [
    "app/models/user.py", "app/models/__init__.py", "app/models/status.py", "app/models/address.py",
    "app/schemas/analysis.py", "app/models/news.py", "app/schemas/data.py", "app/schemas/user_settings.py",
    "app/api/endpoints/users.py", "app/routers/users.py", "app/models.py", "app/schemas.py",
    "app/services/utils.py", "app/models/enums.py", "app/schemas/types.py", "app/crud/users.py",
    "app/services/_service.py",
])
def test_singular_exempt_and_unchecked_modules(path: str) -> None:
    assert messages("x = 1\n", "CL605", path=path) == []


def test_plural_exceptions_match_the_name_or_its_last_word() -> None:
    for path in ("app/models/metrics.py", "app/models/user_metrics.py", "app/services/metrics_service.py"):
        assert messages("x = 1\n", "CL605", path=path, plural_exceptions=["metrics"]) == []
    assert messages("x = 1\n", "CL605", path="app/models/metrics.py", plural_exceptions=["users"]) != []


# CL606 test-file-naming

@pytest.mark.parametrize(("path", "suggested"), [
    ("tests/users_test.py", "test_users.py"),
    ("tests/user_tests.py", "test_user.py"),
    ("tests/api/users.py", "test_users.py"),
    ("backend/tests/factories.py", "test_factories.py"),
    ("tests/Test_users.py", "test_Test_users.py"),
])
def test_badly_named_test_files(path: str, suggested: str) -> None:
    file_name = path.rsplit("/", 1)[-1]
    assert messages("x = 1\n", "CL606", path=path) == [
        f"Rename `{file_name}` to `{suggested}` so pytest collects it, "
        "or list it in the `test-helpers` setting if it is a helper"
    ]


@pytest.mark.parametrize("path", [
    "tests/test_users.py", "tests/conftest.py", "tests/__init__.py", "tests/api/test_users.py",
    "app/users_test.py", "tests/data/users.json",
])
def test_well_named_and_unchecked_files(path: str) -> None:
    assert messages("x = 1\n", "CL606", path=path) == []


def test_helpers_setting_takes_globs() -> None:
    helpers = ["tests/factories.py", "**/tests/utils/**", "fixtures_*.py"]
    for path in ("tests/factories.py", "backend/tests/utils/client.py", "tests/api/fixtures_users.py"):
        assert messages("x = 1\n", "CL606", path=path, test_helpers=helpers) == []
    assert messages("x = 1\n", "CL606", path="tests/helpers.py", test_helpers=helpers) != []
