"""CL1, column style: SQLAlchemy 2.0 `Mapped[...] = mapped_column(...)` instead of `Column(...)`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.recognize.sqlalchemy import (
    column_definition,
    column_nullable,
    is_sqlalchemy,
    mapped_type,
    python_type,
)
from conventions_lint.recognize.syntax import assignment_target, keyword, target_name, unwrap_optional
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder


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

    There is no fix either when the attribute's own annotation disagrees
    with the column's nullability (`name: str = Column(String)`,
    nullable), which `mapped_column` would change. The `uuid` module is
    imported under a name nothing in scope hides: in a class with a column
    named `uuid` the fix writes `uuid_.UUID` after `import uuid as uuid_`
    (or the file's own `from uuid import UUID`), not `uuid.UUID`, which
    the column would hide at class creation (fixes.md F4). Another name
    the fix imports that a binding in scope would hide is not imported,
    and there is no fix.
    """

    code = "CL105"
    name = "legacy-column-style"
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
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
        Invalid(
            """
            from sqlalchemy import Column, String


            class User(Base):
                __tablename__ = "users"

                email = Column(String(255), nullable=False)
        """,
            line=7,
            column=5,
            fixed="""
            from sqlalchemy import String
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                email: Mapped[str] = mapped_column(String(255), nullable=False)
        """,
        ),
        Invalid(
            """
            import sqlalchemy as sa


            class Post(Base):
                __tablename__ = "posts"

                published_at = sa.Column(sa.DateTime(timezone=True))
        """,
            line=7,
            column=5,
            fixed="""
            from datetime import datetime

            import sqlalchemy as sa
            from sqlalchemy.orm import Mapped, mapped_column


            class Post(Base):
                __tablename__ = "posts"

                published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
        """,
        ),
        Invalid(
            """
            from typing import Optional

            from sqlalchemy import Column, Numeric
            from sqlalchemy.orm import Mapped, mapped_column


            class Order(Base):
                __tablename__ = "orders"

                id: Mapped[int] = mapped_column(primary_key=True)
                discount = Column(Numeric(10, 2), nullable=True)
        """,
            line=11,
            column=5,
            fixed="""
            from decimal import Decimal
            from typing import Optional

            from sqlalchemy import Numeric
            from sqlalchemy.orm import Mapped, mapped_column


            class Order(Base):
                __tablename__ = "orders"

                id: Mapped[int] = mapped_column(primary_key=True)
                discount: Mapped[Optional[Decimal]] = mapped_column(Numeric(10, 2), nullable=True)
        """,
        ),
    )

    def visit_Assign(self, node: cst.Assign) -> None:
        self._check(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._check(node)

    def _check(self, statement: cst.Assign | cst.AnnAssign) -> None:
        call, name = statement.value, target_name(statement)
        if name is None or not isinstance(call, cst.Call) or not is_sqlalchemy(self.context, call.func, {"Column"}):
            return
        owner = self.context.class_of_statement
        if owner is None or "migrations" in self.context.roles or not self.context.index.is_mapped(owner):
            return
        annotation = statement.annotation.annotation if isinstance(statement, cst.AnnAssign) else None
        if annotation is not None and mapped_type(annotation) is not None:
            fix = (
                self._to_mapped_column(self.fix("Replace `Column` with `mapped_column`"), call)
                if _agrees(annotation, call)
                else None
            )
            self.report(assignment_target(statement), "Use `mapped_column(...)` instead of `Column(...)`", fix=fix)
            return
        shown, fix = self._annotated_fix(statement, name, annotation)
        self.report(
            assignment_target(statement),
            f"Use `{name}: Mapped[{shown}] = mapped_column(...)` instead of `Column(...)`",
            fix=fix,
        )

    def _annotated_fix(
        self, statement: cst.Assign | cst.AnnAssign, name: str, annotation: cst.BaseExpression | None
    ) -> tuple[str, FixBuilder | None]:
        """What `Mapped[...]` holds (as the message shows it), and the fix that writes it."""
        call = statement.value
        if annotation is not None:
            # `name: int = Column(...)` keeps its type, in `Mapped[...]`.
            shown = self.context.module.code_for_node(annotation)
            if not _agrees(annotation, call):
                return shown, None
            fix = self.fix(f"Convert `{name}` to `Mapped[{shown}]` with `mapped_column(...)`")
            fix.insert_before(annotation, f"{fix.import_name('sqlalchemy.orm', 'Mapped')}[")
            fix.insert_after(annotation, "]")
            return shown, self._to_mapped_column(fix, call)
        nullable, sql_type = column_nullable(call), column_definition(self.context, statement).sql_type
        qualified = python_type(self.context, sql_type) if sql_type is not None and nullable is not None else None
        if qualified is None:
            return "...", None
        optional = next(
            (
                local
                for local, target in self.context.imports.bindings.items()
                if target in ("typing.Optional", "typing_extensions.Optional")
            ),
            None,
        )

        def maybe_none(spelled: str) -> str:
            return spelled if not nullable else f"{optional}[{spelled}]" if optional else f"{spelled} | None"

        shown = maybe_none(qualified if qualified == "uuid.UUID" else qualified.rsplit(".", 1)[-1])
        fix = self.fix(f"Convert `{name}` to `Mapped[{shown}]` with `mapped_column(...)`")
        mapped, spelled = fix.import_name("sqlalchemy.orm", "Mapped"), fix.python_type(qualified)
        fix.insert_after(assignment_target(statement), f": {mapped}[{maybe_none(spelled)}]")
        return shown, self._to_mapped_column(fix, call)

    @staticmethod
    def _to_mapped_column(fix: FixBuilder, call: cst.Call) -> FixBuilder:
        return fix.replace(call.func, fix.import_name("sqlalchemy.orm", "mapped_column"))


def _agrees(annotation: cst.BaseExpression, call: cst.Call) -> bool:
    """Whether `mapped_column(...)` keeps a `Column`'s nullability under this annotation: without
    `nullable=` it reads `Optional` from the annotation, where `Column` is nullable."""
    nullable, inner = column_nullable(call), mapped_type(annotation) or annotation
    return nullable is not None and (
        keyword(call, "nullable") is not None or (unwrap_optional(inner) is not inner) == nullable
    )
