"""CL602, CL603: names of schema classes and service functions (route_naming.py: route handlers;
files.py: file names)."""

from __future__ import annotations

import libcst as cst

from conventions_lint.fixes.renames import RenamesFunctions
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid


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

    ## Known limits
    The suffix scheme is for the API's resource schemas. A private class
    (`_FilterBase`) is a helper of its module and is not checked. Other models
    of a schemas module that no route takes or returns (event payloads,
    webhook payloads sent to other services, filter criteria nested in a
    request, email template props) are not resource schemas either, but
    telling them apart needs the routes of the whole project (noise.md N5):
    until the rule reads them, list the module in `per-file-ignores`, or
    move such models out of the schemas layer.
    """

    code = "CL602"
    name = "schema-class-suffix"
    OPTIONS = ("schema-bases",)
    ROLES = frozenset({"schemas"})
    VALID = (
        Valid(
            """
            from pydantic import BaseModel

            class UserResponse(BaseModel):
                email: str
        """,
            path="app/schemas/user.py",
        ),
        Valid(
            """
            import enum

            from pydantic import BaseModel

            class Role(str, enum.Enum):
                ADMIN = "admin"

            class UserBase(BaseModel):
                email: str
                role: Role

            class UserCreate(UserBase):
                password: str
        """,
            path="app/schemas/user.py",
        ),
        Valid(
            """
            from pydantic import BaseModel

            class Token(BaseModel):
                access_token: str
        """,
            path="app/core/security.py",
        ),
        Valid(
            """
            from pydantic import BaseModel

            class _TimestampedBase(BaseModel):
                created_at: str

            class ItemResponse(_TimestampedBase):
                name: str
        """,
            path="app/schemas/item.py",
        ),
        Valid(
            """
            from pydantic import BaseModel

            class UserSummary(BaseModel):
                email: str
        """,
            path="app/schemas/user.py",
            settings=(("schema-suffixes", ["Response", "Summary"]),),
        ),
    )
    INVALID = (
        Invalid(
            """
            from pydantic import BaseModel

            class User(BaseModel):
                email: str
        """,
            line=3,
            column=7,
            path="app/schemas/user.py",
        ),
        Invalid(
            """
            from pydantic import BaseModel

            class UserBase(BaseModel):
                email: str

            class UserOut(UserBase):
                id: str
        """,
            line=6,
            column=7,
            path="app/schemas/user.py",
        ),
        Invalid(
            """
            import pydantic

            class TokenPayload(pydantic.BaseModel):
                sub: str
        """,
            line=3,
            column=7,
            path="app/schemas/token.py",
        ),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if "schemas" not in self.context.roles or not self.context.index.is_pydantic(node):
            return
        if node.name.value.startswith("_"):
            return  # a private base or helper of the module, not a schema the API exchanges
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
        Valid(
            """
            async def create_user_service(db, payload):
                ...
        """,
            path="app/services/user_service.py",
        ),
        Valid(
            """
            def _normalise_email(email: str) -> str:
                return email.strip().lower()

            async def get_user_service(db, user_id):
                def matches(user):
                    return user.id == user_id
                ...

            class UserService:
                async def create_user(self, payload):
                    ...
        """,
            path="app/services/user.py",
        ),
        Valid(
            """
            def create_user(db, payload):
                ...
        """,
            path="app/crud/user.py",
        ),
    )
    INVALID = (
        Invalid(
            """
            async def create_user(db, payload):
                ...
        """,
            line=1,
            column=11,
            path="app/services/user_service.py",
            fixed="""
            async def create_user_service(db, payload):
                ...
        """,
        ),
        Invalid(
            """
            def _hash(password: str) -> str:
                ...

            def register_user_service(db, payload):
                ...

            def send_welcome_email(user):
                ...
        """,
            line=7,
            column=5,
            path="app/services/user.py",
            fixed="""
            def _hash(password: str) -> str:
                ...

            def register_user_service(db, payload):
                ...

            def send_welcome_email_service(user):
                ...
        """,
        ),
        Invalid(
            """
            from app.models.invoice import Invoice

            async def get_invoice(db, invoice_id):
                ...

            async def pay_invoice_service(db, invoice_id):
                invoice = await get_invoice(db, invoice_id)
                ...
        """,
            line=3,
            column=11,
            path="app/billing/invoice_service.py",
            fixed="""
            from app.models.invoice import Invoice

            async def get_invoice_service(db, invoice_id):
                ...

            async def pay_invoice_service(db, invoice_id):
                invoice = await get_invoice_service(db, invoice_id)
                ...
        """,
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if "services" not in self.context.roles or self.context.enclosing_function or self.context.enclosing_class:
            return
        name, suffix = node.name.value, self.settings.service_suffix
        if not name.startswith("_") and not name.endswith(suffix):
            self.propose_rename(
                node, name + suffix, f"Rename `{name}` to `{name}{suffix}`: public service functions end in `{suffix}`"
            )
