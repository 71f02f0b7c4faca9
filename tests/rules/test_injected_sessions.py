"""CL303 session-not-injected: sessions and engines built in route handlers instead of injected."""

from __future__ import annotations

import pytest

from tests.helpers import found, lint

# CL303 session-not-injected


def cl303(source: str, **options):
    return lint(source, select=("CL303",), **options)


def test_a_factory_defined_in_the_file_is_followed_and_its_dependency_is_not_flagged() -> None:
    source = """
        from fastapi import APIRouter
        from sqlalchemy import create_engine
        from sqlalchemy.orm import sessionmaker

        engine = create_engine("sqlite://")
        SessionLocal = sessionmaker(bind=engine)
        router = APIRouter()


        def get_db():
            db = SessionLocal()
            try:
                yield db
            finally:
                db.close()


        @router.get("/users")
        def get_users() -> list:
            db = SessionLocal()
            return db.query(User).all()
    """
    diagnostics = cl303(source)
    assert found(diagnostics) == [("CL303", 20, 10)]
    assert diagnostics[0].message == (
        "Take the session as a `Depends(...)` parameter instead of opening a session "
        "with `SessionLocal()` in the route handler"
    )


@pytest.mark.parametrize(
    ("imports", "call", "spelled"),
    [
        ("import sqlalchemy as sa", "sa.create_engine(url)", "sa.create_engine()"),
        ("from sqlalchemy.ext.asyncio import create_async_engine as make_engine", "make_engine(url)", "make_engine()"),
        ("from sqlalchemy.orm import Session as OrmSession", "OrmSession(engine)", "OrmSession()"),
        ("from sqlmodel import Session", "Session(engine)", "Session()"),
        (
            "from sqlalchemy.orm import scoped_session, sessionmaker",
            "scoped_session(sessionmaker())",
            "scoped_session()",
        ),
        ("from app.db import session as db_module", "db_module.AsyncSessionLocal()", "db_module.AsyncSessionLocal()"),
        ("from app.db.session import async_session_maker", "async_session_maker()", "async_session_maker()"),
        ("from sqlalchemy.orm import sessionmaker", "sessionmaker(bind=engine)()", "sessionmaker()()"),
    ],
)
def test_every_spelling_of_a_construction_is_one_finding(imports: str, call: str, spelled: str) -> None:
    source = f"""
{imports}
from fastapi import APIRouter

router = APIRouter()

@router.get("/status")
async def get_status(url: str) -> None:
    handle = {call}
"""
    diagnostics = cl303(source)
    assert found(diagnostics) == [("CL303", 8, 14)]
    assert f"with `{spelled}` in the route handler" in diagnostics[0].message


def test_an_engine_is_named_in_the_message() -> None:
    source = """
        from fastapi import APIRouter
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        router = APIRouter()

        @router.get("/status")
        async def get_status(url: str) -> None:
            async with AsyncSession(create_async_engine(url)) as db:
                ...
            engine = create_async_engine(url)
    """
    diagnostics = cl303(source)
    assert found(diagnostics) == [("CL303", 8, 16), ("CL303", 10, 14)]
    assert diagnostics[1].message == (
        "Take the session as a `Depends(...)` parameter instead of creating an engine "
        "with `create_async_engine()` in the route handler"
    )


def test_a_factory_made_in_the_handler_is_reported_where_it_makes_a_session() -> None:
    source = """
        from fastapi import APIRouter
        from sqlalchemy.orm import sessionmaker

        from app.db.session import engine

        router = APIRouter()

        @router.get("/status")
        def get_status() -> None:
            factory = sessionmaker(bind=engine)
            with factory() as db:
                ...
    """
    assert found(cl303(source)) == [("CL303", 11, 10)]


@pytest.mark.parametrize(
    "construction",
    [
        "requests.Session()",
        "aiohttp.ClientSession()",
        "Session()",
        "session_factory()",
        "engine.connect()",
        "db.begin()",
        "get_session()",
    ],
)
def test_what_is_not_a_session_or_engine_built_here(construction: str) -> None:
    source = f"""
import aiohttp
import requests
from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.api.deps import get_db, get_engine, get_session_factory
from app.http import Session
from app.services.session_service import get_session

router = APIRouter()

@router.get("/status")
async def get_status(
    db: AsyncSession = Depends(get_db),
    engine: AsyncEngine = Depends(get_engine),
    session_factory=Depends(get_session_factory),
) -> None:
    handle = {construction}
"""
    assert found(cl303(source)) == []


def test_only_route_handlers_and_what_they_define_are_checked() -> None:
    source = """
        from fastapi import APIRouter, BackgroundTasks

        from app.db.session import SessionLocal

        router = APIRouter()


        class UserRepository:
            def __init__(self) -> None:
                self.db = SessionLocal()


        def cleanup() -> None:
            with SessionLocal() as db:
                ...


        @router.post("/cleanups", status_code=202)
        def create_cleanup(tasks: BackgroundTasks) -> None:
            def run() -> None:
                with SessionLocal() as db:
                    ...

            tasks.add_task(run)


        class UserView:
            @router.get("/users")
            def get_users(self) -> list:
                return SessionLocal().execute(query).all()
    """
    assert found(cl303(source)) == [("CL303", 21, 14), ("CL303", 30, 16)]


def test_a_star_import_does_not_make_a_parameter_a_session_factory() -> None:
    source = """
        from fastapi import APIRouter, Depends

        from app.db import *

        router = APIRouter()

        @router.get("/status")
        async def get_status(session_factory=Depends(get_session_factory)) -> None:
            async with session_factory() as db:
                ...
    """
    assert found(cl303(source)) == []
