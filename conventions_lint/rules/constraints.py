"""CL4: column and field constraints."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.fixes.calls import with_argument
from conventions_lint.names import dotted_name
from conventions_lint.recognize.sqlalchemy import (
    ColumnDefinition,
    column_definition,
    column_of_call,
    declares_columns,
    implicit_str_type,
    maps_str_type,
    project_string_type,
    str_has_length_by_base,
    type_position,
    type_reference,
    unbounded_string_type,
    variant_base,
)
from conventions_lint.recognize.syntax import class_body_statements, keyword, positional
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder


class UnboundedStringColumn(Rule):
    """
    ## What it does
    Checks for `String`, `String()`, `Unicode` and `VARCHAR`/`NVARCHAR` column
    types without a length in `Column(...)`/`mapped_column(...)`, and for
    `Mapped[str]` columns that give no SQL type at all (SQLAlchemy maps them
    to an unbounded `String()`) unless they are foreign keys, which take the
    type of the column they reference. `Text` and `UnicodeText` say that the
    column is meant to be unbounded and are not flagged; neither are
    `Mapped[str]` columns when a declarative base in the same file maps `str`
    through `type_annotation_map`. Alembic revisions are generated from the
    models and are not checked.

    The suggested length is the `string-length` setting (default 255).

    ## Why is this bad?
    Without a length, the database accepts strings of any size (PostgreSQL),
    or the DDL fails outright (MySQL needs a `VARCHAR` length). A length
    documents the field's real limit and keeps oversized input out.

    ## Fix safety
    The fix gives the type the `string-length` setting as its length, spelled
    as written: `String` and `String()` become `String(255)`, `sa.String`
    becomes `sa.String(255)`, `String(collation="C")` becomes
    `String(255, collation="C")`, `String(length=None)` becomes
    `String(length=255)`; `Unicode`, `VARCHAR` and `NVARCHAR` alike. A
    `Mapped[str]` column gets the type as the first argument of
    `mapped_column(...)` (after a column name), and a bare annotation gets
    `= mapped_column(String(255))`, importing what is missing. It is unsafe:
    it changes the table's DDL, and existing longer values would no longer
    fit.

    There is no fix for a column typed by a string type the project
    defines (a `TypeDecorator` without a length in its `impl`): the length
    belongs in the type, shared by every column of it. A name the fix
    imports never collides with one in scope: when a variable, attribute
    or parameter where it is used already has that name, it is not
    imported and there is no fix.
    """

    code = "CL401"
    name = "unbounded-string-column"
    OPTIONS = ("model-bases",)
    REQUIRES = (b"String", b"Unicode", b"VARCHAR", b"Mapped[")
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
    VALID = (
        Valid("""
            from sqlalchemy import String
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                name: Mapped[str] = mapped_column(String(255), nullable=False)
        """),
        Valid("""
            from typing import Optional

            from sqlalchemy import ForeignKey, Text, UnicodeText
            from sqlalchemy.orm import Mapped, mapped_column


            class Post(Base):
                __tablename__ = "posts"

                body: Mapped[str] = mapped_column(Text)
                summary: Mapped[Optional[str]] = mapped_column(UnicodeText, nullable=True)
                author_email: Mapped[str] = mapped_column(ForeignKey("users.email"))
        """),
        # graphene's `String` is a GraphQL type, not a column type.
        Valid("""
            import graphene
            from graphene import String


            class UserType(graphene.ObjectType):
                name = String()
                email = graphene.String(required=True)
        """),
        Valid("""
            import sqlalchemy as sa
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                type_annotation_map = {str: sa.String(100)}


            class Tag(Base):
                __tablename__ = "tags"

                label: Mapped[str] = mapped_column(sa.String(length=50), unique=True)
                slug: Mapped[str]
        """),
    )
    INVALID = (
        Invalid(
            """
            from sqlalchemy import String
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                name: Mapped[str] = mapped_column(String, nullable=False)
        """,
            line=8,
            column=39,
            fixed="""
            from sqlalchemy import String
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                name: Mapped[str] = mapped_column(String(255), nullable=False)
        """,
        ),
        Invalid(
            """
            import sqlalchemy as sa


            class User(Base):
                __tablename__ = "users"

                email = sa.Column(sa.String(), unique=True)
        """,
            line=7,
            column=23,
            fixed="""
            import sqlalchemy as sa


            class User(Base):
                __tablename__ = "users"

                email = sa.Column(sa.String(255), unique=True)
        """,
        ),
        Invalid(
            """
            from typing import Optional

            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                nickname: Mapped[Optional[str]] = mapped_column(nullable=True)
        """,
            line=9,
            column=31,
            fixed="""
            from typing import Optional

            from sqlalchemy import String
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                nickname: Mapped[Optional[str]] = mapped_column(String(255), nullable=True)
        """,
        ),
        Invalid(
            """
            from sqlalchemy.orm import DeclarativeBase, Mapped


            class Base(DeclarativeBase):
                pass


            class User(Base):
                __tablename__ = "users"

                name: Mapped[str]
        """,
            line=11,
            column=18,
            fixed="""
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class User(Base):
                __tablename__ = "users"

                name: Mapped[str] = mapped_column(String(255))
        """,
        ),
        Invalid(
            """
            from sqlalchemy import Column, MetaData, Table
            from sqlalchemy.dialects.postgresql import VARCHAR

            tags = Table("tags", MetaData(), Column("label", VARCHAR))
        """,
            line=4,
            column=50,
            settings=(("string-length", 64),),
            fixed="""
            from sqlalchemy import Column, MetaData, Table
            from sqlalchemy.dialects.postgresql import VARCHAR

            tags = Table("tags", MetaData(), Column("label", VARCHAR(64)))
        """,
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if "migrations" in self.context.roles:
            return
        definition = column_of_call(self.context, node, self.context.parent)
        if definition is None:
            return
        type_name = unbounded_string_type(self.context, definition)
        project_type = project_string_type(self.context, definition) if type_name is None else None
        if project_type is not None:
            # The length belongs in the type's `impl`, shared by every column of the type: no fix here.
            self.report(definition.sql_type, f"`{project_type}` is a string type without a length: give its `impl` one")
        elif type_name is not None and definition.sql_type is not None:
            written = dotted_name(type_reference(definition.sql_type)) or type_name
            length = self.settings.string_length
            self.report(
                definition.sql_type,
                f"Give `{written}` a length: `{written}({length})`",
                fix=self._length_fix(definition.sql_type, written),
            )
        else:
            self._check_implicit(definition, self.context.enclosing_class)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        # Bare `name: Mapped[str]` annotations; assigned columns are seen as calls.
        if "migrations" in self.context.roles or not declares_columns(self.context, node):
            return
        for statement in class_body_statements(node):
            if isinstance(statement, cst.AnnAssign) and statement.value is None:
                definition = column_definition(self.context, statement)
                if definition is not None:
                    self._check_implicit(definition, node)

    def _check_implicit(self, definition: ColumnDefinition, owner: cst.ClassDef | None) -> None:
        implicit = implicit_str_type(self.context, definition)
        if implicit is not None and not self._str_is_mapped and not str_has_length_by_base(self.context, owner):
            message = "`Mapped[str]` alone is an unbounded `String`: use `mapped_column(String({}))`"
            self.report(implicit, message.format(self.settings.string_length), fix=self._type_fix(definition))

    def _length_fix(self, sql_type: cst.BaseExpression, written: str) -> FixBuilder:
        """`String` and `String()` become `String(255)`; `String(length=None)` gets the length."""
        length = str(self.settings.string_length)
        base = variant_base(sql_type)
        fix = self.fix(f"Give `{written}` a length of {length}")
        if isinstance(base, cst.Call):
            given = keyword(base, "length") or next(iter(positional(base)), None)
            if given is not None:
                return fix.replace(given.value, length)
            return fix.replace(base, with_argument(base, 0, length))
        # `String` as written (`sa.String`, an alias), called with the length.
        return fix.replace(base, cst.Call(base, [cst.Arg(cst.Integer(length))]))

    def _type_fix(self, definition: ColumnDefinition) -> FixBuilder:
        """`String(255)` first in `mapped_column(...)`, or `= mapped_column(String(255))` after a bare annotation."""
        length = self.settings.string_length
        call = definition.call
        if call is not None:
            fix = self.fix(f"Add `String({length})` to `mapped_column(...)`")
            typed = with_argument(call, type_position(call), f"{fix.import_name('sqlalchemy', 'String')}({length})")
            return fix.replace(call, typed)
        fix = self.fix(f"Add `= mapped_column(String({length}))`")
        mapped_column = fix.import_name("sqlalchemy.orm", "mapped_column")
        string = fix.import_name("sqlalchemy", "String")
        return fix.insert_after(definition.statement.annotation.annotation, f" = {mapped_column}({string}({length}))")

    @cached_property
    def _str_is_mapped(self) -> bool:
        return maps_str_type(self.context)
