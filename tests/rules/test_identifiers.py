"""CL201-CL204: integer identifiers, beyond the rules' examples."""

from __future__ import annotations

import pytest

from tests.helpers import found, lint


def _lint(source: str, *, path: str = "app/models/user.py"):
    return lint(source, path=path, select=("CL2",))


def _column(imports: str, line: str) -> str:
    """A mapped class with one column; the column is on line 6 + the number of import lines."""
    return f'{imports}\n\n\nclass User(Base):\n    __tablename__ = "users"\n\n    {line}\n'


def _column_row(imports: str) -> int:
    return 7 + imports.count("\n")


@pytest.mark.parametrize(
    ("imports", "line", "column"),
    [
        ("from sqlalchemy.orm import Mapped, mapped_column", "id: Mapped[int] = mapped_column(primary_key=True)", 16),
        ("from typing import Optional\nfrom sqlalchemy.orm import Mapped, mapped_column",
         "id: Mapped[Optional[int]] = mapped_column(primary_key=True)", 25),
        ("from sqlalchemy import Identity\nfrom sqlalchemy.orm import Mapped, mapped_column",
         "id: Mapped[int] = mapped_column(Identity(), primary_key=True)", 16),
        ("from sqlalchemy import Column, Integer", "id = Column(Integer, primary_key=True)", 17),
        ("from sqlalchemy import Column, Integer as I", "id = Column(I(), primary_key=True)", 17),
        ("import sqlalchemy as sa", "id = sa.Column(sa.SmallInteger(), primary_key=True)", 20),
        ("import sqlalchemy", "id = sqlalchemy.Column(sqlalchemy.types.INTEGER, primary_key=True)", 28),
        ("from sqlalchemy import Column\nfrom sqlalchemy.dialects import postgresql",
         "id = Column(postgresql.BIGINT, primary_key=True)", 17),
        ("from sqlalchemy import BigInteger, Integer\nfrom sqlalchemy.orm import Mapped, mapped_column",
         'id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)', 37),
        ("from sqlalchemy import Column, Integer", 'id = Column("user_id", Integer, primary_key=True)', 28),
        ("from sqlalchemy import Column, Integer", "id = Column(type_=Integer, primary_key=True)", 23),
    ],
)
def test_integer_primary_key_spellings(imports: str, line: str, column: int) -> None:
    assert found(_lint(_column(imports, line))) == [("CL201", _column_row(imports), column)]


@pytest.mark.parametrize(
    ("imports", "line"),
    [
        ("import uuid\nfrom sqlalchemy.orm import Mapped, mapped_column",
         "id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)"),
        ("from sqlalchemy import Uuid\nfrom sqlalchemy.orm import Mapped, mapped_column",
         "id: Mapped[int] = mapped_column(Uuid, primary_key=True)"),
        ("from sqlalchemy import Column, Integer", "position = Column(Integer, primary_key=False)"),
        ("from sqlalchemy import Column, Integer", "position = Column(Integer, nullable=False)"),
        ("from graphene import Integer\nfrom sqlalchemy import Column", "id = Column(Integer, primary_key=True)"),
        ("from app.db import Column, Integer", "id = Column(Integer, primary_key=True)"),
        ("from app.db.types import GUID\nfrom sqlalchemy.orm import Mapped, mapped_column",
         "id: Mapped[str] = mapped_column(GUID(), primary_key=True)"),
    ],
)
def test_non_integer_or_non_key_columns_pass(imports: str, line: str) -> None:
    assert found(_lint(_column(imports, line))) == []


def test_primary_key_fix_spans_the_statement_and_message_names_the_column() -> None:
    source = _column(
        "from sqlalchemy import Column, Integer",
        "user_pk = Column(Integer, primary_key=True)  # noqa: E501",
    )
    [diagnostic] = _lint(source)
    assert diagnostic.message.startswith("Make primary key `user_pk` a UUID: `user_pk: Mapped[uuid.UUID] = ")
    assert (diagnostic.fix_span.start.row, diagnostic.fix_span.start.column) == (7, 5)
    assert (diagnostic.fix_span.end.row, diagnostic.fix_span.end.column) == (7, 48)


def test_table_columns_are_checked_and_fixed_at_the_column() -> None:
    source = """
    import sqlalchemy as sa

    metadata = sa.MetaData()

    posts = sa.Table(
        "posts",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("author_id", sa.BigInteger, sa.ForeignKey("users.id")),
    )
    """
    diagnostics = _lint(source)
    assert found(diagnostics) == [("CL201", 8, 21), ("CL202", 9, 28)]
    assert [d.fix_span.start.column for d in diagnostics] == [5, 5]
    assert "`author_id`" in diagnostics[1].message


def test_a_key_that_is_also_a_foreign_key_is_reported_once_as_cl201() -> None:
    source = _column(
        "from sqlalchemy import ForeignKey\nfrom sqlalchemy.orm import Mapped, mapped_column",
        'id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)',
    )
    assert found(_lint(source)) == [("CL201", 8, 16)]


def test_foreign_key_typed_by_its_target_passes_unless_annotated_int() -> None:
    source = """
    import uuid
    from typing import Optional

    from sqlalchemy import Column, ForeignKey
    from sqlalchemy.orm import Mapped, mapped_column


    class Post(Base):
        __tablename__ = "posts"

        author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
        legacy_id = Column(ForeignKey("legacy.id"))
        editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
        reviewer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    """
    assert found(_lint(source)) == [("CL202", 13, 23), ("CL202", 14, 34)]


def test_alembic_revisions_are_not_checked() -> None:
    source = """
    import sqlalchemy as sa
    from alembic import op


    def upgrade() -> None:
        op.add_column("posts", sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id")))
    """
    assert found(_lint(source, path="migrations/versions/0002_author.py")) == []
    assert found(_lint(source, path="app/db/seed.py")) == [("CL202", 6, 51)]


def test_noqa_on_a_multi_line_column() -> None:
    source = _column(
        "from sqlalchemy import Column, Integer",
        "id = Column(\n        Integer,\n        primary_key=True,\n    )  # noqa: CL201",
    )
    assert found(_lint(source)) == []


@pytest.mark.parametrize(
    ("annotation", "column"),
    [
        ("int", 14),
        ("Optional[int]", 23),
        ("int | None", 14),
        ("None | int", 21),
        ("Annotated[int, Field(gt=0)]", 24),
    ],
)
def test_integer_id_field_annotations(annotation: str, column: int) -> None:
    source = f"""
    from typing import Annotated, Optional

    from pydantic import BaseModel, Field


    class UserResponse(BaseModel):
        user_id: {annotation}
    """
    assert found(_lint(source, path="app/schemas/user.py")) == [("CL203", 7, column)]


def test_integer_id_fields_only_in_pydantic_models() -> None:
    source = """
    from dataclasses import dataclass
    from uuid import UUID

    from pydantic import BaseModel
    from sqlalchemy.orm import Mapped, mapped_column

    from app.schemas.base import BaseSchema


    class UserBase(BaseModel):
        id: UUID
        login_count: int
        identity: int
        ids: list[int]


    class UserInDB(UserBase):
        org_id: int


    class UserUpdate(BaseSchema): team_id: int


    @dataclass
    class UserRow:
        id: int


    class User(Base):
        __tablename__ = "users"

        id: Mapped[int] = mapped_column(primary_key=True)
        legacy_id = 3
    """
    assert found(lint(source, path="app/schemas/user.py", select=("CL203",))) == [
        ("CL203", 18, 13),
        ("CL203", 21, 40),
    ]


def test_integer_id_field_message() -> None:
    source = """
    from pydantic import BaseModel


    class PostCreate(BaseModel):
        author_id: int
    """
    [diagnostic] = _lint(source, path="app/schemas/post.py")
    assert diagnostic.message == "Type `author_id` as `UUID`, not `int`"


@pytest.mark.parametrize(
    ("decorator", "signature", "column"),
    [
        ('@router.get("/users/{user_id}")', "user_id: int", 28),
        ('@router.get("/users/{user_id:int}")', "user_id: int", 28),
        ('@router.put(path="/users/{id}")', "id: int, body: UserUpdate", 23),
        ('@router.patch("/users/{user_id}")', "user_id: Optional[int] = None", 37),
        ('@users_router.delete("/users/{user_id}")', "user_id: Annotated[int, Path(ge=1)]", 38),
        ('@app.get("/orgs/{org_id}/users/{user_id}")', "org_id: UUID, user_id: int", 42),
    ],
)
def test_integer_id_path_parameters(decorator: str, signature: str, column: int) -> None:
    source = f"""
    from typing import Annotated, Optional
    from uuid import UUID

    from fastapi import APIRouter, FastAPI, Path

    router = APIRouter()
    app = FastAPI()

    {decorator}
    async def handler({signature}) -> None:
        ...
    """
    assert found(_lint(source, path="app/api/endpoints/users.py")) == [("CL204", 10, column)]


@pytest.mark.parametrize(
    ("decorator", "signature"),
    [
        ('@router.get("/users/{user_id}")', "user_id: UUID"),
        ('@router.get("/users/{user_id}")', "user_id"),
        ('@router.get("/users/{user_id}")', "user: UUID = Depends(get_user_id)"),
        ('@router.get("/users")', "user_id: int"),
        ('@router.get("/pages/{number}")', "number: int"),
        ("@cache", "user_id: int"),
    ],
)
def test_other_path_parameters_pass(decorator: str, signature: str) -> None:
    source = f"""
    from uuid import UUID

    from fastapi import APIRouter, Depends

    router = APIRouter()

    {decorator}
    async def handler({signature}) -> None:
        ...
    """
    assert found(_lint(source, path="app/api/endpoints/users.py")) == []


def test_a_handler_under_several_routes_is_reported_once_per_parameter() -> None:
    source = """
    from fastapi import APIRouter

    router = APIRouter()


    @router.get("/users/{user_id}")
    @router.get("/members/{user_id}/profile/{profile_id}")
    async def get_user(user_id: int, profile_id: int | None = None) -> None:
        ...
    """
    assert found(_lint(source, path="app/api/endpoints/users.py")) == [("CL204", 8, 29), ("CL204", 8, 46)]
