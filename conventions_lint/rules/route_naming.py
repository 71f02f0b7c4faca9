"""CL601: route handlers are named for the CRUD operation they perform on their resource."""

from __future__ import annotations

import re

import libcst as cst

from conventions_lint.fixes.renames import RenamesFunctions
from conventions_lint.inflect import is_plural, is_uncountable, plural, singular
from conventions_lint.names import last_name
from conventions_lint.recognize.fastapi import CRUD_METHODS, ROUTE_TEXT, Route, route_of
from conventions_lint.recognize.handlers import COLLECTION_WORDS, METHOD_VERBS, parse_handler_name
from conventions_lint.recognize.syntax import unwrap_optional
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid

_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")
_NOT_RESPONSE_SCHEMAS = ("typing", "typing_extensions", "collections", "builtins", "fastapi", "starlette")


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
    (`get_users_by_email`), and uncountable nouns (`status`, `data`) fit both.

    ## Why is this bad?
    With one verb per method and the noun's number telling one from many, a
    router reads like a table of contents, and a handler's name says what it
    does without reading its decorator.

    ## Fix safety
    The fix renames the handler to the suggested name, and every reference to
    it in the file (calls, `Depends(list_users)`, …). Attributes of other
    objects and strings, such as `url_path_for("list_users")`, are not
    changed. It is unsafe: the handler's name is public, and the modules that
    import it, the tests that call it and the `url_path_for` lookups are not
    updated.

    There is no fix when the new name is already bound or used in the file
    (it would shadow or be shadowed), when two handlers would take the same
    name, or for methods and nested handlers, whose references cannot be told
    apart by name.
    """

    code = "CL601"
    name = "route-crud-naming"
    REQUIRES = ROUTE_TEXT
    fix_safety = FixSafety.UNSAFE
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

            app.add_api_route("/accounts/{user_id}", remove_user, methods=["DELETE"], name="remove_user")
            """,
            line=6,
            column=5,
            fixed="""
            from fastapi import FastAPI

            app = FastAPI()

            @app.delete("/users/{user_id}", status_code=204)
            def delete_user(user_id: str) -> None:
                ...

            app.add_api_route("/accounts/{user_id}", delete_user, methods=["DELETE"], name="remove_user")
            """,
        ),
        Invalid(
            """
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.post("/users", response_model=UserResponse, status_code=201)
            async def signup():
                ...
            """,
            line=8,
            column=11,
            fixed="""
            from fastapi import APIRouter

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.post("/users", response_model=UserResponse, status_code=201)
            async def create_signup():
                ...
            """,
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        route = route_of(self.context, node)
        if route is None or route.method not in CRUD_METHODS:
            return
        current = node.name.value
        handler = parse_handler_name(current)
        verb = METHOD_VERBS[route.method]
        noun = list(handler.noun)
        reasons = [] if handler.verb == verb else [f"{route.method.upper()} handlers start with `{verb}_`"]
        if route.method == "get" and noun and noun[-1]:
            noun[-1], reason = self._noun_for_response(route, noun)
            reasons += [reason] if reason else []
        if reasons:
            suggested = handler.spelled(verb, noun)
            self.propose_rename(node, suggested, f"Rename `{current}` to `{suggested}`: {' and '.join(reasons)}")

    def _noun_for_response(self, route: Route, noun: list[str]) -> tuple[str, str | None]:
        """The last word of the noun in the number the response calls for, and why it changed."""
        last = noun[-1]
        if route.returns_list:
            if any(is_plural(word) or is_uncountable(word) or word in COLLECTION_WORDS for word in noun):
                return last, None
            return plural(last), "the route answers a list"
        response = route.response_type
        if is_plural(last) and response is not None and self._is_single_schema(response):
            return singular(last), f"the route answers a single `{last_name(unwrap_optional(response))}`"
        return last, None

    def _is_single_schema(self, response: cst.BaseExpression) -> bool:
        """A schema class named for one entity (`UserResponse`, not `UsersPage`, `Page[User]` or `dict`)."""
        response = unwrap_optional(response)
        name = last_name(response)
        if name is None or not name[:1].isupper():
            return False
        qualified = self.context.imports.qualify(response)
        if qualified is not None and qualified.split(".", 1)[0] in _NOT_RESPONSE_SCHEMAS:
            return False
        return not any(word.lower() in COLLECTION_WORDS or is_plural(word) for word in _CAMEL_WORD.findall(name))
