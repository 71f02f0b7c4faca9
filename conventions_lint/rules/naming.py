"""CL6, code: names of route handlers, schema classes and service functions (files.py: file names)."""

from __future__ import annotations

import re

import libcst as cst

from conventions_lint.inflect import is_plural, is_uncountable, plural, singular
from conventions_lint.names import last_name
from conventions_lint.recognize.fastapi import CRUD_METHODS, Route, route_of
from conventions_lint.recognize.handlers import COLLECTION_WORDS, METHOD_VERBS, parse_handler_name
from conventions_lint.recognize.syntax import unwrap_optional
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid
from conventions_lint.fixes.renames import RenamesFunctions

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
    # Route handlers sit under a decorator.
    REQUIRES = (b"@",)
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
    ROLES = frozenset({"schemas"})
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


class ServiceFunctionSuffix(RenamesFunctions, Rule):
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
    The fix appends the suffix to the function's name and to every reference
    to it in the file; strings and attributes of other objects are not
    changed. It is unsafe: the function's name is public, and the modules that
    import it (the endpoints, the tests) are not updated.

    There is no fix when the new name is already bound or used in the file:
    the renamed function would shadow it or be shadowed.
    """

    code = "CL603"
    name = "service-function-suffix"
    ROLES = frozenset({"services"})
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
        """, line=1, column=11, path="app/services/user_service.py", fixed="""
            async def create_user_service(db, payload):
                ...
        """),
        Invalid("""
            def _hash(password: str) -> str:
                ...

            def register_user_service(db, payload):
                ...

            def send_welcome_email(user):
                ...
        """, line=7, column=5, path="app/services/user.py", fixed="""
            def _hash(password: str) -> str:
                ...

            def register_user_service(db, payload):
                ...

            def send_welcome_email_service(user):
                ...
        """),
        Invalid("""
            from app.models.invoice import Invoice

            async def get_invoice(db, invoice_id):
                ...

            async def pay_invoice_service(db, invoice_id):
                invoice = await get_invoice(db, invoice_id)
                ...
        """, line=3, column=11, path="app/billing/invoice_service.py", fixed="""
            from app.models.invoice import Invoice

            async def get_invoice_service(db, invoice_id):
                ...

            async def pay_invoice_service(db, invoice_id):
                invoice = await get_invoice_service(db, invoice_id)
                ...
        """),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if "services" not in self.context.roles or self.context.enclosing_function or self.context.enclosing_class:
            return
        name, suffix = node.name.value, self.settings.service_suffix
        if not name.startswith("_") and not name.endswith(suffix):
            self.propose_rename(node, name + suffix,
                                f"Rename `{name}` to `{name}{suffix}`: public service functions end in `{suffix}`")
