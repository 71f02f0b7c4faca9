"""CL101 relationship-backref and CL102 relationship-target-not-string beyond their examples."""

from __future__ import annotations

import pytest

from tests.helpers import found, lint


def _lint(source: str, *codes: str):
    return lint(source, path="app/models/post.py", select=codes or ("CL1",))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"posts"', 'Use `back_populates="posts"` on both sides instead of `backref="posts"`'),
        ('backref("posts", lazy="dynamic")',
         'Use `back_populates="posts"` on both sides instead of `backref("posts", ...)`'),
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


def test_backref_is_reported_at_the_argument_and_fixed_at_the_call() -> None:
    source = """
    from sqlalchemy.orm import relationship


    class Post(Base):
        __tablename__ = "posts"

        author = relationship(
            "User",
            lazy="selectin",
            backref="posts",
        )
    """
    [diagnostic] = _lint(source, "CL101")
    assert (diagnostic.span.start.row, diagnostic.span.start.column) == (10, 9)
    assert (diagnostic.fix_span.start.row, diagnostic.fix_span.start.column) == (7, 14)
    assert (diagnostic.fix_span.end.row, diagnostic.fix_span.end.column) == (11, 6)


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


@pytest.mark.parametrize(
    "target",
    ['"User"', '"app.models.user.User"', "lambda: User", 'f"{PREFIX}User"', "target_for('post')"],
)
def test_lazy_targets_are_accepted(target: str) -> None:
    source = f"""
    from sqlalchemy.orm import relationship


    class Post(Base):
        __tablename__ = "posts"

        author = relationship({target})
    """
    assert found(_lint(source, "CL102")) == []


def test_target_message_quotes_the_class_name() -> None:
    source = """
    from sqlalchemy.orm import relationship

    from app import models


    class Post(Base):
        __tablename__ = "posts"

        author = relationship(models.User, back_populates="posts")
    """
    [diagnostic] = _lint(source, "CL102")
    assert diagnostic.message == 'Pass the class name as a string: `relationship("User")`'
