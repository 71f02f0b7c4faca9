"""CL105 legacy-column-style: `Column(...)` in mapped classes and its `mapped_column(...)` fix."""

from __future__ import annotations

import pytest

from conventions_lint.diagnostic import Applicability
from tests.helpers import dedent_source as _dedent
from tests.helpers import found
from tests.snippets import first_column_row as _row
from tests.snippets import fix_model_file as _fixed
from tests.snippets import lint_model_file as _lint
from tests.snippets import mapped_class as _model

# --- CL105 legacy-column-style -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("imports", "column", "annotation"),
    [
        ("from sqlalchemy import BigInteger, Column", "views = Column(BigInteger, default=0)", "int | None"),
        ("from sqlalchemy import Column, Text", "body = Column(Text, nullable=False)", "str"),
        ("from sqlalchemy import Column, Unicode", 'name = Column("display_name", Unicode(80))', "str | None"),
        ("from sqlalchemy import Boolean, Column", "active = Column(Boolean, nullable=False)", "bool"),
        ("from sqlalchemy import Column, Float", "ratio = Column(Float(), nullable=False)", "float"),
        ("from sqlalchemy import JSON, Column", "settings = Column(JSON, nullable=False)", "dict"),
        ("from sqlalchemy import Column, SmallInteger", "id = Column(SmallInteger, primary_key=True)", "int"),
        ("from sqlalchemy import Column, String", "code = Column(type_=String(8), primary_key=False)", "str | None"),
        (
            "from sqlalchemy import Column\nfrom sqlalchemy.dialects.postgresql import UUID",
            "token = Column(UUID(as_uuid=False), nullable=False)",
            "str",
        ),
        ("from sqlalchemy import Column, Uuid", "owner_id = Column(Uuid, ForeignKey('users.id'))", "uuid.UUID | None"),
    ],
)
def test_python_type_follows_the_sql_type_and_nullability(imports: str, column: str, annotation: str) -> None:
    [diagnostic] = _lint(_model(imports, column), select=("CL105",))
    name = column.split(" ")[0]
    assert (diagnostic.span.start.row, diagnostic.span.start.column) == (_row(imports), 5)
    assert diagnostic.message == f"Use `{name}: Mapped[{annotation}] = mapped_column(...)` instead of `Column(...)`"
    assert diagnostic.fix.applicability is Applicability.UNSAFE


@pytest.mark.parametrize(
    "column",
    [
        'author_id = Column(ForeignKey("users.id"), nullable=False)',
        "tags = Column(ARRAY(String(20)))",
        "shape = Column(Geometry('POINT'))",
        "name = Column(String(50), nullable=settings.optional_names)",
        "name = Column(String(50), **NAME_OPTIONS)",
        "label: Mapped[str] = Column(String(50))",
        "label: str = Column(String(50))",
    ],
)
def test_no_style_fix_when_the_type_or_nullability_cannot_be_kept(column: str) -> None:
    imports = (
        "from sqlalchemy import ARRAY, Column, ForeignKey, String\nfrom sqlalchemy.orm import Mapped\n"
        "from geoalchemy2 import Geometry"
    )
    [diagnostic] = _lint(_model(imports, column), select=("CL105",))
    assert diagnostic.fix is None
    assert _fixed(_model(imports, column), select=("CL105",)) == _model(imports, column)


def test_annotated_columns_keep_their_annotation() -> None:
    source = _model(
        "from typing import Optional\n\nimport sqlalchemy as sa\nfrom sqlalchemy.orm import Mapped",
        "label: Mapped[Optional[str]] = sa.Column(sa.String(50))",
        "slug: Mapped[str] = sa.Column(sa.String(50), nullable=False)",
        "note: str | None = sa.Column(sa.Text)",
    )
    assert [d.message for d in _lint(source, select=("CL105",))] == [
        "Use `mapped_column(...)` instead of `Column(...)`",
        "Use `mapped_column(...)` instead of `Column(...)`",
        "Use `note: Mapped[str | None] = mapped_column(...)` instead of `Column(...)`",
    ]
    assert _fixed(source, select=("CL105",)) == _model(
        "from typing import Optional\n\nimport sqlalchemy as sa\nfrom sqlalchemy.orm import Mapped, mapped_column",
        "label: Mapped[Optional[str]] = mapped_column(sa.String(50))",
        "slug: Mapped[str] = mapped_column(sa.String(50), nullable=False)",
        "note: Mapped[str | None] = mapped_column(sa.Text)",
    )


def test_columns_outside_mapped_classes_are_not_flagged() -> None:
    source = """
    from sqlalchemy import Column, Integer, MetaData, Table

    from app.grid import Column as GridColumn

    counters = Table("counters", MetaData(), Column("value", Integer))
    loose = Column(Integer)


    class CounterMixin:
        value = Column(Integer)


    class AbstractCounter(Base):
        __abstract__ = True

        value = Column(Integer)


    class Counter(Base):
        __tablename__ = "counters"

        value: Mapped[int] = mapped_column(Integer)
        label = GridColumn("Label")

        def reset(self) -> None:
            value = Column(Integer)
    """
    assert found(_lint(source, select=("CL105",))) == []
    migration = _model("from sqlalchemy import Column, Integer", "value = Column(Integer)")
    assert found(_lint(migration, select=("CL105",), path="migrations/versions/0002_counters.py")) == []


def test_style_fix_is_unsafe_only_and_imports_the_python_types() -> None:
    source = _model(
        "import datetime\n\nfrom sqlalchemy import Column, Date, DateTime, ForeignKey, Numeric\n"
        "from sqlalchemy.dialects.postgresql import UUID",
        "id = Column(UUID(as_uuid=True), primary_key=True)",
        'org_id = Column(UUID, ForeignKey("orgs.id"), nullable=False)',
        "born = Column(Date)",
        "seen = Column(DateTime(timezone=True))",
        "balance = Column(Numeric(12, 2), nullable=False)",
    )
    assert _fixed(source, select=("CL105",), unsafe=False) == _dedent(source)
    assert _fixed(source, select=("CL105",)) == _model(
        "import datetime\nimport uuid\nfrom decimal import Decimal\n\n"
        "from sqlalchemy import Date, DateTime, ForeignKey, Numeric\n"
        "from sqlalchemy.dialects.postgresql import UUID\n"
        "from sqlalchemy.orm import Mapped, mapped_column",
        "id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)",
        'org_id: Mapped[uuid.UUID] = mapped_column(UUID, ForeignKey("orgs.id"), nullable=False)',
        "born: Mapped[datetime.date | None] = mapped_column(Date)",
        "seen: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))",
        "balance: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)",
    )


def test_style_fix_with_sqlalchemy_alias_and_crlf() -> None:
    source = _dedent("""
    import sqlalchemy as sa


    class Post(Base):
        __tablename__ = "posts"

        id = sa.Column(sa.Integer, primary_key=True)
        title = sa.Column(
            sa.String(200),
            nullable=False,  # required
        )
    """).replace("\n", "\r\n")
    after = _fixed(source, select=("CL105",))
    assert after == _dedent("""
    import sqlalchemy as sa
    from sqlalchemy.orm import Mapped, mapped_column


    class Post(Base):
        __tablename__ = "posts"

        id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
        title: Mapped[str] = mapped_column(
            sa.String(200),
            nullable=False,  # required
        )
    """).replace("\n", "\r\n")
    assert after.count("\n") == after.count("\r\n")


def test_noqa_on_the_last_line_of_a_multi_line_legacy_column() -> None:
    source = _model("from sqlalchemy import Column, String", "name = Column(", "    String(50),", ")  # noqa: CL105")
    assert found(_lint(source, select=("CL105",))) == []
