"""CL3, handler side: what a route handler takes, builds and answers (the decorator side is endpoints.py)."""

from __future__ import annotations

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import dotted_name
from conventions_lint.recognize.fastapi import dependency_marker, handler_parameters, is_paging_parameter, routes_of
from conventions_lint.recognize.sessions import Kind, SessionTrackingRule, spelled_call
from conventions_lint.rule import Invalid, Rule, Valid

# What a handler must not build itself; a connection opened on an engine it was given is fine.
_BUILT_KINDS = frozenset({Kind.SESSION, Kind.SCOPED_SESSION, Kind.ENGINE})
# The usual names of the session factory a project's db module defines (`SessionLocal`,
# `async_session`, …), lower case without underscores. The session tracker cannot follow an
# import into another file, so an imported factory is known by its name.
_SESSION_FACTORY_NAMES = frozenset({"sessionlocal", "asyncsessionlocal", "asyncsession", "sessionmaker",
                                    "asyncsessionmaker", "sessionfactory", "asyncsessionfactory"})


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
    # Route handlers sit under a decorator.
    REQUIRES = (b"@",)
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
        Valid("""
            from collections.abc import AsyncIterator

            from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

            from app.core.config import settings

            engine = create_async_engine(settings.DATABASE_URL)
            SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


            async def get_db() -> AsyncIterator[AsyncSession]:
                async with SessionLocal() as session:
                    yield session
        """, path="app/api/deps.py"),
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
        Invalid("""
            from fastapi import APIRouter

            from app.db.session import async_session
            from app.models.user import User
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: str) -> User:
                async with async_session() as db:
                    return await db.get(User, user_id)
        """, line=11, column=16),
        Invalid("""
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
        """, line=12, column=16),
        Invalid("""
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
        """, line=11, column=14),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Route handlers being walked, innermost last: a function nested in one is still its code.
        self._handlers: list[cst.FunctionDef] = []
        # The call last reported, while its arguments are walked: `AsyncSession(create_async_engine(url))`
        # is one finding.
        self._reported: cst.Call | None = None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        if routes_of(self.context, node):
            self._handlers.append(node)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(node)
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
        self.report(node, f"Take the session as a `Depends(...)` parameter instead of {what} "
                          f"with `{spelled}` in the route handler")

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


class UntypedEndpointParameter(Rule):
    """
    ## What it does
    Checks for route handlers with a parameter that has no type annotation
    (one finding per parameter, at its name) or without a return annotation (at
    the function's name).

    A parameter whose default is `Depends(...)` needs an annotation too, as in
    FastAPI's documentation. `*args` and `**kwargs` are checked like the other
    parameters: FastAPI makes them query parameters. The `self` or `cls` of a
    class-based view's method is exempt. Functions that are not route handlers
    are `missing-type-hints` (CL902)'s concern.

    ## Why is this bad?
    FastAPI reads a handler's signature to know where each parameter comes from
    and what it must be: an unannotated parameter is taken as a required string
    query parameter, unvalidated and documented as such in OpenAPI. Type
    checkers and editors also stop at an unannotated dependency, and a missing
    return type leaves the handler's result unchecked against its response
    model.
    """

    code = "CL304"
    name = "untyped-endpoint-parameter"
    # Route handlers sit under a decorator.
    REQUIRES = (b"@",)
    VALID = (
        Valid("""
            import uuid

            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.api.deps import get_db
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: uuid.UUID, db: AsyncSession = Depends(get_db)) -> UserResponse:
                ...
        """),
        Valid("""
            from fastapi import APIRouter, Depends
            from fastapi_utils.cbv import cbv
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.api.deps import get_db
            from app.schemas.item import ItemResponse

            router = APIRouter()

            @cbv(router)
            class ItemView:
                db: AsyncSession = Depends(get_db)

                @router.get("/items/{item_id}", response_model=ItemResponse)
                async def get_item(self, item_id: str) -> ItemResponse:
                    ...
        """),
        Valid("""
            from fastapi import Depends
            from fastapi.security import OAuth2PasswordBearer

            from app.core.cache import cache

            oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


            async def get_current_user(request, token=Depends(oauth2_scheme)):
                ...


            @cache.get("users")
            def get_cached_users(key):
                ...
        """),
    )
    INVALID = (
        Invalid("""
            import uuid

            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.api.deps import get_db
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id, db: AsyncSession = Depends(get_db)) -> UserResponse:
                ...
        """, line=12, column=20),
        Invalid("""
            from fastapi import APIRouter

            from app.schemas.user import UserCreate, UserResponse

            router = APIRouter()

            @router.post("/users", response_model=UserResponse, status_code=201)
            async def create_user(payload: UserCreate):
                ...
        """, line=8, column=11),
        Invalid("""
            from fastapi import APIRouter, Depends, status

            from app.api.deps import get_db

            router = APIRouter()

            @router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
            async def delete_user(
                user_id: str,
                db=Depends(get_db),
            ) -> None:
                ...
        """, line=10, column=5),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not routes_of(self.context, node):
            return
        for param in handler_parameters(node):
            if param.annotation is None:
                self.report(param.name, self._message(node, param))
        if node.returns is None:
            self.report(node.name, f"Add a return type annotation to `{node.name.value}`")

    def _message(self, function: cst.FunctionDef, param: cst.Param) -> str:
        name = param.name.value
        shown = f"*{name}" if param is function.params.star_arg else f"**{name}" if param.star == "**" else name
        if dependency_marker(self.context, param) is not None:
            return f"Annotate `{shown}` with the type its dependency provides"
        return f"Annotate `{shown}` with its type, which FastAPI validates and documents"


class UnpaginatedCollectionEndpoint(Rule):
    """
    ## What it does
    Checks for GET routes that answer a list (`response_model=list[...]`,
    `List[...]`, `Sequence[...]`, or such a return annotation when there is no
    `response_model`) and take no paging parameter.

    A paging parameter is one named in the `paging-parameters` setting (`skip`,
    `offset`, `limit`, `page`, `size`, `page_size`, `per_page`, `cursor`), or one
    whose type or dependency pages: a name with `page`, `paging` or `paginat` in
    it (`pagination: Annotated[Pagination, Depends(get_pagination)]`,
    `Depends(paginate)`), or anything from `fastapi_pagination`
    (`params: Params = Depends()`). A route answering a page object
    (`Page[UserResponse]`, `LimitOffsetPage[...]`, a `UserListResponse` with its
    totals) does not answer a list and is not flagged.

    ## Why is this bad?
    A collection endpoint without paging answers with every row of the table:
    fine in development, a slow query, a large response and a memory spike in
    production once the table grows. The team pages every collection endpoint
    from the start, when adding the parameters breaks no client.
    """

    code = "CL305"
    name = "unpaginated-collection-endpoint"
    # Route handlers sit under a decorator.
    REQUIRES = (b"@",)
    VALID = (
        Valid("""
            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.api.deps import get_db
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users", response_model=list[UserResponse])
            async def get_users(
                skip: int = 0, limit: int = 100, db: AsyncSession = Depends(get_db)
            ) -> list[UserResponse]:
                ...
        """),
        Valid("""
            from fastapi import APIRouter
            from fastapi_pagination import Page

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users", response_model=Page[UserResponse])
            async def get_users() -> Page[UserResponse]:
                ...
        """),
        Valid("""
            from typing import Annotated

            from fastapi import APIRouter, Depends

            from app.api.deps import Pagination, get_pagination
            from app.schemas.item import ItemCreate, ItemResponse

            router = APIRouter()

            @router.get("/items", response_model=list[ItemResponse])
            async def get_items(pagination: Annotated[Pagination, Depends(get_pagination)]) -> list[ItemResponse]:
                ...

            @router.get("/items/{item_id}", response_model=ItemResponse)
            async def get_item(item_id: str) -> ItemResponse:
                ...

            @router.post("/items/bulk", response_model=list[ItemResponse], status_code=201)
            async def create_items(payload: list[ItemCreate]) -> list[ItemResponse]:
                ...
        """),
    )
    INVALID = (
        Invalid("""
            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.api.deps import get_db
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users", response_model=list[UserResponse])
            async def get_users(
                db: AsyncSession = Depends(get_db)
            ) -> list[UserResponse]:
                ...
        """, line=9, column=2),
        Invalid("""
            from typing import List

            from fastapi import APIRouter

            from app.schemas.item import ItemResponse

            router = APIRouter()

            @router.get("/items")
            async def get_items(category: str | None = None) -> List[ItemResponse]:
                ...
        """, line=9, column=2),
        Invalid("""
            import uuid
            from collections.abc import Sequence

            from fastapi import APIRouter

            from app.schemas.comment import CommentResponse

            router = APIRouter()

            @router.get("/pages/{page_id}/comments", response_model=Sequence[CommentResponse])
            async def get_page_comments(page_id: uuid.UUID) -> Sequence[CommentResponse]:
                ...
        """, line=10, column=2),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        collections = [route for route in routes_of(self.context, node) if route.method == "get" and route.returns_list]
        if not collections or any(is_paging_parameter(self.context, param, self.settings.paging_parameters)
                                  for param in handler_parameters(node)):
            return
        for route in collections:
            self.report(route.call, "Page this collection endpoint: take `skip` and `limit` (or a pagination "
                                    "dependency), or answer a `Page[...]`")
