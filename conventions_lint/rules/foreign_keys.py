"""CL202: foreign key columns are UUIDs, like the primary keys they point at (primary_keys.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.fixes.uuid_types import uuid_annotation, uuid_sql_type
from conventions_lint.recognize.ids import integer_key_column
from conventions_lint.recognize.mapped_classes import declared_attribute_name
from conventions_lint.recognize.sqlalchemy import ColumnDefinition
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder


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
    The fix retypes the column where its integer type is written:
    `Mapped[int]` becomes `Mapped[uuid.UUID]` and an `Integer`-like type
    becomes `UUID(as_uuid=True)`, adding `import uuid` and
    `from sqlalchemy.dialects.postgresql import UUID` as needed. A column
    typed only by its annotation stays so: the foreign key gives the SQL
    type. It is unsafe: it changes the table's DDL.

    With `legacy-column` (CL105) in the same run the column ends as
    `Mapped[uuid.UUID]` with `UUID(as_uuid=True)`: the two fixes rewrite the
    same call, so one waits for the other and reads what it left.

    The `uuid` module is imported under a name nothing in scope hides: in
    a class with a column named `uuid` the fix writes `uuid_.UUID` after
    `import uuid as uuid_` (or the file's own `from uuid import UUID`),
    not `uuid.UUID`, which the column would hide at class creation
    (fixes.md F4). Another name the fix imports that a binding in scope
    would hide is not imported, and there is no fix.
    """

    code = "CL202"
    name = "integer-foreign-key"
    REQUIRES = (b"ForeignKey",)
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
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
        Invalid(
            """
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import Mapped, mapped_column


            class Post(Base):
                __tablename__ = "posts"

                author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
        """,
            line=8,
            column=23,
            fixed="""
            import uuid

            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import Mapped, mapped_column


            class Post(Base):
                __tablename__ = "posts"

                author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
        """,
        ),
        Invalid(
            """
            import sqlalchemy as sa


            class Post(Base):
                __tablename__ = "posts"

                author_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False)
        """,
            line=7,
            column=27,
            fixed="""
            import sqlalchemy as sa
            from sqlalchemy.dialects.postgresql import UUID


            class Post(Base):
                __tablename__ = "posts"

                author_id = sa.Column(UUID(as_uuid=True), sa.ForeignKey("users.id"), nullable=False)
        """,
        ),
        Invalid(
            """
            from typing import Optional

            from sqlalchemy import BigInteger, ForeignKey
            from sqlalchemy.orm import Mapped, mapped_column


            class Post(Base):
                __tablename__ = "posts"

                editor_id: Mapped[Optional[int]] = mapped_column(
                    BigInteger,
                    ForeignKey("users.id", ondelete="SET NULL"),
                )
        """,
            line=11,
            column=9,
            fixed="""
            import uuid
            from typing import Optional

            from sqlalchemy import ForeignKey
            from sqlalchemy.dialects.postgresql import UUID
            from sqlalchemy.orm import Mapped, mapped_column


            class Post(Base):
                __tablename__ = "posts"

                editor_id: Mapped[Optional[uuid.UUID]] = mapped_column(
                    UUID(as_uuid=True),
                    ForeignKey("users.id", ondelete="SET NULL"),
                )
        """,
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        found = integer_key_column(self.context, node)
        if found is None:
            return
        definition, integer = found
        # A key that is also a foreign key (joined-table inheritance) is CL201's.
        if definition.foreign_keys and not definition.primary_key:
            name = definition.name or declared_attribute_name(self.context)
            column = f"foreign key `{name}`" if name else "this foreign key"
            self.report(
                integer,
                f"Make {column} a UUID: `Mapped[uuid.UUID]` with `UUID(as_uuid=True)`",
                fix=self._fix(definition, f"`{name}`" if name else "the foreign key"),
            )

    def _fix(self, definition: ColumnDefinition, shown: str) -> FixBuilder:
        """The integer type becomes a UUID where it is written: the annotation, the SQL type or both."""
        fix = self.fix(f"Make {shown} a UUID")
        uuid_annotation(fix, definition)
        if definition.sql_type is not None:
            # The whole call is rewritten: a fix that annotates the column (CL105) overlaps it and waits
            # for the next round, where it reads the UUID type, instead of annotating it `int` beside it.
            uuid_type = cst.parse_expression(uuid_sql_type(fix))
            fix.replace(definition.call, definition.call.deep_replace(definition.sql_type, uuid_type))
        return fix
