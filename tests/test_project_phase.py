"""The whole-project phase: CL103 across files, with noqa and per-file settings honoured."""

from __future__ import annotations

from pathlib import Path

from conventions_lint.config import settings_from_section
from conventions_lint.runner import lint_sources
from tests.helpers import found, project_tree, run_tree

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


BASE = "from app.db.base_class import Base\nfrom app.models.user import User\n"
TREE = {
    "app/db/base.py": BASE,
    "app/models/user.py": USER.format(noqa=""),
    "app/models/post.py": POST.format(noqa=""),
    "app/services/report.py": "def total_service() -> int:\n    return 1\n",
}


def _found(diagnostics) -> list[tuple[str, str, int, int]]:
    return [(d.path, d.code, d.location.row, d.location.column) for d in diagnostics]


def test_a_run_over_one_changed_file_judges_it_against_the_whole_project() -> None:
    with project_tree(TREE, select=("CL103", "CL801")) as root:
        whole = _found(run_tree(root).diagnostics)
        only_post = _found(run_tree(root, ["app/models/post.py"]).diagnostics)
    assert whole == [
        ("app/models/post.py", "CL801", 6, 7),
        ("app/models/post.py", "CL103", 11, 9),
        ("app/models/user.py", "CL103", 9, 56),
    ]
    assert only_post == [d for d in whole if d[0] == "app/models/post.py"]


def test_fixing_one_file_adds_its_model_to_the_unlinted_db_base() -> None:
    with project_tree(TREE, select=("CL801",)) as root:
        outcome = run_tree(root, ["app/models/post.py"], fix=True)
        assert [d.code for d in outcome.fixed] == ["CL801"]
        assert (root / "app/db/base.py").read_text() == BASE + "from app.models.post import Post\n"
        assert run_tree(root).diagnostics == []
