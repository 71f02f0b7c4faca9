"""CL401 unbounded-string-column beyond its examples."""

from __future__ import annotations

import pytest

from tests.helpers import found, lint


def _lint(source: str, *, path: str = "app/models/user.py", **settings):
    return lint(source, path=path, select=("CL401",), **settings)


def _column(imports: str, line: str) -> str:
    """A mapped class with one column, on line 7 + the number of extra import lines."""
    return f'{imports}\n\n\nclass User(Base):\n    __tablename__ = "users"\n\n    {line}\n'


def _column_row(imports: str) -> int:
    return 7 + imports.count("\n")


@pytest.mark.parametrize(
    ("imports", "line", "column", "written"),
    [
        ("from sqlalchemy import Column, String", "name = Column(String)", 19, "String"),
        ("from sqlalchemy import Column, String", "name = Column(String())", 19, "String"),
        ("from sqlalchemy import Column, String", "name = Column(String(length=None))", 19, "String"),
        ("from sqlalchemy import Column, String", 'name = Column(String(collation="C"))', 19, "String"),
        ("from sqlalchemy import Column, String", 'name = Column("full_name", String)', 32, "String"),
        ("from sqlalchemy import Column, String", "name = Column(type_=String)", 25, "String"),
        ("from sqlalchemy import Column, Unicode", "name = Column(Unicode)", 19, "Unicode"),
        ("from sqlalchemy import Column, VARCHAR", "name = Column(VARCHAR())", 19, "VARCHAR"),
        ("from sqlalchemy import Column\nfrom sqlalchemy.dialects.mssql import NVARCHAR",
         "name = Column(NVARCHAR)", 19, "NVARCHAR"),
        ("import sqlalchemy as sa", "name = sa.Column(sa.String)", 22, "sa.String"),
        ("import sqlalchemy", "name = sqlalchemy.Column(sqlalchemy.String())", 30, "sqlalchemy.String"),
        ("from sqlalchemy import String as S\nfrom sqlalchemy.orm import Mapped, mapped_column",
         "name: Mapped[str] = mapped_column(S)", 39, "S"),
        ("from sqlalchemy import String, Text\nfrom sqlalchemy.orm import Mapped, mapped_column",
         'name: Mapped[str] = mapped_column(String().with_variant(Text, "sqlite"))', 39, "String"),
    ],
)
def test_explicit_string_types_without_length(imports: str, line: str, column: int, written: str) -> None:
    diagnostics = _lint(_column(imports, line))
    assert found(diagnostics) == [("CL401", _column_row(imports), column)]
    assert diagnostics[0].message == f"Give `{written}` a length: `{written}(255)`"
    assert diagnostics[0].fix_span.start == diagnostics[0].span.start


@pytest.mark.parametrize(
    ("imports", "line"),
    [
        ("from sqlalchemy import Column, String", "name = Column(String(100))"),
        ("from sqlalchemy import Column, String", "name = Column(String(length=100))"),
        ("from sqlalchemy import Column, Text", "bio = Column(Text)"),
        ("from sqlalchemy import Column, UnicodeText", "bio = Column(UnicodeText())"),
        ("from sqlalchemy import Column, CHAR", "code = Column(CHAR)"),
        ("from sqlalchemy import Column, String", 'name = Column(String(50).with_variant(String(80), "mysql"))'),
        ("from graphene import String\nfrom sqlalchemy import Column", "name = Column(String)"),
        ("from app.db.types import String\nfrom sqlalchemy.orm import Mapped, mapped_column",
         "name: Mapped[str] = mapped_column(String)"),
        ("from sqlalchemy.dialects.postgresql import CITEXT\nfrom sqlalchemy.orm import Mapped, mapped_column",
         "email: Mapped[str] = mapped_column(CITEXT)"),
        ("from sqlalchemy import ForeignKey\nfrom sqlalchemy.orm import Mapped, mapped_column",
         'email: Mapped[str | None] = mapped_column(ForeignKey("accounts.email"))'),
        ("from sqlalchemy import Column", "name: Mapped[str] = Column(nullable=False)"),
        ("from sqlalchemy.orm import Mapped, mapped_column", "age: Mapped[int] = mapped_column()"),
        ("from sqlalchemy.orm import Mapped, relationship", 'owner: Mapped["Owner"] = relationship()'),
    ],
)
def test_bounded_or_unrelated_columns_pass(imports: str, line: str) -> None:
    assert found(_lint(_column(imports, line))) == []


@pytest.mark.parametrize(
    ("annotation", "column"),
    [("str", 18), ("Optional[str]", 27), ("str | None", 18), ("Annotated[str, 'doc']", 28)],
)
def test_mapped_str_without_a_type(annotation: str, column: int) -> None:
    source = f"""
    from typing import Annotated, Optional

    from sqlalchemy.orm import Mapped, mapped_column


    class User(Base):
        __tablename__ = "users"

        name: Mapped[{annotation}] = mapped_column("full_name", nullable=False)
    """
    [diagnostic] = _lint(source)
    assert found([diagnostic]) == [("CL401", 9, column)]
    assert diagnostic.message == "`Mapped[str]` alone is an unbounded `String`: use `mapped_column(String(255))`"
    # The fix inserts the type into the mapped_column(...) call.
    assert (diagnostic.fix_span.start.row, diagnostic.fix_span.start.column) == (9, 22 + len(annotation))


def test_bare_mapped_str_in_mapped_classes_and_mixins_only() -> None:
    source = """
    from sqlalchemy import String
    from sqlalchemy.orm import Mapped, mapped_column


    class NamedMixin:
        name: Mapped[str]
        slug: Mapped[str] = mapped_column(String(80))


    class User(NamedMixin, Base):
        __tablename__ = "users"

        email: Mapped[str]


    class NotAModel:
        label: Mapped[str]
    """
    diagnostics = _lint(source)
    assert found(diagnostics) == [("CL401", 6, 18), ("CL401", 13, 19)]
    # The fix adds `= mapped_column(String(255))` to the annotation statement.
    assert (diagnostics[1].fix_span.start.column, diagnostics[1].fix_span.end.column) == (5, 23)


def test_string_length_setting_is_in_both_messages() -> None:
    source = """
    from sqlalchemy import String
    from sqlalchemy.orm import Mapped, mapped_column


    class User(Base):
        __tablename__ = "users"

        name: Mapped[str] = mapped_column(String)
        nickname: Mapped[str] = mapped_column()
    """
    messages = [d.message for d in _lint(source, string_length=80)]
    assert messages == [
        "Give `String` a length: `String(80)`",
        "`Mapped[str]` alone is an unbounded `String`: use `mapped_column(String(80))`",
    ]


def test_columns_outside_classes_are_checked_but_not_alembic_revisions() -> None:
    source = """
    import sqlalchemy as sa
    from alembic import op


    def upgrade() -> None:
        op.add_column("users", sa.Column("nickname", sa.String(), nullable=True))
    """
    assert found(_lint(source, path="alembic/versions/0003_nickname.py")) == []
    assert found(_lint(source, path="scripts/patch_users.py")) == [("CL401", 6, 50)]


def test_type_annotation_map_for_str_makes_mapped_str_explicit() -> None:
    source = """
    from sqlalchemy import String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        type_annotation_map = {str: String(120)}


    class User(Base):
        __tablename__ = "users"

        name: Mapped[str]
        email: Mapped[str] = mapped_column(unique=True)
        bio: Mapped[str] = mapped_column(String)
    """
    assert found(_lint(source)) == [("CL401", 14, 38)]


def test_noqa_on_a_multi_line_column() -> None:
    source = """
    from sqlalchemy import String
    from sqlalchemy.orm import Mapped, mapped_column


    class User(Base):
        __tablename__ = "users"

        name: Mapped[str] = mapped_column(
            String,
            nullable=False,
        )  # noqa: CL401
        title: Mapped[str] = mapped_column(
            String,
        )
    """
    assert found(_lint(source)) == [("CL401", 13, 9)]
