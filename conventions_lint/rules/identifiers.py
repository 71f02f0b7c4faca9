"""CL2: identifiers are UUIDs, never integers."""

from __future__ import annotations

import libcst as cst

from conventions_lint.recognize.fastapi import parameter, routes_of
from conventions_lint.recognize.sqlalchemy import ColumnDefinition, column_of_call, is_integer
from conventions_lint.recognize.syntax import class_body_statements, is_builtin, unwrap_optional
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid

_UUID_COLUMN = "Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)"


def is_id_name(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def _int_annotation(annotation: cst.BaseExpression) -> cst.BaseExpression | None:
    """The `int` of `int`, `Optional[int]`, `int | None` or `Annotated[int, ...]`."""
    inner = unwrap_optional(annotation)
    return inner if is_builtin(inner, "int") else None


def _integer_column(rule: Rule, call: cst.Call) -> tuple[ColumnDefinition, cst.BaseExpression] | None:
    """The column a visited call defines and what makes it an integer.

    Alembic revisions are generated history: the models are what gets fixed.
    """
    if "migrations" in rule.context.roles:
        return None
    definition = column_of_call(rule.context, call, rule.context.parent)
    integer = is_integer(rule.context, definition) if definition is not None else None
    return (definition, integer) if integer is not None else None


class IntegerPrimaryKey(Rule):
    """
    ## What it does
    Checks for primary keys typed as integers: `Mapped[int]` with
    `mapped_column(primary_key=True)`, or an `Integer`, `BigInteger` or
    `SmallInteger` column with `primary_key=True`. A key that is also a
    foreign key (joined-table inheritance) is reported here, not as
    `integer-foreign-key`. Alembic revisions are not checked.

    ## Why is this bad?
    Sequential integer ids leak how many rows a table has, can be guessed and
    enumerated through the API, and clash when data from several databases or
    services is merged. The team's convention is that every primary key is a
    UUID.

    ## Fix safety
    The fix rewrites the column as
    `id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)`
    and adds the imports. It is unsafe: it changes the table's DDL (a
    migration is needed) and every foreign key and API that carries the id.
    """

    code = "CL201"
    name = "integer-primary-key"
    fix_safety = FixSafety.UNSAFE
    VALID = (
        Valid("""
            import uuid

            from sqlalchemy.dialects.postgresql import UUID
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
        """),
        # Integer columns that are not the key.
        Valid("""
            import uuid

            from sqlalchemy import Integer
            from sqlalchemy.orm import Mapped, mapped_column


            class Product(Base):
                __tablename__ = "products"

                id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
                stock: Mapped[int] = mapped_column(Integer, default=0)
                position: Mapped[int]
        """),
        # `Integer` from another library is not a SQL type.
        Valid("""
            from graphene import Integer
            from sqlalchemy import Column


            class Counter(Base):
                __tablename__ = "counters"

                id = Column(Integer, primary_key=True)
        """),
    )
    INVALID = (
        Invalid("""
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                id: Mapped[int] = mapped_column(primary_key=True)
        """, line=7, column=16),
        Invalid("""
            import sqlalchemy as sa


            class User(Base):
                __tablename__ = "users"

                id = sa.Column(sa.BigInteger, primary_key=True, autoincrement=True)
        """, line=7, column=20),
        Invalid("""
            from sqlalchemy import Column, Integer as Int, MetaData, String, Table

            metadata = MetaData()

            users = Table(
                "users",
                metadata,
                Column("id", Int(), primary_key=True),
                Column("name", String(100)),
            )
        """, line=8, column=18),
    )

    def visit_Call(self, node: cst.Call) -> None:
        found = _integer_column(self, node)
        if found is None:
            return
        definition, integer = found
        if definition.primary_key:
            name = definition.name or "id"
            self.report(integer, f"Make primary key `{name}` a UUID: `{name}: {_UUID_COLUMN}`",
                        fix_at=definition.statement)


class IntegerForeignKey(Rule):
    """
    ## What it does
    Checks for `ForeignKey(...)` columns typed as integers (`Mapped[int]`,
    `Integer`, `BigInteger`, ...). Alembic revisions are not checked.

    ## Why is this bad?
    Primary keys are UUIDs by convention, so a foreign key must be a UUID as
    well. An integer foreign key either points at an integer primary key
    (`integer-primary-key`) or does not match the type of the key it
    references.

    ## Fix safety
    The fix changes the column to `Mapped[uuid.UUID]` with
    `UUID(as_uuid=True)`. It is unsafe: it changes the table's DDL.
    """

    code = "CL202"
    name = "integer-foreign-key"
    fix_safety = FixSafety.UNSAFE
    VALID = (
        Valid("""
            import uuid

            from sqlalchemy import ForeignKey
            from sqlalchemy.dialects.postgresql import UUID
            from sqlalchemy.orm import Mapped, mapped_column


            class Post(Base):
                __tablename__ = "posts"

                author_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id"))
        """),
        # The type comes from the referenced column.
        Valid("""
            import uuid

            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import Mapped, mapped_column


            class Post(Base):
                __tablename__ = "posts"

                author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
                views: Mapped[int] = mapped_column(default=0)
        """),
        # `ForeignKey` and `Integer` from elsewhere.
        Valid("""
            from sqlalchemy import Column

            from app.graph import ForeignKey, Integer


            class Post(Base):
                __tablename__ = "posts"

                author_id = Column(Integer, ForeignKey("users.id"))
        """),
    )
    INVALID = (
        Invalid("""
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import Mapped, mapped_column


            class Post(Base):
                __tablename__ = "posts"

                author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
        """, line=8, column=23),
        Invalid("""
            import sqlalchemy as sa


            class Post(Base):
                __tablename__ = "posts"

                author_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False)
        """, line=7, column=27),
        Invalid("""
            from typing import Optional

            from sqlalchemy import BigInteger, ForeignKey
            from sqlalchemy.orm import Mapped, mapped_column


            class Post(Base):
                __tablename__ = "posts"

                editor_id: Mapped[Optional[int]] = mapped_column(
                    BigInteger,
                    ForeignKey("users.id", ondelete="SET NULL"),
                )
        """, line=11, column=9),
    )

    def visit_Call(self, node: cst.Call) -> None:
        found = _integer_column(self, node)
        if found is None:
            return
        definition, integer = found
        # A key that is also a foreign key (joined-table inheritance) is CL201's.
        if definition.foreign_keys and not definition.primary_key:
            name = definition.name or "the column"
            self.report(integer, f"Make foreign key `{name}` a UUID: `Mapped[uuid.UUID]` with `UUID(as_uuid=True)`",
                        fix_at=definition.statement)


class IntegerIdField(Rule):
    """
    ## What it does
    Checks for Pydantic model fields named `id` or `*_id` typed as `int`
    (also `Optional[int]`, `int | None` and `Annotated[int, ...]`).
    Settings classes (`BaseSettings`) are not schemas and are not checked.

    ## Why is this bad?
    Identifiers are UUIDs by convention. An `int` id field accepts and
    documents the wrong type, so the API contract disagrees with the database.

    ## Fix safety
    The fix changes the annotation to `UUID` and adds `from uuid import UUID`.
    It is unsafe: it changes what the API accepts and returns.
    """

    code = "CL203"
    name = "integer-id-field"
    fix_safety = FixSafety.UNSAFE
    VALID = (
        Valid("""
            from uuid import UUID

            from pydantic import BaseModel


            class PostResponse(BaseModel):
                id: UUID
                author_id: UUID
                title: str
        """, path="app/schemas/post.py"),
        # Not id fields, or not a Pydantic model.
        Valid("""
            from dataclasses import dataclass

            from pydantic import BaseModel


            class PostStats(BaseModel):
                view_count: int
                request_id: str


            @dataclass
            class Row:
                id: int
        """),
        Valid("""
            from pydantic_settings import BaseSettings


            class Settings(BaseSettings):
                telegram_chat_id: int = 0
        """),
    )
    INVALID = (
        Invalid("""
            from uuid import UUID

            from pydantic import BaseModel


            class PostResponse(BaseModel):
                id: int
                author_id: UUID
                title: str
        """, line=7, column=9, path="app/schemas/post.py"),
        Invalid("""
            from typing import Annotated, Optional

            from pydantic import BaseModel, Field


            class PostUpdate(BaseModel):
                editor_id: Optional[Annotated[int, Field(gt=0)]] = None
        """, line=7, column=35),
        Invalid("""
            from pydantic import BaseModel


            class PostBase(BaseModel):
                title: str


            class PostCreate(PostBase):
                author_id: int | None = None
        """, line=9, column=16),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not self.context.index.is_pydantic(node) or self.context.index.is_settings(node):
            return
        for statement in class_body_statements(node):
            if not (isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name)):
                continue
            name = statement.target.value
            integer = _int_annotation(statement.annotation.annotation)
            if is_id_name(name) and integer is not None:
                self.report(integer, f"Type `{name}` as `UUID`, not `int`")


class IntegerIdPathParameter(Rule):
    """
    ## What it does
    Checks for route path parameters named `{id}` or `{*_id}` whose handler
    parameter is typed `int` (also `Annotated[int, Path(...)]`).

    ## Why is this bad?
    Identifiers are UUIDs by convention; an `int` path parameter rejects every
    real id with a 422 and documents the wrong type in the OpenAPI schema.

    ## Fix safety
    The fix changes the annotation to `UUID` and adds `from uuid import UUID`.
    It is unsafe: it changes what the endpoint accepts.
    """

    code = "CL204"
    name = "integer-id-path-parameter"
    fix_safety = FixSafety.UNSAFE
    VALID = (
        Valid("""
            from uuid import UUID

            from fastapi import APIRouter

            router = APIRouter()


            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: UUID) -> UserResponse:
                ...
        """),
        # `page` is not an id, and `limit` and `owner_id` are query parameters.
        Valid("""
            from fastapi import APIRouter

            router = APIRouter()


            @router.get("/reports/{page}", response_model=list[ReportResponse])
            async def get_reports(page: int, limit: int = 50, owner_id: int | None = None) -> list[ReportResponse]:
                ...
        """),
        # Not a route.
        Valid("""
            def get_user_service(user_id: int) -> None:
                ...
        """),
    )
    INVALID = (
        Invalid("""
            from fastapi import APIRouter

            router = APIRouter()


            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: int) -> UserResponse:
                ...
        """, line=7, column=29),
        Invalid("""
            from typing import Annotated

            from fastapi import FastAPI, Path

            app = FastAPI()


            @app.delete("/items/{id}", status_code=204)
            async def delete_item(id: Annotated[int, Path(gt=0)]) -> None:
                ...
        """, line=9, column=37),
        Invalid("""
            from uuid import UUID

            from fastapi import APIRouter

            router = APIRouter(prefix="/users")


            @router.get("/{user_id}/posts/{post_id}", response_model=PostResponse)
            async def get_user_post(user_id: UUID, post_id: int) -> PostResponse:
                ...
        """, line=9, column=49),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        # A handler under several route decorators gets the parameters of all their paths.
        names = dict.fromkeys(name for route in routes_of(self.context, node) for name in route.path_parameters)
        for name in names:
            param = parameter(node, name) if is_id_name(name) else None
            integer = _int_annotation(param.annotation.annotation) if param and param.annotation else None
            if integer is not None:
                self.report(integer, f"Type path parameter `{name}` as `UUID`, not `int`")
