"""CL101 relationship-backref beyond its examples, and which calls count as `relationship()`."""

from __future__ import annotations

import textwrap

import pytest

from conventions_lint.diagnostic import Applicability
from tests.helpers import fix, found
from tests.snippets import lint_relationship_rules as _lint


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"posts"', 'Use `back_populates="posts"` on both sides instead of `backref="posts"`'),
        (
            'backref("posts", lazy="dynamic")',
            'Use `back_populates="posts"` on both sides instead of `backref("posts", ...)`',
        ),
        ("POSTS_BACKREF", "Use `back_populates=` on both sides instead of `backref=`"),
    ],
)
def test_backref_message_names_the_back_reference(value: str, message: str) -> None:
    source = f"""
    from sqlalchemy.orm import backref, relationship

    POSTS_BACKREF = "posts"


    class Post(Base):
        __tablename__ = "posts"

        author = relationship("User", backref={value})
    """
    diagnostics = _lint(source, "CL101")
    assert [d.message for d in diagnostics] == [message]


def test_backref_is_fixed_on_both_sides_keeping_comments_and_layout() -> None:
    source = """
    from sqlalchemy import ForeignKey
    from sqlalchemy.orm import Mapped, mapped_column, relationship


    class User(Base):
        __tablename__ = "users"

        name: Mapped[str] = mapped_column(String(80))  # shown in the UI

        def __repr__(self) -> str:
            return self.name


    class Post(Base):
        __tablename__ = "posts"

        author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
        author: Mapped["User"] = relationship(
            "User",  # the writer
            lazy="selectin",
            backref="posts",  # all of them
        )
    """
    expected = textwrap.dedent("""\
    from sqlalchemy import ForeignKey
    from sqlalchemy.orm import Mapped, mapped_column, relationship


    class User(Base):
        __tablename__ = "users"

        name: Mapped[str] = mapped_column(String(80))  # shown in the UI
        posts: Mapped[list["Post"]] = relationship("Post", back_populates="author")

        def __repr__(self) -> str:
            return self.name


    class Post(Base):
        __tablename__ = "posts"

        author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
        author: Mapped["User"] = relationship(
            "User",  # the writer
            lazy="selectin",
            back_populates="posts",  # all of them
        )
    """)
    assert fix(source, select=("CL101",)) == expected
    assert fix(source, select=("CL101",), unsafe=True) == expected
    [diagnostic] = _lint(source, "CL101")
    assert diagnostic.fix.message == "Replace `backref` with `back_populates` and add `User.posts`"
    assert diagnostic.fix.applicability is Applicability.SAFE


def test_backref_fix_with_a_module_alias_and_crlf() -> None:
    source = textwrap.dedent("""\
    import sqlalchemy as sa


    class User(Base):
        __tablename__ = "users"

        id = sa.Column(sa.Integer, primary_key=True)


    class Post(Base):
        __tablename__ = "posts"

        author_id = sa.Column(sa.ForeignKey("users.id"))
        author = sa.orm.relationship(User, backref=sa.orm.backref("posts", order_by="Post.id"))
    """).replace("\n", "\r\n")
    expected = textwrap.dedent("""\
    import sqlalchemy as sa
    from sqlalchemy.orm import Mapped, relationship


    class User(Base):
        __tablename__ = "users"

        id = sa.Column(sa.Integer, primary_key=True)
        posts: Mapped[list["Post"]] = relationship("Post", back_populates="author", order_by="Post.id")


    class Post(Base):
        __tablename__ = "posts"

        author_id = sa.Column(sa.ForeignKey("users.id"))
        author = sa.orm.relationship("User", back_populates="posts")
    """).replace("\n", "\r\n")
    assert fix(source, select=("CL1",)) == expected


_DIRECTION_SOURCE = """
from sqlalchemy import Column, ForeignKey
from sqlalchemy.orm import relationship


class User(Base):
    __tablename__ = "users"
    {user_column}
    {relationship}


class Post(Base):
    __tablename__ = "posts"
    {post_column}
"""


@pytest.mark.parametrize(
    ("user_column", "post_column", "relationship", "reverse", "proven"),
    [
        # The keys between the two tables decide.
        (
            'team_id = Column(ForeignKey("teams.id"))',
            'user_id = Column(ForeignKey("users.id"))',
            'posts = relationship("Post", backref="author")',
            'author: Mapped["User"]',
            True,
        ),
        (
            'post_id = Column(ForeignKey("posts.id"))',
            "pass",
            'pinned = relationship("Post", backref="pinned_by")',
            'pinned_by: Mapped[list["User"]]',
            True,
        ),
        (
            "pass",
            "user_id = Column(ForeignKey(User.id))",
            'posts = relationship("Post", backref="author")',
            'author: Mapped["User"]',
            True,
        ),
        (
            "pass",
            'user_id = Column(ForeignKey("auth.users.id"))',
            'posts = relationship("Post", backref="authors")',
            'authors: Mapped["User"]',
            True,
        ),
        # No key links them: assumed from the annotation, then the side with keys, then the name.
        (
            "pass",
            "pass",
            'posts: Mapped[list["Post"]] = relationship("Post", backref="owners")',
            'owners: Mapped["User"]',
            False,
        ),
        (
            "pass",
            'account_id = Column(ForeignKey("accounts.id"))',
            'posts = relationship("Post", backref="writers")',
            'writers: Mapped["User"]',
            False,
        ),
        (
            'x_id = Column(ForeignKey("x.id"))',
            "pass",
            'post = relationship("Post", backref="writer")',
            'writer: Mapped[list["User"]]',
            False,
        ),
        ("pass", "pass", 'posts = relationship("Post", backref="author")', 'author: Mapped["User"]', False),
        ("pass", "pass", 'post = relationship("Post", backref="authors")', 'authors: Mapped[list["User"]]', False),
        # backref(uselist=...) and many-to-many say it outright.
        (
            "pass",
            'user_id = Column(ForeignKey("users.id"))',
            'posts = relationship("Post", backref=backref("author", uselist=True))',
            'author: Mapped[list["User"]]',
            True,
        ),
        (
            "pass",
            "pass",
            'tags = relationship("Post", secondary="user_posts", backref="users")',
            'users: Mapped[list["User"]]',
            True,
        ),
    ],
)
def test_the_reverse_side_is_a_list_or_a_single_object(
    user_column: str, post_column: str, relationship: str, reverse: str, proven: bool
) -> None:
    """Safe when the relationship or the keys prove it (F3); else assumed, and unsafe."""
    source = _DIRECTION_SOURCE.format(user_column=user_column, post_column=post_column, relationship=relationship)
    source = source.replace("import relationship", "import backref, relationship")
    after = fix(source, select=("CL101",), unsafe=True)
    assert f'    {reverse} = relationship("User", back_populates=' in after
    assert "backref=" not in after
    [diagnostic] = _lint(source, "CL101")
    assert diagnostic.fix.applicability is (Applicability.SAFE if proven else Applicability.UNSAFE)
    assert diagnostic.fix.message.endswith("no foreign key between their tables is known") is not proven


def test_backref_options_and_secondary_are_carried_over() -> None:
    source = """
    from sqlalchemy import Table
    from sqlalchemy.orm import backref, relationship

    user_roles = Table("user_roles", Base.metadata, schema="auth")


    class User(Base):
        __tablename__ = "users"
        roles = relationship("Role", secondary=user_roles, backref=backref("users", lazy="dynamic", viewonly=True))


    class Role(Base):
        __tablename__ = "roles"
    """
    assert fix(source, select=("CL101",)).endswith(
        '    users: Mapped[list["User"]] = relationship("User", back_populates="roles", lazy="dynamic", '
        'viewonly=True, secondary="auth.user_roles")\n'
    )


_SECONDARY_SOURCE = """
from sqlalchemy import Table
from sqlalchemy.orm import relationship
{imported}
{above}

class Role(Base):
    __tablename__ = "roles"

{below}

class User(Base):
    __tablename__ = "users"
    roles = relationship("Role", secondary={secondary}, backref="users")
"""


@pytest.mark.parametrize(
    ("imported", "above", "below", "secondary", "written"),
    [
        # The table's name cannot be read: the variable serves where it is bound before `Role`'s body runs.
        ("", "user_roles = Table(ROLES_TABLE, Base.metadata)", "", "user_roles", "user_roles"),
        ("from app.models.tables import user_roles", "", "", "user_roles", "user_roles"),
        ("", "", "user_roles = Table(ROLES_TABLE, Base.metadata)", "user_roles", None),
        ("", "", "", "user_roles", None),
        ("", "", "", "tables.user_roles", None),
        ("", "", 'user_roles = Table("user roles", Base.metadata)', "user_roles", None),
        ("", "", 'user_roles = Table("user_roles", Base.metadata)', "user_roles", '"user_roles"'),
        ("", "", "", "'user_roles'", "'user_roles'"),
    ],
)
def test_f2_secondary_is_the_table_name_or_a_variable_bound_before_the_target(
    imported: str, above: str, below: str, secondary: str, written: str | None
) -> None:
    source = _SECONDARY_SOURCE.format(imported=imported, above=above, below=below, secondary=secondary)
    after = fix(source, select=("CL101",))
    if written is None:
        assert after == textwrap.dedent(source).lstrip("\n")
        [diagnostic] = _lint(source, "CL101")
        assert diagnostic.fix is None
    else:
        added = f'    users: Mapped[list["User"]] = relationship("User", back_populates="roles", secondary={written})\n'
        assert f'    __tablename__ = "roles"\n{added}' in after


def test_self_referential_backref_is_fixed_only_with_remote_side() -> None:
    source = """
    from sqlalchemy import Column, ForeignKey, Integer
    from sqlalchemy.orm import relationship


    class Node(Base):
        __tablename__ = "nodes"

        id = Column(Integer, primary_key=True)
        parent_id = Column(ForeignKey("nodes.id"))
        parent = relationship("Node", remote_side=[id], backref="children")
        linked = relationship("Node", backref="linked_from")
    """
    assert fix(source, select=("CL101",)) == textwrap.dedent("""\
    from sqlalchemy import Column, ForeignKey, Integer
    from sqlalchemy.orm import Mapped, relationship


    class Node(Base):
        __tablename__ = "nodes"

        id = Column(Integer, primary_key=True)
        parent_id = Column(ForeignKey("nodes.id"))
        parent = relationship("Node", remote_side=[id], back_populates="children")
        linked = relationship("Node", backref="linked_from")
        children: Mapped[list["Node"]] = relationship("Node", back_populates="parent")
    """)


@pytest.mark.parametrize(
    "relationship",
    [
        'relationship("app.models.user.User", backref="posts")',  # a path: which class is not certain
        'relationship("Account", backref="posts")',  # not in this file
        'relationship("User", backref="name")',  # the target has that attribute already
        'relationship("User", backref="__repr__")',
        'relationship("User", primaryjoin="User.id == Post.author_id", backref="posts")',
        'relationship("User", foreign_keys="Post.author_id", backref="posts")',
        'relationship("User", backref=POSTS)',
        'relationship("User", backref=backref(POSTS))',
        'relationship("User", backref="my posts")',
        'relationship(lambda: User, backref="posts")',
    ],
)
def test_backref_without_a_fix(relationship: str) -> None:
    source = f"""
    from sqlalchemy.orm import backref, relationship


    class User(Base):
        __tablename__ = "users"
        name = Column(String(80))

        def __repr__(self) -> str:
            return self.name


    class Post(Base):
        __tablename__ = "posts"
        author = {relationship}
    """
    [diagnostic] = _lint(source, "CL101")
    assert diagnostic.fix is None


def test_backrefs_outside_a_class_body_get_no_fix() -> None:
    source = """
    from sqlalchemy.orm import relationship


    class User(Base):
        __tablename__ = "users"


    def add_posts() -> None:
        Post.author = relationship("User", backref="posts")
    """
    [diagnostic] = _lint(source, "CL101")
    assert diagnostic.fix is None


def test_two_backrefs_to_one_class_are_both_fixed() -> None:
    source = """
    from sqlalchemy.orm import relationship


    class User(Base):
        __tablename__ = "users"


    class Post(Base):
        __tablename__ = "posts"
        author = relationship("User", backref="posts")
        editor = relationship("User", backref="edited_posts")
    """
    # No key links the tables: the lists are assumed (from the plural names), so the fixes are unsafe.
    assert fix(source, select=("CL101",), unsafe=True) == textwrap.dedent("""\
    from sqlalchemy.orm import Mapped, relationship


    class User(Base):
        __tablename__ = "users"
        posts: Mapped[list["Post"]] = relationship("Post", back_populates="author")
        edited_posts: Mapped[list["Post"]] = relationship("Post", back_populates="editor")


    class Post(Base):
        __tablename__ = "posts"
        author = relationship("User", back_populates="posts")
        editor = relationship("User", back_populates="edited_posts")
    """)


@pytest.mark.parametrize(
    "imports, call",
    [
        ("import sqlalchemy as sa", "sa.orm.relationship"),
        ("import sqlalchemy.orm", "sqlalchemy.orm.relationship"),
        ("from sqlalchemy import orm", "orm.relationship"),
        ("from sqlalchemy.orm import relationship as rel", "rel"),
    ],
)
def test_every_spelling_of_relationship_is_recognised(imports: str, call: str) -> None:
    source = f"""
    {imports}
    from app.models.user import User


    class Post(Base):
        __tablename__ = "posts"

        author = {call}(User, backref="posts")
    """
    column = 15 + len(call)
    assert found(_lint(source)) == [("CL102", 8, column), ("CL101", 8, column + 6)]


@pytest.mark.parametrize(
    "imports",
    [
        "from graphene_sqlalchemy import relationship",
        "from app.graph import relationship",
        "",  # a local helper, not imported at all
    ],
)
def test_a_relationship_from_elsewhere_is_not_checked(imports: str) -> None:
    source = f"""
    {imports}
    from app.models.user import User

    author = relationship(User, backref="posts")
    """
    assert found(_lint(source)) == []


def test_noqa_on_the_last_line_of_a_multi_line_relationship_suppresses() -> None:
    source = """
    from sqlalchemy.orm import relationship


    class Post(Base):
        __tablename__ = "posts"

        author = relationship(
            "User",
            backref="posts",
        )  # noqa: CL101
    """
    assert found(_lint(source)) == []
