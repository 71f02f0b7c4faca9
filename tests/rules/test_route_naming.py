"""CL601 route-crud-naming: the verb and the noun of route handler names, and the rename fix."""

from __future__ import annotations

import pytest

from tests.helpers import fix_project, found, lint
from tests.helpers import lint_messages as messages

ROUTES = """
from typing import Any, List, Optional

from fastapi import APIRouter

from app.schemas.user import UserResponse, UsersPage

router = APIRouter()
"""


def route(method: str, name: str, response: str = "") -> str:
    keyword = f", response_model={response}" if response else ""
    return (
        ROUTES
        + f"""
@router.{method}("/path"{keyword})
async def {name}():
    ...
"""
    )


# CL601 route-crud-naming


@pytest.mark.parametrize(
    ("method", "name", "suggested"),
    [
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
        ("put", "account", "update_account"),
        ("put", "edit_user", "update_user"),
        ("put", "set_user", "update_user"),
        ("patch", "patch_user", "update_user"),
        ("patch", "modify_user", "update_user"),
        ("delete", "remove_user", "delete_user"),
        ("delete", "destroy_user", "delete_user"),
        ("delete", "del_user", "delete_user"),
        ("delete", "erase_user", "delete_user"),
        ("delete", "_remove_user", "_delete_user"),
    ],
)
def test_verb_is_replaced_or_prefixed(method: str, name: str, suggested: str) -> None:
    source = route(method, name)
    assert found(lint(source, select=("CL601",))) == [("CL601", 10, 11)]
    verb = suggested.lstrip("_").split("_")[0]
    assert messages(source, "CL601") == [
        f"Rename `{name}` to `{suggested}`: {method.upper()} handlers start with `{verb}_`"
    ]


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "get_user"),
        ("post", "create_user"),
        ("put", "update_user"),
        ("patch", "update_user"),
        ("delete", "delete_user"),
        ("head", "users_exist"),
        ("options", "users_options"),
        ("post", "create"),
    ],
)
def test_correct_names_and_unchecked_methods(method: str, name: str) -> None:
    assert found(lint(route(method, name), select=("CL601",))) == []


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("post", "get_user"),
        ("post", "update_config"),
        ("post", "set_banners"),
        ("post", "remove_users_from_group"),
        ("post", "change_password"),
        ("put", "delete_user"),
        ("delete", "create_user"),
        ("get", "remove_user"),
        ("post", "user_remove"),
        ("post", "replace_item"),
    ],
)
def test_a_name_of_another_crud_operation_is_never_renamed_to_its_opposite(method: str, name: str) -> None:
    # noise.md N2 / fixes.md F7: `remove_x` -> `create_x`, `change_password` -> `create_password` invert the meaning.
    assert found(lint(route(method, name), select=("CL601",))) == []


@pytest.mark.parametrize(
    ("method", "name", "suggested"),
    [
        ("delete", "totp_delete", "delete_totp"),
        ("patch", "user_update", "update_user"),
        ("get", "users_list", "get_users"),
    ],
)
def test_a_verb_written_after_the_noun_moves_first(method: str, name: str, suggested: str) -> None:
    verb = suggested.split("_")[0]
    assert messages(route(method, name), "CL601") == [
        f"Rename `{name}` to `{suggested}`: {method.upper()} handlers start with `{verb}_`"
    ]


def test_a_list_handler_answers_a_collection_whatever_the_number_of_its_noun() -> None:
    assert messages(route("get", "list_case"), "CL601") == [
        "Rename `list_case` to `get_cases`: GET handlers start with `get_` and the route answers a list"
    ]
    assert messages(route("get", "list_cases"), "CL601") == [
        "Rename `list_cases` to `get_cases`: GET handlers start with `get_`"
    ]
    assert found(lint(route("get", "list_case", "UserResponse"), select=("CL601",)))[0][0] == "CL601"
    assert messages(route("get", "list_case", "UserResponse"), "CL601") == [
        "Rename `list_case` to `get_case`: GET handlers start with `get_`"
    ]


def test_a_list_handler_on_a_path_that_picks_one_keeps_its_number() -> None:
    source = ROUTES + '\n@router.get("/cases/{case_id}")\nasync def list_case(case_id: str):\n    ...\n'
    assert messages(source, "CL601") == ["Rename `list_case` to `get_case`: GET handlers start with `get_`"]


@pytest.mark.parametrize(
    ("method", "path", "name"),
    [
        ("post", "/{incident_id}/join", "join_incident"),
        ("post", "/{case_id}/take", "take_case"),
        ("post", "/password/change", "change_password"),
        ("post", "/reset-password", "reset_password"),
        ("get", "/reports/export", "export_reports"),
        ("post", "/workflows/{workflow_id}/run", "run_workflow"),
        ("post", "/api/copy/{url_idx}", "copy_model"),
        ("post", "/slack/events", "slack_events"),
        ("post", "/webhooks/stripe", "handle_stripe"),
        ("post", "/integrations/github", "github_webhook"),
        ("get", "/oauth/callback", "callback"),
        # prefect: pytest -m realworld renamed these create_paginate_flows and create_increment_limits.
        ("post", "/flows/paginate", "paginate_flows"),
        ("post", "/concurrency_limits/increment", "increment_limits"),
        ("post", "/concurrency_limits/decrement", "decrement_limits"),
    ],
)
def test_action_and_webhook_routes_are_not_crud(method: str, path: str, name: str) -> None:
    # noise.md N2: today `create_join_incident`, `create_password`, `create_slack_events`.
    source = (
        ROUTES
        + f"""
@router.{method}("{path}")
async def {name}():
    ...
"""
    )
    assert found(lint(source, select=("CL601",))) == []


@pytest.mark.parametrize(
    "decorator",
    [
        '@router.post("/path")\nasync def generate_title():',
        '@router.get("/path")\nasync def export_models():',
        '@router.delete("/path")\nasync def uninstall_app_by_id():',
        '@router.get("/", response_class=HTMLResponse)\nasync def home():',
        '@router.get("/files/{name}")\nasync def file_download(name: str) -> FileResponse:',
        '@router.get("/api/{_:path}", include_in_schema=False)\nasync def api_not_found():',
    ],
)
def test_actions_by_name_raw_responses_and_hidden_routes_are_not_crud(decorator: str) -> None:
    # `create_generate_title` or `get_home` would say nothing a reader needs.
    source = ROUTES + "from fastapi.responses import FileResponse, HTMLResponse\n\n" + decorator + "\n    ...\n"
    assert found(lint(source, select=("CL601",))) == []


@pytest.mark.parametrize(
    ("method", "path", "name", "suggested"),
    [
        ("get", "/users", "list", "get_users"),
        ("get", "/users/{user_id}", "show", "get_user"),
        ("post", "/users", "add", "create_user"),
        ("post", "/register", "register", None),
        ("post", "/", "add", None),
    ],
)
def test_a_name_without_a_noun_takes_the_resource_of_its_path(
    method: str, path: str, name: str, suggested: str | None
) -> None:
    # fastapi-users' `register` became `create`: a name must keep its noun.
    source = (
        ROUTES
        + f"""
@router.{method}("{path}")
async def {name}():
    ...
"""
    )
    expected = (
        []
        if suggested is None
        else [f"Rename `{name}` to `{suggested}`: {method.upper()} handlers start with `{suggested.split('_')[0]}_`"]
    )
    assert messages(source, "CL601") == expected


PAGINATION = """
class ItemPagination(BaseModel):
    total: int
    items: list[ItemResponse] = []
"""


@pytest.mark.parametrize("response", ["ItemPagination", "ItemPage", "ItemListResponse", "ItemCollection"])
def test_a_page_response_is_a_collection(response: str) -> None:
    # noise.md N2: today "Rename to get_item: answers a single ItemPagination".
    source = (
        "from pydantic import BaseModel\n\nfrom app.schemas.item import ItemCollection, ItemListResponse, ItemPage, "
        "ItemResponse\n"
        + PAGINATION
        + route("get", "get_items", response).replace(
            ROUTES, "\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n"
        )
    )
    assert found(lint(source, select=("CL601",))) == []
    singular_name = source.replace("get_items", "get_item")
    assert messages(singular_name, "CL601") == ["Rename `get_item` to `get_items`: the route answers a list"]


@pytest.mark.parametrize(
    ("name", "response", "suggested"),
    [
        ("get_user", "list[UserResponse]", "get_users"),
        ("get_user", "List[UserResponse]", "get_users"),
        ("get_user", "Optional[list[UserResponse]]", "get_users"),
        ("get_category", "list[UserResponse]", "get_categories"),
        ("get_user_profile", "list[UserResponse]", "get_user_profiles"),
        ("get_user_by_email", "list[UserResponse]", "get_users_by_email"),
        ("get_person", "list[UserResponse]", "get_people"),
    ],
)
def test_a_list_response_wants_a_plural_noun(name: str, response: str, suggested: str) -> None:
    assert messages(route("get", name, response), "CL601") == [
        f"Rename `{name}` to `{suggested}`: the route answers a list"
    ]


@pytest.mark.parametrize(
    ("name", "response", "suggested"),
    [
        ("get_users", "UserResponse", "get_user"),
        ("get_users", "Optional[UserResponse]", "get_user"),
        ("get_categories", "schemas.CategoryResponse", "get_category"),
        ("get_people", "UserResponse", "get_person"),
    ],
)
def test_a_single_response_wants_a_singular_noun(name: str, response: str, suggested: str) -> None:
    shown = response.removeprefix("Optional[").removesuffix("]").rsplit(".", 1)[-1]
    assert messages(route("get", name, response), "CL601") == [
        f"Rename `{name}` to `{suggested}`: the route answers a single `{shown}`"
    ]


@pytest.mark.parametrize(
    ("name", "response"),
    [
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
    ],
)
def test_nouns_that_agree_with_the_response(name: str, response: str) -> None:
    assert found(lint(route("get", name, response), select=("CL601",))) == []


def test_number_is_taken_from_the_return_annotation_without_response_model() -> None:
    source = (
        ROUTES
        + """
@router.get("/users/{user_id}")
async def get_users(user_id: str) -> UserResponse:
    ...
"""
    )
    assert messages(source, "CL601") == ["Rename `get_users` to `get_user`: the route answers a single `UserResponse`"]


def test_response_model_none_leaves_the_number_alone() -> None:
    source = (
        ROUTES
        + """
@router.get("/users/{user_id}", response_model=None)
async def get_users(user_id: str) -> UserResponse:
    ...
"""
    )
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
    source = (
        ROUTES
        + """
@router.put("/users/{user_id}")
@router.patch("/users/{user_id}")
async def update_user(user_id: str):
    ...

def list_users():
    ...
"""
    )
    assert found(lint(source, select=("CL601",))) == []


def test_finding_is_at_the_name_and_noqa_on_the_def_line() -> None:
    source = route("get", "read_user")
    (diagnostic,) = lint(source, select=("CL601",))
    assert (diagnostic.span.start.row, diagnostic.span.start.column) == (10, 11)
    assert (diagnostic.span.end.row, diagnostic.span.end.column) == (10, 20)
    suppressed = source.replace("async def read_user():", "async def read_user():  # noqa: CL601")
    assert found(lint(suppressed, select=("CL601",))) == []
    assert fix_project(suppressed, select=("CL601",), unsafe=True) == fix_project(suppressed, select=("CL601",))


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
    print(list_users.__name__, f"{list_users}")
    return call(list_users=everything)
"""


def test_the_rename_is_unsafe_and_updates_references_in_the_file() -> None:
    assert fix_project(HANDLERS, select=("CL601",)) == HANDLERS
    assert (
        fix_project(HANDLERS, select=("CL601",), unsafe=True)
        == """\
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
    print(get_users.__name__, f"{get_users}")
    return call(list_users=everything)
"""
    )


def test_the_rename_fix_message_and_safety() -> None:
    (diagnostic,) = lint(HANDLERS, select=("CL601",))
    assert diagnostic.fix.message == "Rename `list_users` to `get_users`"
    assert diagnostic.fix.applicability.value == "unsafe"
    assert len(diagnostic.fix.edits) == 5


@pytest.mark.parametrize(
    "binding",
    [
        "def get_users():\n    ...\n",
        "class get_users:\n    ...\n",
        "from app.legacy import get_users\n",
        "from app import legacy as get_users\n",
        "get_users = None\n",
        "def helper():\n    get_users = 1\n    return get_users\n",
    ],
)
def test_no_rename_onto_a_name_the_file_already_uses(binding: str) -> None:
    source = (
        ROUTES
        + """
@router.get("/users", response_model=list[UserResponse])
async def list_users():
    ...

"""
        + binding
    )
    (diagnostic,) = lint(source, select=("CL601",))
    assert diagnostic.fix is None
    assert fix_project(source, select=("CL601",), unsafe=True) == fix_project(source, select=("CL601",))


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
    after = fix_project(source, select=("CL601",), unsafe=True)
    assert after == source.replace("read_user", "get_user")
    assert found(lint(after, select=("CL601",))) == [("CL601", 12, 11)]


def test_methods_and_nested_handlers_are_reported_without_a_fix() -> None:
    source = (
        ROUTES
        + """
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
    )
    diagnostics = lint(source, select=("CL601",))
    assert found(diagnostics) == [("CL601", 11, 15), ("CL601", 17, 15)]
    assert [d.fix for d in diagnostics] == [None, None]


def test_the_rename_keeps_crlf_line_endings() -> None:
    source = HANDLERS.replace("\n", "\r\n")
    after = fix_project(source, select=("CL601",), unsafe=True)
    assert "async def get_users(limit: int = 10):\r\n" in after
    assert after.count("\n") == after.count("\r\n") == source.count("\n")
    assert fix_project(after, select=("CL601",), unsafe=True) == after


# Issue 15 (ecosystem): POSTs that create nothing a name could say, upserts, links.


@pytest.mark.parametrize(
    ("decorator", "name"),
    [
        ('@router.post("/flow_runs/history")', "flow_run_history"),
        ('@router.post("/api/embeddings")', "embeddings"),
        ('@router.post("/flows/{id}/lateness", summary="Average lateness of the runs")', "average_lateness"),
        ('@router.post("/experiment_evaluations")', "upsert_experiment_evaluation"),
        ('@router.post("/{id}/files/batch/add")', "add_files_to_knowledge_batch"),
        ('@router.post("/{id}/update/members/add")', "add_members_by_id"),
        ('@router.put("/secrets")', "upsert_or_delete_secrets"),
    ],
)
def test_routes_whose_name_the_method_verb_would_misstate_are_not_renamed(decorator: str, name: str) -> None:
    source = f'{ROUTES}\n{decorator}\nasync def {name}(id: str):\n    """Generate them."""\n'
    assert lint(source, select=("CL601",)) == []


@pytest.mark.parametrize(
    ("decorator", "parameters", "name", "suggested"),
    [
        ('@router.post("/users", status_code=201)', "", "registration", "create_registration"),
        ('@router.post("/users")', "payload: UserCreate", "registration", "create_registration"),
        (
            '@router.post("/trace_annotations", summary="Create trace annotations")',
            "",
            "annotate_traces",
            "create_annotate_traces",
        ),
        ('@router.post("/memories/add")', "", "add_memory", "create_memory"),
        ('@router.put("/records/{id}/suggestions")', "id: str", "upsert_suggestion", "update_suggestion"),
    ],
)
def test_routes_that_say_what_they_do_are_named_for_it(
    decorator: str, parameters: str, name: str, suggested: str
) -> None:
    source = f"{ROUTES}\n{decorator}\nasync def {name}({parameters}):\n    ...\n"
    assert [message.split(":")[0] for message in messages(source, "CL601")] == [f"Rename `{name}` to `{suggested}`"]


def test_batches_and_collective_nouns_keep_their_names() -> None:
    # Issue 15 (ecosystem): airflow's `bulk_connections` (create, update and delete at once) is no update to
    # rename, and open-webui's `get_prompt_history` answers the history already; a list of entries is plural.
    source = (
        ROUTES
        + """
@router.patch("")
def bulk_connections(request: BulkBody) -> BulkResponse:
    ...

@router.get("/id/{prompt_id}/history", response_model=list[UserResponse])
async def get_prompt_history(prompt_id: str):
    ...

@router.get("/id/{prompt_id}/history/entries", response_model=list[UserResponse])
async def get_prompt_history_entry(prompt_id: str):
    ...

@router.put("/datasets/{dataset_id}/records/bulk")
async def upsert_dataset_records_bulk(dataset_id: str):
    ...
"""
    )
    assert found(lint(source, select=("CL601",))) == [("CL601", 18, 11), ("CL601", 22, 11)]
