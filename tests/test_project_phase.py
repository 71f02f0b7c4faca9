"""The whole-project phase: CL103 across files, with noqa and per-file settings honoured, and the
fixes it finishes across files (CL101, CL301)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conventions_lint.config import settings_from_section
from conventions_lint.diagnostic import Applicability
from conventions_lint.engine import FileResult, lint_source
from conventions_lint.registry import REGISTRY
from conventions_lint.runner import lint_sources
from tests.helpers import found, project_tree, read_tree, run_tree

USER = """\
from sqlalchemy.orm import Mapped, relationship

from app.db.base import Base


class User(Base):
    __tablename__ = "users"

    posts: Mapped[list["Post"]] = relationship("Post", back_populates="author"){noqa}
"""

POST = """\
from sqlalchemy.orm import Mapped, relationship

from app.db.base import Base


class Post(Base):
    __tablename__ = "posts"

    author: Mapped["User"] = relationship(
        "User",
        back_populates="articles",
    ){noqa}
"""


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


def test_a_fix_in_a_file_not_checked_waits_for_a_run_that_checks_it() -> None:
    # Field report F1: the pre-commit fix hook rewrote db/base.py, which was not staged.
    with project_tree(TREE, select=("CL801",)) as root:
        alone = run_tree(root, ["app/models/post.py"], fix=True)
        assert (alone.fixed, [d.fix.message for d in alone.diagnostics]) == ([], ["Import `Post` in `app/db/base.py`"])
        assert (root / "app/db/base.py").read_text() == BASE
        both = run_tree(root, ["app/models/post.py", "app/db/base.py"], fix=True)
        assert [d.code for d in both.fixed] == ["CL801"]
        assert (root / "app/db/base.py").read_text() == BASE.replace(
            "from app.models.user", "from app.models.post import Post\nfrom app.models.user"
        )
        assert run_tree(root).diagnostics == []


# Fixes that the project phase finishes (CL101, CL301): the class they need is in another file.

BACKREF_POST = """\
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.db.base_class import Base


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author: Mapped["User"] = relationship("User", backref=backref("posts", lazy="selectin"))
"""

BACKREF_USER = """\
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base_class import Base


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(unique=True)

    def __repr__(self) -> str:
        return self.email
"""

USER_SCHEMAS = """\
from pydantic import BaseModel


class UserCreate(BaseModel):
    email: str


class UserResponse(BaseModel):
    id: int
    email: str
"""

USERS_ROUTER = '''\
"""The users' endpoints."""
from fastapi import APIRouter

router = APIRouter(prefix="/users")


@router.get("/{user_id}")
async def get_user(user_id: int):
    return await load_user(user_id)
'''

APP = {
    "app/db/base_class.py": "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n",
    "app/db/base.py": "from app.db.base_class import Base\nfrom app.models.user import User\n",
    "app/models/user.py": BACKREF_USER,
    "app/models/post.py": BACKREF_POST,
    "app/schemas/user.py": USER_SCHEMAS,
    "app/api/users.py": USERS_ROUTER,
}
SELECTED = ("CL101", "CL103", "CL301", "CL801")


def _fixes(diagnostics, code: str):
    return [d.fix for d in diagnostics if d.code == code]


def test_a_small_project_is_fixed_across_files_into_one_that_lints_clean() -> None:
    with project_tree(APP, select=SELECTED) as root:
        outcome = run_tree(root, fix=True, unsafe=True)
        assert sorted(d.code for d in outcome.fixed) == ["CL101", "CL301", "CL801"]
        after = read_tree(root, APP)
        assert run_tree(root).diagnostics == []
    assert after["app/models/post.py"] == BACKREF_POST.replace(
        'backref=backref("posts", lazy="selectin")', 'back_populates="posts"'
    )
    assert after["app/models/user.py"] == BACKREF_USER.replace(
        "from sqlalchemy.orm import Mapped, mapped_column\n",
        "from typing import TYPE_CHECKING\n\nfrom sqlalchemy.orm import Mapped, mapped_column, relationship\n",
    ).replace("import Base\n", "import Base\n\nif TYPE_CHECKING:\n    from app.models.post import Post\n").replace(
        "unique=True)\n",
        'unique=True)\n    posts: Mapped[list["Post"]] = relationship("Post", back_populates="author", lazy="selectin")\n',
    )
    assert after["app/db/base.py"] == APP["app/db/base.py"].replace(
        "from app.models.user", "from app.models.post import Post\nfrom app.models.user"
    )
    # No import of the module to join: a line of its own after the last import.
    assert after["app/api/users.py"] == USERS_ROUTER.replace(
        "import APIRouter\n", "import APIRouter\nfrom app.schemas.user import UserResponse\n"
    ).replace('"/{user_id}")', '"/{user_id}", response_model=UserResponse)')
    assert after["app/schemas/user.py"] == USER_SCHEMAS


@pytest.mark.parametrize(("code", "path"), [("CL101", "app/models/post.py"), ("CL301", "app/api/users.py")])
def test_a_cross_file_fix_is_the_same_whether_the_tree_or_only_its_file_is_linted(code: str, path: str) -> None:
    with project_tree(APP, select=SELECTED) as root:
        whole = _fixes(run_tree(root).diagnostics, code)
        alone = _fixes(run_tree(root, [path]).diagnostics, code)
    assert whole == alone and len(whole) == 1 and whole[0].applicability is Applicability.UNSAFE
    fixed = []
    # The files the fix edits are checked too: a run writes only those it was asked to check.
    for paths in (None, [path, *{"CL101": ["app/models/user.py"], "CL301": ["app/schemas/user.py"]}[code]]):
        with project_tree(APP, select=(code,)) as root:
            run_tree(root, paths, fix=True, unsafe=True)
            fixed.append(read_tree(root, APP))
    assert fixed[0] == fixed[1] != APP


def test_a_cross_file_fix_survives_the_cache() -> None:
    with project_tree(APP, select=SELECTED) as root:
        cold = run_tree(root).diagnostics
        warm = run_tree(root).diagnostics
    assert [(d.code, d.fix) for d in warm] == [(d.code, d.fix) for d in cold]
    assert _fixes(warm, "CL101")[0] is not None


def test_cross_file_fixes_are_unsafe_and_left_to_unsafe_fixes_unless_the_settings_say_otherwise() -> None:
    with project_tree(APP, select=("CL101",)) as root:
        assert run_tree(root, fix=True).fixed == []
        assert read_tree(root, APP) == APP
    with project_tree(APP, select=("CL101",), extend_safe_fixes=["CL101"]) as root:
        assert [d.code for d in run_tree(root, fix=True).fixed] == ["CL101"]


def test_backref_fix_in_another_file_imports_what_it_spells_and_keeps_its_newlines() -> None:
    user = (
        'import sqlalchemy as sa\r\n\r\n\r\nclass User(Base):\r\n    __tablename__ = "users"\r\n'
        "    id = sa.Column(sa.Integer, primary_key=True)\r\n"
    )
    post = (
        'from sqlalchemy.orm import relationship\n\n\nclass Post(Base):\n    __tablename__ = "posts"\n\n'
        '    author = relationship("User", backref="posts")\n'
    )
    files = {"app/models/user.py": user, "app/models/post.py": post}
    with project_tree({}, select=("CL101",)) as root:
        for path, text in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(text.encode())
        run_tree(root, fix=True, unsafe=True)
        fixed_user = (root / "app/models/user.py").read_bytes().decode()
        fixed_post = (root / "app/models/post.py").read_bytes().decode()
    # `import sqlalchemy as sa` does not load `sqlalchemy.orm`: `sa.orm.relationship` could fail, so it is imported.
    # `Post`, which the annotation names, is imported for type checkers, in a section before `sqlalchemy`'s.
    assert (
        fixed_user
        == user.replace(
            "import sqlalchemy as sa\r\n",
            "from typing import TYPE_CHECKING\r\n\r\nimport sqlalchemy as sa\r\n"
            "from sqlalchemy.orm import Mapped, relationship\r\n\r\n"
            "if TYPE_CHECKING:\r\n    from app.models.post import Post\r\n",
        )
        + '    posts: Mapped[list["Post"]] = relationship("Post", back_populates="author")\r\n'
    )
    assert fixed_post == post.replace('backref="posts"', 'back_populates="posts"')


@pytest.mark.parametrize(
    "others",
    [
        # Two classes of the name: which one SQLAlchemy means cannot be told.
        {"app/models/user.py": BACKREF_USER, "app/admin/user.py": BACKREF_USER},
        # The target has an attribute of that name already.
        {"app/models/user.py": BACKREF_USER.replace("    def __repr__", "    posts = None\n\n    def __repr__")},
        # `relationship` is something else in the target's file.
        {"app/models/user.py": BACKREF_USER.replace("from app.db", "from app.graph import relationship\nfrom app.db")},
        # No such class in the project.
        {},
    ],
)
def test_backref_gets_no_fix_when_the_other_side_cannot_be_written(others: dict[str, str]) -> None:
    with project_tree({"app/models/post.py": BACKREF_POST, **others}, select=("CL101",)) as root:
        [diagnostic] = run_tree(root).diagnostics
    assert diagnostic.code == "CL101" and diagnostic.fix is None


def test_response_model_gets_no_fix_when_the_schema_is_defined_twice() -> None:
    files = {"app/api/users.py": USERS_ROUTER, "app/schemas/user.py": USER_SCHEMAS, "app/schemas/v2.py": USER_SCHEMAS}
    with project_tree(files, select=("CL301",)) as root:
        [diagnostic] = run_tree(root).diagnostics
    assert diagnostic.fix is None


def test_noqa_silences_a_finding_whose_fix_waits_for_the_project() -> None:
    post = BACKREF_POST.replace('lazy="selectin"))', 'lazy="selectin"))  # noqa: CL101')
    with project_tree({**APP, "app/models/post.py": post}, select=("CL101",)) as root:
        assert run_tree(root).diagnostics == []


def test_a_deferred_fix_is_serialised_with_its_file_result() -> None:
    settings = settings_from_section({"select": ["CL101"]}, Path("/project"), "test")
    path = "app/models/post.py"
    result = lint_source(path, path, BACKREF_POST.encode(), settings, REGISTRY.rules_for(settings, path))
    assert result.diagnostics == [] and len(result.deferred) == 1
    again = FileResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again.deferred == result.deferred and again.deferred[0].deferred == result.deferred[0].deferred
    assert again.facts == result.facts


def test_lines_added_to_a_file_without_a_final_newline_start_with_one() -> None:
    user = (
        "from sqlalchemy.orm import Mapped, mapped_column, relationship\n\n\nclass User(Base):\n"
        '    __tablename__ = "users"\n\n    id: Mapped[int] = mapped_column(primary_key=True)'
    )
    with project_tree({"app/models/post.py": BACKREF_POST}, select=("CL101",)) as root:
        (root / "app/models/user.py").write_text(user)
        outcome = run_tree(root, fix=True, unsafe=True)
        assert (outcome.problems, [d.code for d in outcome.fixed]) == ([], ["CL101"])
        fixed_user = (root / "app/models/user.py").read_text()
    assert fixed_user == user.replace(
        "from sqlalchemy.orm import Mapped, mapped_column, relationship\n",
        "from typing import TYPE_CHECKING\n\nfrom sqlalchemy.orm import Mapped, mapped_column, relationship\n"
        "\nif TYPE_CHECKING:\n    from app.models.post import Post\n",
    ) + ('\n    posts: Mapped[list["Post"]] = relationship("Post", back_populates="author", lazy="selectin")')


@pytest.mark.parametrize(
    ("relative_path", "source", "kept"),
    [
        # A model file: a backref fix on another file adds `relationship` (and its import) here.
        ("app/models/user.py", USER.format(noqa=""), True),
        # db/base.py: CL801's fixes import model classes here.
        ("app/db/base.py", "from app.db.base_class import Base\nfrom app.models.user import User\n", True),
        # A route whose CL301 fix the project phase finishes with an import of the schema.
        (
            "app/api/users.py",
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            '@router.get("/users/{user_id}")\nasync def get_user(user_id: str):\n    return await load(user_id)\n',
            True,
        ),
        # Facts of a schema file (its classes), whose imports nothing edits.
        (
            "app/schemas/user.py",
            "from pydantic import BaseModel\n\n\nclass UserResponse(BaseModel):\n    name: str\n",
            False,
        ),
    ],
)
def test_only_files_the_project_phase_edits_keep_their_imports(relative_path: str, source: str, kept: bool) -> None:
    settings = settings_from_section({"select": ["ALL"]}, Path("/project"), "test")
    rules = REGISTRY.rules_for(settings, relative_path)
    facts = lint_source(relative_path, relative_path, source.encode(), settings, rules).facts
    assert facts.schema_classes == (["UserResponse"] if "schemas" in relative_path else [])
    assert bool(facts.imports) is kept
    assert bool(facts.import_joins) is kept
    assert facts.import_end_row > 0
