"""CL303: a route handler is given its session by `Depends`, never builds one itself."""

from __future__ import annotations

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import dotted_name
from conventions_lint.recognize.fastapi import ROUTE_TEXT, routes_of
from conventions_lint.recognize.handles import Kind
from conventions_lint.recognize.sessions import SessionTrackingRule, spelled_call
from conventions_lint.rule import Invalid, Valid

# What a handler must not build itself; a connection opened on an engine it was given is fine.
_BUILT_KINDS = frozenset({Kind.SESSION, Kind.SCOPED_SESSION, Kind.ENGINE})
# The usual names of the session factory a project's db module defines (`SessionLocal`,
# `async_session`, …), lower case without underscores. The session tracker cannot follow an
# import into another file, so an imported factory is known by its name.
_SESSION_FACTORY_NAMES = frozenset(
    {
        "sessionlocal",
        "asyncsessionlocal",
        "asyncsession",
        "sessionmaker",
        "asyncsessionmaker",
        "sessionfactory",
        "asyncsessionfactory",
    }
)


def _is_imported_session_factory(context: FileContext, call: cst.Call) -> bool:
    spelled = dotted_name(call.func)
    # Named imports only: behind a star import any name, a parameter too, would qualify.
    if spelled is None or spelled.split(".", 1)[0] not in context.imports.bindings:
        return False
    return spelled.rsplit(".", 1)[-1].replace("_", "").lower() in _SESSION_FACTORY_NAMES


class SessionNotInjected(SessionTrackingRule):
    """
    ## What it does
    Checks for route handlers that build their own database session or engine:
    `SessionLocal()`, `async_session()`, `AsyncSession(engine)`, `Session(engine)`,
    `sessionmaker(...)()`, `create_engine(...)` or `create_async_engine(...)`,
    anywhere in the handler's body.

    A factory defined in the file (`SessionLocal = sessionmaker(...)`) is
    followed; one imported from another module is recognised by its usual name
    (`SessionLocal`, `AsyncSessionLocal`, `async_session`, `async_session_maker`,
    `session_factory`). Dependencies such as `get_db`, which are not routes, are
    where sessions are built and are not flagged; neither is a connection opened
    on an engine (`engine.connect()`), nor a session made from a factory the
    handler received as a parameter.

    ## Why is this bad?
    A session received through `Depends(get_db)` is opened and closed in one
    place, shared by every dependency of the request, and replaced in tests with
    `app.dependency_overrides`. A handler that opens its own session bypasses all
    three: it cannot be pointed at a test database, it may leak the session on an
    error path, and an engine created per request opens a new connection pool
    each time.
    """

    code = "CL303"
    name = "session-not-injected"
    REQUIRES = ROUTE_TEXT
    VALID = (
        Valid("""
            from typing import Annotated

            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.api.deps import get_db
            from app.models.user import User
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: str, db: Annotated[AsyncSession, Depends(get_db)]) -> User:
                return await db.get(User, user_id)
        """),
        Valid(
            """
            from collections.abc import AsyncIterator

            from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

            from app.core.config import settings

            engine = create_async_engine(settings.DATABASE_URL)
            SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


            async def get_db() -> AsyncIterator[AsyncSession]:
                async with SessionLocal() as session:
                    yield session
        """,
            path="app/api/deps.py",
        ),
        Valid("""
            import aiohttp
            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

            from app.api.deps import get_engine, get_session_factory
            from app.schemas.report import ReportResponse

            router = APIRouter()

            @router.get("/reports/{report_id}", response_model=ReportResponse)
            async def get_report(
                report_id: str,
                engine: AsyncEngine = Depends(get_engine),
                session_factory: async_sessionmaker = Depends(get_session_factory),
            ) -> ReportResponse:
                async with aiohttp.ClientSession() as http, engine.connect() as connection:
                    ...
                async with session_factory() as session:
                    ...
        """),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import APIRouter

            from app.db.session import async_session
            from app.models.user import User
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: str) -> User:
                async with async_session() as db:
                    return await db.get(User, user_id)
        """,
            line=11,
            column=16,
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.db.session import engine
            from app.models.user import User
            from app.schemas.user import UserCreate, UserResponse

            router = APIRouter()

            @router.post("/users", response_model=UserResponse, status_code=201)
            async def create_user(payload: UserCreate) -> User:
                async with AsyncSession(engine) as db:
                    user = User(**payload.model_dump())
                    db.add(user)
                    await db.commit()
                return user
        """,
            line=12,
            column=16,
        ),
        Invalid(
            """
            from fastapi import APIRouter
            from sqlalchemy import create_engine, text

            from app.core.config import settings
            from app.schemas.health import HealthResponse

            router = APIRouter()

            @router.get("/health", response_model=HealthResponse)
            def get_health() -> dict[str, str]:
                engine = create_engine(settings.DATABASE_URL)
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                return {"status": "ok"}
        """,
            line=11,
            column=14,
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Route handlers being walked, innermost last: a function nested in one is still its code.
        self._handlers: list[cst.FunctionDef] = []
        # The call last reported, while its arguments are walked: `AsyncSession(create_async_engine(url))`
        # is one finding.
        self._reported: cst.Call | None = None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if routes_of(self.context, node):
            self._handlers.append(node)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self._handlers and self._handlers[-1] is node:
            self._handlers.pop()

    def visit_Call(self, node: cst.Call) -> None:
        if not self._handlers or self._reported is not None:
            return
        built = self._built_kind(node)
        if built is None:
            return
        self._reported = node
        # `sessionmaker(bind=engine)()` is spelled by the call that makes the factory.
        spelled = f"{spelled_call(node.func)}()" if isinstance(node.func, cst.Call) else spelled_call(node)
        what = "creating an engine" if built is Kind.ENGINE else "opening a session"
        self.report(
            node,
            f"Take the session as a `Depends(...)` parameter instead of {what} with `{spelled}` in the route handler",
        )

    def leave_Call(self, node: cst.Call) -> None:
        if node is self._reported:
            self._reported = None

    def _built_kind(self, call: cst.Call) -> Kind | None:
        """The kind of handle `call` builds, if it builds a session or an engine."""
        if isinstance(call.func, cst.Call):
            # A factory made and called on the spot.
            factory = self.sessions.handle_of(call.func)
            return Kind.SESSION if factory is not None and factory.kind is Kind.SESSION_FACTORY else None
        handle = self.sessions.handle_of(call)
        if handle is not None:
            return handle.kind if handle.kind in _BUILT_KINDS else None
        return Kind.SESSION if _is_imported_session_factory(self.context, call) else None
