"""CL1, timestamps: the `created_at` / `updated_at` columns every table has (legacy_columns.py: CL105)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.fixes.calls import with_argument
from conventions_lint.recognize.mapped_classes import (
    ancestor_attributes,
    is_association_class,
)
from conventions_lint.recognize.sqlalchemy import (
    DATETIME_TYPES,
    ColumnDefinition,
    annotation_map_value,
    column_definition,
    has_timezone,
    is_sqlalchemy,
    stamps_now,
    type_name,
    type_position,
    variant_base,
    with_timezone,
)
from conventions_lint.recognize.syntax import (
    assignment_target,
    class_body_statements,
    keyword,
    target_name,
    unwrap_optional,
)
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder

_TIMESTAMPS = ("created_at", "updated_at")
_DATETIME, _TIMEZONE = "`DateTime(timezone=True)`", "`timezone=True`"


class MissingTimestamps(Rule):
    """
    ## What it does
    Checks that every mapped class has `created_at` and `updated_at` columns
    of type `DateTime(timezone=True)` with `server_default=func.now()` (and
    `onupdate=func.now()` for `updated_at`). A class missing a column is
    reported at its name; an incomplete column where it is defined (a mixin's
    once, in the mixin). Columns of mixins and bases in the same file count.
    A class with a base imported from elsewhere that is not a declarative base
    (`from app.models.mixins import TimestampMixin`) is not reported for
    missing columns, as that base may define them; an imported `Base` or
    `db.Model` is taken to define none. Abstract classes, classes mapped to a
    `__table__`, `Table(...)` and Alembic revisions are not checked. `text(...)`
    and `func.current_timestamp()` count as `func.now()`, `server_onupdate=`
    as `onupdate=`, and a column type from outside sqlalchemy is trusted.

    An association class, whose columns beside its timestamps are two or
    more, each a foreign key or part of the primary key (a link table mapped
    as a class: `user_id` and `group_id`; a surrogate `id` and two foreign
    keys; a composite key of `dag_id` and `name`), is not reported for
    missing columns: its rows have nothing to update, changing any column
    makes another link, they are created and deleted, and the tables it links
    carry the timestamps (noise.md N6).

    ## Why is this bad?
    Without timestamps no one can tell when a row was created or last
    changed. A naive `DateTime` loses the time zone, and a Python-side
    `default=datetime.utcnow` is skipped by rows written in plain SQL.

    ## Fix safety
    The fix adds the missing columns after the class's last column, in the
    class's style (`Mapped[datetime] = mapped_column(...)`, or
    `Column(..., nullable=False)` when all its columns are `Column`s), and
    completes a column in place: `timezone=True` on its type (or
    `DateTime(timezone=True)` where it has none), and
    `server_default=func.now()` and `onupdate=func.now()` added or replacing
    a value that does not stamp the time; other arguments stay. A column of
    another SQL type (`String`) is not retyped. `datetime`, `DateTime` and
    `func` are imported as needed. It is unsafe: it changes the table's DDL.

    There is no fix for a timestamp column of another SQL type (`String`),
    which is reported but not retyped, nor for a class without a statement
    the new columns could follow. A name the fix imports never collides
    with one in scope: when a variable, attribute or parameter where it is
    used already has that name, it is not imported and there is no fix.

    ## Known limits
    A row the application never updates but that holds a column that is no
    key (an append-only history entry, a pin whose `user_id` has no foreign
    key) is reported: whether code updates a row cannot be told from its
    class, and a name (`*History`) does not say it.
    """

    code = "CL104"
    name = "missing-timestamps"
    OPTIONS = ("model-bases",)
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
    VALID = (
        Valid("""
            from datetime import datetime

            from sqlalchemy import DateTime, String, func
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                email: Mapped[str] = mapped_column(String(255))
                created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
                updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
        """),
        # noise.md N6: an association class of two foreign keys (a link table mapped as a class).
        Valid("""
            import uuid

            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import Mapped, mapped_column, relationship


            class UserGroup(Base):
                __tablename__ = "user_groups"

                user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
                group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id"), primary_key=True)
                group: Mapped["Group"] = relationship(back_populates="members")
        """),
        # Every column beside `created_at` is part of the key: a favourite has nothing to update.
        Valid("""
            from datetime import datetime

            from sqlalchemy import DateTime, ForeignKey, String, func
            from sqlalchemy.orm import Mapped, mapped_column


            class DagFavorite(Base):
                __tablename__ = "dag_favorite"

                user_id: Mapped[str] = mapped_column(String(250), primary_key=True)
                dag_id: Mapped[str] = mapped_column(ForeignKey("dag.dag_id"), primary_key=True)
                created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
        """),
        # The columns come from a mixin of this file.
        Valid("""
            from datetime import datetime

            from sqlalchemy import DateTime, Text, func
            from sqlalchemy.orm import Mapped, mapped_column


            class TimestampMixin:
                created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
                updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())


            class Post(TimestampMixin, Base):
                __tablename__ = "posts"

                body: Mapped[str] = mapped_column(Text)
        """),
        # The imported mixin may define the columns: it cannot be seen from here.
        Valid("""
            import sqlalchemy as sa

            from app.models.mixins import TimestampMixin


            class Tag(TimestampMixin, Base):
                __tablename__ = "tags"

                label = sa.Column(sa.String(50), nullable=False)
        """),
    )
    INVALID = (
        Invalid(
            """
            from sqlalchemy import String
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                email: Mapped[str] = mapped_column(String(255))
        """,
            line=5,
            column=7,
            fixed="""
            from datetime import datetime

            from sqlalchemy import DateTime, String, func
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                email: Mapped[str] = mapped_column(String(255))
                created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
                updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
        """,
        ),
        Invalid(
            """
            import sqlalchemy as sa


            class Invoice(Base):
                __tablename__ = "invoices"

                created_at = sa.Column(sa.DateTime(timezone=True), server_default=sa.func.now())
                total = sa.Column(sa.Numeric(10, 2), nullable=False)
        """,
            line=4,
            column=7,
            fixed="""
            import sqlalchemy as sa


            class Invoice(Base):
                __tablename__ = "invoices"

                created_at = sa.Column(sa.DateTime(timezone=True), server_default=sa.func.now())
                total = sa.Column(sa.Numeric(10, 2), nullable=False)
                updated_at = sa.Column(sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now(), nullable=False)
        """,
        ),
        Invalid(
            """
            from datetime import datetime

            from sqlalchemy import Column, DateTime, func


            class Event(Base):
                __tablename__ = "events"

                created_at = Column(
                    DateTime,
                    default=datetime.utcnow,
                )
                updated_at = Column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
        """,
            line=9,
            column=5,
            fixed="""
            from datetime import datetime

            from sqlalchemy import Column, DateTime, func


            class Event(Base):
                __tablename__ = "events"

                created_at = Column(
                    DateTime(timezone=True),
                    default=datetime.utcnow,
                    server_default=func.now(),
                )
                updated_at = Column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
        """,
        ),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if "migrations" in self.context.roles or not self.context.index.is_mapped(node):
            return
        own = {target_name(statement) for statement in class_body_statements(node)}
        inherited = ancestor_attributes(self.context, node)
        if "__table__" in own or inherited is None or is_association_class(self.context, node):
            return
        bound = own | inherited
        missing = [name for name in _TIMESTAMPS if name not in bound]
        if missing:
            names = " and ".join(f"`{name}`" for name in missing)
            message = f"Add timestamp column{'s' if len(missing) > 1 else ''} {names} to `{node.name.value}`"
            self.report(node.name, message, fix=self._add_columns(node, missing))

    def visit_Assign(self, node: cst.Assign) -> None:
        self._check_column(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._check_column(node)

    def _check_column(self, statement: cst.Assign | cst.AnnAssign) -> None:
        name = target_name(statement)
        if name not in _TIMESTAMPS or "migrations" in self.context.roles or self.context.class_of_statement is None:
            return
        definition = column_definition(self.context, statement)
        if definition is None or (definition.call is not None and any(arg.star for arg in definition.call.args)):
            return
        sql_type = self._sql_type(definition)
        written = type_name(self.context, sql_type) if sql_type is not None else None
        retype = written is not None and written not in DATETIME_TYPES
        type_gap = None
        if sql_type is None:
            type_gap = _DATETIME
        elif written is not None and not retype and not has_timezone(sql_type):
            type_gap = _TIMEZONE
        wanted = ("server_default", "onupdate") if name == "updated_at" else ("server_default",)
        keywords = [word for word in wanted if not self._stamped(definition, word)]
        lacking = ([type_gap] if type_gap else []) + [f"`{word}=func.now()`" for word in keywords]
        added = " and ".join(filter(None, [", ".join(lacking[:-1]), *lacking[-1:]]))
        if retype:
            # A column of another SQL type is not retyped by the fix.
            message = f"Use `DateTime(timezone=True)` instead of `{written}` for `{name}`"
            self.report(assignment_target(statement), message + (f" and add {added}" if added else ""))
        elif lacking:
            message = f"Add {added} to `{name}`"
            self.report(
                assignment_target(statement), message, fix=self._complete(definition, type_gap, keywords, message)
            )

    def _sql_type(self, definition: ColumnDefinition) -> cst.BaseExpression | None:
        """The column's SQL type: given, or what a base of this file maps its annotation to."""
        call, annotated = definition.call, definition.mapped_type
        if (
            definition.sql_type is not None
            or annotated is None
            or (call is not None and not is_sqlalchemy(self.context, call.func, {"mapped_column"}))
        ):
            return definition.sql_type
        return annotation_map_value(self.context, unwrap_optional(annotated))

    def _stamped(self, definition: ColumnDefinition, name: str) -> bool:
        """Whether `server_default=`/`onupdate=` stamps the time; any `server_onupdate=` (a trigger) does."""
        call = definition.call
        if call is None:
            return False
        given = keyword(call, name)
        return (given is not None and stamps_now(self.context, given.value)) or (
            name == "onupdate" and keyword(call, "server_onupdate") is not None
        )

    def _complete(
        self, definition: ColumnDefinition, type_gap: str | None, keywords: list[str], message: str
    ) -> FixBuilder:
        fix = self.fix(message)
        datetime_type = f"{fix.import_name('sqlalchemy', 'DateTime')}(timezone=True)" if type_gap else ""
        now = f"{fix.import_name('sqlalchemy', 'func')}.now()"
        call = definition.call
        if call is None:
            # A bare `created_at: Mapped[datetime]` gets its whole `mapped_column(...)`.
            arguments = ", ".join(([datetime_type] if type_gap else []) + [f"{word}={now}" for word in keywords])
            mapped_column = fix.import_name("sqlalchemy.orm", "mapped_column")
            return fix.insert_after(definition.statement.annotation.annotation, f" = {mapped_column}({arguments})")
        completed = call
        if type_gap is not None and definition.sql_type is None:
            completed = with_argument(completed, type_position(completed), datetime_type)
        elif type_gap is not None:
            base = variant_base(definition.sql_type)
            completed = completed.deep_replace(base, with_timezone(base))
        for word in keywords:
            given = keyword(completed, word)
            completed = (
                completed.deep_replace(given.value, cst.parse_expression(now))
                if given is not None
                else with_argument(completed, len(completed.args), now, name=word)
            )
        return fix.replace(call, completed)

    def _add_columns(self, node: cst.ClassDef, missing: list[str]) -> FixBuilder | None:
        """The columns go after the class's last column (its last plain statement when it has none)."""
        lines = (
            [line for line in node.body.body if isinstance(line, cst.SimpleStatementLine)]
            if isinstance(node.body, cst.IndentedBlock)
            else []
        )
        columns = [
            (line, definition)
            for line in lines
            for statement in line.body
            if (definition := column_definition(self.context, statement)) is not None
        ]
        anchor = columns[-1][0] if columns else (lines[-1] if lines else None)
        if anchor is None:
            return None
        column_style = bool(columns) and all(
            d.mapped_type is None and d.call is not None and is_sqlalchemy(self.context, d.call.func, {"Column"})
            for _, d in columns
        )
        fix = self.fix(f"Add {' and '.join(f'`{name}`' for name in missing)}")
        datetime_type = f"{fix.import_name('sqlalchemy', 'DateTime')}(timezone=True)"
        now = f"{fix.import_name('sqlalchemy', 'func')}.now()"
        if column_style:
            head = f" = {fix.import_name('sqlalchemy', 'Column')}("
        else:
            mapped = fix.import_name("sqlalchemy.orm", "Mapped")
            python = fix.python_type("datetime.datetime")
            head = f": {mapped}[{python}] = {fix.import_name('sqlalchemy.orm', 'mapped_column')}("
        # `Column` is nullable unless told; `Mapped[datetime]` is not.
        tail = {"created_at": "", "updated_at": f", onupdate={now}"}
        not_null = ", nullable=False" if column_style else ""
        return fix.insert_lines_after(
            anchor, *(f"{name}{head}{datetime_type}, server_default={now}{tail[name]}{not_null})" for name in missing)
        )
