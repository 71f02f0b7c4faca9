"""CL5, async side: database calls inside `async def` must not block and must be awaited.

The rules share one notion of "a database handle" (recognize/sessions.py): known by
annotation, by construction, or inferred from a `session-parameters` name. Some
shapes are reported by two rules on purpose, because they are two problems:
`db.query(User).first()` in an `async def` with `db: Session` is a blocking call
(CL501) and a legacy query (CL505, legacy_query.py); `def get_user(db: AsyncSession)`
calling `db.get(...)` without `await` is a sync function (CL503) and an unawaited call (CL502).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.diagnostic import Applicability
from conventions_lint.names import dotted_name
from conventions_lint.recognize.awaits import is_handed_on, place_await
from conventions_lint.recognize.handles import Evidence, Kind
from conventions_lint.recognize.sessions import SessionTrackingRule, spelled_call
from conventions_lint.rule import FixAvailability, Invalid, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder

_ASYNC_COUNTERPART = {Kind.SESSION: "AsyncSession", Kind.ENGINE: "AsyncEngine", Kind.CONNECTION: "AsyncConnection"}


class BlockingDbCallInAsync(SessionTrackingRule):
    """
    ## What it does
    Checks `async def` functions for database calls that block: a call that does
    I/O on a handle known to be a sync `Session`, `Engine` or `Connection` (by its
    annotation or by how it was built, e.g. `with Session(engine) as session`), and
    any `.query(...)` on a session. A handle known only by its name (`db`) is not
    assumed to be sync. Calls that do no I/O, such as `session.add(user)`, are not
    reported; neither are calls in a plain `def` nested in the coroutine (the
    `run_sync` pattern), nor an awaited call: `await session.execute(...)` with
    `session: Session` treats the session as an `AsyncSession` (awaiting a sync
    call's result would fail at once), so the annotation is what is wrong, not
    the call, and the code does not block.

    `db.query(User).first()` with `db: Session` is reported here and by
    `legacy-query-api` (CL505): one is about blocking, the other about the 1.x API.

    ## Why is this bad?
    A sync database call inside a coroutine stops the event loop until the
    database answers: every other request the worker serves waits with it. Use an
    `AsyncSession` (or `AsyncEngine` / `AsyncConnection`) and `await` the call.
    """

    code = "CL501"
    name = "blocking-db-call-in-async"
    OPTIONS = ("session-types",)
    REQUIRES = (b"async",)
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
        Valid("""
            import sqlalchemy as sa

            from app.models.run import Run


            async def count_runs_service(session: sa.orm.Session) -> int:
                # Annotated sync, awaited: the caller hands over an AsyncSession.
                result = await session.execute(sa.select(sa.func.count(Run.id)))
                return result.scalar_one()
        """),
    )
    INVALID = (
        Invalid(
            """
            import uuid

            from sqlalchemy import select
            from sqlalchemy.orm import Session

            from app.models.user import User


            async def get_user_service(db: Session, user_id: uuid.UUID) -> User | None:
                result = db.execute(select(User).where(User.id == user_id))
                return result.scalar_one_or_none()
        """,
            line=10,
            column=14,
        ),
        Invalid(
            """
            from sqlalchemy import create_engine
            from sqlalchemy.orm import Session

            from app.models.user import User

            engine = create_engine("postgresql://localhost/app")


            async def create_user_service(user: User) -> User:
                with Session(engine) as session:
                    session.add(user)
                    session.commit()
                return user
        """,
            line=12,
            column=9,
        ),
        Invalid(
            """
            from app.models.user import User


            async def get_users(db, skip: int = 0, limit: int = 100) -> list[User]:
                return db.query(User).offset(skip).limit(limit).all()
        """,
            line=5,
            column=12,
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if not self.sessions.in_async_function:
            return
        found = self.sessions.receiver_of(node)
        if found is None:
            return
        handle, method = found
        if isinstance(self.context.parent, cst.Await):
            return
        if method == "query" and handle.is_session:
            self.report(
                node,
                f"`{spelled_call(node)}` blocks the event loop: `await` a `select(...)` "
                "through an `AsyncSession` instead",
            )
        elif handle.is_async is False and handle.blocks(method):
            counterpart = _ASYNC_COUNTERPART[Kind.SESSION if handle.is_session else handle.kind]
            self.report(
                node,
                f"`{spelled_call(node)}` on a sync {handle.kind.value} blocks the event loop: "
                f"use an `{counterpart}` and `await` the call",
            )


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
    The fix adds `await` before the call, in parentheses when the result is used
    further (`(await db.execute(q)).scalars()`), and moves an `await` misplaced on
    such a chain (`await db.execute(q).all()`) onto the call. It is safe when the
    receiver is known to be async by its annotation or construction, and unsafe
    when it is inferred from its name: a `db` that is really a sync `Session`
    cannot be awaited. No fix is offered in a plain `def` (making it `async def` is
    the fix of `sync-db-function`, CL503), nor in a lambda or a generator
    expression, where the `await` would not run with the function.
    """

    code = "CL502"
    name = "unawaited-async-db-call"
    OPTIONS = ("session-types",)
    REQUIRES = (b"async", b"Async")
    fix_availability = FixAvailability.SOMETIMES
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
        Invalid(
            """
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User
            from app.schemas.user import UserCreate


            async def create_user_service(db: AsyncSession, user_create: UserCreate) -> User:
                user = User(**user_create.model_dump())
                db.add(user)
                db.commit()
                await db.refresh(user)
                return user
        """,
            line=10,
            column=5,
            fixed="""
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User
            from app.schemas.user import UserCreate


            async def create_user_service(db: AsyncSession, user_create: UserCreate) -> User:
                user = User(**user_create.model_dump())
                db.add(user)
                await db.commit()
                await db.refresh(user)
                return user
        """,
        ),
        Invalid(
            """
            from sqlalchemy import select

            from app.models.user import User


            async def get_users_service(session) -> list[User]:
                result = session.execute(select(User))
                return list(result.scalars().all())
        """,
            line=7,
            column=14,
            fixed="""
            from sqlalchemy import select

            from app.models.user import User


            async def get_users_service(session) -> list[User]:
                result = await session.execute(select(User))
                return list(result.scalars().all())
        """,
        ),
        Invalid(
            """
            from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

            from app.models.user import User

            engine = create_async_engine("postgresql+asyncpg://localhost/app")
            async_session = async_sessionmaker(engine, expire_on_commit=False)


            async def save_user(user: User) -> None:
                async with async_session() as session:
                    session.add(user)
                    session.flush()
        """,
            line=12,
            column=9,
            fixed="""
            from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

            from app.models.user import User

            engine = create_async_engine("postgresql+asyncpg://localhost/app")
            async_session = async_sessionmaker(engine, expire_on_commit=False)


            async def save_user(user: User) -> None:
                async with async_session() as session:
                    session.add(user)
                    await session.flush()
        """,
        ),
        Invalid(
            """
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User


            class UserRepository:
                def __init__(self, session: AsyncSession) -> None:
                    self._session = session

                async def remove(self, user: User) -> None:
                    self._session.delete(user)
                    await self._session.flush()
        """,
            line=11,
            column=9,
            fixed="""
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User


            class UserRepository:
                def __init__(self, session: AsyncSession) -> None:
                    self._session = session

                async def remove(self, user: User) -> None:
                    await self._session.delete(user)
                    await self._session.flush()
        """,
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        found = self.sessions.receiver_of(node)
        if found is None:
            return
        handle, method = found
        inferred = handle.evidence is Evidence.NAME
        if not (handle.is_async or (inferred and self.sessions.in_async_function)):
            return
        if not handle.awaits(method) or is_handed_on(self.context.ancestors):
            return
        message = f"Write `await {spelled_call(node)}`: without `await` the call never runs"
        if inferred:
            message += f" (`{dotted_name(node.func.value)}` is taken for an `AsyncSession` from its name)"
        self.report(node, message, fix=self._await_fix(node, inferred))

    def _await_fix(self, node: cst.Call, inferred: bool) -> FixBuilder | None:
        placement = place_await(self.context.ancestors) if self.sessions.in_async_function else None
        if placement is None:
            return None
        verb = "Move `await` onto" if placement.misplaced is not None else "Add `await` to"
        fix = self.fix(f"{verb} `{spelled_call(node)}`", Applicability.UNSAFE if inferred else Applicability.SAFE)
        placement.add_to(fix)
        return fix
