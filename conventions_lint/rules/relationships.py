"""CL1: relationships declare both sides with `back_populates`, never `backref` (relationship_targets.py: targets)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.diagnostic import Applicability
from conventions_lint.fixes.backrefs import (
    ReverseSide,
    TableSide,
    complete_backref_fix,
    fix_message,
)
from conventions_lint.recognize.class_body import attribute_names, last_attribute
from conventions_lint.recognize.sqlalchemy import (
    foreign_key_tables,
    is_sqlalchemy,
    mapped_type,
    relationship_call,
    table_name,
)
from conventions_lint.recognize.syntax import (
    class_body_statements,
    is_builtin,
    is_false,
    is_list_annotation,
    is_true,
    keyword,
    positional,
    string_value,
    target_name,
)
from conventions_lint.rule import (
    FixSafety,
    Invalid,
    Rule,
    Valid,
)

if TYPE_CHECKING:
    from conventions_lint.diagnostic import Diagnostic, Fix
    from conventions_lint.fixes.builder import FixBuilder
    from conventions_lint.rule import Project

_JOIN_ARGUMENTS = ("primaryjoin", "secondaryjoin", "foreign_keys")

# The other file of the cross-file example, before and after the fix.
_USER = """\
from sqlalchemy.orm import Mapped, mapped_column{imported}

from app.db.base_class import Base


class User(Base):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(unique=True)
{added}
    def __repr__(self) -> str:
        return self.email
"""
_USER_POSTS = '    posts: Mapped[list["Post"]] = relationship("Post", back_populates="author", lazy="selectin")\n'


class RelationshipBackref(Rule):
    """
    ## What it does
    Checks for `relationship(..., backref=...)`, with a string or a
    `backref(...)` call.

    ## Why is this bad?
    `backref` creates an attribute on the other class that is not written in
    that class: readers, type checkers and IDEs cannot see it, and it has no
    `Mapped[...]` annotation. `back_populates` declares the relationship on
    both sides, so each model says everything it has.

    ## Fix safety
    The fix replaces `backref="posts"` (or `backref=backref("posts", ...)`)
    with `back_populates="posts"` and adds the reverse side after the last
    attribute of the target class:
    `posts: Mapped[list["Post"]] = relationship("Post", back_populates="author")`,
    with the keyword arguments of `backref(...)` carried over, and the
    `secondary=` table of a many-to-many; `Mapped` and `relationship` are
    imported where the target's file lacks them. SQLAlchemy maps the same
    pair of relationships.

    It is safe when the target class is in the same file. When it is in
    another file of the project (linted or not, under the same configuration
    root), the fix edits that file too and is unsafe: the one mapped class of
    that name found there is taken for the class SQLAlchemy resolves the name
    to.

    The reverse side holds a list or a single object. `backref(uselist=...)`
    decides when it is given, and a many-to-many is a list. Otherwise the
    foreign keys decide: a `ForeignKey` of this class to the target's table
    makes this side many-to-one and the reverse a list; one of the target to
    this class's table makes the reverse a single object. When no key links
    the two tables, a `Mapped[list[...]]` annotation on this side makes the
    reverse a single object; else the class that has foreign keys at all is
    taken for the many side; when neither or both have some, a plural name
    (`posts`) is a list and a singular one (`author`) is not.

    There is no fix when the project has no mapped class of the target's name
    or several, when the relationship spells out its join (`primaryjoin`,
    `secondaryjoin`, `foreign_keys`), which the reverse side would have to
    mirror, for a self-referential relationship without `remote_side`, or
    when the target class already has an attribute of that name.
    """

    code = "CL101"
    name = "relationship-backref"
    REQUIRES = (b"backref",)
    fix_safety = FixSafety.SOMETIMES
    VALID = (
        Valid("""
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class User(Base):
                __tablename__ = "users"

                posts: Mapped[list["Post"]] = relationship("Post", back_populates="author")


            class Post(Base):
                __tablename__ = "posts"

                author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
                author: Mapped["User"] = relationship("User", back_populates="posts")
        """),
        # `backref` of another library's `relationship` is not SQLAlchemy's.
        Valid("""
            from graphene_sqlalchemy import relationship

            author = relationship("User", backref="posts")
        """),
        # `backref=None` creates no reverse attribute.
        Valid("""
            from sqlalchemy.orm import Mapped, relationship


            class Post(Base):
                __tablename__ = "posts"

                author: Mapped["User"] = relationship("User", backref=None)
        """),
    )
    INVALID = (
        Invalid(
            """
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class User(Base):
                __tablename__ = "users"


            class Post(Base):
                __tablename__ = "posts"

                author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
                author: Mapped["User"] = relationship("User", backref="posts")
        """,
            line=17,
            column=51,
            fixed="""
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


            class Base(DeclarativeBase):
                pass


            class User(Base):
                __tablename__ = "users"
                posts: Mapped[list["Post"]] = relationship("Post", back_populates="author")


            class Post(Base):
                __tablename__ = "posts"

                author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
                author: Mapped["User"] = relationship("User", back_populates="posts")
        """,
        ),
        # The target holds the foreign key: the reverse side is a single object.
        Invalid(
            """
            from sqlalchemy import Column, ForeignKey
            from sqlalchemy.orm import backref, relationship


            class User(Base):
                __tablename__ = "users"

                profile = relationship("Profile", uselist=False, backref=backref("user", lazy="joined"))


            class Profile(Base):
                __tablename__ = "profiles"

                user_id = Column(ForeignKey("users.id"))
        """,
            line=8,
            column=54,
            fixed="""
            from sqlalchemy import Column, ForeignKey
            from sqlalchemy.orm import Mapped, relationship


            class User(Base):
                __tablename__ = "users"

                profile = relationship("Profile", uselist=False, back_populates="user")


            class Profile(Base):
                __tablename__ = "profiles"

                user_id = Column(ForeignKey("users.id"))
                user: Mapped["User"] = relationship("User", back_populates="profile", lazy="joined")
        """,
        ),
        # The target class is in another file of the project: the fix edits it too, so it is unsafe.
        Invalid(
            """
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

            from app.db.base_class import Base


            class Post(Base):
                __tablename__ = "posts"

                author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
                author: Mapped["User"] = relationship("User", backref=backref("posts", lazy="selectin"))
        """,
            line=11,
            column=51,
            path="app/models/post.py",
            fixed="""
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

            from app.db.base_class import Base


            class Post(Base):
                __tablename__ = "posts"

                author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
                author: Mapped["User"] = relationship("User", back_populates="posts")
        """,
            others=(("app/models/user.py", _USER.format(imported="", added="")),),
            fixed_others=(("app/models/user.py", _USER.format(imported=", relationship", added=_USER_POSTS)),),
        ),
        # The target class is nowhere in the project: no fix.
        Invalid(
            """
            from sqlalchemy.orm import Mapped, backref, relationship


            class Post(Base):
                __tablename__ = "posts"

                author: Mapped["User"] = relationship(
                    "User",
                    backref=backref("posts", lazy="selectin"),
                )
        """,
            line=9,
            column=9,
        ),
        Invalid(
            """
            import sqlalchemy as sa


            class Post(Base):
                __tablename__ = "posts"

                author = sa.orm.relationship("User", backref="posts")
        """,
            line=7,
            column=42,
        ),
        Invalid(
            """
            from sqlalchemy.orm import relationship as rel


            class Post(Base):
                __tablename__ = "posts"

                author = rel("User", backref="posts")
        """,
            line=7,
            column=26,
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if relationship_call(self.context, node) is None:
            return
        arg = keyword(node, "backref")
        if arg is None or is_builtin(arg.value, "None"):
            return
        name, options = self._back_reference(arg.value)
        message, target = self._message(name, options), _target_name(node)
        target_class = self.context.index.classes.get(target or "")
        reverse = (
            self._reverse_side(node, name, options, target_class)
            if name is not None and name.isidentifier() and target is not None
            else None
        )
        if reverse is None or (target_class is not None and not self.context.index.is_mapped(target_class)):
            self.report(arg, message)
        elif target_class is not None:
            self.report(arg, message, fix=self._same_file_fix(arg, options, reverse, target_class))
        else:
            # The target is in another file, or nowhere: the project phase looks for it in the project's facts.
            fix = _back_populates(self.fix(fix_message(target, name), Applicability.UNSAFE), arg, options)
            self.report(arg, message, fix=fix, deferred=reverse.request(target))

    def _back_reference(self, value: cst.BaseExpression) -> tuple[str | None, cst.Call | None]:
        """The reverse attribute's name, and the `backref(...)` call that gives its options."""
        if isinstance(value, cst.Call) and is_sqlalchemy(self.context, value.func, {"backref"}):
            name = _backref_name(value)
            return (string_value(name.value) if name is not None else None), value
        return string_value(value), None

    @staticmethod
    def _message(name: str | None, options: cst.Call | None) -> str:
        if name is None:
            return "Use `back_populates=` on both sides instead of `backref=`"
        written = f'backref("{name}", ...)' if options is not None else f'backref="{name}"'
        return f'Use `back_populates="{name}"` on both sides instead of `{written}`'

    def _same_file_fix(
        self, arg: cst.Arg, options: cst.Call | None, reverse: ReverseSide, target: cst.ClassDef
    ) -> FixBuilder | None:
        """Safe: both sides are in this file. The reverse side goes after the target's attributes."""
        anchor = last_attribute(target)
        if anchor is None or reverse.name in attribute_names(target):
            return None
        fix = self.fix(fix_message(target.name.value, reverse.name), Applicability.SAFE)
        line = reverse.line(
            self._table_side(target),
            fix.import_name("sqlalchemy.orm", "Mapped"),
            fix.import_name("sqlalchemy.orm", "relationship"),
        )
        return _back_populates(fix.insert_lines_after(anchor, line), arg, options)

    def _reverse_side(
        self, call: cst.Call, name: str, options: cst.Call | None, target: cst.ClassDef | None
    ) -> ReverseSide | None:
        """The attribute the fix adds to the target class; None when the fix cannot write it."""
        source, statement = self.context.enclosing_class, self.context.parent
        if source is None or not any(statement is s for s in class_body_statements(source)):
            return None
        attribute = target_name(statement)
        # A join the relationship spells out would have to be mirrored on the reverse side.
        shaping = _JOIN_ARGUMENTS if source is target else (*_JOIN_ARGUMENTS, "remote_side")
        if attribute is None or any(keyword(call, argument) for argument in shaping):
            return None
        uselist = keyword(options, "uselist") if options is not None else None
        if uselist is not None:
            if not (is_true(uselist.value) or is_false(uselist.value)):
                return None
            declared = is_true(uselist.value)
        elif keyword(call, "secondary") is not None:
            declared = True
        elif source is target:
            # An adjacency list: `remote_side` marks the many-to-one side; without it the reverse needs one.
            if keyword(call, "remote_side") is None:
                return None
            declared = True
        else:
            declared = None
        annotated = mapped_type(statement.annotation.annotation) if isinstance(statement, cst.AnnAssign) else None
        arguments = (f'"{source.name.value}"', f'back_populates="{attribute}"', *self._carried(call, options))
        return ReverseSide(
            name,
            source.name.value,
            arguments,
            declared,
            self._table_side(source),
            annotated is not None and is_list_annotation(annotated),
        )

    def _table_side(self, node: cst.ClassDef) -> TableSide:
        return TableSide(table_name(node), tuple(foreign_key_tables(self.context, node)))

    def _carried(self, call: cst.Call, options: cst.Call | None) -> list[str]:
        """The `backref(...)` options, and the `secondary=` table both sides of a many-to-many name."""
        carried = [arg for arg in (options.args if options is not None else ()) if arg is not _backref_name(options)]
        secondary = keyword(call, "secondary")
        if secondary is not None and not any(arg.keyword and arg.keyword.value == "secondary" for arg in carried):
            carried.append(secondary)
        code = self.context.module.code_for_node
        return [
            code(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=cst.SimpleWhitespace("")))
            for arg in carried
        ]

    @classmethod
    def complete_fix(cls, diagnostic: Diagnostic, files: Project) -> Fix | None:
        return complete_backref_fix(diagnostic, files)


def _back_populates(fix: FixBuilder, arg: cst.Arg, options: cst.Call | None) -> FixBuilder:
    """`backref="posts"` and `backref=backref("posts", ...)` become `back_populates="posts"`, in the name's quotes."""
    fix.replace(arg.keyword, "back_populates")
    if options is not None:
        fix.replace(arg.value, _backref_name(options).value)
    return fix


def _target_name(call: cst.Call) -> str | None:
    """The class a relationship points at: `"User"` or `User`."""
    target = keyword(call, "argument") or next(iter(positional(call)), None)
    if target is None:
        return None
    return target.value.value if isinstance(target.value, cst.Name) else string_value(target.value)


def _backref_name(options: cst.Call | None) -> cst.Arg | None:
    """The name argument of `backref("posts", ...)`."""
    if options is None:
        return None
    return keyword(options, "name") or next(iter(positional(options)), None)
