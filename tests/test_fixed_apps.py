"""The fixes keep the app working: each example project, fixed on a copy, still runs (issue 14).

`--fix` (safe fixes) must change nothing the app does: the same modules import,
the mappers configure to the same relationships and columns, each FastAPI app
builds the same operations. `--fix --unsafe-fixes` may change what the rules
document (UUID keys, async sessions, response schemas), and nothing else: the
app still imports, configures, builds its OpenAPI schema and answers the GET
routes it answered. Neither may leave code in which ruff finds something new, nor
a file `ruff format` would change that it left alone before.
"""

from __future__ import annotations

import pytest

from tests.harness.apps import AppUnderTest, State, changed, fix, new_ruff_findings, probe

# Field report F1: db/base.py defines `Base` and imports the models after it, marked with a `noqa` comment.
F1_APP = AppUnderTest(
    "f1_base_imports_models_at_the_bottom",
    files=(
        ("pyproject.toml", "[tool.conventions-lint]\nselect = ['CL801']\n"),
        ("app/__init__.py", ""),
        ("app/db/__init__.py", ""),
        ("app/models/__init__.py", ""),
        (
            "app/db/base.py",
            """
            from sqlalchemy.orm import DeclarativeBase


            class Base(DeclarativeBase):
                pass


            from app.models.user import User  # noqa: F401,E402
            """,
        ),
        (
            "app/models/user.py",
            """
            from sqlalchemy.orm import Mapped, mapped_column

            from app.db.base import Base


            class User(Base):
                __tablename__ = "users"

                id: Mapped[int] = mapped_column(primary_key=True)
            """,
        ),
        (
            "app/models/order.py",
            """
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import Mapped, mapped_column

            from app.db.base import Base


            class Order(Base):
                __tablename__ = "orders"

                id: Mapped[int] = mapped_column(primary_key=True)
                user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
            """,
        ),
        (
            "app/main.py",
            """
            from fastapi import FastAPI

            import app.db.base  # noqa: F401

            app = FastAPI()


            @app.get("/health")
            async def get_health() -> dict[str, str]:
                return {"status": "ok"}
            """,
        ),
    ),
)
_PACKAGES = (("app/__init__.py", ""), ("app/db/__init__.py", ""), ("app/models/__init__.py", ""))
_BASE = ("app/db/base.py", "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n")
# Field report F2: a many-to-many's `secondary=` is a variable of the other file.
F2_APP = AppUnderTest(
    "f2_secondary_table_in_another_file",
    files=(
        ("pyproject.toml", "[tool.conventions-lint]\nselect = ['CL101']\n"),
        *_PACKAGES,
        _BASE,
        (
            "app/models/article.py",
            """
            from sqlalchemy import Column, ForeignKey, Table
            from sqlalchemy.orm import Mapped, mapped_column, relationship

            from app.db.base import Base

            article_tags = Table(
                "article_tags",
                Base.metadata,
                Column("article_id", ForeignKey("article.id"), primary_key=True),
                Column("tag_id", ForeignKey("tag.id"), primary_key=True),
            )


            class Article(Base):
                __tablename__ = "article"
                id: Mapped[int] = mapped_column(primary_key=True)
                tags: Mapped[list["Tag"]] = relationship("Tag", secondary=article_tags, backref="articles")
            """,
        ),
        (
            "app/models/tag.py",
            """
            from sqlalchemy.orm import Mapped, mapped_column

            from app.db.base import Base


            class Tag(Base):
                __tablename__ = "tag"
                id: Mapped[int] = mapped_column(primary_key=True)
            """,
        ),
    ),
)
# Field report F3: table names computed by the base, a backref whose singular name hides a collection.
F3_APP = AppUnderTest(
    "f3_computed_table_names",
    files=(
        ("pyproject.toml", "[tool.conventions-lint]\nselect = ['CL101']\n"),
        *_PACKAGES,
        (
            "app/models/sport.py",
            """
            from sqlalchemy import Column, ForeignKey, Integer
            from sqlalchemy.orm import DeclarativeBase, declared_attr, relationship


            class Base(DeclarativeBase):
                @declared_attr.directive
                def __tablename__(cls) -> str:
                    return cls.__name__.lower()


            class Coach(Base):
                id = Column(Integer, primary_key=True)


            class Team(Base):
                id = Column(Integer, primary_key=True)
                coach_id = Column(Integer, ForeignKey("coach.id"))


            class Player(Base):
                id = Column(Integer, primary_key=True)
                team_id = Column(Integer, ForeignKey("team.id"))
                team = relationship("Team", backref="squad_member")
            """,
        ),
    ),
)
EXAMPLE_APPS = (
    AppUnderTest("violating"),
    AppUnderTest("clean", env=(("SECRET_KEY", "harness"),), sync_url=False),
    F1_APP,
    F2_APP,
    F3_APP,
)

_before: dict[str, State] = {}


def _original(app: AppUnderTest, tmp_path_factory) -> State:
    """The example as shipped: it must work before any fix, or the comparison says nothing."""
    if app.name not in _before:
        root = app.copy_to(tmp_path_factory.mktemp("before"))
        state = probe(root, app, client=True)
        assert state.failures() == [], state.failures()
        assert state.failed_calls() == {}, state.failed_calls()
        _before[app.name] = state
    return _before[app.name]


@pytest.mark.parametrize("app", EXAMPLE_APPS, ids=lambda app: app.name)
def test_safe_fixes_change_nothing_the_app_does(app: AppUnderTest, tmp_path, tmp_path_factory) -> None:
    before = _original(app, tmp_path_factory)
    root = app.copy_to(tmp_path)
    fix(root, app, unsafe=False)
    after = probe(root, app, client=False)
    assert after.failures() == []
    assert changed(before.report["mappers"], after.report["mappers"]) == {}
    assert changed(before.report["routes"], after.report["routes"]) == {}
    assert new_ruff_findings(before, after) == []


@pytest.mark.parametrize("app", EXAMPLE_APPS, ids=lambda app: app.name)
def test_unsafe_fixes_leave_an_app_that_runs(app: AppUnderTest, tmp_path, tmp_path_factory) -> None:
    before = _original(app, tmp_path_factory)
    root = app.copy_to(tmp_path)
    fix(root, app, unsafe=True)
    after = probe(root, app, client=True)
    assert after.failures() == []
    assert after.failed_calls() == {}
    assert after.report["calls"].keys() == before.report["calls"].keys()
    assert new_ruff_findings(before, after) == []


@pytest.mark.parametrize("app", [F2_APP, F3_APP], ids=lambda app: app.name)
def test_f2_f3_backref_fixes_map_the_same_relationships(app: AppUnderTest, tmp_path, tmp_path_factory) -> None:
    """CL101's fix, unsafe ones included, declares what `backref` created: every relationship the same
    (target, direction, `uselist`, secondary, back-reference pair)."""
    before = _original(app, tmp_path_factory)
    root = app.copy_to(tmp_path)
    fix(root, app, unsafe=True)
    after = probe(root, app, client=False)
    assert after.failures() == []
    assert "backref=" not in "".join(path.read_text() for path in (root / "app/models").glob("*.py"))
    assert changed(before.report["mappers"], after.report["mappers"]) == {}
    assert new_ruff_findings(before, after) == []
