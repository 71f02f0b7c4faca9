"""CL6, code: names of route handlers, schema classes and service functions (files.py: file names)."""

from __future__ import annotations

import re

import libcst as cst

from conventions_lint.inflect import is_plural, is_uncountable, plural, singular
from conventions_lint.names import last_name
from conventions_lint.recognize.fastapi import CRUD_METHODS, Route, route_of
from conventions_lint.recognize.syntax import unwrap_optional
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid

_METHOD_VERBS = {"get": "get", "post": "create", "put": "update", "patch": "update", "delete": "delete"}
# Any of these first words is replaced by the method's verb rather than prefixed with it.
_KNOWN_VERBS = frozenset({
    "get", "read", "list", "fetch", "retrieve", "find", "show",
    "create", "add", "new", "post", "make", "insert", "register",
    "update", "edit", "modify", "patch", "put", "change", "set",
    "delete", "remove", "destroy", "del", "erase",
})
# Words after the resource noun: `get_users_by_email` names `users`.
_QUALIFIERS = frozenset({"by", "for", "of", "with", "without", "in", "from", "on", "at", "per", "to", "since", "where"})
# Words that make a name or a class a collection whatever the number of its noun.
_COLLECTION_WORDS = frozenset({"all", "batch", "bulk", "collection", "list", "many", "page", "paginated"})
_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")
_NOT_RESPONSE_SCHEMAS = ("typing", "typing_extensions", "collections", "builtins", "fastapi", "starlette")


class RouteCrudNaming(Rule):
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
    The fix renames the handler and its references in the file. It is unsafe:
    other modules that import the handler by name, and tests that call it,
    are not updated.
    """

    code = "CL601"
    name = "route-crud-naming"
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
        ),
        Invalid(
            """
            from fastapi import FastAPI

            app = FastAPI()

            @app.delete("/users/{user_id}", status_code=204)
            def remove_user(user_id: str) -> None:
                ...
            """,
            line=6,
            column=5,
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
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        route = route_of(self.context, node)
        if route is None or route.method not in CRUD_METHODS:
            return
        current = node.name.value
        underscores = current[: len(current) - len(current.lstrip("_"))]
        words = current[len(underscores):].split("_")
        verb = _METHOD_VERBS[route.method]
        rest = words[1:] if words[0] in _KNOWN_VERBS else words
        cut = next((i for i, word in enumerate(rest) if word in _QUALIFIERS), len(rest))
        noun, qualifier = rest[:cut], rest[cut:]
        reasons = [] if words[0] == verb else [f"{route.method.upper()} handlers start with `{verb}_`"]
        if route.method == "get" and noun and noun[-1]:
            noun[-1], reason = self._noun_for_response(route, noun)
            reasons += [reason] if reason else []
        if reasons:
            suggested = underscores + "_".join([verb, *noun, *qualifier])
            self.report(node.name, f"Rename `{current}` to `{suggested}`: {' and '.join(reasons)}", fix_at=node.name)

    def _noun_for_response(self, route: Route, noun: list[str]) -> tuple[str, str | None]:
        """The last word of the noun in the number the response calls for, and why it changed."""
        last = noun[-1]
        if route.returns_list:
            if any(is_plural(word) or is_uncountable(word) or word in _COLLECTION_WORDS for word in noun):
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
        return not any(word.lower() in _COLLECTION_WORDS or is_plural(word) for word in _CAMEL_WORD.findall(name))


class SchemaClassSuffix(Rule):
    """
    ## What it does
    Checks that every Pydantic model in a schemas module ends in one of the
    schema suffixes: `Base`, `Create`, `Update`, `Response` or `InDB` (the
    `schema-suffixes` setting). Enums and other non-Pydantic classes are not
    checked, nor are Pydantic models outside schemas modules.

    ## Why is this bad?
    The suffix says what a schema is for: the shared fields (`UserBase`), a
    request body (`UserCreate`, `UserUpdate`), what the API answers
    (`UserResponse`) or the stored shape (`UserInDB`). Other rules rely on it
    too: request bodies get length limits, responses `from_attributes`.
    """

    code = "CL602"
    name = "schema-class-suffix"
    VALID = (
        Valid("""
            from pydantic import BaseModel

            class UserResponse(BaseModel):
                email: str
        """, path="app/schemas/user.py"),
        Valid("""
            import enum

            from pydantic import BaseModel

            class Role(str, enum.Enum):
                ADMIN = "admin"

            class UserBase(BaseModel):
                email: str
                role: Role

            class UserCreate(UserBase):
                password: str
        """, path="app/schemas/user.py"),
        Valid("""
            from pydantic import BaseModel

            class Token(BaseModel):
                access_token: str
        """, path="app/core/security.py"),
        Valid("""
            from pydantic import BaseModel

            class UserSummary(BaseModel):
                email: str
        """, path="app/schemas/user.py", settings=(("schema-suffixes", ["Response", "Summary"]),)),
    )
    INVALID = (
        Invalid("""
            from pydantic import BaseModel

            class User(BaseModel):
                email: str
        """, line=3, column=7, path="app/schemas/user.py"),
        Invalid("""
            from pydantic import BaseModel

            class UserBase(BaseModel):
                email: str

            class UserOut(UserBase):
                id: str
        """, line=6, column=7, path="app/schemas/user.py"),
        Invalid("""
            import pydantic

            class TokenPayload(pydantic.BaseModel):
                sub: str
        """, line=3, column=7, path="app/schemas/token.py"),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if "schemas" not in self.context.roles or not self.context.index.is_pydantic(node):
            return
        suffixes = self.settings.schema_suffixes
        if not node.name.value.endswith(tuple(suffixes)):
            listed = ", ".join(f"`{suffix}`" for suffix in suffixes)
            self.report(node.name, f"Name the schema `{node.name.value}` with one of the suffixes {listed}")


class ServiceFunctionSuffix(Rule):
    """
    ## What it does
    Checks that every public module-level function (`def` or `async def`) of a
    services module ends in `_service` (the `service-suffix` setting). Private
    helpers (`_load_user`), methods and nested functions are not checked.

    ## Why is this bad?
    The suffix marks the business-logic entry points: an endpoint calling
    `create_user_service(...)` is visibly delegating to the service layer, and
    the name cannot be confused with the route handler `create_user` or a
    repository function.

    ## Fix safety
    The fix renames the function and its references in the file. It is unsafe:
    other modules that import the function by name are not updated.
    """

    code = "CL603"
    name = "service-function-suffix"
    fix_safety = FixSafety.UNSAFE
    VALID = (
        Valid("""
            async def create_user_service(db, payload):
                ...
        """, path="app/services/user_service.py"),
        Valid("""
            def _normalise_email(email: str) -> str:
                return email.strip().lower()

            async def get_user_service(db, user_id):
                def matches(user):
                    return user.id == user_id
                ...

            class UserService:
                async def create_user(self, payload):
                    ...
        """, path="app/services/user.py"),
        Valid("""
            def create_user(db, payload):
                ...
        """, path="app/crud/user.py"),
    )
    INVALID = (
        Invalid("""
            async def create_user(db, payload):
                ...
        """, line=1, column=11, path="app/services/user_service.py"),
        Invalid("""
            def _hash(password: str) -> str:
                ...

            def register_user_service(db, payload):
                ...

            def send_welcome_email(user):
                ...
        """, line=7, column=5, path="app/services/user.py"),
        Invalid("""
            from app.models.invoice import Invoice

            async def get_invoice(db, invoice_id):
                ...
        """, line=3, column=11, path="app/billing/invoice_service.py"),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if "services" not in self.context.roles or self.context.enclosing_function or self.context.enclosing_class:
            return
        name, suffix = node.name.value, self.settings.service_suffix
        if not name.startswith("_") and not name.endswith(suffix):
            self.report(node.name, f"Rename `{name}` to `{name}{suffix}`: public service functions end in `{suffix}`",
                        fix_at=node.name)
