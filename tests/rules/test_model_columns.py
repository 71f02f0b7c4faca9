"""CL104 missing-timestamps: `created_at` and `updated_at` of mapped classes, beyond the rule's examples."""

from __future__ import annotations

import pytest

from conventions_lint.diagnostic import Applicability
from tests.helpers import dedent_source as _dedent
from tests.helpers import found, lint
from tests.snippets import first_column_row as _row
from tests.snippets import fix_model_file as _fixed
from tests.snippets import lint_model_file as _lint
from tests.snippets import mapped_class as _model

TIMESTAMP_IMPORTS = (
    "from datetime import datetime\nfrom sqlalchemy import DateTime, func\n"
    "from sqlalchemy.orm import Mapped, mapped_column"
)
CREATED = "created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())"
UPDATED = (
    "updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), "
    "onupdate=func.now())"
)


# --- CL104 missing-timestamps: what counts as complete ---------------------------------------------------------


@pytest.mark.parametrize(
    ("imports", "created", "updated"),
    [
        (
            "import sqlalchemy as sa",
            "created_at = sa.Column(sa.DateTime(timezone=True), server_default=sa.func.now())",
            "updated_at = sa.Column(sa.DateTime(True), server_default=sa.func.now(), onupdate=sa.func.now())",
        ),
        (
            "from sqlalchemy import TIMESTAMP, Column, func, text",
            'created_at = Column(TIMESTAMP(timezone=True), server_default=text("now()"))',
            (
                "updated_at = Column(TIMESTAMP(timezone=True), server_default=func.current_timestamp(), "
                "onupdate=func.current_timestamp())"
            ),
        ),
        # A database trigger keeps `updated_at` current.
        (
            "from sqlalchemy import Column, DateTime, FetchedValue, func",
            "created_at = Column(DateTime(timezone=True), server_default=func.now())",
            "updated_at = Column(DateTime(timezone=True), server_default=func.now(), server_onupdate=FetchedValue())",
        ),
        # A project type is not judged.
        (
            "from sqlalchemy import Column, func\nfrom app.db.types import UTCDateTime",
            "created_at = Column(UTCDateTime(), server_default=func.now())",
            "updated_at = Column(UTCDateTime(), server_default=func.now(), onupdate=func.now())",
        ),
        (
            "from sqlalchemy import Column, DateTime, func\nfrom sqlalchemy.dialects.postgresql import TIMESTAMP",
            (
                "created_at = Column(DateTime(timezone=True).with_variant(TIMESTAMP(timezone=True), 'postgresql'), "
                "server_default=func.now())"
            ),
            "updated_at = Column(type_=DateTime(timezone=True), server_default=func.now(), onupdate=func.now())",
        ),
        # `**options` may carry what is missing.
        (
            "from sqlalchemy import Column, DateTime",
            "created_at = Column(DateTime, **TIMESTAMP_OPTIONS)",
            "updated_at = Column(DateTime, **TIMESTAMP_OPTIONS)",
        ),
    ],
)
def test_complete_timestamp_spellings_pass(imports: str, created: str, updated: str) -> None:
    assert found(_lint(_model(imports, created, updated))) == []


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (
            "updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())",
            "Add `onupdate=func.now()` to `updated_at`",
        ),
        (
            "updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())",
            "Add `timezone=True` to `updated_at`",
        ),
        (
            "updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=False), onupdate=func.now())",
            "Add `timezone=True` and `server_default=func.now()` to `updated_at`",
        ),
        (
            "updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=datetime.utcnow)",
            "Add `DateTime(timezone=True)` and `onupdate=func.now()` to `updated_at`",
        ),
        (
            "updated_at: Mapped[datetime]",
            "Add `DateTime(timezone=True)`, `server_default=func.now()` and `onupdate=func.now()` to `updated_at`",
        ),
        (
            (
                'updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default="now()", '
                "onupdate=func.now())"
            ),
            "Add `server_default=func.now()` to `updated_at`",
        ),
        (
            "updated_at: Mapped[str] = mapped_column(String(30), server_default=func.now(), onupdate=func.now())",
            "Use `DateTime(timezone=True)` instead of `String` for `updated_at`",
        ),
    ],
)
def test_incomplete_column_is_reported_at_its_name(column: str, message: str) -> None:
    imports = TIMESTAMP_IMPORTS.replace("DateTime, func", "DateTime, String, func")
    [diagnostic] = _lint(_model(imports, CREATED, column))
    assert (diagnostic.code, diagnostic.span.start.row, diagnostic.span.start.column) == ("CL104", _row(imports) + 1, 5)
    assert diagnostic.message == message


def test_missing_columns_are_listed_in_one_finding_at_the_class_name() -> None:
    [both] = _lint(_model("from sqlalchemy.orm import Mapped", "name: Mapped[str]"))
    assert (both.span.start.row, both.span.start.column) == (4, 7)
    assert both.message == "Add timestamp columns `created_at` and `updated_at` to `User`"
    assert both.fix.message == "Add `created_at` and `updated_at`"
    assert both.fix.applicability is Applicability.UNSAFE
    [one] = _lint(_model(TIMESTAMP_IMPORTS, CREATED))
    assert one.message == "Add timestamp column `updated_at` to `User`"


# --- CL104: which classes are judged -----------------------------------------------------------------------------


def test_columns_of_local_mixins_and_bases_count_and_are_judged_where_defined() -> None:
    source = """
    from datetime import datetime

    from sqlalchemy import DateTime, func
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


    class AuditMixin:
        updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


    class AuditedBase(AuditMixin, Base):
        __abstract__ = True


    class User(AuditedBase):
        __tablename__ = "users"

        name: Mapped[str]


    class Admin(User):
        level: Mapped[int] = mapped_column(default=0)
    """
    # The mixin's incomplete column once, where it is written; no class misses a column.
    assert found(_lint(source)) == [("CL104", 12, 5)]


def test_imported_bases_hide_columns_unless_they_are_declarative_bases() -> None:
    hidden = """
    from sqlalchemy.orm import Mapped

    from app.models.mixins import TimestampMixin


    class User(TimestampMixin, Base):
        __tablename__ = "users"

        name: Mapped[str]
    """
    assert found(_lint(hidden)) == []
    declarative = """
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy.orm import DeclarativeBase, Mapped

    from app.db.base_class import Base as ProjectBase

    db = SQLAlchemy()


    class Base(DeclarativeBase):
        pass


    class User(Base):
        __tablename__ = "users"

        name: Mapped[str]


    class Post(ProjectBase):
        __tablename__ = "posts"


    class Comment(db.Model):
        __tablename__ = "comments"
    """
    assert found(_lint(declarative)) == [("CL104", 13, 7), ("CL104", 19, 7), ("CL104", 23, 7)]


def test_tables_schemas_abstract_classes_methods_and_migrations_are_not_judged() -> None:
    source = """
    from datetime import datetime

    from pydantic import BaseModel
    from sqlalchemy import Column, DateTime, MetaData, Table
    from sqlalchemy.orm import Mapped, mapped_column

    events = Table("events", MetaData(), Column("created_at", DateTime))


    class AuditedBase(Base):
        __abstract__ = True

        note: Mapped[str]


    class Legacy(Base):
        __table__ = events


    class UserResponse(BaseModel):
        created_at: datetime
        updated_at: datetime | None = None


    class Widget:
        def touch(self) -> None:
            updated_at = Column(DateTime)
    """
    assert found(_lint(source)) == []
    model = _model("from sqlalchemy import Column, DateTime", "created_at = Column(DateTime)")
    assert found(_lint(model, path="alembic/versions/0001_users.py")) == []


def test_a_base_of_this_file_mapping_datetime_with_a_time_zone_gives_the_type() -> None:
    source = """
    from datetime import datetime

    from sqlalchemy import DateTime, func
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        type_annotation_map = {datetime: DateTime(timezone=True)}


    class User(Base):
        __tablename__ = "users"

        created_at: Mapped[datetime] = mapped_column(server_default=func.now())
        updated_at: Mapped[datetime | None] = mapped_column(server_default=func.now(), onupdate=func.now())
    """
    assert found(_lint(source)) == []


def test_noqa_on_the_last_line_of_a_multi_line_column() -> None:
    source = _dedent("""
    from datetime import datetime

    from sqlalchemy import Column, DateTime, func


    class Event(Base):
        __tablename__ = "events"

        created_at = Column(
            DateTime,
        )  # noqa: CL104
        updated_at = Column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
    """)
    assert found(_lint(source)) == []


# --- CL104 fixes -------------------------------------------------------------------------------------------------


def test_timestamp_fixes_are_unsafe_only() -> None:
    source = _model("from sqlalchemy import Column, DateTime", "created_at = Column(DateTime)")
    assert _fixed(source, unsafe=False) == _dedent(source)


def test_onupdate_is_added_to_an_updated_at_without_it() -> None:
    source = _model(TIMESTAMP_IMPORTS, CREATED, UPDATED.replace(", onupdate=func.now()", ""))
    assert _fixed(source) == _model(TIMESTAMP_IMPORTS, CREATED, UPDATED)


def test_columns_go_after_the_last_column_before_relationships_and_methods() -> None:
    source = """
    import datetime

    import sqlalchemy as sa
    from sqlalchemy import orm


    class Tag(Base):
        \"\"\"A label on posts.\"\"\"

        __tablename__ = "tags"

        label: orm.Mapped[str] = orm.mapped_column(sa.String(50))  # shown as is
        # more columns to come

        posts = orm.relationship("Post", back_populates="tags")

        def __repr__(self) -> str:
            return self.label
    """
    assert _fixed(source) == _dedent("""
    import datetime

    import sqlalchemy as sa
    from sqlalchemy import orm


    class Tag(Base):
        \"\"\"A label on posts.\"\"\"

        __tablename__ = "tags"

        label: orm.Mapped[str] = orm.mapped_column(sa.String(50))  # shown as is
        created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
        updated_at: orm.Mapped[datetime.datetime] = orm.mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now())
        # more columns to come

        posts = orm.relationship("Post", back_populates="tags")

        def __repr__(self) -> str:
            return self.label
    """)


def test_a_class_without_columns_gets_them_after_its_last_statement() -> None:
    source = """
    from app.models.base import Base


    class Tag(Base):
        __tablename__ = "tags"


    class Short(Base): __tablename__ = "short"
    """
    assert _fixed(source) == _dedent("""
    from datetime import datetime

    from sqlalchemy import DateTime, func
    from sqlalchemy.orm import Mapped, mapped_column

    from app.models.base import Base


    class Tag(Base):
        __tablename__ = "tags"
        created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
        updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())


    class Short(Base): __tablename__ = "short"
    """)
    assert [d.fix is not None for d in _lint(_fixed(source))] == [False]


def test_a_bare_annotation_gets_its_mapped_column_and_a_multi_line_call_keeps_its_layout() -> None:
    source = """
    from datetime import datetime

    import sqlalchemy as sa
    from sqlalchemy.orm import Mapped


    class TimestampMixin:
        created_at: Mapped[datetime]
        updated_at: Mapped[datetime] = sa.orm.mapped_column(
            sa.DateTime(timezone=False),  # naive
            server_default=sa.text("CURRENT_TIMESTAMP"),
            onupdate=datetime.utcnow,
        )
    """
    assert _fixed(source) == _dedent("""
    from datetime import datetime

    import sqlalchemy as sa
    from sqlalchemy.orm import Mapped, mapped_column


    class TimestampMixin:
        created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
        updated_at: Mapped[datetime] = sa.orm.mapped_column(
            sa.DateTime(timezone=True),  # naive
            server_default=sa.text("CURRENT_TIMESTAMP"),
            onupdate=sa.func.now(),
        )
    """)


def test_timestamp_fix_keeps_crlf_line_endings() -> None:
    source = _dedent("""
    import sqlalchemy as sa


    class Invoice(Base):
        __tablename__ = "invoices"

        created_at = sa.Column(sa.DateTime, default=utcnow)
        total = sa.Column(sa.Numeric(10, 2))
    """).replace("\n", "\r\n")
    after = _fixed(source)
    assert after == _dedent("""
    import sqlalchemy as sa


    class Invoice(Base):
        __tablename__ = "invoices"

        created_at = sa.Column(sa.DateTime(timezone=True), default=utcnow, server_default=sa.func.now())
        total = sa.Column(sa.Numeric(10, 2))
        updated_at = sa.Column(sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now(), nullable=False)
    """).replace("\n", "\r\n")
    assert after.count("\n") == after.count("\r\n")


def test_no_timestamp_fix_when_a_needed_name_is_taken() -> None:
    source = _model("from sqlalchemy.orm import Mapped\n\nfrom app.sql import func", "name: Mapped[str]")
    [diagnostic] = _lint(source)
    assert diagnostic.fix is None


def test_column_style_timestamps_become_not_null_mapped_columns_with_cl105() -> None:
    source = _model("from sqlalchemy import Column, Integer", "id = Column(Integer, primary_key=True)")
    assert _fixed(source, select=("CL104", "CL105")) == _model(
        "from datetime import datetime\n\n"
        "from sqlalchemy import DateTime, Integer, func\n"
        "from sqlalchemy.orm import Mapped, mapped_column",
        "id: Mapped[int] = mapped_column(Integer, primary_key=True)",
        "created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), "
        "nullable=False)",
        "updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), "
        "onupdate=func.now(), nullable=False)",
    )


def test_an_association_class_is_exempt_only_while_its_columns_are_all_foreign_keys() -> None:
    # noise.md N6: a link table mapped as a class is created and deleted, never updated.
    link = """
        import uuid

        from sqlalchemy import ForeignKey, String
        from sqlalchemy.orm import Mapped, mapped_column

        from app.db.base import Base


        class UserGroup(Base):
            __tablename__ = "user_groups"

            user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
            group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id"), primary_key=True)
    """
    assert found(lint(link, path="app/models/user_group.py", select=("CL104",))) == []
    with_role = link.rstrip() + "\n            role: Mapped[str] = mapped_column(String(20))\n"
    assert found(lint(with_role, path="app/models/user_group.py", select=("CL104",))) == [("CL104", 9, 7)]


def test_a_row_whose_every_column_beside_its_timestamps_is_a_key_has_nothing_to_update() -> None:
    # airflow's DagScheduleAssetNameReference (name and dag_id, the key, and created_at), a pin with a surrogate id.
    source = """
        from sqlalchemy import BigInteger, Column, ForeignKey, String, Text

        from app.db.base import Base


        class DagScheduleAssetNameReference(Base):
            __tablename__ = "dag_schedule_asset_name_reference"

            name = Column(String(1500), primary_key=True, nullable=False)
            dag_id = Column(String(250), primary_key=True, nullable=False)
            created_at = Column(BigInteger, nullable=False)


        class PinnedNote(Base):
            __tablename__ = "pinned_note"

            id = Column(Text, primary_key=True)
            note_id = Column(Text, ForeignKey("note.id"), nullable=False)


        class PinnedChat(Base):
            __tablename__ = "pinned_chat"

            id = Column(Text, primary_key=True)
            user_id = Column(Text, nullable=False)
            chat_id = Column(Text, ForeignKey("chat.id"), nullable=False)


        class Language(Base):
            __tablename__ = "languages"

            name = Column(String(50), primary_key=True)
    """
    # The epoch `created_at` is still reported; a plain `user_id` is something to update; so is a lone key.
    assert found(lint(source, path="app/models/link.py", select=("CL104",))) == [
        ("CL104", 11, 5),
        ("CL104", 21, 7),
        ("CL104", 29, 7),
    ]
