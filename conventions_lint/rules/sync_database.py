"""CL5, sync side: sync database functions, sync engines and the 1.x query API.

See async_database.py for the rules' shared notion of a database handle and for the
shapes that two rules report on purpose.
"""

from __future__ import annotations

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import last_name
from conventions_lint.recognize.sessions import SessionTrackingRule, db_name, makes_async_sessions, spelled_call
from conventions_lint.recognize.syntax import positional
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid


def _is_dunder(function: cst.FunctionDef) -> bool:
    name = function.name.value
    return name.startswith("__") and name.endswith("__")


class SyncDbFunction(SessionTrackingRule):
    """
    ## What it does
    Checks for plain `def` functions that take a session (a parameter annotated
    `Session` or `AsyncSession`, or one named in `session-parameters`: `db`,
    `session`, `db_session`) or that run database calls (I/O on a known session,
    engine or connection, e.g. `db = SessionLocal()` … `db.close()`).

    Not reported: `async def`, dunder methods (`__init__(self, session)` only
    stores the session), files in the migrations role (Alembic runs revisions
    synchronously), and functions handed to `run_sync(...)`, which is how async
    code runs sync database work on purpose. An un-awaited `AsyncSession` call in
    such a function is also reported by `unawaited-async-db-call` (CL502).

    ## Why is this bad?
    The team's convention is that database work is async, end to end. A sync
    function holding a session either blocks the event loop when called from a
    route, or forces the caller to run it in a thread pool; it also keeps the sync
    `Session` API alive next to the async one.

    ## Fix safety
    The fix makes the function `async def`, awaits its database calls and switches
    a `Session` annotation to `AsyncSession`. It is always unsafe: every caller
    must now `await` the function, and the callers may be in other files.
    """

    code = "CL503"
    name = "sync-db-function"
    fix_safety = FixSafety.UNSAFE
    VALID = (
        Valid("""
            import uuid

            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User


            async def get_user_service(db: AsyncSession, user_id: uuid.UUID) -> User | None:
                return await db.get(User, user_id)
        """),
        Valid("""
            from sqlalchemy.ext.asyncio import AsyncSession


            class UserRepository:
                def __init__(self, session: AsyncSession) -> None:
                    self.session = session
        """),
        Valid("""
            import sqlalchemy as sa
            from alembic import op
            from sqlalchemy.orm import Session


            def upgrade() -> None:
                session = Session(bind=op.get_bind())
                session.execute(sa.text("UPDATE users SET is_active = true"))
                session.commit()
        """, path="alembic/versions/3f2a1b_backfill_is_active.py"),
        Valid("""
            from sqlalchemy import func, select
            from sqlalchemy.ext.asyncio import AsyncSession
            from sqlalchemy.orm import Session

            from app.models.user import User


            def _count_users(session: Session) -> int:
                return session.scalar(select(func.count(User.id)))


            async def count_users_service(db: AsyncSession) -> int:
                return await db.run_sync(_count_users)
        """),
    )
    INVALID = (
        Invalid("""
            import uuid

            from sqlalchemy.orm import Session

            from app.models.user import User


            def get_user_service(db: Session, user_id: uuid.UUID) -> User | None:
                return db.get(User, user_id)
        """, line=8, column=5),
        Invalid("""
            from sqlalchemy import create_engine
            from sqlalchemy.orm import sessionmaker

            from app.core.config import settings

            engine = create_engine(settings.DATABASE_URL)
            SessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)


            def get_db():
                db = SessionLocal()
                try:
                    yield db
                finally:
                    db.close()
        """, line=10, column=5),
        Invalid("""
            import uuid

            from sqlalchemy import delete

            from app.models.user import User


            def delete_user_service(db, user_id: uuid.UUID) -> None:
                db.execute(delete(User).where(User.id == user_id))
        """, line=8, column=5),
        Invalid("""
            from app.models.user import User


            class UserRepository:
                def __init__(self, db) -> None:
                    self.db = db

                def get_by_email(self, email: str) -> User | None:
                    return self.db.query(User).filter(User.email == email).first()
        """, line=8, column=9),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Insertion-ordered: reported in source order once the whole file is seen.
        self._sync_db_functions: dict[cst.FunctionDef, None] = {}
        self._run_sync_targets: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        if not self._may_report(node):
            return
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            handle = self.sessions.parameter_handle(param)
            if handle is not None and handle.is_session:
                self._sync_db_functions[node] = None
                return

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "run_sync":
            target = next(iter(positional(node)), None)
            target_name = last_name(target.value) if target is not None else None
            if target_name is not None:
                self._run_sync_targets.add(target_name)
        function = self.sessions.function
        if function is None or not self._may_report(function):
            return
        found = self.sessions.receiver_of(node)
        if found is not None and found[0].does_io(found[1]):
            self._sync_db_functions[function] = None

    def leave_Module(self, node: cst.Module) -> None:
        for function in self._sync_db_functions:
            name = function.name.value
            if name not in self._run_sync_targets:
                self.report(function.name, f"Make `{name}` an `async def` using an `AsyncSession` "
                                           "and awaiting its database calls", fix_at=function)

    def _may_report(self, function: cst.FunctionDef) -> bool:
        return function.asynchronous is None and not _is_dunder(function) and "migrations" not in self.context.roles


_SYNC_FACTORIES = {
    "create_engine": "Use `create_async_engine` with an async driver instead of `create_engine`",
    "sessionmaker": "Use `async_sessionmaker` instead of `sessionmaker`",
    "scoped_session": "Use `async_sessionmaker` with a session per request instead of `scoped_session`",
    "Session": "Use `AsyncSession` instead of the sync `Session`",
}


class SyncEngine(Rule):
    """
    ## What it does
    Checks for sync engines and sessions being made: calls of `create_engine`,
    `sessionmaker`, `scoped_session` and `Session(...)` from `sqlalchemy` (any
    submodule or alias) or `sqlmodel`, outside the migrations role.
    `sessionmaker(..., class_=AsyncSession)`, the SQLAlchemy 1.4 way to make async
    sessions, is not reported, and neither are `create_async_engine`,
    `async_sessionmaker` and `AsyncSession(...)`.

    ## Why is this bad?
    Everything built on a sync engine is sync: each query blocks the event loop of
    the FastAPI worker. The async engine and session are drop-in at this level and
    keep the whole request path non-blocking.

    ## Fix safety
    The fix renames the call to `create_async_engine`, `async_sessionmaker` or
    `AsyncSession` (plus imports). It is unsafe: the database URL needs an async
    driver (`postgresql+asyncpg://`), and every use of the session must be awaited.
    """

    code = "CL504"
    name = "sync-engine"
    fix_safety = FixSafety.UNSAFE
    VALID = (
        Valid("""
            from sqlalchemy.ext.asyncio import create_async_engine

            from app.core.config import settings

            engine = create_async_engine(settings.DATABASE_URL, pool_pre_ping=True)
        """),
        Valid("""
            from sqlalchemy.ext.asyncio import AsyncSession
            from sqlalchemy.orm import sessionmaker

            from app.db.engine import engine

            AsyncSessionLocal = sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
        """),
        Valid("""
            from requests import Session

            http = Session()
        """),
        Valid("""
            from alembic import op
            from sqlalchemy.orm import Session


            def upgrade() -> None:
                session = Session(bind=op.get_bind())
                session.commit()
        """, path="migrations/versions/9c1d2e_seed_roles.py"),
    )
    INVALID = (
        Invalid("""
            from sqlalchemy import create_engine

            from app.core.config import settings

            engine = create_engine(settings.DATABASE_URL, pool_pre_ping=True)
        """, line=5, column=10),
        Invalid("""
            from sqlalchemy import orm

            from app.db.engine import engine

            SessionLocal = orm.sessionmaker(autocommit=False, autoflush=False, bind=engine)
        """, line=5, column=16),
        Invalid("""
            from sqlalchemy.orm import Session as SyncSession

            from app.db.engine import engine


            async def ping() -> None:
                with SyncSession(engine) as session:
                    session.commit()
        """, line=7, column=10),
        Invalid("""
            from sqlalchemy.orm import scoped_session

            from app.db.session import SessionLocal

            db_session = scoped_session(SessionLocal)
        """, line=5, column=14),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if "migrations" in self.context.roles:
            return
        name = db_name(self.context, node.func)
        if name not in _SYNC_FACTORIES:
            return
        if name == "sessionmaker" and makes_async_sessions(self.context, node):
            return
        self.report(node.func, _SYNC_FACTORIES[name])


class LegacyQueryApi(SessionTrackingRule):
    """
    ## What it does
    Checks for `<session>.query(...)`, SQLAlchemy's 1.x query API, on a session
    known by annotation or construction or named in `session-parameters`
    (`db`, `session`, `db_session`, also as `self.db` / `self.session`).

    In an `async def` the same call is also reported by `blocking-db-call-in-async`
    (CL501): the legacy API is sync-only.

    ## Why is this bad?
    `Query` is legacy in SQLAlchemy 2.0 and does not exist on `AsyncSession`.
    `select(...)` statements work the same in sync and async code, compose, and are
    what the rest of the codebase uses.

    ## Fix safety
    The fix rewrites the common shapes, `db.query(M).filter(...).first()` /
    `.all()` / `.one()`, to `db.scalars(select(M).where(...)).first()` and so on,
    adding the `select` import. It is unsafe: `Query` and `Result` differ in edge
    cases (uniquing of joined eager loads, autoflush timing).
    """

    code = "CL505"
    name = "legacy-query-api"
    fix_safety = FixSafety.UNSAFE
    VALID = (
        Valid("""
            from sqlalchemy import select
            from sqlalchemy.orm import Session

            from app.models.user import User


            def get_user_by_email(db: Session, email: str) -> User | None:
                return db.scalars(select(User).where(User.email == email)).first()
        """),
        Valid("""
            from elasticsearch import Elasticsearch


            def search_users(client: Elasticsearch, term: str) -> dict:
                return client.query(index="users", q=term)
        """),
        Valid("""
            from fastapi import Request


            async def get_search_term(request: Request) -> str:
                return request.query_params.get("q", "")
        """),
    )
    INVALID = (
        Invalid("""
            from sqlalchemy.orm import Session

            from app.models.user import User


            def get_user_by_email(db: Session, email: str) -> User | None:
                return db.query(User).filter(User.email == email).first()
        """, line=7, column=12),
        Invalid("""
            from app.models.user import User


            class UserRepository:
                def __init__(self, db) -> None:
                    self.db = db

                def count(self) -> int:
                    return self.db.query(User).count()
        """, line=9, column=16),
        Invalid("""
            from app.db.session import SessionLocal
            from app.models.user import User


            def count_users() -> int:
                with SessionLocal() as session:
                    return session.query(User).count()
        """, line=7, column=16),
        Invalid("""
            from sqlalchemy.orm import scoped_session, sessionmaker

            from app.db.engine import engine
            from app.models.user import User

            db_session = scoped_session(sessionmaker(bind=engine))


            def get_users() -> list[User]:
                return db_session.query(User).all()
        """, line=10, column=12),
    )

    def visit_Call(self, node: cst.Call) -> None:
        found = self.sessions.receiver_of(node)
        if found is not None and found[1] == "query" and found[0].is_session:
            self.report(node, f"Use `select(...)` with `.execute()` / `.scalars()` instead of the legacy "
                              f"`{spelled_call(node)}`")
