"""CL1: relationships declare both sides with `back_populates`, never `backref` (relationship_targets.py: targets).

recognize/backrefs.py reads what a backref declares; fixes/back_populates.py makes this file's fix, and
fixes/backrefs.py writes the reverse side."""

from __future__ import annotations

import libcst as cst

from conventions_lint.fixes.back_populates import ReplacesBackrefs
from conventions_lint.recognize.backrefs import back_reference, relationship_target, reverse_side
from conventions_lint.recognize.mapped_classes import relationship_call
from conventions_lint.recognize.syntax import is_builtin, keyword
from conventions_lint.rule import FixAvailability, Invalid, Rule, Valid

# The other file of the cross-file example, before and after the fix.
_USER = """\
{typing}from sqlalchemy.orm import Mapped, mapped_column{imported}

from app.db.base_class import Base
{type_checking}

class User(Base):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(unique=True)
{added}
    def __repr__(self) -> str:
        return self.email
"""
_USER_POSTS = '    posts: Mapped[list["Post"]] = relationship("Post", back_populates="author", lazy="selectin")\n'


class RelationshipBackref(ReplacesBackrefs, Rule):
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
    with the keyword arguments of `backref(...)` carried over; `Mapped` and
    `relationship` are imported where the target's file lacks them, in their
    sorted place. SQLAlchemy maps the same pair of relationships.

    A many-to-many's `secondary=` is written on the reverse side as the
    association table's name (`secondary="post_tags"` for
    `post_tags = Table("post_tags", ...)`, `"auth.post_tags"` with
    `schema="auth"`), which SQLAlchemy looks up in the metadata when the
    mappers configure: the variable is not defined in another file, nor above
    its assignment. When the name cannot be read (`Table(NAME, ...)`), the
    variable is kept if the target class is in this file and the variable is
    imported or assigned above the class; otherwise there is no fix.

    The reverse side holds a list or a single object, as SQLAlchemy decides
    for the backref from the direction of the relationship. The fix proves
    it from `backref(uselist=...)`, from `secondary=` or `remote_side` (a
    list), or from a foreign key between the two tables: a `ForeignKey` of
    this class to the target's table makes the reverse a list, one of the
    target to this class's table a single object. Tables are known by the
    `__tablename__` a class writes, or that a `@declared_attr` of it or of
    a base in the project computes as `cls.__name__` or
    `cls.__name__.lower()`; a key by `ForeignKey("users.id")` or
    `ForeignKey(User.id)`, `User` in any module of the project.

    It is safe when the target class is in the same file and the keys prove
    what the reverse side holds. When they cannot, the fix assumes it, says
    so in its message, and is unsafe: a `Mapped[list[...]]` annotation on
    this side makes the reverse a single object; else the class that has
    foreign keys at all is taken for the many side; when neither or both
    have some, a plural name (`posts`) is a list and a singular one
    (`author`) is not. A wrong guess turns a collection into a scalar.

    When the target class is in another file of the project (linted or not,
    under the same configuration root), the fix edits that file too and is
    unsafe: the one mapped class of that name found there is taken for the
    class SQLAlchemy resolves the name to. The class the added annotation
    names is imported there under `if TYPE_CHECKING:`, as SQLAlchemy's
    documentation does (ruff's F821 otherwise; at run time SQLAlchemy
    resolves the string, and no import cycle is made): joined to the file's
    block, else in a new one after its imports, with
    `from typing import TYPE_CHECKING`.

    There is no fix when the project has no mapped class of the target's name
    or several, when the relationship spells out its join (`primaryjoin`,
    `secondaryjoin`, `foreign_keys`), which the reverse side would have to
    mirror, for a self-referential relationship without `remote_side`, when
    the target class already has an attribute of that name, when `secondary=`
    cannot be written where the target is (above), or when the module of
    this file cannot be named from the target file's imports.

    ## Known limits
    - A table name computed otherwise (a regular expression to snake case, a
      plural) is not known, nor a foreign key declared in a mixin, a
      `@declared_attr`, `__table_args__` or an inherited table: the reverse
      side's kind is then assumed, and the fix unsafe.
    - The added line is not wrapped: `ruff format` wraps it when it is longer
      than the line length.
    - An existing `if TYPE_CHECKING:` block is joined only when it is the
      first at the top level of the target's file.
    """

    code = "CL101"
    name = "relationship-backref"
    REQUIRES = (b"backref",)
    fix_availability = FixAvailability.SOMETIMES
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
            others=(("app/models/user.py", _USER.format(typing="", imported="", type_checking="", added="")),),
            fixed_others=(
                (
                    "app/models/user.py",
                    _USER.format(
                        typing="from typing import TYPE_CHECKING\n\n",
                        imported=", relationship",
                        type_checking="\nif TYPE_CHECKING:\n    from app.models.post import Post\n",
                        added=_USER_POSTS,
                    ),
                ),
            ),
        ),
        # The association table by its name: the variable is assigned below `Tag`, whose body would fail.
        Invalid(
            """
            from sqlalchemy import Column, ForeignKey, Table
            from sqlalchemy.orm import Mapped, relationship


            class Tag(Base):
                __tablename__ = "tags"


            post_tags = Table("post_tags", Base.metadata, Column("tag_id", ForeignKey("tags.id")))


            class Post(Base):
                __tablename__ = "posts"

                tags: Mapped[list["Tag"]] = relationship("Tag", secondary=post_tags, backref="posts")
        """,
            line=15,
            column=74,
            fixed="""
            from sqlalchemy import Column, ForeignKey, Table
            from sqlalchemy.orm import Mapped, relationship


            class Tag(Base):
                __tablename__ = "tags"
                posts: Mapped[list["Post"]] = relationship("Post", back_populates="tags", secondary="post_tags")


            post_tags = Table("post_tags", Base.metadata, Column("tag_id", ForeignKey("tags.id")))


            class Post(Base):
                __tablename__ = "posts"

                tags: Mapped[list["Tag"]] = relationship("Tag", secondary=post_tags, back_populates="posts")
        """,
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
        name, options = back_reference(self.context, arg.value)
        message, target = self._message(name, options), relationship_target(node)
        target_class = self.context.index.classes.get(target or "")
        reverse = (
            reverse_side(self.context, node, name, options, target_class)
            if name is not None and name.isidentifier() and target is not None
            else None
        )
        if reverse is None or (target_class is not None and not self.context.index.is_mapped(target_class)):
            self.report(arg, message)
            return
        fix, request = self._backref_fix(arg, options, reverse, target, target_class)
        self.report(arg, message, fix=fix, deferred=request)

    @staticmethod
    def _message(name: str | None, options: cst.Call | None) -> str:
        if name is None:
            return "Use `back_populates=` on both sides instead of `backref=`"
        written = f'backref("{name}", ...)' if options is not None else f'backref="{name}"'
        return f'Use `back_populates="{name}"` on both sides instead of `{written}`'
