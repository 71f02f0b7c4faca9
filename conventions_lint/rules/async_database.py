"""CL5: database work is async.

The rules share one notion of "a database handle" (recognize/sessions.py): known by
annotation, by construction, or inferred from a `session-parameters` name. Some
shapes are reported by two rules on purpose, because they are two problems:
`db.query(User).first()` in an `async def` with `db: Session` is a blocking call
(CL501) and a legacy query (CL505); `def get_user(db: AsyncSession)` calling
`db.get(...)` without `await` is a sync function (CL503) and an unawaited call (CL502).
"""

from __future__ import annotations

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import dotted_name, last_name
from conventions_lint.recognize.sessions import Evidence, Kind, SessionTrackingRule, db_name, makes_async_sessions
from conventions_lint.recognize.syntax import positional
from conventions_lint.rule import FixSafety, Invalid, Rule, Valid

_ASYNC_COUNTERPART = {Kind.SESSION: "AsyncSession", Kind.ENGINE: "AsyncEngine", Kind.CONNECTION: "AsyncConnection"}


def _spelled(call: cst.Call) -> str:
    """`db.execute()` for `db.execute(select(User))`: how a message names a call."""
    return f"{dotted_name(call.func) or '.' + str(last_name(call.func))}()"


def _is_dunder(function: cst.FunctionDef) -> bool:
    name = function.name.value
    return name.startswith("__") and name.endswith("__")


class BlockingDbCallInAsync(SessionTrackingRule):
    """
    ## What it does
    Checks `async def` functions for database calls that block: a call that does
    I/O on a handle known to be a sync `Session`, `Engine` or `Connection` (by its
    annotation or by how it was built, e.g. `with Session(engine) as session`), and
    any `.query(...)` on a session. A handle known only by its name (`db`) is not
    assumed to be sync. Calls that do no I/O, such as `session.add(user)`, are not
    reported; neither are calls in a plain `def` nested in the coroutine (the
    `run_sync` pattern).

    `db.query(User).first()` with `db: Session` is reported here and by
    `legacy-query-api` (CL505): one is about blocking, the other about the 1.x API.

    ## Why is this bad?
    A sync database call inside a coroutine stops the event loop until the
    database answers: every other request the worker serves waits with it. Use an
    `AsyncSession` (or `AsyncEngine` / `AsyncConnection`) and `await` the call.
    """

    code = "CL501"
    name = "blocking-db-call-in-async"
    VALID = (
        Valid("""
            import uuid

            from sqlalchemy import select
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User


            async def get_user_service(db: AsyncSession, user_id: uuid.UUID) -> User | None:
                result = await db.execute(select(User).where(User.id == user_id))
                return result.scalar_one_or_none()
        """),
        Valid("""
            from sqlalchemy import func, select
            from sqlalchemy.ext.asyncio import AsyncSession
            from sqlalchemy.orm import Session

            from app.models.user import User


            async def count_users_service(db: AsyncSession) -> int:
                def count(session: Session) -> int:
                    return session.scalar(select(func.count(User.id)))

                return await db.run_sync(count)
        """),
        Valid("""
            from sqlalchemy import select

            from app.models.user import User


            async def get_users_service(db) -> list[User]:
                result = await db.execute(select(User))
                return list(result.scalars().all())
        """),
    )
    INVALID = (
        Invalid("""
            import uuid

            from sqlalchemy import select
            from sqlalchemy.orm import Session

            from app.models.user import User


            async def get_user_service(db: Session, user_id: uuid.UUID) -> User | None:
                result = db.execute(select(User).where(User.id == user_id))
                return result.scalar_one_or_none()
        """, line=10, column=14),
        Invalid("""
            from sqlalchemy import create_engine
            from sqlalchemy.orm import Session

            from app.models.user import User

            engine = create_engine("postgresql://localhost/app")


            async def create_user_service(user: User) -> User:
                with Session(engine) as session:
                    session.add(user)
                    session.commit()
                return user
        """, line=12, column=9),
        Invalid("""
            from app.models.user import User


            async def get_users(db, skip: int = 0, limit: int = 100) -> list[User]:
                return db.query(User).offset(skip).limit(limit).all()
        """, line=5, column=12),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if not self.sessions.in_async_function:
            return
        found = self.sessions.receiver_of(node)
        if found is None:
            return
        handle, method = found
        if method == "query" and handle.is_session:
            self.report(node, f"`{_spelled(node)}` blocks the event loop: `await` a `select(...)` "
                              "through an `AsyncSession` instead")
        elif handle.is_async is False and handle.blocks(method):
            counterpart = _ASYNC_COUNTERPART[Kind.SESSION if handle.is_session else handle.kind]
            self.report(node, f"`{_spelled(node)}` on a sync {handle.kind.value} blocks the event loop: "
                              f"use an `{counterpart}` and `await` the call")


class UnawaitedAsyncDbCall(SessionTrackingRule):
    """
    ## What it does
    Checks for coroutine methods of an `AsyncSession` (`execute`, `scalar`,
    `scalars`, `get`, `get_one`, `commit`, `flush`, `refresh`, `delete`,
    `rollback`, `close`, `merge`, `stream`, `stream_scalars`, `run_sync`,
    `connection`, and SQLModel's `exec`), of an `AsyncConnection` (`execute`,
    `commit`, …) and `AsyncEngine.dispose` called without `await`.

    The receiver must be known to be async by its annotation or construction, or
    be a `session-parameters` name (`db`, `session`, `db_session`, `self.db`)
    inside an `async def`; the message then says the receiver was inferred from
    its name. The coroutine is not reported when it is awaited, passed as an
    argument (`asyncio.gather(...)`), returned, yielded, collected into a
    list/tuple/comprehension or entered with `async with`. `db.add(user)` is sync
    even on an `AsyncSession` and is never reported.

    ## Why is this bad?
    Calling a coroutine function only creates the coroutine: `db.commit()` without
    `await` commits nothing, and Python merely warns "coroutine was never awaited"
    when it is garbage-collected. `result = db.execute(query)` fails later, far
    from the cause, when `result.scalars()` is called on a coroutine.

    ## Fix safety
    The fix inserts `await` before the call (parenthesised as `(await db.execute(q))`
    when the result is used further). It is safe when the receiver is known to be
    async by its annotation or construction, and unsafe when it is inferred from its
    name: a `db` that is really a sync `Session` cannot be awaited. In a plain `def`
    no fix is offered: the function must become `async def` first (CL503).
    """

    code = "CL502"
    name = "unawaited-async-db-call"
    fix_safety = FixSafety.SOMETIMES
    VALID = (
        Valid("""
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User
            from app.schemas.user import UserCreate


            async def create_user_service(db: AsyncSession, user_create: UserCreate) -> User:
                user = User(**user_create.model_dump())
                db.add(user)
                await db.commit()
                await db.refresh(user)
                return user
        """),
        Valid("""
            import asyncio

            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User


            async def refresh_users_service(db: AsyncSession, users: list[User]) -> None:
                await asyncio.gather(*(db.refresh(user) for user in users))
        """),
        Valid("""
            import aiohttp


            async def fetch_profile(session: aiohttp.ClientSession, url: str) -> dict:
                async with session.get(url) as response:
                    return await response.json()
        """),
    )
    INVALID = (
        Invalid("""
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User
            from app.schemas.user import UserCreate


            async def create_user_service(db: AsyncSession, user_create: UserCreate) -> User:
                user = User(**user_create.model_dump())
                db.add(user)
                db.commit()
                await db.refresh(user)
                return user
        """, line=10, column=5),
        Invalid("""
            from sqlalchemy import select

            from app.models.user import User


            async def get_users_service(session) -> list[User]:
                result = session.execute(select(User))
                return list(result.scalars().all())
        """, line=7, column=14),
        Invalid("""
            from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

            from app.models.user import User

            engine = create_async_engine("postgresql+asyncpg://localhost/app")
            async_session = async_sessionmaker(engine, expire_on_commit=False)


            async def save_user(user: User) -> None:
                async with async_session() as session:
                    session.add(user)
                    session.flush()
        """, line=12, column=9),
        Invalid("""
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User


            class UserRepository:
                def __init__(self, session: AsyncSession) -> None:
                    self._session = session

                async def remove(self, user: User) -> None:
                    self._session.delete(user)
                    await self._session.flush()
        """, line=11, column=9),
    )

    def visit_Call(self, node: cst.Call) -> None:
        found = self.sessions.receiver_of(node)
        if found is None:
            return
        handle, method = found
        inferred = handle.evidence is Evidence.NAME
        if not (handle.is_async or (inferred and self.sessions.in_async_function)):
            return
        if not handle.awaits(method) or self._is_handed_on():
            return
        message = f"Write `await {_spelled(node)}`: without `await` the call never runs"
        if inferred:
            message += f" (`{dotted_name(node.func.value)}` is taken for an `AsyncSession` from its name)"
        self.report(node, message, fix_at=node)

    def _is_handed_on(self) -> bool:
        """Whether the coroutine being visited is awaited, or given to code that may await it."""
        ancestors = self.context.ancestors
        child, index = ancestors[-1], len(ancestors) - 2
        while index > 0 and isinstance(ancestors[index], cst.IfExp) and ancestors[index].test is not child:
            child, index = ancestors[index], index - 1
        return isinstance(ancestors[index], _HANDED_ON)


# Parents of a coroutine that await it or pass it to something that will.
_HANDED_ON = (cst.Await, cst.Arg, cst.Return, cst.Yield, cst.Lambda, cst.Element, cst.StarredElement,
              cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.WithItem)


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
                              f"`{_spelled(node)}`")
