"""CL2 in the models: primary and foreign key columns are UUIDs, never integers (api_identifiers.py: the API)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.fixes.calls import with_argument, without_argument
from conventions_lint.recognize.mapped_classes import (
    declared_attribute_name,
)
from conventions_lint.recognize.sqlalchemy import (
    ColumnDefinition,
    column_of_call,
    is_integer,
    is_sqlalchemy,
    type_position,
)
from conventions_lint.recognize.syntax import (
    is_builtin,
    is_false,
    keyword,
    unwrap_optional,
)
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder

_UUID_COLUMN = "Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)"
# Schema items only an integer key takes: a UUID column with them fails to create.
_INTEGER_KEY_ITEMS = frozenset({"Identity", "Sequence"})


def _uuid_annotation(fix: FixBuilder, definition: ColumnDefinition) -> None:
    """`Mapped[uuid.UUID]` for `Mapped[int]` (also inside `Optional[...]`)."""
    inner = unwrap_optional(definition.mapped_type) if definition.mapped_type is not None else None
    if inner is not None and is_builtin(inner, "int"):
        fix.replace(inner, f"{fix.import_name('uuid')}.UUID")


def _uuid_type(fix: FixBuilder) -> str:
    return f"{fix.import_name('sqlalchemy.dialects.postgresql', 'UUID')}(as_uuid=True)"


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
    """

    code = "CL201"
    name = "integer-primary-key"
    REQUIRES = (b"primary_key",)
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
        found = _integer_column(self, node)
        if found is None:
            return
        definition, integer = found
        if definition.primary_key:
            name = definition.name or "id"
            self.report(
                integer, f"Make primary key `{name}` a UUID: `{name}: {_UUID_COLUMN}`", fix=self._fix(definition, name)
            )

    def _fix(self, definition: ColumnDefinition, name: str) -> FixBuilder:
        fix = self.fix(f"Make `{name}` a UUID primary key with a `uuid.uuid4` default")
        _uuid_annotation(fix, definition)
        call = definition.call
        uuid_type = cst.parse_expression(_uuid_type(fix))
        uuid4 = cst.parse_expression(f"{fix.import_name('uuid')}.uuid4")
        rewritten = call
        for arg in call.args:
            if self._integer_only(arg):
                rewritten = without_argument(rewritten, arg)
        if definition.sql_type is not None:
            rewritten = rewritten.deep_replace(definition.sql_type, uuid_type)
        else:
            rewritten = with_argument(rewritten, type_position(rewritten), uuid_type)
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
    """

    code = "CL202"
    name = "integer-foreign-key"
    REQUIRES = (b"ForeignKey",)
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
        found = _integer_column(self, node)
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
        _uuid_annotation(fix, definition)
        if definition.sql_type is not None:
            fix.replace(definition.sql_type, _uuid_type(fix))
        return fix
