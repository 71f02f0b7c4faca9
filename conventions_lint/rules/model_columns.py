"""CL104-CL105: the timestamp columns every table has, and the declarative style columns are written in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.fixes.calls import with_argument
from conventions_lint.recognize.sqlalchemy import (
    DATETIME_TYPES,
    ColumnDefinition,
    annotation_map_value,
    column_definition,
    column_nullable,
    has_timezone,
    is_sqlalchemy,
    mapped_type,
    python_type,
    stamps_now,
    type_name,
    type_position,
    variant_base,
    visible_ancestors,
    with_timezone,
)
from conventions_lint.recognize.syntax import class_body_statements, keyword, target_name, unwrap_optional
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder

_TIMESTAMPS = ("created_at", "updated_at")
_DATETIME, _TIMEZONE = "`DateTime(timezone=True)`", "`timezone=True`"


def _class_of_statement(context: FileContext) -> cst.ClassDef | None:
    """The class whose body the visited statement stands in directly (not in one of its methods)."""
    statement, owner = context.ancestors[-1], context.enclosing_class
    return owner if owner is not None and any(statement is s for s in class_body_statements(owner)) else None


def _target(statement: cst.Assign | cst.AnnAssign) -> cst.BaseExpression:
    return statement.target if isinstance(statement, cst.AnnAssign) else statement.targets[0].target


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
    """

    code = "CL104"
    name = "missing-timestamps"
    fix_safety = FixSafety.UNSAFE
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
        Invalid("""
            from sqlalchemy import String
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                email: Mapped[str] = mapped_column(String(255))
        """, line=5, column=7, fixed="""
            from sqlalchemy import String, DateTime, func
            from sqlalchemy.orm import Mapped, mapped_column
            from datetime import datetime


            class User(Base):
                __tablename__ = "users"

                email: Mapped[str] = mapped_column(String(255))
                created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
                updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
        """),
        Invalid("""
            import sqlalchemy as sa


            class Invoice(Base):
                __tablename__ = "invoices"

                created_at = sa.Column(sa.DateTime(timezone=True), server_default=sa.func.now())
                total = sa.Column(sa.Numeric(10, 2), nullable=False)
        """, line=4, column=7, fixed="""
            import sqlalchemy as sa


            class Invoice(Base):
                __tablename__ = "invoices"

                created_at = sa.Column(sa.DateTime(timezone=True), server_default=sa.func.now())
                total = sa.Column(sa.Numeric(10, 2), nullable=False)
                updated_at = sa.Column(sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now(), nullable=False)
        """),
        Invalid("""
            from datetime import datetime

            from sqlalchemy import Column, DateTime, func


            class Event(Base):
                __tablename__ = "events"

                created_at = Column(
                    DateTime,
                    default=datetime.utcnow,
                )
                updated_at = Column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
        """, line=9, column=5, fixed="""
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
        """),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if "migrations" in self.context.roles or not self.context.index.is_mapped(node):
            return
        own = {target_name(statement) for statement in class_body_statements(node)}
        ancestors = visible_ancestors(self.context, node)
        if "__table__" in own or ancestors is None:
            return
        bound = own.union(*({target_name(s) for s in class_body_statements(a)} for a in ancestors))
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
        if name not in _TIMESTAMPS or "migrations" in self.context.roles or _class_of_statement(self.context) is None:
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
        keywords = [word for word in ("server_default", "onupdate")[:_TIMESTAMPS.index(name) + 1]
                    if not self._stamped(definition, word)]
        lacking = [gap for gap in (type_gap,) if gap] + [f"`{word}=func.now()`" for word in keywords]
        added = f"{', '.join(lacking[:-1])}{' and ' if len(lacking) > 1 else ''}{lacking[-1]}" if lacking else ""
        if retype:
            # A column of another SQL type is not retyped by the fix.
            message = f"Use `DateTime(timezone=True)` instead of `{written}` for `{name}`"
            self.report(_target(statement), message + (f" and add {added}" if added else ""))
        elif lacking:
            message = f"Add {added} to `{name}`"
            self.report(_target(statement), message, fix=self._complete(definition, type_gap, keywords, message))

    def _sql_type(self, definition: ColumnDefinition) -> cst.BaseExpression | None:
        """The column's SQL type: given, or what a base of this file maps its annotation to."""
        call, annotated = definition.call, definition.mapped_type
        if definition.sql_type is not None or annotated is None or (
                call is not None and not is_sqlalchemy(self.context, call.func, {"mapped_column"})):
            return definition.sql_type
        return annotation_map_value(self.context, unwrap_optional(annotated))

    def _stamped(self, definition: ColumnDefinition, name: str) -> bool:
        """Whether `server_default=`/`onupdate=` stamps the time; any `server_onupdate=` (a trigger) does."""
        call = definition.call
        if call is None:
            return False
        given = keyword(call, name)
        return (given is not None and stamps_now(self.context, given.value)) or (
            name == "onupdate" and keyword(call, "server_onupdate") is not None)

    def _complete(self, definition: ColumnDefinition, type_gap: str | None, keywords: list[str],
                  message: str) -> FixBuilder:
        fix = self.fix(message)
        datetime_type = f"{fix.import_name('sqlalchemy', 'DateTime')}(timezone=True)" if type_gap else ""
        now = f"{fix.import_name('sqlalchemy', 'func')}.now()"
        call = definition.call
        if call is None:
            # A bare `created_at: Mapped[datetime]` gets its whole `mapped_column(...)`.
            arguments = ", ".join([*filter(None, [datetime_type]), *(f"{word}={now}" for word in keywords)])
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
            completed = completed.deep_replace(given.value, cst.parse_expression(now)) if given is not None \
                else with_argument(completed, len(completed.args), now, name=word)
        return fix.replace(call, completed)

    def _add_columns(self, node: cst.ClassDef, missing: list[str]) -> FixBuilder | None:
        """The columns go after the class's last column (its last plain statement when it has none)."""
        lines = [line for line in node.body.body if isinstance(line, cst.SimpleStatementLine)] \
            if isinstance(node.body, cst.IndentedBlock) else []
        columns = [(line, definition) for line in lines for statement in line.body
                   if (definition := column_definition(self.context, statement)) is not None]
        anchor = columns[-1][0] if columns else (lines[-1] if lines else None)
        if anchor is None:
            return None
        column_style = bool(columns) and all(
            d.mapped_type is None and d.call is not None and is_sqlalchemy(self.context, d.call.func, {"Column"})
            for _, d in columns)
        fix = self.fix(f"Add {' and '.join(f'`{name}`' for name in missing)}")
        datetime_type = f"{fix.import_name('sqlalchemy', 'DateTime')}(timezone=True)"
        now = f"{fix.import_name('sqlalchemy', 'func')}.now()"
        if column_style:
            head = f" = {fix.import_name('sqlalchemy', 'Column')}("
        else:
            mapped, python = fix.import_name("sqlalchemy.orm", "Mapped"), _spelled(self.context, fix, "datetime.datetime")
            head = f": {mapped}[{python}] = {fix.import_name('sqlalchemy.orm', 'mapped_column')}("
        # `Column` is nullable unless told; `Mapped[datetime]` is not.
        tail = {"created_at": "", "updated_at": f", onupdate={now}"}
        not_null = ", nullable=False" if column_style else ""
        return fix.insert_lines_after(anchor, *(f"{name}{head}{datetime_type}, server_default={now}{tail[name]}{not_null})"
                                                for name in missing))


class LegacyColumnStyle(Rule):
    """
    ## What it does
    Checks for columns of a mapped class written the SQLAlchemy 1.x way,
    `name = Column(...)` (or `name: Mapped[int] = Column(...)`), instead of
    `name: Mapped[...] = mapped_column(...)`. A `Column` in a `Table(...)`, in
    a mixin or abstract base, outside a class or in an Alembic revision is not
    checked.

    ## Why is this bad?
    `Mapped[...]` tells type checkers and readers what an attribute holds and
    whether it may be `None`; a bare `Column` is `Any` to them. Two styles in
    one codebase make every model harder to read.

    ## Fix safety
    The fix turns `Column(...)` into `mapped_column(...)` with the same
    arguments and annotates the attribute with the Python type of its SQL
    type (`Integer` → `int`, `String`/`Text` → `str`, `Boolean` → `bool`,
    `DateTime` → `datetime`, `Date` → `date`, `Float` → `float`, `Numeric` →
    `Decimal`, `UUID` → `uuid.UUID`, `JSON` → `dict`, ...), as `T | None` (or
    `Optional[T]` in a file that imports `Optional`) when the column is
    nullable, which a `Column` is unless `nullable=False` or
    `primary_key=True`. An existing annotation is kept (in `Mapped[...]`) if
    it agrees with the column's nullability. There is no fix without a known
    SQL type (a bare `ForeignKey`, another library's type) or with
    `*args`/`**kwargs`. It is unsafe: `T | None` needs Python 3.10 where
    SQLAlchemy evaluates it, `JSON` may hold a list, and SQLAlchemy 2.0 is needed.
    """

    code = "CL105"
    name = "legacy-column-style"
    fix_safety = FixSafety.UNSAFE
    VALID = (
        Valid("""
            from sqlalchemy import String
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                email: Mapped[str] = mapped_column(String(255), nullable=False)
        """),
        Valid("""
            from sqlalchemy import Column, ForeignKey, Table, Uuid

            user_roles = Table("user_roles", Base.metadata, Column("user_id", Uuid, ForeignKey("users.id")))
        """),
        # A mixin is not a table, and a report `Column` is not sqlalchemy's.
        Valid("""
            from sqlalchemy import Column, Integer

            from app.reports import Column as ReportColumn, Report


            class VersionMixin:
                version = Column(Integer, nullable=False, default=1)


            class UserReport(Report):
                email = ReportColumn("Email")
        """),
    )
    INVALID = (
        Invalid("""
            from sqlalchemy import Column, String


            class User(Base):
                __tablename__ = "users"

                email = Column(String(255), nullable=False)
        """, line=7, column=5, fixed="""
            from sqlalchemy import Column, String
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                email: Mapped[str] = mapped_column(String(255), nullable=False)
        """),
        Invalid("""
            import sqlalchemy as sa


            class Post(Base):
                __tablename__ = "posts"

                published_at = sa.Column(sa.DateTime(timezone=True))
        """, line=7, column=5, fixed="""
            import sqlalchemy as sa
            from datetime import datetime
            from sqlalchemy.orm import Mapped, mapped_column


            class Post(Base):
                __tablename__ = "posts"

                published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
        """),
        Invalid("""
            from typing import Optional

            from sqlalchemy import Column, Numeric
            from sqlalchemy.orm import Mapped, mapped_column


            class Order(Base):
                __tablename__ = "orders"

                id: Mapped[int] = mapped_column(primary_key=True)
                discount = Column(Numeric(10, 2), nullable=True)
        """, line=11, column=5, fixed="""
            from typing import Optional

            from sqlalchemy import Column, Numeric
            from sqlalchemy.orm import Mapped, mapped_column
            from decimal import Decimal


            class Order(Base):
                __tablename__ = "orders"

                id: Mapped[int] = mapped_column(primary_key=True)
                discount: Mapped[Optional[Decimal]] = mapped_column(Numeric(10, 2), nullable=True)
        """),
    )

    def visit_Assign(self, node: cst.Assign) -> None:
        self._check(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._check(node)

    def _check(self, statement: cst.Assign | cst.AnnAssign) -> None:
        call, name = statement.value, target_name(statement)
        if name is None or not isinstance(call, cst.Call) or not is_sqlalchemy(self.context, call.func, {"Column"}):
            return
        owner = _class_of_statement(self.context)
        if owner is None or "migrations" in self.context.roles or not self.context.index.is_mapped(owner):
            return
        annotation = statement.annotation.annotation if isinstance(statement, cst.AnnAssign) else None
        if annotation is not None and mapped_type(annotation) is not None:
            fix = self._to_mapped_column(self.fix("Replace `Column` with `mapped_column`"), call) \
                if _agrees(annotation, call) else None
            self.report(_target(statement), "Use `mapped_column(...)` instead of `Column(...)`", fix=fix)
            return
        shown, fix = self._annotated_fix(statement, name, annotation)
        self.report(_target(statement), f"Use `{name}: Mapped[{shown}] = mapped_column(...)` instead of `Column(...)`",
                    fix=fix)

    def _annotated_fix(self, statement: cst.Assign | cst.AnnAssign, name: str,
                       annotation: cst.BaseExpression | None) -> tuple[str, FixBuilder | None]:
        """What `Mapped[...]` holds (as the message shows it), and the fix that writes it."""
        call = statement.value
        if annotation is not None:
            # `name: int = Column(...)` keeps its type, in `Mapped[...]`.
            shown = self.context.module.code_for_node(annotation)
            if not _agrees(annotation, call):
                return shown, None
            fix = self.fix(f"Convert `{name}` to `Mapped[{shown}]` with `mapped_column(...)`")
            fix.insert_before(annotation, f"{fix.import_name('sqlalchemy.orm', 'Mapped')}[").insert_after(annotation, "]")
            return shown, self._to_mapped_column(fix, call)
        nullable, sql_type = column_nullable(call), column_definition(self.context, statement).sql_type
        qualified = python_type(self.context, sql_type) if sql_type is not None and nullable is not None else None
        if qualified is None:
            return "...", None
        optional = next((local for local, target in self.context.imports.bindings.items()
                         if target in ("typing.Optional", "typing_extensions.Optional")), None)

        def maybe_none(spelled: str) -> str:
            return spelled if not nullable else f"{optional}[{spelled}]" if optional else f"{spelled} | None"

        shown = maybe_none(qualified if qualified == "uuid.UUID" else qualified.rsplit(".", 1)[-1])
        fix = self.fix(f"Convert `{name}` to `Mapped[{shown}]` with `mapped_column(...)`")
        mapped, spelled = fix.import_name("sqlalchemy.orm", "Mapped"), _spelled(self.context, fix, qualified)
        fix.insert_after(_target(statement), f": {mapped}[{maybe_none(spelled)}]")
        return shown, self._to_mapped_column(fix, call)

    @staticmethod
    def _to_mapped_column(fix: FixBuilder, call: cst.Call) -> FixBuilder:
        return fix.replace(call.func, fix.import_name("sqlalchemy.orm", "mapped_column"))


def _agrees(annotation: cst.BaseExpression, call: cst.Call) -> bool:
    """Whether `mapped_column(...)` keeps a `Column`'s nullability under this annotation: without
    `nullable=` it reads `Optional` from the annotation, where `Column` is nullable."""
    nullable, inner = column_nullable(call), mapped_type(annotation) or annotation
    return nullable is not None and (keyword(call, "nullable") is not None
                                     or (unwrap_optional(inner) is not inner) == nullable)


def _spelled(context: FileContext, fix: FixBuilder, qualified: str) -> str:
    """A Python type as written here, imported: `uuid.UUID` stays qualified, as `UUID` is usually the SQL type."""
    module, _, name = qualified.rpartition(".")
    if not module:
        return name
    # `import datetime` binds the module under the class's name, which `import_name` takes for the class.
    if qualified == "uuid.UUID" or context.imports.bindings.get(name) == module:
        return f"{fix.import_name(module)}.{name}"
    return fix.import_name(module, name)
