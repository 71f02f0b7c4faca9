"""CL401 unbounded-string-column beyond its examples."""

from __future__ import annotations

import textwrap

import pytest

from conventions_lint.diagnostic import Applicability
from tests.helpers import fix, found, lint


def _lint(source: str, *, path: str = "app/models/user.py", **settings):
    return lint(source, path=path, select=("CL401",), **settings)


def _column(imports: str, line: str) -> str:
    """A mapped class with one column, on line 7 + the number of extra import lines."""
    return f'{imports}\n\n\nclass User(Base):\n    __tablename__ = "users"\n\n    {line}\n'


def _column_row(imports: str) -> int:
    return 7 + imports.count("\n")


@pytest.mark.parametrize(
    ("imports", "line", "column", "written", "fixed"),
    [
        ("from sqlalchemy import Column, String", "name = Column(String)", 19, "String", "Column(String(255))"),
        ("from sqlalchemy import Column, String", "name = Column(String())", 19, "String", "Column(String(255))"),
        (
            "from sqlalchemy import Column, String",
            "name = Column(String(length=None))",
            19,
            "String",
            "Column(String(length=255))",
        ),
        (
            "from sqlalchemy import Column, String",
            "name = Column(String(None, 'C'))",
            19,
            "String",
            "Column(String(255, 'C'))",
        ),
        (
            "from sqlalchemy import Column, String",
            'name = Column(String(collation="C"))',
            19,
            "String",
            'Column(String(255, collation="C"))',
        ),
        (
            "from sqlalchemy import Column, String",
            'name = Column("full_name", String)',
            32,
            "String",
            'Column("full_name", String(255))',
        ),
        (
            "from sqlalchemy import Column, String",
            "name = Column(type_=String)",
            25,
            "String",
            "Column(type_=String(255))",
        ),
        ("from sqlalchemy import Column, Unicode", "name = Column(Unicode)", 19, "Unicode", "Column(Unicode(255))"),
        ("from sqlalchemy import Column, VARCHAR", "name = Column(VARCHAR())", 19, "VARCHAR", "Column(VARCHAR(255))"),
        (
            "from sqlalchemy import Column\nfrom sqlalchemy.dialects.mssql import NVARCHAR",
            "name = Column(NVARCHAR)",
            19,
            "NVARCHAR",
            "Column(NVARCHAR(255))",
        ),
        ("import sqlalchemy as sa", "name = sa.Column(sa.String)", 22, "sa.String", "sa.Column(sa.String(255))"),
        (
            "import sqlalchemy",
            "name = sqlalchemy.Column(sqlalchemy.String())",
            30,
            "sqlalchemy.String",
            "sqlalchemy.Column(sqlalchemy.String(255))",
        ),
        (
            "from sqlalchemy import String as S\nfrom sqlalchemy.orm import Mapped, mapped_column",
            "name: Mapped[str] = mapped_column(S)",
            39,
            "S",
            "mapped_column(S(255))",
        ),
        (
            "from sqlalchemy import String, Text\nfrom sqlalchemy.orm import Mapped, mapped_column",
            'name: Mapped[str] = mapped_column(String().with_variant(Text, "sqlite"))',
            39,
            "String",
            'mapped_column(String(255).with_variant(Text, "sqlite"))',
        ),
    ],
)
def test_explicit_string_types_without_length(imports: str, line: str, column: int, written: str, fixed: str) -> None:
    source = _column(imports, line)
    diagnostics = _lint(source)
    assert found(diagnostics) == [("CL401", _column_row(imports), column)]
    assert diagnostics[0].message == f"Give `{written}` a length: `{written}(255)`"
    assert diagnostics[0].fix.message == f"Give `{written}` a length of 255"
    assert diagnostics[0].fix.applicability is Applicability.UNSAFE
    assert fix(source, select=("CL401",)) == source
    call = line.split(" = ", 1)[1]
    assert fix(source, select=("CL401",), unsafe=True) == source.replace(call, fixed)


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
        (
            "from app.db.types import String\nfrom sqlalchemy.orm import Mapped, mapped_column",
            "name: Mapped[str] = mapped_column(String)",
        ),
        (
            "from sqlalchemy.dialects.postgresql import CITEXT\nfrom sqlalchemy.orm import Mapped, mapped_column",
            "email: Mapped[str] = mapped_column(CITEXT)",
        ),
        (
            "from sqlalchemy import ForeignKey\nfrom sqlalchemy.orm import Mapped, mapped_column",
            'email: Mapped[str | None] = mapped_column(ForeignKey("accounts.email"))',
        ),
        ("from sqlalchemy import Column", "name: Mapped[str] = Column(nullable=False)"),
        ("from sqlalchemy.orm import Mapped, mapped_column", "age: Mapped[int] = mapped_column()"),
        # The type may come in the unpacked arguments.
        ("from sqlalchemy.orm import Mapped, mapped_column", "name: Mapped[str] = mapped_column(**NAME_COLUMN)"),
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
    # The fix inserts the type into the mapped_column(...) call, after the column name.
    assert fix(source, unsafe=True, select=("CL401",)) == textwrap.dedent(source).lstrip("\n").replace(
        "from sqlalchemy.orm import Mapped, mapped_column\n",
        "from sqlalchemy import String\nfrom sqlalchemy.orm import Mapped, mapped_column\n",
    ).replace('mapped_column("full_name", ', 'mapped_column("full_name", String(255), ')


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
    assert fix(source, select=("CL401",), unsafe=True) == textwrap.dedent("""\
    from sqlalchemy import String
    from sqlalchemy.orm import Mapped, mapped_column


    class NamedMixin:
        name: Mapped[str] = mapped_column(String(255))
        slug: Mapped[str] = mapped_column(String(80))


    class User(NamedMixin, Base):
        __tablename__ = "users"

        email: Mapped[str] = mapped_column(String(255))


    class NotAModel:
        label: Mapped[str]
    """)


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


def test_implicit_string_fix_keeps_a_multi_line_call_and_crlf() -> None:
    source = textwrap.dedent("""\
    import sqlalchemy as sa
    from sqlalchemy import orm


    class User(Base):
        __tablename__ = "users"

        name: orm.Mapped[str] = orm.mapped_column(
            nullable=False,  # required
        )
        nickname: orm.Mapped[str | None]
    """).replace("\n", "\r\n")
    assert fix(source, select=("CL401",)) == source
    assert fix(source, select=("CL401",), unsafe=True) == textwrap.dedent("""\
    import sqlalchemy as sa
    from sqlalchemy import orm


    class User(Base):
        __tablename__ = "users"

        name: orm.Mapped[str] = orm.mapped_column(
            sa.String(255),
            nullable=False,  # required
        )
        nickname: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    """).replace("\n", "\r\n")


def test_length_fix_follows_the_setting_and_the_graphene_string_blocks_the_import() -> None:
    source = """
    from graphene import String
    from sqlalchemy import Unicode
    from sqlalchemy.orm import Mapped, mapped_column


    class User(Base):
        __tablename__ = "users"

        name: Mapped[str] = mapped_column(Unicode)
        email: Mapped[str] = mapped_column()
    """
    diagnostics = _lint(source, string_length=80)
    assert [d.fix is not None for d in diagnostics] == [True, False]
    assert "mapped_column(Unicode(80))" in fix(source, select=("CL401",), unsafe=True, string_length=80)
