"""CL1: relationships declare both sides with `back_populates`, never `backref` (relationship_targets.py: targets)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.inflect import is_plural
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
    from conventions_lint.fixes.builder import FixBuilder

_JOIN_ARGUMENTS = ("primaryjoin", "secondaryjoin", "foreign_keys")


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
    `secondary=` table of a many-to-many. It is safe: SQLAlchemy maps the
    same pair of relationships.

    The reverse side holds a list or a single object. `backref(uselist=...)`
    decides when it is given, and a many-to-many is a list. Otherwise the
    foreign keys decide: a `ForeignKey` of this class to the target's table
    makes this side many-to-one and the reverse a list; one of the target to
    this class's table makes the reverse a single object. When no key links
    the two tables, a `Mapped[list[...]]` annotation on this side makes the
    reverse a single object; else the class that has foreign keys at all is
    taken for the many side; when neither or both have some, a plural name
    (`posts`) is a list and a singular one (`author`) is not.

    There is no fix yet when the target class is in another file, and none
    when the relationship spells out its join (`primaryjoin`,
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
        Invalid("""
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
        """, line=17, column=51, fixed="""
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
        # The target holds the foreign key: the reverse side is a single object.
        Invalid("""
            from sqlalchemy import Column, ForeignKey
            from sqlalchemy.orm import backref, relationship


            class User(Base):
                __tablename__ = "users"

                profile = relationship("Profile", uselist=False, backref=backref("user", lazy="joined"))


            class Profile(Base):
                __tablename__ = "profiles"

                user_id = Column(ForeignKey("users.id"))
        """, line=8, column=54, fixed="""
            from sqlalchemy import Column, ForeignKey
            from sqlalchemy.orm import backref, relationship, Mapped


            class User(Base):
                __tablename__ = "users"

                profile = relationship("Profile", uselist=False, back_populates="user")


            class Profile(Base):
                __tablename__ = "profiles"

                user_id = Column(ForeignKey("users.id"))
                user: Mapped["User"] = relationship("User", back_populates="profile", lazy="joined")
        """),
        # The target class is in another file: no fix yet.
        Invalid("""
            from sqlalchemy.orm import Mapped, backref, relationship


            class Post(Base):
                __tablename__ = "posts"

                author: Mapped["User"] = relationship(
                    "User",
                    backref=backref("posts", lazy="selectin"),
                )
        """, line=9, column=9),
        Invalid("""
            import sqlalchemy as sa


            class Post(Base):
                __tablename__ = "posts"

                author = sa.orm.relationship("User", backref="posts")
        """, line=7, column=42),
        Invalid("""
            from sqlalchemy.orm import relationship as rel


            class Post(Base):
                __tablename__ = "posts"

                author = rel("User", backref="posts")
        """, line=7, column=26),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if relationship_call(self.context, node) is None:
            return
        arg = keyword(node, "backref")
        if arg is None or is_builtin(arg.value, "None"):
            return
        name, options = self._back_reference(arg.value)
        fix = self._fix(node, arg, name, options) if name is not None and name.isidentifier() else None
        self.report(arg, self._message(name, options), fix=fix)

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

    def _fix(self, call: cst.Call, arg: cst.Arg, name: str, options: cst.Call | None) -> FixBuilder | None:
        """Only when both classes are in this file; the reverse side is added after the target's attributes."""
        source, statement = self.context.enclosing_class, self.context.parent
        if source is None or not any(statement is s for s in class_body_statements(source)):
            return None
        attribute, target = target_name(statement), self._target_class(call)
        if attribute is None or target is None or name in _attribute_names(target):
            return None
        # A join the relationship spells out would have to be mirrored on the reverse side.
        shaping = _JOIN_ARGUMENTS if source is target else (*_JOIN_ARGUMENTS, "remote_side")
        if any(keyword(call, argument) for argument in shaping):
            return None
        anchor = _last_attribute(target)
        many = self._reverse_is_list(call, statement, source, target, options, name)
        if anchor is None or many is None:
            return None
        fix = self.fix(f"Replace `backref` with `back_populates` and add `{target.name.value}.{name}`", FixSafety.SAFE)
        mapped = fix.import_name("sqlalchemy.orm", "Mapped")
        relationship = fix.import_name("sqlalchemy.orm", "relationship")
        source_name = source.name.value
        annotation = f'{mapped}[list["{source_name}"]]' if many else f'{mapped}["{source_name}"]'
        arguments = [f'"{source_name}"', f'back_populates="{attribute}"', *self._carried(call, options)]
        fix.insert_lines_after(anchor, f"{name}: {annotation} = {relationship}({', '.join(arguments)})")
        fix.replace(arg.keyword, "back_populates")
        if options is not None:
            fix.replace(arg.value, _backref_name(options).value)
        return fix

    def _target_class(self, call: cst.Call) -> cst.ClassDef | None:
        """The mapped class of this file a relationship points at: `"User"` or `User`."""
        target = keyword(call, "argument") or next(iter(positional(call)), None)
        if target is None:
            return None
        name = target.value.value if isinstance(target.value, cst.Name) else string_value(target.value)
        node = self.context.index.classes.get(name or "")
        return node if node is not None and self.context.index.is_mapped(node) else None

    def _reverse_is_list(self, call: cst.Call, statement: cst.CSTNode, source: cst.ClassDef, target: cst.ClassDef,
                         options: cst.Call | None, name: str) -> bool | None:
        """Whether the reverse side holds a list of sources; None when it cannot be told."""
        uselist = keyword(options, "uselist") if options is not None else None
        if uselist is not None:
            return None if not (is_true(uselist.value) or is_false(uselist.value)) else is_true(uselist.value)
        if keyword(call, "secondary") is not None:
            return True
        if source is target:
            # An adjacency list: `remote_side` marks the many-to-one side; without it the reverse needs one.
            return True if keyword(call, "remote_side") is not None else None
        source_keys = foreign_key_tables(self.context, source)
        target_keys = foreign_key_tables(self.context, target)
        if table_name(target) is not None and table_name(target) in source_keys:
            return True
        if table_name(source) is not None and table_name(source) in target_keys:
            return False
        annotated = mapped_type(statement.annotation.annotation) if isinstance(statement, cst.AnnAssign) else None
        if annotated is not None and is_list_annotation(annotated):
            return False
        # The keys point elsewhere (a mixin's table, a name not in this file): the side with keys is the many
        # side; when both or neither has keys, the name tells: `backref="posts"` is a list.
        if bool(source_keys) != bool(target_keys):
            return bool(source_keys)
        return is_plural(name)

    def _carried(self, call: cst.Call, options: cst.Call | None) -> list[str]:
        """The `backref(...)` options, and the `secondary=` table both sides of a many-to-many name."""
        carried = [arg for arg in (options.args if options is not None else ()) if arg is not _backref_name(options)]
        secondary = keyword(call, "secondary")
        if secondary is not None and not any(arg.keyword and arg.keyword.value == "secondary" for arg in carried):
            carried.append(secondary)
        code = self.context.module.code_for_node
        return [code(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=cst.SimpleWhitespace("")))
                for arg in carried]


def _backref_name(options: cst.Call | None) -> cst.Arg | None:
    """The name argument of `backref("posts", ...)`."""
    if options is None:
        return None
    return keyword(options, "name") or next(iter(positional(options)), None)


def _attribute_names(node: cst.ClassDef) -> set[str]:
    names = {target_name(statement) for statement in class_body_statements(node)}
    if isinstance(node.body, cst.IndentedBlock):
        names |= {item.name.value for item in node.body.body if isinstance(item, (cst.FunctionDef, cst.ClassDef))}
    return names


def _last_attribute(node: cst.ClassDef) -> cst.SimpleStatementLine | None:
    """Where a new attribute goes: after the class's last simple statement, before its methods."""
    if not isinstance(node.body, cst.IndentedBlock):
        return None
    lines = [item for item in node.body.body if isinstance(item, cst.SimpleStatementLine)]
    return lines[-1] if lines else None
