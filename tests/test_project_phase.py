"""The whole-project phase: CL103 across files, with noqa and per-file settings honoured."""

from __future__ import annotations

from pathlib import Path

from conventions_lint.config import settings_from_section
from conventions_lint.runner import lint_sources
from tests.helpers import found

USER = '''\
from sqlalchemy.orm import Mapped, relationship

from app.db.base import Base


class User(Base):
    __tablename__ = "users"

    posts: Mapped[list["Post"]] = relationship("Post", back_populates="author"){noqa}
'''

POST = '''\
from sqlalchemy.orm import Mapped, relationship

from app.db.base import Base


class Post(Base):
    __tablename__ = "posts"

    author: Mapped["User"] = relationship(
        "User",
        back_populates="articles",
    ){noqa}
'''


def lint_project(user_noqa: str = "", post_noqa: str = "", **section):
    settings = settings_from_section({"select": ["CL103"], **section}, Path("/project"), "test")
    files = {"app/models/user.py": USER.format(noqa=user_noqa), "app/models/post.py": POST.format(noqa=post_noqa)}
    return lint_sources(files, settings)


def test_mismatched_pair_across_files_is_reported_on_both_sides_with_the_other_location() -> None:
    diagnostics = lint_project()
    assert [(d.path, *found([d])[0]) for d in diagnostics] == [
        ("app/models/post.py", "CL103", 11, 9),
        ("app/models/user.py", "CL103", 9, 56),
    ]
    assert diagnostics[0].message == (
        '`Post.author` has `back_populates="articles"`, but `User` (app/models/user.py) has no relationship `articles`'
    )
    assert diagnostics[1].message == (
        '`User.posts` has `back_populates="author"`, but `Post.author` has `back_populates="articles"`; '
        "make both sides name each other (app/models/post.py:11:9)"
    )


def test_noqa_on_the_last_line_of_a_multi_line_statement_silences_a_project_finding() -> None:
    assert [d.path for d in lint_project(post_noqa="  # noqa: CL103")] == ["app/models/user.py"]


def test_per_file_ignores_apply_to_project_findings() -> None:
    diagnostics = lint_project(**{"per-file-ignores": {"**/user.py": ["CL1"]}})
    assert [d.path for d in diagnostics] == ["app/models/post.py"]
