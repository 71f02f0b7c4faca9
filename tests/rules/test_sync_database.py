"""CL503 and CL504 beyond the rule examples, and their fixes."""

from __future__ import annotations

import textwrap

from tests.helpers import fix, found, lint


def _found(source: str, *codes: str, **options) -> list[tuple[str, int, int]]:
    return found(lint(source, select=codes or ("CL5",), **options))


def _dedent(source: str) -> str:
    return textwrap.dedent(source).lstrip("\n")


def _fixes(source: str, *codes: str) -> list[str | None]:
    return [d.fix.message if d.fix else None for d in lint(source, select=codes)]


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


def test_async_fix_reannotates_awaits_and_leaves_safe_mode_alone() -> None:
    source = """
        from typing import Optional

        import sqlalchemy as sa
        from fastapi import APIRouter, Depends

        from app.db.session import get_db
        from app.models.user import User

        router = APIRouter()


        @router.get("/users")
        def get_users(db: Optional[sa.orm.Session] = Depends(get_db)) -> list[User]:
            users = db.execute(sa.select(User)).scalars().all()
            db.commit()
            return list(db.scalars(sa.select(User)))


        class UserRepository:
            def __init__(self, db) -> None:
                self.db = db

            def get(self, user_id: int) -> User | None:
                return self.db.get(User, user_id)
    """
    assert fix(source, select=("CL503",)) == _dedent(source)
    assert fix(source, select=("CL503",), unsafe=True) == _dedent("""
        from typing import Optional

        import sqlalchemy as sa
        from fastapi import APIRouter, Depends
        from sqlalchemy.ext.asyncio import AsyncSession

        from app.db.session import get_db
        from app.models.user import User

        router = APIRouter()


        @router.get("/users")
        async def get_users(db: Optional[AsyncSession] = Depends(get_db)) -> list[User]:
            users = (await db.execute(sa.select(User))).scalars().all()
            await db.commit()
            return list(await db.scalars(sa.select(User)))


        class UserRepository:
            def __init__(self, db) -> None:
                self.db = db

            async def get(self, user_id: int) -> User | None:
                return await self.db.get(User, user_id)
    """)
    assert _fixes(source, "CL503") == [
        "Make `get_users` an `async def` taking an `AsyncSession` and awaiting its database calls",
        "Make `get` an `async def` awaiting its database calls",
    ]


def test_async_fix_of_a_sqlmodel_session_uses_sqlmodels_async_session() -> None:
    source = """
        from sqlmodel import Session, select

        from app.models.user import User


        def get_users(session: Session) -> list[User]:
            return list(session.exec(select(User)))
    """
    assert fix(source, select=("CL503",), unsafe=True) == _dedent("""
        from sqlmodel import select
        from sqlmodel.ext.asyncio.session import AsyncSession

        from app.models.user import User


        async def get_users(session: AsyncSession) -> list[User]:
            return list(await session.exec(select(User)))
    """)


def test_no_async_fix_when_the_function_would_stay_sync() -> None:
    source = """
        from typing import Annotated, TypeAlias

        from fastapi import Depends
        from sqlalchemy.orm import Session, scoped_session, sessionmaker

        from app.db.engine import engine
        from app.db.session import SessionLocal, get_db
        from app.models.user import User

        SyncDep: TypeAlias = Annotated[Session, Depends(get_db)]
        LocalSession = sessionmaker(bind=engine)


        def by_query(db) -> list[User]:
            return db.query(User).all()


        def by_with() -> None:
            with SessionLocal() as db:
                db.commit()


        def by_alias(db: SyncDep) -> None:
            db.commit()


        def by_lambda(db) -> None:
            callback = lambda: db.commit()


        def by_scoped(db: scoped_session) -> None:
            db.commit()


        def by_begin(db) -> None:
            with db.begin():
                db.add(User())


        def get_db_local():
            db = LocalSession()
            try:
                yield db
            finally:
                db.close()
    """
    assert len(_found(source, "CL503")) == 7
    assert _fixes(source, "CL503") == [None] * 7


def test_async_fix_adds_lines_with_crlf() -> None:
    source = "from sqlalchemy.orm import Session\r\n\r\n\r\ndef save(db: Session) -> None:\r\n    db.commit()\r\n"
    assert fix(source, select=("CL503",), unsafe=True) == (
        "from sqlalchemy.ext.asyncio import AsyncSession\r\n\r\n\r\n"
        "async def save(db: AsyncSession) -> None:\r\n    await db.commit()\r\n"
    )


def test_legacy_query_is_rewritten_first_then_the_function_made_async() -> None:
    source = """
        from sqlalchemy.orm import Session

        from app.models.user import User


        def get_user_by_email(db: Session, email: str) -> User | None:
            return db.query(User).filter(User.email == email).first()
    """
    assert fix(source, select=("CL502", "CL503", "CL505"), unsafe=True) == _dedent("""
        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession

        from app.models.user import User


        async def get_user_by_email(db: AsyncSession, email: str) -> User | None:
            return (await db.execute(select(User).where(User.email == email).limit(1))).scalars().first()
    """)


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


def test_noqa_on_the_def_line_suppresses_sync_db_function() -> None:
    source = """
        from sqlalchemy.orm import Session


        def get_user(db: Session, user_id: str):  # noqa: CL503
            return db.get(User, user_id)
    """
    assert _found(source, "CL503") == []


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


def test_no_async_engine_fix_for_an_engine_or_factory_kept_in_a_module_level_name() -> None:
    # Field report F5 / the harness: every function and module using them would have to await each call.
    source = """
        import sqlalchemy as sa

        engine = sa.create_engine("postgresql+asyncpg://localhost/app", pool_pre_ping=True)
        SessionLocal = sa.orm.sessionmaker(bind=engine, expire_on_commit=False)
    """
    assert fix(source, select=("CL504",), unsafe=True) == _dedent(source)
    assert _fixes(source, "CL504") == [None, None]


def test_session_in_a_with_of_a_coroutine_becomes_async_with_and_its_calls_are_awaited() -> None:
    source = """
        from sqlalchemy.ext.asyncio import create_async_engine
        from sqlalchemy.orm import Session

        engine = create_async_engine("postgresql+asyncpg://localhost/app")


        async def ping() -> None:
            with Session(engine) as session:
                session.commit()
    """
    assert fix(source, select=("CL502", "CL504"), unsafe=True) == _dedent("""
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        engine = create_async_engine("postgresql+asyncpg://localhost/app")


        async def ping() -> None:
            async with AsyncSession(engine) as session:
                await session.commit()
    """)


def test_no_async_engine_fix_where_it_is_not_mechanical() -> None:
    source = """
        from sqlalchemy import create_engine
        from sqlalchemy.orm import Session, scoped_session, sessionmaker

        engine = create_engine("sqlite://")
        db_session = scoped_session(sessionmaker(bind=engine))
        connection = create_engine("sqlite://").connect()


        def sync_with() -> None:
            with Session(engine) as session:
                session.commit()


        async def two_items() -> None:
            with Session(engine) as session, open("seed.sql") as seed:
                session.execute(seed.read())
    """
    assert _fixes(source, "CL504") == [
        None,
        None,
        None,
        None,
        None,
        None,
    ]


def test_async_engine_fix_adds_lines_with_crlf() -> None:
    source = "from sqlalchemy.orm import Session\r\n\r\n\r\nasync def ping(engine):\r\n    with Session(engine) as s:\r\n        pass\r\n"
    assert fix(source, select=("CL504",), unsafe=True) == (
        "from sqlalchemy.ext.asyncio import AsyncSession\r\n\r\n\r\n"
        "async def ping(engine):\r\n    async with AsyncSession(engine) as s:\r\n        pass\r\n"
    )


def test_one_shot_commands_and_scripts_may_make_sync_engines() -> None:
    # fief's typer commands, phoenix's data migration script (issue 15: no event loop runs there).
    source = _dedent("""
        import typer
        from sqlalchemy import create_engine
        from sqlalchemy.orm import sessionmaker

        app = typer.Typer()
        engine = create_engine("sqlite://")


        @app.command("migrate")
        def migrate(url: str) -> None:
            Session = sessionmaker(create_engine(url))


        @app.command("init-themes")
        async def init_themes(url: str) -> None:
            create_engine(url)


        def helper(url: str) -> None:
            create_engine(url)


        if __name__ == "__main__":
            create_engine("sqlite://")
    """)
    assert _found(source, "CL504") == [("CL504", 6, 10), ("CL504", 20, 5)]


def test_sessions_over_a_sync_engine_the_code_is_handed_are_reported_where_it_is_made() -> None:
    # open-webui's OpenTelemetry gauge callbacks; sqladmin's sync branch beside its async one.
    source = _dedent("""
        from sqlalchemy import Engine
        from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
        from sqlalchemy.orm import Session, sessionmaker


        def count_users(db_engine: Engine) -> int:
            with Session(db_engine) as session:
                return 0


        def count_teams(db_engine) -> int:
            with Session(db_engine) as session:
                return 0


        class Admin:
            def __init__(self, engine) -> None:
                self.engine = engine
                if isinstance(self.engine, Engine):
                    self.session_maker = sessionmaker(bind=self.engine, class_=Session)
                else:
                    self.session_maker = async_sessionmaker(bind=self.engine)
                if isinstance(self.engine, AsyncEngine):
                    self.other = async_sessionmaker(bind=self.engine)
                else:
                    self.other = sessionmaker(bind=self.engine)
    """)
    assert _found(source, "CL504") == [("CL504", 12, 10), ("CL504", 26, 26)]
