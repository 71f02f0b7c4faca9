"""Field report X8: sessions and engines under other names, re-exported or made elsewhere in the project."""

from __future__ import annotations

from tests.project_model.helpers import lint_project

SESSION_MODULE = """
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncSession as Async
from sqlalchemy.orm import Session as SyncSession, sessionmaker

engine = create_engine("sqlite://")
SessionLocal = sessionmaker(bind=engine)
AsyncLocal = sessionmaker(engine, class_=Async)
"""
GRANTS = """
from sqlalchemy import select

from app.db.session import Async, SessionLocal, SyncSession, engine
from app.models import Grant


def refetch(org) -> SyncSession: ...


async def find_grant(session: SyncSession, client_id: str):
    session.execute(select(Grant))


async def find_async(session: Async, client_id: str):
    session.execute(select(Grant))


async def find_later(org):
    session = refetch(org)
    session.execute(select(Grant))


async def find_local():
    with SessionLocal() as session:
        session.execute(select(Grant))


async def count():
    with engine.connect() as connection:
        connection.execute(select(Grant))
"""


def test_sessions_re_exported_or_made_elsewhere_are_known_sync_or_async() -> None:
    files = {"app/db/session.py": SESSION_MODULE, "app/services/grants.py": GRANTS}
    assert lint_project(files, select=("CL501", "CL502")) == [
        ("app/services/grants.py", "CL501", 11),
        ("app/services/grants.py", "CL502", 15),
        ("app/services/grants.py", "CL501", 20),
        ("app/services/grants.py", "CL501", 25),
        ("app/services/grants.py", "CL501", 29),
        ("app/services/grants.py", "CL501", 30),
    ]


def test_an_async_sessionmaker_elsewhere_makes_async_sessions() -> None:
    grants = """
    from sqlalchemy import select

    from app.db.session import AsyncLocal


    async def find():
        async with AsyncLocal() as session:
            session.execute(select(1))
    """
    files = {"app/db/session.py": SESSION_MODULE, "app/services/grants.py": grants}
    assert lint_project(files, select=("CL501", "CL502")) == [("app/services/grants.py", "CL502", 8)]


def test_a_parameter_the_project_types_as_something_else_is_no_session_whatever_its_name() -> None:
    files = {
        "app/db/cache.py": "class SessionStore:\n    def get(self, key): ...\n",
        "app/services/keys.py": (
            "from app.db.cache import SessionStore\n\n\nasync def read(db: SessionStore, key):\n    db.get(key)\n"
        ),
    }
    assert lint_project(files, select=("CL501", "CL502")) == []
    outside = {"app/services/keys.py": files["app/services/keys.py"].replace("app.db.cache", "vendor.cache")}
    assert lint_project(outside, select=("CL501", "CL502")) == [("app/services/keys.py", "CL502", 5)]


def test_session_types_outside_the_project_are_declared_by_settings() -> None:
    source = "from vendor.db import Db\n\n\nasync def read(store: Db):\n    store.execute(1)\n"
    assert lint_project({"app/services/keys.py": source}, select=("CL501", "CL502")) == []
    assert lint_project({"app/services/keys.py": source}, select=("CL501",), sync_session_types=["vendor.db.Db"]) == [
        ("app/services/keys.py", "CL501", 5)
    ]
    assert lint_project({"app/services/keys.py": source}, select=("CL502",), async_session_types=["vendor.db.Db"]) == [
        ("app/services/keys.py", "CL502", 5)
    ]
