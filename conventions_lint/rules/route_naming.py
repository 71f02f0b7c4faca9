"""CL601: route handlers are named for the CRUD operation they perform on their resource."""

from __future__ import annotations

import libcst as cst

from conventions_lint.fixes.renames import RenamesFunctions
from conventions_lint.inflect import is_plural, is_uncountable, plural, singular
from conventions_lint.names import last_name
from conventions_lint.recognize.fastapi import CRUD_METHODS, ROUTE_TEXT, Route, may_have_routes, route_of
from conventions_lint.recognize.handlers import COLLECTION_WORDS, COLLECTIVE_NOUNS, METHOD_VERBS, parse_handler_name
from conventions_lint.recognize.pydantic import is_page_response
from conventions_lint.recognize.route_kinds import (
    is_crud_route,
    is_named_for_action,
    is_single_schema,
    method_verb_noun,
    noun_of_path,
)
from conventions_lint.recognize.syntax import unwrap_optional
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid


class RouteCrudNaming(RenamesFunctions, Rule):
    """
    ## What it does
    Checks that a route handler's name starts with the verb of its HTTP method:
    `get_` for GET, `create_` for POST, `update_` for PUT and PATCH, `delete_`
    for DELETE. Synonyms (`read_`, `list_`, `fetch_`, `add_`, `edit_`,
    `remove_`, …) are replaced by the team's verb; other names get it as a
    prefix. HEAD and OPTIONS routes are not checked.

    For GET routes the noun must also agree with the response: a handler
    answering a list (`response_model=list[...]`, or a list return annotation)
    is named in the plural (`get_users`), one answering a single schema in the
    singular (`get_user`). Words after `by_`, `for_`, … are not the noun
    (`get_users_by_email`), and uncountable nouns (`status`, `data`) fit both,
    as do nouns naming a collection in the singular (`history`, `timeline`:
    `get_prompt_history` answering a list of versions).

    A name without a noun takes the resource of its path (`list` on `/users`
    becomes `get_users`); a verb written after the noun moves first
    (`totp_delete` becomes `delete_totp`). A response that is a page (a
    `Page[...]`, a class named `*Page`, `*Pagination`, `*List` or
    `*Collection`, or a model of the file with a list field beside a `total` or
    `count`) is a collection: `get_items` answering `ItemPagination` is right.

    ## Why is this bad?
    With one verb per method and the noun's number telling one from many, a
    router reads like a table of contents, and a handler's name says what it
    does without reading its decorator.

    ## Known limits
    The naming scheme is for CRUD operations on resources; these routes are
    not reported:
    - actions: the last fixed segment of the path is a verb (`/{id}/join`,
      `/{id}/take`, `/export`, `/run`, `/reset-password`, `/password/change`),
      or the handler is named for one (`toggle_skill`, `generate_title`):
      `create_join_incident` or `create_generate_title` says nothing more;
    - batches named without a CRUD verb (`bulk_*`, `batch_*`: airflow's
      `PATCH /connections` answered by `bulk_connections` creates, updates
      and deletes at once; `upsert_records_bulk` on a PUT is still
      `update_records_bulk`) and token endpoints (the last fixed segment
      ends in a single `token`: `/token`, `/{id}/access-token`);
    - webhook and callback receivers (`/webhooks/stripe`, `/oauth/callback`,
      `slack_events` on `/slack/events`);
    - routes answering a browser or a file (`response_class=HTMLResponse`,
      `-> FileResponse`) and routes hidden with `include_in_schema=False`;
    - handlers named for another CRUD operation than their method
      (`update_config`, `upsert_evaluation` or `remove_member` on a POST), or
      whose path names one (`add_members_by_id` on `POST
      /{id}/update/members/add`): the method's verb would invert what the
      name says, so no name is suggested;
    - a POST whose name has no CRUD verb (`flow_run_history`, `embeddings`, a
      pass-through to another service), unless the route says it creates: it
      declares `201 Created`, takes a `*Create` body, or its `summary=` (else
      its docstring) starts with "Create" or "Add"; `create_` before a query
      or a computation says nothing true;
    - a POST linking two resources (`add_user_to_group`): it creates neither;
    - a name without a noun whose path names no resource (`register` on
      `POST /register`).

    A rename follows the handler's bindings only where it can see all of
    them. These are reported without a fix:
    - the name in a string, in the handler's file or in a file that imports
      its module (`url_path_for("list_users")`, `getattr(users, "list_users")`):
      which string names the route or the function cannot be told;
    - a module that another file imports with `*`, or that two files of the
      project could be (`app.users` under two import roots);
    - a name bound twice in the handler's module (`list_users = cache(list_users)`)
      or where another file imports it;
    - an Alembic revision that imports the handler is not looked into.

    ## Fix safety
    The fix renames the handler and every reference to it that Python's
    scoping rules resolve to it: calls, `Depends(list_users)`, decorators,
    default values, methods that read the module's name; in the handler's file
    and in each file of the project that imports it (`from app.api.users
    import list_users` and its uses, `users.list_users`, `import
    app.api.users` then `app.api.users.list_users`, a re-export in a
    package's `__init__.py`, its `__all__`, and the files importing it from
    there). A parameter, a local variable, a class attribute or a
    comprehension variable of the same name is another binding and stays, as
    do keyword names at calls and attributes of other objects. The edits in
    other files are made when those files are checked in the same run (the
    fix's message names them); until then the fix waits.

    It is unsafe: the handler's name is also the route's name (`url_path_for`)
    and its OpenAPI `operationId`, which clients generated from the schema use.

    There is no fix when a reference cannot be followed (see Known limits),
    when the new name is already spelled in the file or a file that imports
    the handler (it would shadow or be shadowed), when two handlers would
    take the same name, or for methods and nested handlers.
    """

    code = "CL601"
    name = "route-crud-naming"
    OPTIONS = ("router-classes",)
    REQUIRES = ROUTE_TEXT
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
    VALID = (
        Valid("""
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users", response_model=list[UserResponse])
            async def get_users():
                ...
        """),
        Valid("""
            from fastapi import APIRouter

            from app.schemas.status import StatusResponse
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: str):
                ...

            @router.patch("/users/{user_id}", response_model=UserResponse)
            async def update_user(user_id: str):
                ...

            @router.get("/users/by-team/{team_id}", response_model=list[UserResponse])
            async def get_users_by_team(team_id: str):
                ...

            @router.get("/status", response_model=list[StatusResponse])
            async def get_status():
                ...
        """),
        Valid("""
            from fastapi import APIRouter

            from app.schemas.common import Page
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users", response_model=Page[UserResponse])
            async def get_users():
                ...

            @router.head("/users")
            async def users_exist():
                ...

            def list_users():
                ...
        """),
        # noise.md N2: a page is a collection; actions, webhooks, queries, upserts and links are not CRUD.
        Valid("""
            from fastapi import APIRouter
            from pydantic import BaseModel

            from app.schemas.item import ItemResponse

            router = APIRouter()


            class ItemPagination(BaseModel):
                total: int
                items: list[ItemResponse] = []


            @router.get("/items", response_model=ItemPagination)
            async def get_items():
                ...

            @router.post("/{incident_id}/join")
            async def join_incident(incident_id: str):
                ...

            @router.post("/password/change")
            async def change_password():
                ...

            @router.post("/slack/events")
            async def slack_events():
                ...

            @router.post("/{item_id}/remove")
            async def remove_item(item_id: str):
                ...

            @router.post("/flow_runs/history")
            async def flow_run_history():
                ...

            @router.post("/experiment_evaluations")
            async def upsert_experiment_evaluation():
                ...

            @router.post("/groups/{group_id}/users")
            async def add_user_to_group(group_id: str):
                ...
        """),
        # Issue 15: a batch is no update, a history is a collection already.
        Valid("""
            from fastapi import APIRouter

            from app.schemas.bulk import BulkBody, BulkResponse
            from app.schemas.prompt import PromptHistoryResponse

            router = APIRouter(prefix="/connections")

            @router.patch("")
            def bulk_connections(request: BulkBody) -> BulkResponse:
                ...

            @router.get("/prompts/{prompt_id}/history", response_model=list[PromptHistoryResponse])
            async def get_prompt_history(prompt_id: str):
                ...
        """),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users", response_model=list[UserResponse])
            async def list_users():
                ...
            """,
            line=8,
            column=11,
            fixed="""
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users", response_model=list[UserResponse])
            async def get_users():
                ...
            """,
        ),
        Invalid(
            """
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users")
            async def get_user() -> list[UserResponse]:
                ...
            """,
            line=8,
            column=11,
            fixed="""
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users")
            async def get_users() -> list[UserResponse]:
                ...
            """,
        ),
        Invalid(
            """
            from fastapi import FastAPI

            app = FastAPI()

            @app.delete("/users/{user_id}", status_code=204)
            def remove_user(user_id: str) -> None:
                ...

            app.add_api_route("/accounts/{user_id}", remove_user, methods=["DELETE"])
            """,
            line=6,
            column=5,
            fixed="""
            from fastapi import FastAPI

            app = FastAPI()

            @app.delete("/users/{user_id}", status_code=204)
            def delete_user(user_id: str) -> None:
                ...

            app.add_api_route("/accounts/{user_id}", delete_user, methods=["DELETE"])
            """,
        ),
        Invalid(
            """
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.post("/users", response_model=UserResponse, status_code=201)
            async def registration():
                ...
            """,
            line=8,
            column=11,
            fixed="""
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.post("/users", response_model=UserResponse, status_code=201)
            async def create_registration():
                ...
            """,
        ),
    )

    @classmethod
    def concerns(cls, source: bytes, roles: frozenset[str], file_name: str, settings) -> bool:
        # Not every file with a decorator: its rename walks the file's bindings, which costs.
        return super().concerns(source, roles, file_name, settings) and may_have_routes(source)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        route = route_of(self.context, node)
        if route is None or route.method not in CRUD_METHODS or not route.in_schema:
            return
        if not is_crud_route(self.context, route) or is_named_for_action(node):
            return  # `create_join_incident`, `create_toggle_skill`, `update_bulk_connections` say nothing more
        current = node.name.value
        handler = parse_handler_name(current)
        verb = METHOD_VERBS[route.method]
        noun = method_verb_noun(self.context, route, handler, verb)
        if noun is None:
            return  # the name or the path says another operation than the method: no name is suggested
        reasons = [] if handler.verb == verb else [f"{route.method.upper()} handlers start with `{verb}_`"]
        if route.method == "get" and noun and noun[-1]:
            noun[-1], reason = self._noun_for_response(route, noun, listed=handler.verb == "list")
            reasons += [reason] if reason else []
        if not any(noun):
            noun = noun_of_path(route)
        if reasons and noun:
            suggested = handler.spelled(verb, noun)
            self.propose_rename(node, suggested, f"Rename `{current}` to `{suggested}`: {' and '.join(reasons)}")

    def _noun_for_response(self, route: Route, noun: list[str], *, listed: bool) -> tuple[str, str | None]:
        """The last word of the noun in the number the response calls for, and why it changed.

        A `list_` handler answers a collection unless its response or its path says otherwise."""
        last = noun[-1]
        response = route.response_type
        single = response is not None and is_single_schema(self.context, response)
        collection = route.returns_list or (response is not None and is_page_response(self.context, response))
        # `list_case` on `/cases/{case_id}`: the path picks one, whatever the verb says.
        picked = (route.path or "").rstrip("/").rpartition("/")[2].startswith("{")
        if collection or (listed and not single and not picked):
            if last in COLLECTIVE_NOUNS or any(
                is_plural(word) or is_uncountable(word) or word in COLLECTION_WORDS for word in noun
            ):
                return last, None
            return plural(last), "the route answers a list"
        if is_plural(last) and single:
            return singular(last), f"the route answers a single `{last_name(unwrap_optional(response))}`"
        return last, None
