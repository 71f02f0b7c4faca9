"""CL1, targets: what a relationship points to, as a string, and back (relationships.py: backref)."""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from conventions_lint.facts import RelationshipFact
from conventions_lint.names import last_name
from conventions_lint.recognize.mapped_classes import registry_name, relationship_call
from conventions_lint.recognize.syntax import (
    keyword,
    positional,
)
from conventions_lint.rule import (
    Applicability,
    FixAvailability,
    Invalid,
    Project,
    ProjectFinding,
    ProjectRule,
    Rule,
    Valid,
)


class RelationshipTargetNotString(Rule):
    """
    ## What it does
    Checks for `relationship()` calls whose target is a class object
    (`relationship(User)`) rather than the class name as a string.

    ## Why is this bad?
    Passing the class forces the module to import the target model, and two
    models that point at each other then import each other: a circular
    import. A string (`relationship("User")`) is resolved lazily by
    SQLAlchemy's registry, so model modules stay independent.

    ## Fix safety
    The fix quotes the class name: `relationship(User)` and
    `relationship(models.User)` become `relationship("User")`; a class
    imported under another name is named by its own
    (`from app.models.account import Account as Owner`: `"Account"`, which
    the registry knows it by). It is safe: SQLAlchemy resolves the name to
    the same mapped class. The import of the class stays; remove it once
    nothing else uses it.

    It is offered on every finding: a CapWords name that an assignment of
    the module binds (`Model = get_model()`) is a variable, not a class,
    and is not reported.

    Not flagged: a relationship set on a class after its declaration
    (`Customer.addresses = relationship(Address)`). SQLAlchemy documents it
    as the way to relate two classes once both are defined ("Adding
    Relationships to Mapped Classes After Declaration"): the target exists
    by then, which is all the string form is for, and the assignment sits
    where both modules may be imported without a cycle. Airflow's
    `if STATICA_HACK:` blocks are written so.

    ## Known limits
    When the project maps two classes of one name, the bare name is
    ambiguous to SQLAlchemy's registry (it asks for a module-qualified
    path), and the fix, which sees one file, is still offered.
    """

    code = "CL102"
    name = "relationship-target-not-string"
    REQUIRES = (b"relation",)
    fix_availability = FixAvailability.ALWAYS
    fix_applicability = Applicability.SAFE
    VALID = (
        Valid("""
            from sqlalchemy.orm import Mapped, relationship


            class Post(Base):
                __tablename__ = "posts"

                author: Mapped["User"] = relationship("User", back_populates="posts")
        """),
        # SQLAlchemy's "Adding Relationships to Mapped Classes After Declaration": both classes exist.
        Valid("""
            from sqlalchemy.orm import relationship

            from app.models.address import Address
            from app.models.customer import Customer

            Customer.addresses = relationship(Address, back_populates="customer")
        """),
        # A lambda is resolved lazily too.
        Valid("""
            from sqlalchemy.orm import Mapped, relationship


            class Post(Base):
                __tablename__ = "posts"

                author: Mapped["User"] = relationship(lambda: User, back_populates="posts")
        """),
        # Not SQLAlchemy's relationship.
        Valid("""
            from app.graph import relationship
            from app.models.user import User

            author = relationship(User)
        """),
        # `secondary=` names the association table, not the target.
        Valid("""
            from sqlalchemy.orm import Mapped, relationship

            from app.models.tables import post_tags


            class Post(Base):
                __tablename__ = "posts"

                tags: Mapped[list["Tag"]] = relationship("Tag", secondary=post_tags)
        """),
    )
    INVALID = (
        Invalid(
            """
            from sqlalchemy.orm import Mapped, relationship

            from app.models.user import User


            class Post(Base):
                __tablename__ = "posts"

                author: Mapped["User"] = relationship(User, back_populates="posts")
        """,
            line=9,
            column=43,
            fixed="""
            from sqlalchemy.orm import Mapped, relationship

            from app.models.user import User


            class Post(Base):
                __tablename__ = "posts"

                author: Mapped["User"] = relationship("User", back_populates="posts")
        """,
        ),
        Invalid(
            """
            import sqlalchemy as sa

            from app import models


            class Post(Base):
                __tablename__ = "posts"

                author = sa.orm.relationship(models.User)
        """,
            line=9,
            column=34,
            fixed="""
            import sqlalchemy as sa

            from app import models


            class Post(Base):
                __tablename__ = "posts"

                author = sa.orm.relationship("User")
        """,
        ),
        Invalid(
            """
            from sqlalchemy.orm import relationship as rel

            from app.models.user import User


            class Post(Base):
                __tablename__ = "posts"

                author = rel(argument=User, back_populates="posts")
        """,
            line=9,
            column=27,
            fixed="""
            from sqlalchemy.orm import relationship as rel

            from app.models.user import User


            class Post(Base):
                __tablename__ = "posts"

                author = rel(argument="User", back_populates="posts")
        """,
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if relationship_call(self.context, node) is None or self._set_after_declaration(node):
            return
        target = keyword(node, "argument") or next(iter(positional(node)), None)
        if target is None or not self._is_class(target.value):
            return
        name = registry_name(self.context, target.value)
        written = self.context.module.code_for_node(target.value)
        fix = self.fix(f'Replace `{written}` with `"{name}"`').replace(target.value, f'"{name}"')
        self.report(target.value, f'Pass the class name as a string: `relationship("{name}")`', fix=fix)

    def _set_after_declaration(self, node: cst.Call) -> bool:
        """`Customer.addresses = relationship(Address)`: assigned to an attribute of a class, not in its body."""
        parent = self.context.parent
        return (
            isinstance(parent, cst.Assign)
            and parent.value is node
            and all(isinstance(target.target, cst.Attribute) for target in parent.targets)
        )

    def _is_class(self, expr: cst.BaseExpression) -> bool:
        """A class, not a variable holding one (`relationship(cls.__access_model__)` is left alone):
        a CapWords name that no assignment in this module binds (`Model = get_model()`)."""
        name = last_name(expr)
        if name is None or not name[:1].isupper():
            return False
        return isinstance(expr, cst.Attribute) or self.context.index.assignment(name) is None


class BackPopulatesMismatch(ProjectRule):
    """
    ## What it does
    Checks that every `relationship(..., back_populates="x")` is answered by a
    relationship `x` on the target class that points back at this class with
    `back_populates` naming this attribute. The two sides may live in different
    files; the check runs over every linted file.

    ## Why is this bad?
    SQLAlchemy raises at mapper configuration (the first query, often in
    production code paths that tests missed) when the two sides of a
    `back_populates` pair do not name each other, and a one-sided pair leaves
    the in-memory objects out of sync until the next load. A second
    relationship naming a side that is already paired (a `viewonly=True`
    view of the same rows, say) cannot be paired by renaming: SQLAlchemy
    then turns off that pair's in-memory sync (`sync_backref=False`), and the
    finding asks to remove its `back_populates`.

    ## Known limits
    Each side's class is the one SQLAlchemy resolves: the class argument
    under whatever name the file imports it (`TaskInstance as TI`, a
    relative import, a re-export), else the class of its `Mapped[...]`,
    `WriteOnlyMapped[...]` or `DynamicMapped[...]` annotation (through
    `list[...]`, `set[...]`, `dict[str, ...]`, `Optional[...]`, `X | None`
    and quoted forms). When a side's class cannot be read (a call computes
    it) or a class name is mapped in several files, nothing is reported.
    """

    code = "CL103"
    name = "back-populates-mismatch"
    VALID = (
        Valid("""
            from sqlalchemy.orm import Mapped, relationship

            class User(Base):
                __tablename__ = "users"
                posts: Mapped[list["Post"]] = relationship("Post", back_populates="author")

            class Post(Base):
                __tablename__ = "posts"
                author: Mapped["User"] = relationship("User", back_populates="posts")
        """),
        # The target is not among the linted files: nothing to compare with.
        Valid("""
            from sqlalchemy.orm import relationship

            class User(Base):
                __tablename__ = "users"
                roles = relationship("Role", back_populates="users")
        """),
        # A one-way relationship without back_populates is not a pair.
        Valid("""
            from sqlalchemy.orm import relationship

            class User(Base):
                __tablename__ = "users"
                posts = relationship("Post")

            class Post(Base):
                __tablename__ = "posts"
        """),
    )
    INVALID = (
        Invalid(
            """
            from sqlalchemy.orm import Mapped, relationship

            class User(Base):
                __tablename__ = "users"
                posts: Mapped[list["Post"]] = relationship("Post", back_populates="author")

            class Post(Base):
                __tablename__ = "posts"
                writer: Mapped["User"] = relationship("User")
        """,
            line=5,
            column=56,
        ),
        Invalid(
            """
            from sqlalchemy.orm import relationship

            class User(Base):
                __tablename__ = "users"
                posts = relationship("Post")

            class Post(Base):
                __tablename__ = "posts"
                author = relationship("User", back_populates="posts")
        """,
            line=9,
            column=35,
        ),
        Invalid(
            """
            from sqlalchemy.orm import relationship

            class User(Base):
                __tablename__ = "users"
                posts = relationship("Post", back_populates="author")

            class Post(Base):
                __tablename__ = "posts"
                author = relationship("Admin", back_populates="posts")
        """,
            line=5,
            column=34,
        ),
    )

    @classmethod
    def check_project(cls, files: Project) -> Iterable[ProjectFinding]:
        defined_in: dict[str, list[str]] = {}
        for file in files:
            for name in file.facts.mapped_classes:
                defined_in.setdefault(name, []).append(file.path)
        sides = {
            (fact.owner, fact.attribute): (file.path, fact)
            for file in files
            for fact in file.facts.relationships
            if len(defined_in.get(fact.owner, ())) == 1
        }
        for path, fact in sides.values():
            # A class name defined in several files cannot be told apart: say nothing rather than guess.
            if fact.back_populates is None or len(defined_in.get(fact.target or "", ())) != 1:
                continue
            message = cls._mismatch(fact, sides, defined_in)
            if message is not None:
                yield ProjectFinding(path, message, fact.span, fact.statement_rows)

    @staticmethod
    def _mismatch(fact: RelationshipFact, sides: dict, defined_in: dict[str, list[str]]) -> str | None:
        this = f'`{fact.owner}.{fact.attribute}` has `back_populates="{fact.back_populates}"`'
        other_side = sides.get((fact.target, fact.back_populates))
        if other_side is None:
            return f"{this}, but `{fact.target}` ({defined_in[fact.target][0]}) has no relationship `{fact.back_populates}`"
        path, other = other_side
        where = f"{path}:{other.span.start.row}:{other.span.start.column}"
        if other.target is None:
            # Its class cannot be read (`relationship(target_of("flow"))`): say nothing rather than guess.
            return None
        if other.target != fact.owner:
            return f"{this}, but `{other.owner}.{other.attribute}` points to `{other.target}`, not `{fact.owner}` ({where})"
        if other.back_populates != fact.attribute:
            _, paired = sides.get((fact.owner, other.back_populates), (None, None))
            if paired is not None and paired.back_populates == other.attribute and paired.target == other.owner:
                # argilla's `Record.responses_submitted` (viewonly) beside `Record.responses`: no renaming can pair
                # both, and SQLAlchemy then turns off the pair's in-memory sync (`sync_backref=False`).
                return (
                    f"{this}, but `{other.owner}.{other.attribute}` pairs with `{fact.owner}.{paired.attribute}`; "
                    f"remove this `back_populates`: a second reverse side turns off their in-memory sync ({where})"
                )
            named = f'`back_populates="{other.back_populates}"`' if other.back_populates else "no `back_populates`"
            return (
                f"{this}, but `{other.owner}.{other.attribute}` has {named}; make both sides name each other ({where})"
            )
        return None
