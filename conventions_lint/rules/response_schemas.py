"""CL403: a response schema can be built from ORM objects (schemas.py: the request bodies' CL402)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.fixes.calls import with_argument
from conventions_lint.names import last_name
from conventions_lint.project_model.vocabulary import BUILT_BY_ROUTES, NOT_EXCHANGED, NOT_ORM_SHAPED
from conventions_lint.recognize.pydantic import (
    config_entries,
    configured,
    is_page_response,
    model_config_of,
    v1_config_class,
)
from conventions_lint.recognize.syntax import is_docstring, is_false
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder


# `ErrorResponse`, `ValidationErrorResponse`, `ProblemResponse`: what an exception handler answers.
_ERROR_NAME = re.compile(r"Error|Exception|Problem|Fault")

# The project's one mapped class, in the example whose response it could not fill.
_USER_MODEL = """from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str]
"""


# A route of the project: what makes it one whose responses are told apart by what its routes answer.
_USERS_ROUTE = """from fastapi import APIRouter

from app.models.user import User

router = APIRouter()


@router.get("/users/me")
async def get_user() -> User: ...
"""


_VARIABLES_ROUTE = """from fastapi import APIRouter

from app.schemas.variables import UserVariablesResponse

router = APIRouter()


@router.get("/users/me/variables", response_model=UserVariablesResponse)
async def get_variables(user_id: int):
    return UserVariablesResponse(id=user_id, email="")
"""


class ResponseWithoutFromAttributes(Rule):
    """
    ## What it does
    Checks for Pydantic models named `*Response` whose configuration, their
    own or that of a base class in the same file, does not set
    `from_attributes=True`. A model deriving from a class imported from
    elsewhere (a project `ORMModel`) is not checked: that class may set it.

    ## Why is this bad?
    Responses are built from ORM objects (`UserResponse.model_validate(user)`,
    or FastAPI's `response_model`). Without `from_attributes=True`, Pydantic
    only reads dicts, and every such response fails validation.

    ## Known limits
    Responses that are never built from an ORM object are not checked
    (noise.md N6): error answers (`ErrorResponse`,
    `ValidationErrorResponse`, a name with `Error`, `Exception`, `Problem`
    or `Fault`), built from an exception, and page wrappers
    (`UserListResponse`, `ItemPageResponse`, or a list field beside a
    `total` or `count`), built from a list and its count; the schemas of
    their items are checked. Nor are responses no mapped class of the
    project could fill: when no mapped class has most of the response's
    fields (more than half of its own and its project bases') as attributes
    (columns, relationships), it is built from computed values (a token, an
    authorization URL, statistics, a diff). A project without mapped classes
    says nothing of this, and every response is checked. Nor is a response
    that no route exchanges, even nested in what a route takes or answers,
    in a project with routes: one only a model sent elsewhere nests (another
    service's payload, a generated provider type) is not what the API
    answers. Nor is a response that every route answering it builds in place
    (`return UserVariablesResponse(variables=...)`, or from a dict:
    `XResponse(**model.model_dump())`), that no other model nests and that
    the project never validates from an object (`model_validate`,
    `from_orm`, `parse_obj`): FastAPI then never reads an ORM object's
    attributes into it. A route that returns anything else (an object it
    loaded, a variable, a list) keeps the response checked. A response used
    nowhere the project shows is checked. A property of a mapped class is
    not counted as one of its attributes; a response built from a Pydantic
    copy of an ORM object (same fields, no ORM object) cannot be told apart:
    silence it with `# noqa: CL403`.

    ## Fix safety
    The fix adds `from_attributes=True` to the class's `ConfigDict(...)` (or
    turns a `False` into `True`), or else adds the line
    `model_config = ConfigDict(from_attributes=True)` at the end of the
    class's fields (in place of a lone `pass`), importing `ConfigDict` from
    pydantic. It is safe: the model then also accepts objects, as well as
    the dicts it accepted before. There is no fix for a v1 `class Config:`
    (CL404 converts it first) nor for a dict without the key.

    A name the fix imports never collides with one in scope: when a
    variable, attribute or parameter where it is used already has that
    name, it is not imported and there is no fix.
    """

    code = "CL403"
    name = "response-without-from-attributes"
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.SAFE
    VALID = (
        Valid("""
            from uuid import UUID

            from pydantic import BaseModel, ConfigDict


            class UserResponse(BaseModel):
                id: UUID
                email: str

                model_config = ConfigDict(from_attributes=True)
        """),
        Valid("""
            from pydantic import BaseModel, ConfigDict

            from app.schemas.base import ORMModel


            class PostBase(BaseModel):
                model_config = ConfigDict(from_attributes=True)


            class PostResponse(PostBase):
                model_config = ConfigDict(frozen=True)


            class CommentResponse(ORMModel):
                body: str


            class TagResponse(BaseModel):
                model_config = {"from_attributes": True}
        """),
        # noise.md N6: an error answer and a page wrapper are never built from one ORM object.
        Valid("""
            from pydantic import BaseModel


            class ErrorResponse(BaseModel):
                detail: str
                code: str


            class ItemPageResponse(BaseModel):
                items: list[str]
                total: int
        """),
        # A token no mapped class of the project could fill: built from freshly minted values.
        Valid(
            """
            from pydantic import BaseModel


            class TokenResponse(BaseModel):
                access_token: str
                token_type: str
        """,
            path="app/schemas/token.py",
            others=(("app/models/user.py", _USER_MODEL),),
        ),
        # A provider's payload no route answers, even nested: only a message sent elsewhere holds it.
        Valid(
            """
            from pydantic import BaseModel


            class ToolCallResponse(BaseModel):
                id: int
                email: str


            class ToolCallMessage(BaseModel):
                call: ToolCallResponse
        """,
            path="app/schemas/provider.py",
            others=(("app/models/user.py", _USER_MODEL), ("app/api/users.py", _USERS_ROUTE)),
        ),
        # What the route answering it builds in place, from the values it holds.
        Valid(
            """
            from pydantic import BaseModel


            class UserVariablesResponse(BaseModel):
                id: int
                email: str
        """,
            path="app/schemas/variables.py",
            others=(("app/models/user.py", _USER_MODEL), ("app/api/variables.py", _VARIABLES_ROUTE)),
        ),
        # FastAPI's response classes are not Pydantic models.
        Valid("""
            from fastapi.responses import JSONResponse


            class ORJSONResponse(JSONResponse):
                media_type = "application/json"
        """),
    )
    INVALID = (
        Invalid(
            """
            from uuid import UUID

            from pydantic import BaseModel


            class UserResponse(BaseModel):
                id: UUID
                email: str
        """,
            line=6,
            column=7,
            fixed="""
            from uuid import UUID

            from pydantic import BaseModel, ConfigDict


            class UserResponse(BaseModel):
                id: UUID
                email: str

                model_config = ConfigDict(from_attributes=True)
        """,
        ),
        Invalid(
            """
            from pydantic import BaseModel, ConfigDict


            class PostBase(BaseModel):
                title: str


            class PostResponse(PostBase):
                model_config = ConfigDict(
                    frozen=True,
                )
        """,
            line=8,
            column=7,
            fixed="""
            from pydantic import BaseModel, ConfigDict


            class PostBase(BaseModel):
                title: str


            class PostResponse(PostBase):
                model_config = ConfigDict(
                    frozen=True,
                    from_attributes=True,
                )
        """,
        ),
        Invalid(
            """
            import pydantic


            class TokenResponse(pydantic.BaseModel):
                \"\"\"What the login route answers.\"\"\"
        """,
            line=4,
            column=7,
            fixed="""
            import pydantic


            class TokenResponse(pydantic.BaseModel):
                \"\"\"What the login route answers.\"\"\"
                model_config = pydantic.ConfigDict(from_attributes=True)
        """,
        ),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        index = self.context.index
        if not node.name.value.endswith("Response") or not index.is_pydantic(node) or index.is_settings(node):
            return
        if _ERROR_NAME.search(node.name.value) or is_page_response(self.context, node.name):
            return  # built from an exception or from a list and its count, never from one ORM object
        meaning = self.context.vocabulary.get(node.name.value)
        if meaning is not None and any(meaning.has(flag) for flag in (NOT_ORM_SHAPED, NOT_EXCHANGED, BUILT_BY_ROUTES)):
            return  # no mapped class has most of its fields, no route answers it, or its routes build it (schema_roles.py)
        # A v1 `orm_mode` is CL404's to rename.
        setting = configured(self.context, node, ("from_attributes", "orm_mode"))
        if setting.known and (setting.value is None or is_false(setting.value)):
            self.report(
                node.name,
                f"Set `model_config = ConfigDict(from_attributes=True)` to build `{node.name.value}` from ORM objects",
                fix=self._fix(node),
            )

    def _fix(self, node: cst.ClassDef) -> FixBuilder | None:
        if v1_config_class(node) is not None:
            return None
        statement = model_config_of(node)
        if statement is not None:
            return self._config_fix(node, statement.value)
        fix = self.fix("Add `model_config = ConfigDict(from_attributes=True)`")
        line = f"model_config = {fix.import_name('pydantic', 'ConfigDict')}(from_attributes=True)"
        lines = node.body.body if isinstance(node.body, cst.IndentedBlock) else [node.body]
        simple = [each for each in lines if isinstance(each, (cst.SimpleStatementLine, cst.SimpleStatementSuite))]
        if not simple:
            return None
        anchor = simple[-1]
        if len(anchor.body) == 1 and _is_placeholder(anchor.body[0]):
            return fix.replace(anchor.body[0], line)
        if isinstance(anchor, cst.SimpleStatementSuite):
            return None
        # A blank line between the fields and the configuration.
        return fix.insert_lines_after(anchor, *(() if is_docstring(anchor, lines) else ("",)), line)

    def _config_fix(self, node: cst.ClassDef, value: cst.BaseExpression) -> FixBuilder | None:
        entries = config_entries(self.context, value)
        given = entries.entries.get("from_attributes", entries.entries.get("orm_mode"))
        if given is not None:
            return self.fix("Set `from_attributes=True`").replace(given, "True")
        if entries.call is None:
            return None
        fix = self.fix(f"Add `from_attributes=True` to `{last_name(entries.call.func)}(...)`")
        return fix.replace(
            entries.call,
            with_argument(entries.call, len(entries.call.args), "True", "from_attributes"),
            inner_blocks=(node.body,),
        )


def _is_placeholder(statement: cst.BaseSmallStatement) -> bool:
    return isinstance(statement, cst.Pass) or (
        isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Ellipsis)
    )
