"""The fixes keep the app working: each example project, fixed on a copy, still runs (issue 14).

`--fix` (safe fixes) must change nothing the app does: the same modules import,
the mappers configure to the same relationships and columns, each FastAPI app
builds the same operations. `--fix --unsafe-fixes` may change what the rules
document (UUID keys, async sessions, response schemas), and nothing else: the
app still imports, configures, builds its OpenAPI schema and answers the GET
routes it answered. Neither may leave code in which ruff finds something new.
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
EXAMPLE_APPS = (
    AppUnderTest("violating"),
    AppUnderTest("clean", env=(("SECRET_KEY", "harness"),), sync_url=False),
    F1_APP,
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
