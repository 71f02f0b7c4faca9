"""How the CL5 rules know a database handle: annotations through Optional/Annotated/aliases,
construction, names."""

from __future__ import annotations

from tests.helpers import found, lint


def _found(source: str, *codes: str, **options) -> list[tuple[str, int, int]]:
    return found(lint(source, select=codes or ("CL5",), **options))


def test_annotated_and_optional_annotations_are_unwrapped() -> None:
    source = """
        from typing import Annotated, Optional

        from fastapi import Depends
        from sqlalchemy.ext.asyncio import AsyncSession

        from app.db.session import get_db


        async def create(db: Annotated[AsyncSession, Depends(get_db)]) -> None:
            db.commit()


        async def update(db: Optional[AsyncSession] = None) -> None:
            db.flush()


        async def delete(session: AsyncSession | None = None) -> None:
            session.rollback()
    """
    diagnostics = lint(source, select=("CL502",))
    assert found(diagnostics) == [("CL502", 10, 5), ("CL502", 14, 5), ("CL502", 18, 5)]
    assert all("from its name" not in d.message for d in diagnostics)


def test_module_aliases_and_attribute_paths_resolve() -> None:
    source = """
        import sqlalchemy as sa
        import sqlalchemy.orm
        from sqlalchemy.ext import asyncio as sa_asyncio


        async def one(db: sa.orm.Session) -> None:
            db.commit()


        async def two(db: sqlalchemy.orm.Session) -> None:
            db.commit()


        async def three(db: sa_asyncio.AsyncSession) -> None:
            db.commit()
    """
    assert _found(source, "CL501", "CL502") == [("CL501", 7, 5), ("CL501", 11, 5), ("CL502", 15, 5)]


def test_type_alias_of_this_module_counts_as_annotation() -> None:
    source = """
        from typing import Annotated, TypeAlias

        from fastapi import Depends
        from sqlalchemy.ext.asyncio import AsyncSession
        from sqlalchemy.orm import Session

        from app.db.session import get_db

        SessionDep = Annotated[AsyncSession, Depends(get_db)]
        SyncDep: TypeAlias = Annotated[Session, Depends(get_db)]
        type LegacyDep = Session


        async def create(session: SessionDep) -> None:
            session.commit()


        async def read(db: SyncDep, other: LegacyDep) -> None:
            db.execute("SELECT 1")
            other.execute("SELECT 1")
    """
    diagnostics = lint(source, select=("CL501", "CL502"))
    assert found(diagnostics) == [("CL502", 15, 5), ("CL501", 19, 5), ("CL501", 20, 5)]
    assert "from its name" not in diagnostics[0].message


def test_opaque_session_alias_lets_the_name_speak() -> None:
    source = """
        from app.api.deps import SessionDep


        async def create(session: SessionDep) -> None:
            session.commit()
    """
    diagnostics = lint(source, select=("CL502",))
    assert found(diagnostics) == [("CL502", 5, 5)]
    assert "`session` is taken for an `AsyncSession` from its name" in diagnostics[0].message


def test_annotation_of_another_kind_overrides_the_name() -> None:
    source = """
        import aiohttp
        from requests import Session


        async def fetch(session: aiohttp.ClientSession, url: str) -> None:
            session.close()


        def download(session: Session, url: str) -> bytes:
            return session.get(url).content


        def database_url(db: str) -> str:
            return db
    """
    assert _found(source) == []


def test_quoted_annotation_is_read() -> None:
    source = """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from sqlalchemy.ext.asyncio import AsyncSession


        async def create(db: "AsyncSession") -> None:
            db.commit()
    """
    diagnostics = lint(source, select=("CL502",))
    assert found(diagnostics) == [("CL502", 8, 5)]
    assert "from its name" not in diagnostics[0].message


def test_session_parameters_setting_replaces_the_default_names() -> None:
    source = """
        async def create(database, db) -> None:
            database.commit()
            db.commit()
    """
    assert _found(source, "CL502", session_parameters=["database"]) == [("CL502", 2, 5)]
    assert _found(source, "CL502") == [("CL502", 3, 5)]


def test_rebinding_a_name_forgets_the_session() -> None:
    source = """
        from sqlalchemy.orm import Session

        from app.clients import make_client


        async def sync_users(db: Session) -> None:
            db = make_client()
            db.execute("users")
    """
    assert _found(source) == []


def test_closures_see_the_outer_session_and_class_bodies_do_not_leak() -> None:
    source = """
        from sqlalchemy import create_engine
        from sqlalchemy.orm import Session


        class Settings:
            engine = create_engine("sqlite://")


        async def outer(db: Session) -> None:
            async def inner() -> None:
                db.commit()

            engine.connect()
    """
    # The class attribute `engine` is not visible in `outer`; `db` is, from `inner`.
    assert _found(source, "CL501") == [("CL501", 11, 9)]


def test_engine_connections_are_followed() -> None:
    source = """
        from sqlalchemy import create_engine, text
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_engine("postgresql://localhost/app")
        async_engine = create_async_engine("postgresql+asyncpg://localhost/app")


        async def ping() -> None:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            async with async_engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                await connection.commit()
    """
    assert _found(source, "CL501", "CL502") == [("CL501", 9, 10), ("CL501", 10, 9), ("CL502", 12, 9)]


def test_self_attributes_from_class_annotations_and_init() -> None:
    source = """
        from sqlalchemy.orm import Session
        from sqlalchemy.ext.asyncio import AsyncSession


        class UserRepository:
            session: Session

            def __init__(self, session: AsyncSession, audit: AsyncSession) -> None:
                self.audit_log = audit

            async def count(self) -> None:
                self.session.execute("SELECT 1")
                self.audit_log.flush()
    """
    assert _found(source, "CL501", "CL502") == [("CL501", 12, 9), ("CL502", 13, 9)]
