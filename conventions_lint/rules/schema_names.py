"""CL602: names of schema classes (service_names.py: service functions; route_naming.py: route
handlers; files.py: file names)."""

from __future__ import annotations

import libcst as cst

from conventions_lint.project_model.vocabulary import NOT_API_SCHEMA, SCHEMA_BASE
from conventions_lint.rule import Invalid, Rule, Valid

# The routes of the examples' project: what makes `UserResponse` an API schema.
_USER_ROUTES = """from fastapi import APIRouter

from app.schemas.user import UserResponse

router = APIRouter()


@router.get("/users/me", response_model=UserResponse)
async def get_user() -> UserResponse: ...
"""

_USER_RESPONSE = """from pydantic import BaseModel

class UserResponse(BaseModel):
    email: str
"""
_PUBLISHER = """from app.schemas.events import UserRegistered


async def publish_user_registered(event: UserRegistered) -> None: ...
"""
_FILTER_ROUTE = """from fastapi import APIRouter

from app.schemas.flow import FlowFilter

router = APIRouter()


@router.post("/flows/filter")
async def read_flows(flow_filter: FlowFilter) -> list[str]: ...
"""
_METRICS_ROUTE = """from fastapi import APIRouter

from app.schemas.metrics import MetricsResponse

router = APIRouter()


@router.get("/metrics/{name}", response_model=MetricsResponse)
async def get_metrics(name: str): ...
"""
_CREATE_ROUTE = """from fastapi import APIRouter

from app.schemas.user import UserCreate

router = APIRouter()


@router.post("/users", status_code=201)
async def create_user(user_create: UserCreate) -> None: ...
"""


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
    The suffix scheme is for the API's resource schemas, and the project
    says which models those are (noise.md N5). A model that a route takes
    or answers (`response_model=`, a body's annotation, the return
    annotation), that a module with routes imports, or that is a base of
    such a model is checked. A model the project uses only otherwise is
    not: one nested in other models' fields (a value object, a filter
    criterion), a base of such models only, or one imported only where no
    route is (an event payload, a webhook sent to another service). A
    model used nowhere the project shows is checked: nothing says it is
    anything but a schema; unless only modules without routes import
    classes of its module (a client's copies of the API's schemas). A
    private class (`_FilterBase`) is a helper of its module and is never
    checked. Without routes in the project (a library), every model of a
    schemas module is checked.

    Three kinds of models routes exchange are not resources either:
    - criteria: what a query route takes (its last path segment
      `filter`, `search`, `count`, `query` or `paginate`: `POST
      /deployments/filter`) when no route answers it. It says which
      resources to find, and neither `Create` nor `Update` fits it;
    - variants: the members of a discriminated union
      (`Annotated[Union[A, B], Field(discriminator="type")]`) a route
      exchanges through the union, named for the kind they are. A
      member a route names itself is checked;
    - bases of the project's schemas that no route names may spell the
      `Base` suffix as Pydantic's `BaseModel` does
      (`TimeSeriesBaseModel`): the name says it is a base.

    Uses the project shows are module-level imports, bases, field
    annotations, type aliases (the members of `Annotated[Union[A, B], ...]`)
    and route signatures; a model only handed to a router
    factory (`get_users_router(UserRead, UserUpdate)`) in a module without
    routes of its own is not seen as routed.

    ## Options
    Set `suffix-every-schema = true` to check every Pydantic model of a
    schemas module against `schema-suffixes` as they are (no `BaseModel`
    for a base), as a team whose schemas layer holds API schemas only may
    want.
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
        # noise.md N5: a value object nested in a response, which no route takes or answers itself.
        Valid(
            """
            from pydantic import BaseModel

            class Address(BaseModel):
                city: str

            class UserResponse(BaseModel):
                email: str
                address: Address
        """,
            path="app/schemas/user.py",
            others=(("app/api/users.py", _USER_ROUTES),),
        ),
        # noise.md N5: an event payload and its base, which only code without routes uses.
        Valid(
            """
            from pydantic import BaseModel

            class EventPayload(BaseModel):
                occurred_at: str

            class UserRegistered(EventPayload):
                email: str
        """,
            path="app/schemas/events.py",
            others=(
                ("app/api/users.py", _USER_ROUTES),
                ("app/schemas/user.py", _USER_RESPONSE),
                ("app/events.py", _PUBLISHER),
            ),
        ),
        # Criteria: the body of a query route, which no route answers.
        Valid(
            """
            from pydantic import BaseModel

            class FlowFilter(BaseModel):
                name: str | None = None
        """,
            path="app/schemas/flow.py",
            others=(("app/api/flows.py", _FILTER_ROUTE),),
        ),
        # Variants of a discriminated union a route answers, and their base, spelled `BaseModel`.
        Valid(
            """
            from typing import Annotated, Literal, Union

            from pydantic import BaseModel, Field

            class MetricsBaseModel(BaseModel):
                count: int

            class TermsMetrics(MetricsBaseModel):
                type: Literal["terms"]

            class RangeMetrics(MetricsBaseModel):
                type: Literal["range"]

            MetricsResponse = Annotated[Union[TermsMetrics, RangeMetrics], Field(discriminator="type")]
        """,
            path="app/schemas/metrics.py",
            others=(("app/api/metrics.py", _METRICS_ROUTE),),
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
        # The shared fields of a body a route takes: `UserBase`.
        Invalid(
            """
            from pydantic import BaseModel

            class User(BaseModel):
                email: str

            class UserCreate(User):
                password: str
        """,
            line=3,
            column=7,
            path="app/schemas/user.py",
            others=(("app/api/users.py", _CREATE_ROUTE),),
        ),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if "schemas" not in self.context.roles or not self.context.index.is_pydantic(node):
            return
        if node.name.value.startswith("_"):
            return  # a private base or helper of the module, not a schema the API exchanges
        meaning = self.context.vocabulary.get(node.name.value)
        known = meaning is not None and not self.settings.suffix_every_schema
        if known and meaning.has(NOT_API_SCHEMA):
            return  # the project uses it, but no route takes or answers it (schema_roles.py)
        suffixes = self.settings.schema_suffixes
        accepted = tuple(suffixes)
        if known and meaning.has(SCHEMA_BASE) and "Base" in suffixes:
            # Pydantic's own name for a base: `TimeSeriesBaseModel` says what `TimeSeriesBase` would.
            accepted += ("BaseModel",)
        if not node.name.value.endswith(accepted):
            listed = ", ".join(f"`{suffix}`" for suffix in suffixes)
            self.report(node.name, f"Name the schema `{node.name.value}` with one of the suffixes {listed}")
