"""CL902: the model, schema and service layers are typed (async_tests.py: CL901, async tests run)."""

from __future__ import annotations

import libcst as cst

from conventions_lint.names import last_name
from conventions_lint.recognize.fastapi import route_of
from conventions_lint.recognize.syntax import (
    parameters,
)
from conventions_lint.rule import Invalid, Rule, Valid

_TYPED_ROLES = frozenset({"models", "schemas", "services"})


class MissingTypeHints(Rule):
    """
    ## What it does
    Checks that every public function and method of a models, schemas or
    services module annotates its parameters (`*args` and `**kwargs`
    included; the `self` or `cls` of a method excepted) and its return type.
    The finding lists what is missing.

    Private functions (`_load`), methods of private classes, nested functions
    and special methods are not checked, except `__init__`, whose parameters
    must be annotated (its return may be left out, as type checkers allow).
    Route handlers are CL304's. Validators (`@field_validator`,
    `@validates`) and `@hybrid_property` / `@declared_attr` methods are
    checked like any method. Test modules are not checked, even when their
    name matches a services glob (`tests/services/test_user_service.py`).

    ## Why is this bad?
    These layers are the code every endpoint and service calls: annotations
    let the type checker catch a wrong argument or an unawaited coroutine
    where it is passed, document what a function takes and returns, and let
    editors complete on the result.
    """

    code = "CL902"
    name = "missing-type-hints"
    ROLES = frozenset({"models", "schemas", "services"})
    VALID = (
        Valid(
            """
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User

            async def get_user_service(db: AsyncSession, user_id: str) -> User | None:
                return await db.get(User, user_id)
        """,
            path="app/services/user_service.py",
        ),
        Valid(
            """
            from pydantic import BaseModel, field_validator

            class UserCreate(BaseModel):
                email: str

                @field_validator("email")
                @classmethod
                def lower_email(cls, value: str) -> str:
                    return value.lower()

                def __str__(self):
                    return self.email

            def _normalise(value):
                return value.strip()
        """,
            path="app/schemas/user.py",
        ),
        Valid(
            """
            from fastapi import APIRouter

            router = APIRouter()

            @router.get("/users")
            async def get_users(skip=0):
                return []

            class UserService:
                def __init__(self, repository: object):
                    self.repository = repository

                @staticmethod
                def clean(email: str) -> str:
                    return email.strip()
        """,
            path="app/services/user_service.py",
        ),
        Valid(
            """
            def test_create_user_service(db_session):
                assert db_session
        """,
            path="tests/services/test_user_service.py",
        ),
    )
    INVALID = (
        Invalid(
            """
            from app.models.user import User

            async def get_user_service(db, user_id: str):
                return await db.get(User, user_id)
        """,
            line=3,
            column=11,
            path="app/services/user_service.py",
        ),
        Invalid(
            """
            from sqlalchemy.orm import Mapped, mapped_column

            from app.db.base import Base

            class User(Base):
                __tablename__ = "users"

                first_name: Mapped[str] = mapped_column()

                @property
                def display_name(self):
                    return self.first_name.title()
        """,
            line=11,
            column=9,
            path="app/models/user.py",
        ),
        Invalid(
            """
            class AuditLog:
                def __init__(self, actor, *events: str, **details) -> None:
                    self.actor = actor
        """,
            line=2,
            column=9,
            path="app/services/audit_service.py",
        ),
        Invalid(
            """
            from pydantic import BaseModel, model_validator

            class UserUpdate(BaseModel):
                email: str | None = None

                @model_validator(mode="after")
                def check_not_empty(self):
                    return self
        """,
            line=7,
            column=9,
            path="app/schemas/user.py",
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        context = self.context
        if not context.roles & _TYPED_ROLES or context.is_test_module or context.enclosing_function is not None:
            return
        name = node.name.value
        owner = context.enclosing_class
        if (name.startswith("_") and name != "__init__") or (owner is not None and owner.name.value.startswith("_")):
            return
        if route_of(context, node) is not None:
            return
        missing = [f"`{shown}`" for shown in _unannotated_parameters(node, is_method=owner is not None)]
        if node.returns is None and name != "__init__":
            missing.append("the return type")
        if missing:
            listed = ", ".join(missing[:-1]) + " and " + missing[-1] if len(missing) > 1 else missing[0]
            self.report(node.name, f"Add type hints to `{name}`: {listed}")


def _unannotated_parameters(node: cst.FunctionDef, *, is_method: bool) -> list[str]:
    is_static = any(last_name(decorator.decorator) == "staticmethod" for decorator in node.decorators)
    # A method's first parameter is `self` or `cls`, whatever it is called.
    unannotated = [
        param for param in parameters(node, skip_first=is_method and not is_static) if param.annotation is None
    ]
    stars = {id(node.params.star_arg): "*", id(node.params.star_kwarg): "**"}
    return [stars.get(id(param), "") + param.name.value for param in unannotated]
