"""CL4: column and field constraints."""

from __future__ import annotations

from functools import cached_property

import libcst as cst

from conventions_lint.names import dotted_name
from conventions_lint.recognize.sqlalchemy import (
    ColumnDefinition,
    column_definition,
    column_of_call,
    declares_columns,
    implicit_str_type,
    maps_str_type,
    type_reference,
    unbounded_string_type,
)
from conventions_lint.recognize.syntax import class_body_statements
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid


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
    The fix gives the type a length (`String(255)`, from the `string-length`
    setting), or inserts `String(255)` into `mapped_column(...)` for a bare
    `Mapped[str]`. It is unsafe: it changes the table's DDL, and existing
    longer values would no longer fit.
    """

    code = "CL401"
    name = "unbounded-string-column"
    fix_safety = FixSafety.UNSAFE
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
        Invalid("""
            from sqlalchemy import String
            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                name: Mapped[str] = mapped_column(String, nullable=False)
        """, line=8, column=39),
        Invalid("""
            import sqlalchemy as sa


            class User(Base):
                __tablename__ = "users"

                email = sa.Column(sa.String(), unique=True)
        """, line=7, column=23),
        Invalid("""
            from typing import Optional

            from sqlalchemy.orm import Mapped, mapped_column


            class User(Base):
                __tablename__ = "users"

                nickname: Mapped[Optional[str]] = mapped_column(nullable=True)
        """, line=9, column=31),
        Invalid("""
            from sqlalchemy.orm import DeclarativeBase, Mapped


            class Base(DeclarativeBase):
                pass


            class User(Base):
                __tablename__ = "users"

                name: Mapped[str]
        """, line=11, column=18),
        Invalid("""
            from sqlalchemy import Column, MetaData, Table
            from sqlalchemy.dialects.postgresql import VARCHAR

            tags = Table("tags", MetaData(), Column("label", VARCHAR))
        """, line=4, column=50, settings=(("string-length", 64),)),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if "migrations" in self.context.roles:
            return
        definition = column_of_call(self.context, node, self.context.parent)
        if definition is None:
            return
        type_name = unbounded_string_type(self.context, definition)
        if type_name is not None and definition.sql_type is not None:
            written = dotted_name(type_reference(definition.sql_type)) or type_name
            length = self.settings.string_length
            self.report(definition.sql_type, f"Give `{written}` a length: `{written}({length})`",
                        fix_at=definition.sql_type)
        else:
            self._check_implicit(definition, fix_at=definition.call)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        # Bare `name: Mapped[str]` annotations; assigned columns are seen as calls.
        if "migrations" in self.context.roles or not declares_columns(self.context, node):
            return
        for statement in class_body_statements(node):
            if isinstance(statement, cst.AnnAssign) and statement.value is None:
                definition = column_definition(self.context, statement)
                if definition is not None:
                    self._check_implicit(definition, fix_at=statement)

    def _check_implicit(self, definition: ColumnDefinition, *, fix_at: cst.CSTNode | None) -> None:
        implicit = implicit_str_type(self.context, definition)
        if implicit is not None and not self._str_is_mapped:
            message = "`Mapped[str]` alone is an unbounded `String`: use `mapped_column(String({}))`"
            self.report(implicit, message.format(self.settings.string_length), fix_at=fix_at)

    @cached_property
    def _str_is_mapped(self) -> bool:
        return maps_str_type(self.context)
