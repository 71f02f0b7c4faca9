"""CL5 behaviour beyond the rule examples: how handles are recognised, settings, noqa, overlaps."""

from __future__ import annotations

from tests.helpers import found, lint


def _found(source: str, *codes: str, **options) -> list[tuple[str, int, int]]:
    return found(lint(source, select=codes or ("CL5",), **options))


# How a handle is known: annotations through Optional/Annotated/aliases, construction, names.

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


# CL501

def test_blocking_ignores_non_io_calls_and_nested_sync_functions() -> None:
    source = """
        from sqlalchemy.orm import Session

        from app.models.user import User


        async def create(db: Session, user: User) -> None:
            db.add(user)
            db.expire_all()

            def work() -> None:
                db.commit()
    """
    assert _found(source, "CL501") == []


def test_blocking_and_legacy_query_overlap_on_purpose() -> None:
    source = """
        from sqlalchemy.orm import Session

        from app.models.user import User


        async def first_user(db: Session) -> User | None:
            return db.query(User).first()
    """
    assert _found(source) == [("CL501", 7, 12), ("CL505", 7, 12)]


def test_async_sessionmaker_via_class_argument_is_async() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession
        from sqlalchemy.orm import sessionmaker

        from app.db.engine import engine

        SessionLocal = sessionmaker(engine, AsyncSession, expire_on_commit=False)


        async def save() -> None:
            async with SessionLocal() as session:
                session.commit()
    """
    assert _found(source) == [("CL502", 11, 9)]


# CL502

def test_unawaited_coroutine_handed_on_is_not_reported() -> None:
    source = """
        import asyncio

        from sqlalchemy.ext.asyncio import AsyncSession


        async def many(db: AsyncSession, other: AsyncSession, flag: bool):
            await asyncio.gather(db.execute("a"), other.execute("b"))
            tasks = [db.refresh(x) for x in ()]
            pending = (db.flush(), other.flush())
            later = lambda: db.commit()
            await (db.commit() if flag else db.rollback())
            async with db.stream("SELECT 1") as result:
                yield result
            yield db.close()
            return
    """
    assert _found(source, "CL502") == []


def test_unawaited_result_used_further_is_reported() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession


        async def names(db: AsyncSession, flag: bool) -> list[str]:
            rows = await db.execute("SELECT name").all()
            if db.scalar("SELECT 1"):
                return []
            return list(rows)
    """
    assert _found(source, "CL502") == [("CL502", 5, 18), ("CL502", 6, 8)]


def test_name_inferred_session_counts_only_in_async_functions() -> None:
    source = """
        def helper(db) -> None:
            db.commit()


        async def handler(db) -> None:
            db.commit()

            def inner() -> None:
                db.commit()
    """
    assert _found(source, "CL502") == [("CL502", 6, 5)]


def test_annotated_async_session_in_a_plain_def_is_reported_by_both() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession


        def save(db: AsyncSession) -> None:
            db.commit()
    """
    assert _found(source) == [("CL503", 4, 5), ("CL502", 5, 5)]


def test_fix_span_is_the_call() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession


        async def save(db: AsyncSession) -> None:
            db.commit()
    """
    [diagnostic] = lint(source, select=("CL502",))
    assert (diagnostic.fix_span.start.row, diagnostic.fix_span.start.column) == (5, 5)
    assert (diagnostic.fix_span.end.row, diagnostic.fix_span.end.column) == (5, 16)


def test_noqa_on_the_last_line_of_a_multiline_statement() -> None:
    source = """
        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession

        from app.models.user import User


        async def users(db: AsyncSession) -> None:
            result = db.execute(
                select(User),
            )  # noqa: CL502
            return result
    """
    assert _found(source, "CL502") == []


# CL503

def test_sync_function_reported_once_at_its_name_even_with_decorators() -> None:
    source = """
        import pytest
        from sqlalchemy.orm import Session


        @pytest.fixture
        def seeded(db: Session) -> None:
            db.execute("INSERT 1")
            db.commit()
    """
    assert _found(source, "CL503") == [("CL503", 6, 5)]


def test_run_sync_targets_dunders_and_migrations_are_exempt() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession
        from sqlalchemy.orm import Session


        class Repository:
            def __init__(self, session: AsyncSession) -> None:
                self.session = session

            def _rebuild(self, session: Session) -> None:
                session.execute("REINDEX")

            async def rebuild(self) -> None:
                await self.session.run_sync(self._rebuild)
    """
    assert _found(source, "CL503") == []
    migration = """
        from sqlalchemy.orm import Session


        def backfill(session: Session) -> None:
            session.commit()
    """
    assert _found(migration, "CL503", path="app/alembic/versions/1a_backfill.py") == []


def test_engine_parameter_alone_is_not_a_session_but_its_use_is_db_work() -> None:
    source = """
        from sqlalchemy import Engine


        def describe(engine: Engine) -> str:
            return str(engine.url)


        def reset(engine: Engine) -> None:
            engine.dispose()
    """
    assert _found(source, "CL503") == [("CL503", 8, 5)]


# CL504

def test_sync_engine_spellings() -> None:
    source = """
        import sqlalchemy
        from sqlmodel import create_engine as make_engine
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
        from sqlalchemy.orm import sessionmaker

        first = sqlalchemy.create_engine("sqlite://")
        second = make_engine("sqlite://")
        makers = [
            sessionmaker(bind=first, class_=AsyncSession),
            async_sessionmaker(second),
            sessionmaker(bind=first),
        ]
        session = AsyncSession(second)
    """
    assert _found(source, "CL504") == [("CL504", 6, 9), ("CL504", 7, 10), ("CL504", 11, 5)]


def test_sync_engine_outside_versions_is_reported() -> None:
    source = """
        from sqlalchemy import create_engine

        engine = create_engine("sqlite://")
    """
    assert _found(source, "CL504", path="alembic/env.py") == [("CL504", 3, 10)]
    assert _found(source, "CL504", path="alembic/versions/0001_init.py") == []


# CL505

def test_legacy_query_on_sessions_only() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession

        from app.models.user import User


        class UserService:
            def __init__(self, session: AsyncSession, search) -> None:
                self.session = session
                self.search = search

            def find(self, term: str):
                self.search.query(term)
                return self.session.query(User).all()


        def count(db_session) -> int:
            return db_session.query(User).count()
    """
    assert _found(source, "CL505") == [("CL505", 13, 16), ("CL505", 17, 12)]


def test_http_sessions_kept_on_self_or_opened_in_with_are_not_db_sessions() -> None:
    source = """
        import requests

        from app.db.session import SessionLocal


        class AvatarClient:
            session: requests.Session

            def __init__(self, db) -> None:
                self.db = SessionLocal()
                self.http = db

            def fetch(self, url: str) -> bytes:
                return self.session.get(url).content


        def download(url: str) -> bytes:
            with requests.Session() as session:
                return session.get(url).content


        def save(self_db) -> None:
            with SessionLocal() as db:
                db.commit()
    """
    assert _found(source, "CL503") == [("CL503", 22, 5)]


def test_annotated_sync_connection_blocks() -> None:
    source = """
        from sqlalchemy import text
        from sqlalchemy.engine import Connection


        async def check_database(connection: Connection) -> bool:
            return connection.execute(text("SELECT 1")).scalar() == 1
    """
    assert _found(source, "CL501") == [("CL501", 6, 12)]


def test_noqa_on_the_def_line_suppresses_sync_db_function() -> None:
    source = """
        from sqlalchemy.orm import Session


        def get_user(db: Session, user_id: str):  # noqa: CL503
            return db.get(User, user_id)
    """
    assert _found(source, "CL503") == []
