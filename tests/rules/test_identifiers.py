"""CL201 integer-primary-key and CL202 integer-foreign-key: integer keys of columns, beyond the rules' examples."""

from __future__ import annotations

import textwrap

import pytest

from conventions_lint.diagnostic import Applicability
from tests.helpers import fix, found, lint
from tests.snippets import lint_identifier_rules as _lint


def _column(imports: str, line: str) -> str:
    """A mapped class with one column; the column is on line 6 + the number of import lines."""
    return f'{imports}\n\n\nclass User(Base):\n    __tablename__ = "users"\n\n    {line}\n'


def _column_row(imports: str) -> int:
    return 7 + imports.count("\n")


@pytest.mark.parametrize(
    ("imports", "line", "column"),
    [
        ("from sqlalchemy.orm import Mapped, mapped_column", "id: Mapped[int] = mapped_column(primary_key=True)", 16),
        (
            "from typing import Optional\nfrom sqlalchemy.orm import Mapped, mapped_column",
            "id: Mapped[Optional[int]] = mapped_column(primary_key=True)",
            25,
        ),
        (
            "from sqlalchemy import Identity\nfrom sqlalchemy.orm import Mapped, mapped_column",
            "id: Mapped[int] = mapped_column(Identity(), primary_key=True)",
            16,
        ),
        ("from sqlalchemy import Column, Integer", "id = Column(Integer, primary_key=True)", 17),
        ("from sqlalchemy import Column, Integer as I", "id = Column(I(), primary_key=True)", 17),
        ("import sqlalchemy as sa", "id = sa.Column(sa.SmallInteger(), primary_key=True)", 20),
        ("import sqlalchemy", "id = sqlalchemy.Column(sqlalchemy.types.INTEGER, primary_key=True)", 28),
        (
            "from sqlalchemy import Column\nfrom sqlalchemy.dialects import postgresql",
            "id = Column(postgresql.BIGINT, primary_key=True)",
            17,
        ),
        (
            "from sqlalchemy import BigInteger, Integer\nfrom sqlalchemy.orm import Mapped, mapped_column",
            'id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)',
            37,
        ),
        ("from sqlalchemy import Column, Integer", 'id = Column("user_id", Integer, primary_key=True)', 28),
        ("from sqlalchemy import Column, Integer", "id = Column(type_=Integer, primary_key=True)", 23),
    ],
)
def test_integer_primary_key_spellings(imports: str, line: str, column: int) -> None:
    assert found(_lint(_column(imports, line))) == [("CL201", _column_row(imports), column)]


@pytest.mark.parametrize(
    ("imports", "line"),
    [
        (
            "import uuid\nfrom sqlalchemy.orm import Mapped, mapped_column",
            "id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)",
        ),
        (
            "from sqlalchemy import Uuid\nfrom sqlalchemy.orm import Mapped, mapped_column",
            "id: Mapped[int] = mapped_column(Uuid, primary_key=True)",
        ),
        ("from sqlalchemy import Column, Integer", "position = Column(Integer, primary_key=False)"),
        ("from sqlalchemy import Column, Integer", "position = Column(Integer, nullable=False)"),
        ("from graphene import Integer\nfrom sqlalchemy import Column", "id = Column(Integer, primary_key=True)"),
        ("from app.db import Column, Integer", "id = Column(Integer, primary_key=True)"),
        (
            "from app.db.types import GUID\nfrom sqlalchemy.orm import Mapped, mapped_column",
            "id: Mapped[str] = mapped_column(GUID(), primary_key=True)",
        ),
    ],
)
def test_non_integer_or_non_key_columns_pass(imports: str, line: str) -> None:
    assert found(_lint(_column(imports, line))) == []


def test_primary_key_message_names_the_column() -> None:
    source = _column(
        "from sqlalchemy import Column, Integer",
        "user_pk = Column(Integer, primary_key=True)  # noqa: E501",
    )
    [diagnostic] = _lint(source)
    assert diagnostic.message.startswith("Make primary key `user_pk` a UUID: `user_pk: Mapped[uuid.UUID] = ")
    assert diagnostic.fix.message == "Make `user_pk` a UUID primary key with a `uuid.uuid4` default"
    assert diagnostic.fix.applicability is Applicability.UNSAFE


def test_primary_key_fix_is_unsafe_and_keeps_the_column_style_and_comments() -> None:
    source = """
    import uuid

    from sqlalchemy import Column, Identity, Integer


    class User(Base):
        __tablename__ = "users"

        user_pk = Column(  # the key
            Integer,
            Identity(start=1),
            primary_key=True,
            default=next_id,
            autoincrement=True,
            comment="Primary key",  # shown in the schema
        )
    """
    assert fix(source, select=("CL201",)) == textwrap.dedent(source).lstrip("\n")
    assert fix(source, select=("CL201",), unsafe=True) == textwrap.dedent("""\
    import uuid

    from sqlalchemy import Column
    from sqlalchemy.dialects.postgresql import UUID


    class User(Base):
        __tablename__ = "users"

        user_pk = Column(  # the key
            UUID(as_uuid=True),
            primary_key=True,
            default=uuid.uuid4,
            comment="Primary key",  # shown in the schema
        )
    """)


@pytest.mark.parametrize(
    ("imports", "line", "fixed"),
    [
        (
            "from sqlalchemy.orm import Mapped, mapped_column",
            'id: Mapped[int] = mapped_column("user_id", primary_key=True, autoincrement=False)',
            'id: Mapped[uuid.UUID] = mapped_column("user_id", UUID(as_uuid=True), primary_key=True, '
            "autoincrement=False, default=uuid.uuid4)",
        ),
        (
            "from sqlalchemy import BigInteger, Integer\nfrom sqlalchemy.orm import Mapped, mapped_column",
            'id: Mapped[Optional[int]] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)',
            "id: Mapped[Optional[uuid.UUID]] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)",
        ),
        (
            "from sqlalchemy import Column, Integer",
            "id = Column(type_=Integer, primary_key=True)",
            "id = Column(type_=UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)",
        ),
        (
            "from sqlalchemy import Column, Integer, text",
            "id = Column(Integer, primary_key=True, server_default=text(\"nextval('users_id_seq')\"))",
            "id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)",
        ),
    ],
)
def test_primary_key_fix_replaces_only_what_makes_it_an_integer(imports: str, line: str, fixed: str) -> None:
    after = fix(_column(imports, line), select=("CL201",), unsafe=True)
    assert after.endswith(f"\n    {fixed}\n")
    # The imports added in their sorted places; those the fix left unused removed (ruff's I001 and F401).
    assert after.split("\n\n\nclass")[0] == _IMPORTS_AFTER_THE_KEY_FIX[imports]


_IMPORTS_AFTER_THE_KEY_FIX = {
    "from sqlalchemy.orm import Mapped, mapped_column": (
        "import uuid\n\nfrom sqlalchemy.dialects.postgresql import UUID\nfrom sqlalchemy.orm import Mapped, mapped_column"
    ),
    "from sqlalchemy import BigInteger, Integer\nfrom sqlalchemy.orm import Mapped, mapped_column": (
        "import uuid\n\nfrom sqlalchemy.dialects.postgresql import UUID\nfrom sqlalchemy.orm import Mapped, mapped_column"
    ),
    "from sqlalchemy import Column, Integer": (
        "import uuid\n\nfrom sqlalchemy import Column\nfrom sqlalchemy.dialects.postgresql import UUID"
    ),
    "from sqlalchemy import Column, Integer, text": (
        "import uuid\n\nfrom sqlalchemy import Column\nfrom sqlalchemy.dialects.postgresql import UUID"
    ),
}


def test_primary_key_fix_with_a_module_alias_and_crlf() -> None:
    source = textwrap.dedent("""\
    import uuid as uuid_module
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql


    class User(Base):
        __tablename__ = "users"

        id = sa.Column(
            sa.Integer,
            primary_key=True
        )
    """).replace("\n", "\r\n")
    after = fix(source, select=("CL201",), unsafe=True)
    assert after == textwrap.dedent("""\
    import uuid as uuid_module
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql


    class User(Base):
        __tablename__ = "users"

        id = sa.Column(
            postgresql.UUID(as_uuid=True),
            primary_key=True,
            default=uuid_module.uuid4
        )
    """).replace("\n", "\r\n")


def test_primary_key_gets_no_fix_when_a_name_it_needs_is_taken() -> None:
    source = _column(
        "from uuid import UUID\nfrom sqlalchemy.orm import Mapped, mapped_column",
        "id: Mapped[int] = mapped_column(primary_key=True)",
    )
    [diagnostic] = _lint(source)
    assert diagnostic.fix is None


def test_table_columns_are_checked_and_fixed() -> None:
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
    assert "`author_id`" in diagnostics[1].message
    assert fix(source, select=("CL2",), unsafe=True) == textwrap.dedent("""\
    import uuid

    import sqlalchemy as sa
    from sqlalchemy.dialects.postgresql import UUID

    metadata = sa.MetaData()

    posts = sa.Table(
        "posts",
        metadata,
        sa.Column("id", UUID(as_uuid=True), primary_key=True, default=uuid.uuid4),
        sa.Column("author_id", UUID(as_uuid=True), sa.ForeignKey("users.id")),
    )
    """)


def test_foreign_key_fix_retypes_the_annotation_and_the_sql_type_with_crlf() -> None:
    source = textwrap.dedent("""\
    import sqlalchemy as sa
    from sqlalchemy.orm import Mapped, mapped_column


    class Post(Base):
        __tablename__ = "posts"

        author_id: Mapped[int | None] = mapped_column(sa.Integer, sa.ForeignKey("users.id"))  # who
        legacy_id = sa.Column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), sa.ForeignKey("legacy.id"))
        editor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    """).replace("\n", "\r\n")
    assert fix(source, select=("CL202",)) == source
    assert fix(source, select=("CL202",), unsafe=True) == textwrap.dedent("""\
    import uuid

    import sqlalchemy as sa
    from sqlalchemy.dialects.postgresql import UUID
    from sqlalchemy.orm import Mapped, mapped_column


    class Post(Base):
        __tablename__ = "posts"

        author_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), sa.ForeignKey("users.id"))  # who
        legacy_id = sa.Column(UUID(as_uuid=True), sa.ForeignKey("legacy.id"))
        editor_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id"))
    """).replace("\n", "\r\n")


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


@pytest.mark.parametrize("decorator", ["@declared_attr", "@declared_attr.directive", "@orm.declared_attr"])
def test_a_declared_attr_foreign_key_is_named_by_its_method(decorator: str) -> None:
    # noise.md N6: the message said "Make foreign key `the column` a UUID".
    source = f"""
from sqlalchemy import Column, ForeignKey, Integer, orm
from sqlalchemy.orm import declared_attr


class OwnedMixin:
    {decorator}
    def owner_id(cls):
        return Column(Integer, ForeignKey("users.id"))


def build():
    return Column(Integer, ForeignKey("users.id"))
"""
    diagnostics = lint(source, path="app/models/mixins.py", select=("CL202",))
    assert [d.message for d in diagnostics] == [
        "Make foreign key `owner_id` a UUID: `Mapped[uuid.UUID]` with `UUID(as_uuid=True)`",
        "Make this foreign key a UUID: `Mapped[uuid.UUID]` with `UUID(as_uuid=True)`",
    ]
    assert [d.fix.message for d in diagnostics] == ["Make `owner_id` a UUID", "Make the foreign key a UUID"]
