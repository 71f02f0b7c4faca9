"""CL503: functions doing sync database I/O (sync_engines.py: CL504, sync engines and sessions made).

See async_database.py for the rules' shared notion of a database handle and for the
shapes that two rules report on purpose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import last_name
from conventions_lint.recognize.awaits import AsyncConversion
from conventions_lint.recognize.calls import FunctionUses
from conventions_lint.recognize.fastapi import HTTP_METHODS
from conventions_lint.recognize.sessions import SessionTrackingRule
from conventions_lint.recognize.syntax import positional
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder


def _decorators_allow_async(function: cst.FunctionDef) -> bool:
    """Only route decorators: FastAPI awaits an `async def` handler. `@contextmanager`, `@lru_cache`,
    event listeners and registered callbacks call the function and would get a coroutine."""
    for decorator in function.decorators:
        call = decorator.decorator
        func = call.func if isinstance(call, cst.Call) else call
        if not (isinstance(func, cst.Attribute) and func.attr.value in HTTP_METHODS):
            return False
    return True


def _is_dunder(function: cst.FunctionDef) -> bool:
    name = function.name.value
    return name.startswith("__") and name.endswith("__")


class SyncDbFunction(SessionTrackingRule):
    """
    ## What it does
    Checks for plain `def` functions that run database calls: I/O on a known
    session (a parameter annotated `Session` or `AsyncSession`, or one named in
    `session-parameters`: `db`, `session`, `db_session`), engine or connection,
    e.g. `db = SessionLocal()` … `db.close()`.

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
    The fix adds `async` to the `def`, awaits each call of a coroutine method on
    its sessions (`(await db.execute(q)).scalars()` where the result is used
    further), and re-annotates a `Session` parameter as `AsyncSession` (SQLModel's
    own for a SQLModel `Session`), importing it. It is offered only when the result
    is async through and through: not when the function uses `.query(...)` (fix
    that first, `legacy-query-api`, CL505) or another method without a coroutine
    twin (`begin`, `bulk_*`), a session from a sync factory or opened in a sync
    `with` (the `get_db` generator over a sync `SessionLocal()`: convert the
    `sessionmaker` first, CL504), a session annotated through a type alias, or a
    database call in a lambda or generator expression. Each call of the function
    the file shows is awaited in the same fix; the fix is withheld when one cannot
    be (a call in a plain `def` or at module level, the function handed on as a
    callback: only `Depends(...)` awaits what it is given), when a decorator other
    than a route's calls the function (`@contextmanager`, `@lru_cache`, event
    listeners: they would get a coroutine), and when a session's annotation names
    a type the project defines (`from app.db.session import Session`: it may be
    sync). Callers in other files are not changed, so the fix is withheld when
    another file of the project may call the function (the project model reads
    every file's imports, of a pre-commit run's unstaged files too): a
    module-level function another file imports by name, or whose module it
    imports whole, with `*`, or through a package above it (`from app import
    services`); a method of a module any of whose names another file imports
    (an instance of its class may come through any of them), or of a class with
    a base class (the base may call it as an override). It is always unsafe: a
    `Depends(get_db)` must now provide an `AsyncSession`. A function that only
    takes a session and does no database I/O (a factory, a statement builder,
    `session.add(...)`) is not reported (field report N6).

    A name the fix imports never collides with one in scope: when a
    variable, attribute or parameter where it is used already has that
    name, it is not imported and there is no fix.

    ## Known limits
    A caller the imports do not show is not seen: a module reached as an
    attribute of a package imported bare (`import app`, then
    `app.services.users.find(...)`), by a string (`importlib`, a task named
    `"app.tasks.cleanup"`), or from outside the project's files (an excluded
    directory, another package). Without a configuration file, a run over some
    files of a project sees those files only.
    """

    code = "CL503"
    name = "sync-db-function"
    OPTIONS = ("session-types",)
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
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
        Valid(
            """
            import sqlalchemy as sa
            from alembic import op
            from sqlalchemy.orm import Session


            def upgrade() -> None:
                session = Session(bind=op.get_bind())
                session.execute(sa.text("UPDATE users SET is_active = true"))
                session.commit()
        """,
            path="alembic/versions/3f2a1b_backfill_is_active.py",
        ),
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
        Invalid(
            """
            import uuid

            from sqlalchemy.orm import Session

            from app.models.user import User


            def get_user_service(db: Session, user_id: uuid.UUID) -> User | None:
                return db.get(User, user_id)
        """,
            line=8,
            column=5,
            fixed="""
            import uuid

            from sqlalchemy.ext.asyncio import AsyncSession

            from app.models.user import User


            async def get_user_service(db: AsyncSession, user_id: uuid.UUID) -> User | None:
                return await db.get(User, user_id)
        """,
        ),
        Invalid(
            """
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
        """,
            line=10,
            column=5,
        ),
        Invalid(
            """
            import uuid

            from sqlalchemy import delete

            from app.models.user import User


            def delete_user_service(db, user_id: uuid.UUID) -> None:
                db.execute(delete(User).where(User.id == user_id))
        """,
            line=8,
            column=5,
            fixed="""
            import uuid

            from sqlalchemy import delete

            from app.models.user import User


            async def delete_user_service(db, user_id: uuid.UUID) -> None:
                await db.execute(delete(User).where(User.id == user_id))
        """,
        ),
        Invalid(
            """
            from app.models.user import User


            class UserRepository:
                def __init__(self, db) -> None:
                    self.db = db

                def get_by_email(self, email: str) -> User | None:
                    return self.db.query(User).filter(User.email == email).first()
        """,
            line=8,
            column=9,
        ),
    )

    @classmethod
    def concerns(cls, source: bytes, roles: frozenset[str], file_name: str, settings) -> bool:
        # A session shows in its type's name, or in a parameter name the settings list.
        needles = (
            b"Session",
            b"session",
            b"Engine",
            b"engine",
            b"connect",
            *(name.encode() for name in settings.session_parameters),
        )
        return any(needle in source for needle in needles)

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Insertion-ordered: reported in source order once the whole file is seen.
        self._sync_db_functions: dict[cst.FunctionDef, None] = {}
        self._conversions: dict[cst.FunctionDef, AsyncConversion] = {}
        self._run_sync_targets: set[str] = set()
        self._uses = FunctionUses(context)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._uses.define(node)
        if not self._may_report(node):
            return
        conversion = self._conversions[node] = AsyncConversion(node)
        for param in conversion.parameters:
            handle = self.sessions.parameter_handle(param)
            if handle is not None and handle.is_session:
                if handle.is_async is False:
                    conversion.switch_annotation(self.context, param)
                elif handle.is_async is None and param.annotation is not None:
                    # A type the project defines (`SyncSession` re-exported by app.db.session): maybe sync.
                    conversion.possible = False

    def visit_Name(self, node: cst.Name) -> None:
        self._uses.see_name(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._uses.see_attribute(node)

    def visit_Call(self, node: cst.Call) -> None:
        self._uses.see_call(node)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "run_sync":
            target = next(iter(positional(node)), None)
            target_name = last_name(target.value) if target is not None else None
            if target_name is not None:
                self._run_sync_targets.add(target_name)
        conversion = self._conversions.get(self.sessions.function)
        found = self.sessions.receiver_of(node)
        if found is None or not found[0].does_io(found[1]):
            return
        if conversion is not None:
            self._sync_db_functions[conversion.function] = None
            conversion.learn_call(found[0], found[1], self.context.ancestors)
        # A closure over an enclosing function's session: that function cannot take an `AsyncSession` alone.
        owner = self._conversion_taking(found[0].parameter)
        if owner is not None and owner is not conversion:
            owner.learn_call(found[0], found[1], self.context.ancestors)

    def _conversion_taking(self, parameter: cst.Param | None) -> AsyncConversion | None:
        if parameter is None:
            return None
        return next((c for c in self._conversions.values() if any(p is parameter for p in c.parameters)), None)

    def leave_Module(self, node: cst.Module) -> None:
        for function in self._sync_db_functions:
            name = function.name.value
            if name not in self._run_sync_targets:
                self.report(
                    function.name,
                    f"Make `{name}` an `async def` using an `AsyncSession` and awaiting its database calls",
                    fix=self._async_fix(function),
                )

    def _async_fix(self, function: cst.FunctionDef) -> FixBuilder | None:
        conversion = self._conversions[function]
        callers = self._uses.awaitable_calls(function)
        if not conversion.possible or callers is None or not _decorators_allow_async(function):
            return None
        changes = [
            *(["taking an `AsyncSession`"] if conversion.switched else []),
            *(["awaiting its database calls"] if conversion.awaits else []),
        ]
        fix = self.fix(" ".join([f"Make `{function.name.value}` an `async def`", " and ".join(changes)]).strip())
        conversion.add_to(fix)
        for placement in callers:
            placement.add_to(fix)
        return fix

    def _may_report(self, function: cst.FunctionDef) -> bool:
        return function.asynchronous is None and not _is_dunder(function) and "migrations" not in self.context.roles
