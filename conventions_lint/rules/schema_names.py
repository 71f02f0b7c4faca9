"""CL602: names of schema classes (service_names.py: service functions; route_naming.py: route
handlers; files.py: file names)."""

from __future__ import annotations

import libcst as cst

from conventions_lint.project_model.vocabulary import NOT_API_SCHEMA
from conventions_lint.rule import Invalid, Rule, Valid


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
        meaning = self.context.vocabulary.get(node.name.value)
        if meaning is not None and meaning.has(NOT_API_SCHEMA) and not self.settings.suffix_every_schema:
            return  # the project uses it, but no route takes or answers it (schema_roles.py)
        suffixes = self.settings.schema_suffixes
        if not node.name.value.endswith(tuple(suffixes)):
            listed = ", ".join(f"`{suffix}`" for suffix in suffixes)
            self.report(node.name, f"Name the schema `{node.name.value}` with one of the suffixes {listed}")
