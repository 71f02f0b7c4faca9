"""CL5, legacy API: SQLAlchemy 1.x `session.query(...)`, rewritten as 2.0 `select()`.

See async_database.py for the rules' shared notion of a database handle and for the
shapes that two rules report on purpose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.names import dotted_name
from conventions_lint.recognize.awaits import can_await_here
from conventions_lint.recognize.handles import Handle
from conventions_lint.recognize.queries import read_legacy_query
from conventions_lint.recognize.sessions import SessionTrackingRule, spelled_call
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder


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
    The fix rewrites a chain on one entity whose steps all have a `Select` twin
    (`filter` becomes `where`; `filter_by`, `join`, `outerjoin`, `options`,
    `order_by`, `group_by`, `having`, `distinct`, `limit`, `offset` stay), by its
    last call:
    - `.all()`: `db.execute(select(M)...).scalars().all()`;
    - `.first()`: `db.execute(select(M)....limit(1)).scalars().first()`, the
      migration guide's spelling, keeping the `LIMIT 1` that `Query.first()` emits;
    - `.one()`, `.one_or_none()`: `.scalar_one()`, `.scalar_one_or_none()`;
    - `.get(pk)`: `db.get(M, pk)`;
    - `.count()`, after filters and joins only:
      `db.scalar(select(func.count()).select_from(M)...)`.

    With several entities (`query(User, Address)`) the result methods stay as
    they are, on rows. In an `async def` whose session is known to be an
    `AsyncSession` the call is awaited: `(await db.execute(...)).scalars().first()`.
    `select` and `func` are imported from `sqlalchemy`. Other shapes (a single
    column, `.delete()`, `.update()`, a query kept in a variable) are reported
    without a fix. It is unsafe: `Result` differs from `Query` in edge cases, such
    as joined eager loads of collections, which need `.unique()`.

    A name the fix imports never collides with one in scope: when a
    variable, attribute or parameter where it is used already has that
    name, it is not imported and there is no fix.
    """

    code = "CL505"
    name = "legacy-query-api"
    REQUIRES = (b"query",)
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
    VALID = (
        Valid("""
            from sqlalchemy import select
            from sqlalchemy.orm import Session

            from app.models.user import User


            def get_user_by_email(db: Session, email: str) -> User | None:
                return db.execute(select(User).where(User.email == email).limit(1)).scalars().first()
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
        Invalid(
            """
            from sqlalchemy.orm import Session

            from app.models.user import User


            def get_user_by_email(db: Session, email: str) -> User | None:
                return db.query(User).filter(User.email == email).first()
        """,
            line=7,
            column=12,
            fixed="""
            from sqlalchemy import select
            from sqlalchemy.orm import Session

            from app.models.user import User


            def get_user_by_email(db: Session, email: str) -> User | None:
                return db.execute(select(User).where(User.email == email).limit(1)).scalars().first()
        """,
        ),
        Invalid(
            """
            from app.models.user import User


            class UserRepository:
                def __init__(self, db) -> None:
                    self.db = db

                def count(self) -> int:
                    return self.db.query(User).count()
        """,
            line=9,
            column=16,
            fixed="""
            from sqlalchemy import func, select

            from app.models.user import User


            class UserRepository:
                def __init__(self, db) -> None:
                    self.db = db

                def count(self) -> int:
                    return self.db.scalar(select(func.count()).select_from(User))
        """,
        ),
        Invalid(
            """
            from app.db.session import SessionLocal
            from app.models.user import User


            def count_users() -> int:
                with SessionLocal() as session:
                    return session.query(User).count()
        """,
            line=7,
            column=16,
            fixed="""
            from sqlalchemy import func, select

            from app.db.session import SessionLocal
            from app.models.user import User


            def count_users() -> int:
                with SessionLocal() as session:
                    return session.scalar(select(func.count()).select_from(User))
        """,
        ),
        Invalid(
            """
            from sqlalchemy.orm import scoped_session, sessionmaker

            from app.db.engine import engine
            from app.models.user import User

            db_session = scoped_session(sessionmaker(bind=engine))


            def get_users() -> list[User]:
                return db_session.query(User).all()
        """,
            line=10,
            column=12,
            fixed="""
            from sqlalchemy import select
            from sqlalchemy.orm import scoped_session, sessionmaker

            from app.db.engine import engine
            from app.models.user import User

            db_session = scoped_session(sessionmaker(bind=engine))


            def get_users() -> list[User]:
                return db_session.execute(select(User)).scalars().all()
        """,
        ),
        Invalid(
            """
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User


            async def get_user_by_email(db: AsyncSession, email: str) -> User | None:
                return db.query(User).filter_by(email=email).one_or_none()
        """,
            line=7,
            column=12,
            fixed="""
            from sqlalchemy import select
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User


            async def get_user_by_email(db: AsyncSession, email: str) -> User | None:
                return (await db.execute(select(User).filter_by(email=email))).scalar_one_or_none()
        """,
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        found = self.sessions.receiver_of(node)
        if found is not None and found[1] == "query" and found[0].is_session:
            self.report(
                node,
                f"Use `select(...)` with `.execute()` / `.scalars()` instead of the legacy `{spelled_call(node)}`",
                fix=self._select_fix(found[0]),
            )

    def _select_fix(self, handle: Handle) -> FixBuilder | None:
        legacy = read_legacy_query(self.context.ancestors)
        if legacy is None or not legacy.is_rewritable:
            return None
        # Only a receiver known to be an `AsyncSession` is awaited; one known by name is left to CL502.
        awaited = handle.is_async is True and self.sessions.in_async_function
        if awaited and not can_await_here(self.context.ancestors):
            return None
        receiver = dotted_name(legacy.query.func.value) or "session"
        fix = self.fix(f"Replace the query with `{receiver}.{legacy.result_method}(...)`")
        legacy.rewrite(fix, awaited=awaited)
        return fix
