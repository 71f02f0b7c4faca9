"""CL504: sync engines and sessions made (sync_database.py: CL503, functions doing sync database I/O).

See async_database.py for the rules' shared notion of a database handle and for the
shapes that two rules report on purpose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.names import dotted_name
from conventions_lint.recognize.awaits import has_trailer
from conventions_lint.recognize.entry_points import runs_as_command
from conventions_lint.recognize.handles import (
    async_counterpart,
    binds_given_sync_engine,
    db_name,
    makes_async_sessions,
)
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder


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

    ## Known limits
    Not reported, since nothing awaits there or the finding belongs elsewhere:
    - a one-shot command: code under `if __name__ == "__main__":`, or in a
      function decorated as a command (`@app.command()`, `@cli.group()`) of
      a module importing typer or click; nothing else runs beside it, even
      on the loop an `async def` command's wrapper starts;
    - a session or session factory over a sync engine the code is handed: a
      parameter annotated `Engine` or `Connection` (`Session(db_engine)` in
      an OpenTelemetry gauge callback, which the SDK calls synchronously), or
      the branch of an `if isinstance(engine, Engine):` (a library building
      a sync `sessionmaker` for its user's sync engine beside an async one).
      Where the project makes that engine, `create_engine` is reported.

    A sync engine kept for import-time work (loading configuration before
    any event loop runs) cannot be told from one used by requests, and is
    reported.

    ## Fix safety
    The fix replaces `create_engine` with `create_async_engine`, `sessionmaker`
    with `async_sessionmaker` and `Session(...)` with `AsyncSession(...)` (SQLModel's
    own for SQLModel), importing the new name; `with Session(engine) as session`,
    alone in its `with` inside an `async def`, becomes `async with`. No fix is
    offered for `scoped_session` (`async_scoped_session` needs a `scopefunc`) or the
    `sessionmaker` it wraps; for an engine or session factory kept in a module-level
    name (`engine = create_engine(...)`, `SessionLocal = sessionmaker(...)`, `session =
    Session(bind=engine)`) or handed on: every function and module that uses it
    would have to await each call, and the fix changes none of them (on a real app
    it left every caller returning un-awaited coroutines, and a `.query()` on an
    `AsyncSession`); for a call whose result is used at once
    (`Session(engine).execute(...)`), or for a sync `with` in a plain `def`. The
    fix is unsafe: the database URL must name an async driver
    (`postgresql+asyncpg://`, `sqlite+aiosqlite://`), which the fix leaves as it
    is, and the calls on the session in the block must then be awaited, which
    `unawaited-async-db-call` (CL502) does in the same run. A sync name the fix
    leaves unused is removed from its import (ruff's F401).

    A name the fix imports never collides with one in scope: when a
    variable, attribute or parameter where it is used already has that
    name, it is not imported and there is no fix.
    """

    code = "CL504"
    name = "sync-engine"
    REQUIRES = (b"create_engine", b"sessionmaker", b"scoped_session", b"Session")
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
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
        # A one-shot command, and a sync branch for a sync engine the code is handed.
        Valid("""
            import typer
            from sqlalchemy import Engine, create_engine
            from sqlalchemy.ext.asyncio import async_sessionmaker
            from sqlalchemy.orm import sessionmaker

            app = typer.Typer()

            @app.command("migrate")
            def migrate(url: str) -> None:
                engine = create_engine(url)

            def session_maker_for(engine):
                if isinstance(engine, Engine):
                    return sessionmaker(bind=engine)
                return async_sessionmaker(bind=engine)
        """),
        Valid(
            """
            from alembic import op
            from sqlalchemy.orm import Session


            def upgrade() -> None:
                session = Session(bind=op.get_bind())
                session.commit()
        """,
            path="migrations/versions/9c1d2e_seed_roles.py",
        ),
    )
    INVALID = (
        Invalid(
            """
            from sqlalchemy import create_engine

            from app.core.config import settings

            engine = create_engine(settings.DATABASE_URL, pool_pre_ping=True)
        """,
            line=5,
            column=10,
        ),
        Invalid(
            """
            from sqlalchemy import orm

            from app.db.engine import engine

            SessionLocal = orm.sessionmaker(autocommit=False, autoflush=False, bind=engine)
        """,
            line=5,
            column=16,
        ),
        Invalid(
            """
            from sqlalchemy.orm import Session as SyncSession

            from app.db.engine import engine


            async def ping() -> None:
                with SyncSession(engine) as session:
                    session.commit()
        """,
            line=7,
            column=10,
            fixed="""
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.db.engine import engine


            async def ping() -> None:
                async with AsyncSession(engine) as session:
                    session.commit()
        """,
        ),
        Invalid(
            """
            from sqlalchemy.orm import scoped_session

            from app.db.session import SessionLocal

            db_session = scoped_session(SessionLocal)
        """,
            line=5,
            column=14,
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if "migrations" in self.context.roles:
            return
        name = db_name(self.context, node.func)
        if name not in _SYNC_FACTORIES:
            return
        if name == "sessionmaker" and makes_async_sessions(self.context, node):
            return
        if runs_as_command(self.context) or (name != "create_engine" and binds_given_sync_engine(self.context, node)):
            return
        self.report(node.func, _SYNC_FACTORIES[name], fix=self._async_fix(node))

    def _shared(self, parent: cst.CSTNode) -> bool:
        """Whether the engine, factory or session is kept in a name or handed on: the code that uses it
        would have to await each call, and the fix changes none of it (issue 14: `session =
        Session(bind=engine)` became an `AsyncSession` whose `.query()` stayed). Only the session of
        a `with` block, whose calls stand in the block, is converted."""
        return not isinstance(parent, cst.WithItem)

    def _async_fix(self, node: cst.Call) -> FixBuilder | None:
        twin = async_counterpart(self.context, node.func)
        ancestors = self.context.ancestors
        parent, grandparent = ancestors[-2], ancestors[-3]
        # `scoped_session` has no mechanical twin (`async_scoped_session` needs a scopefunc), nor has
        # what it wraps; a method called on the new object at once would need an `await`.
        if (
            twin is None
            or has_trailer(parent, node)
            or (isinstance(parent, cst.Arg) and db_name(self.context, grandparent.func) == "scoped_session")
            or self._shared(parent)
        ):
            return None
        becomes_async_with = isinstance(parent, cst.WithItem) and grandparent.asynchronous is None
        if becomes_async_with:
            function = self.context.enclosing_function
            if len(grandparent.items) > 1 or function is None or function.asynchronous is None:
                return None
        message = f"Replace `{dotted_name(node.func)}` with `{twin[1]}`"
        fix = self.fix(message + (" in an `async with`" if becomes_async_with else ""))
        fix.replace(node.func, fix.import_name(*twin))
        if becomes_async_with:
            fix.insert_before(grandparent, "async ")
        return fix
