"""CL201: primary keys are UUIDs, never integers (foreign_keys.py: the columns that point at them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.fixes.calls import with_argument, without_argument
from conventions_lint.fixes.uuid_types import uuid_annotation, uuid_sql_type
from conventions_lint.recognize.ids import integer_key_column
from conventions_lint.recognize.sqlalchemy import ColumnDefinition, is_sqlalchemy, type_position
from conventions_lint.recognize.syntax import is_false, keyword
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder

_UUID_COLUMN = "Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)"
# A key that is also a foreign key takes its value from the row it points at.
_REFERENCING_COLUMN = "Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey(...), primary_key=True)"
# Schema items only an integer key takes: a UUID column with them fails to create.
_INTEGER_KEY_ITEMS = frozenset({"Identity", "Sequence"})


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
    The fix turns the column into
    `id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)`
    in place, keeping its name, its style (`Column(...)` stays `Column(...)`)
    and its other arguments: `Mapped[int]` becomes `Mapped[uuid.UUID]`, the
    integer type becomes `UUID(as_uuid=True)` (inserted when the type came
    from the annotation), `default=uuid.uuid4` is added (or replaces the
    default), and `autoincrement=True`, `Identity()`, `Sequence(...)` and
    `server_default=`, which only fit an integer key, are dropped. `import uuid` and
    `from sqlalchemy.dialects.postgresql import UUID` are added. It is
    unsafe: it changes the table's DDL (a migration is needed) and every
    foreign key and API that carries the id.

    A key that is also a foreign key takes its value from the row it points
    at: it is retyped without a default (a `uuid.uuid4` default would turn a
    missing parent reference into a random, dangling id), and when it has a
    `default=` of its own there is no fix.

    The `uuid` module is imported under a name nothing in scope hides: in
    a class with a column named `uuid` the fix writes `uuid_.UUID` after
    `import uuid as uuid_` (or the file's own `from uuid import UUID`),
    not `uuid.UUID`, which the column would hide at class creation
    (fixes.md F4). Another name the fix imports that a binding in scope
    would hide is not imported, and there is no fix.
    """

    code = "CL201"
    name = "integer-primary-key"
    REQUIRES = (b"primary_key",)
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
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
        Invalid(
            """
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                id: Mapped[int] = mapped_column(primary_key=True)
        """,
            line=7,
            column=16,
            fixed="""
            import uuid

            from sqlalchemy.dialects.postgresql import UUID
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
        """,
        ),
        Invalid(
            """
            import sqlalchemy as sa


            class User(Base):
                __tablename__ = "users"

                id = sa.Column(sa.BigInteger, primary_key=True, autoincrement=True)
        """,
            line=7,
            column=20,
            fixed="""
            import uuid

            import sqlalchemy as sa
            from sqlalchemy.dialects.postgresql import UUID


            class User(Base):
                __tablename__ = "users"

                id = sa.Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
        """,
        ),
        Invalid(
            """
            from sqlalchemy import Column, Integer as Int, MetaData, String, Table

            metadata = MetaData()

            users = Table(
                "users",
                metadata,
                Column("id", Int(), primary_key=True),
                Column("name", String(100)),
            )
        """,
            line=8,
            column=18,
            fixed="""
            import uuid

            from sqlalchemy import Column, MetaData, String, Table
            from sqlalchemy.dialects.postgresql import UUID

            metadata = MetaData()

            users = Table(
                "users",
                metadata,
                Column("id", UUID(as_uuid=True), primary_key=True, default=uuid.uuid4),
                Column("name", String(100)),
            )
        """,
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        found = integer_key_column(self.context, node)
        if found is None:
            return
        definition, integer = found
        if definition.primary_key:
            name = definition.name or "id"
            column = _REFERENCING_COLUMN if definition.foreign_keys else _UUID_COLUMN
            self.report(
                integer, f"Make primary key `{name}` a UUID: `{name}: {column}`", fix=self._fix(definition, name)
            )

    def _fix(self, definition: ColumnDefinition, name: str) -> FixBuilder | None:
        call = definition.call
        if definition.foreign_keys:
            # Its value is the parent row's key: a default would make a dangling reference of a missing one.
            if keyword(call, "default") is not None:
                return None
            fix = self.fix(f"Make `{name}` a UUID primary key")
        else:
            fix = self.fix(f"Make `{name}` a UUID primary key with a `uuid.uuid4` default")
        uuid_annotation(fix, definition)
        uuid_type = cst.parse_expression(uuid_sql_type(fix))
        rewritten = call
        for arg in call.args:
            if self._integer_only(arg):
                rewritten = without_argument(rewritten, arg)
        if definition.sql_type is not None:
            rewritten = rewritten.deep_replace(definition.sql_type, uuid_type)
        else:
            rewritten = with_argument(rewritten, type_position(rewritten), uuid_type)
        if definition.foreign_keys:
            return fix.replace(call, rewritten)
        uuid4 = cst.parse_expression(fix.module_attribute("uuid", "uuid4"))
        default = keyword(rewritten, "default")
        if default is not None:
            rewritten = rewritten.deep_replace(default.value, uuid4)
        else:
            rewritten = with_argument(rewritten, len(rewritten.args), uuid4, name="default")
        return fix.replace(call, rewritten)

    def _integer_only(self, arg: cst.Arg) -> bool:
        """What a UUID key cannot take: `autoincrement=True`, `Identity()`, `Sequence(...)`, and a
        `server_default`, which for an integer key makes integers (a sequence's `nextval`)."""
        if arg.keyword is not None:
            name = arg.keyword.value
            return name == "server_default" or (name == "autoincrement" and not is_false(arg.value))
        value = arg.value.func if isinstance(arg.value, cst.Call) else arg.value
        return not arg.star and is_sqlalchemy(self.context, value, _INTEGER_KEY_ITEMS)
