"""Database handles and what SQLAlchemy says of them: a `Handle` (a session, engine, connection or factory;
sync or async; known by annotation, construction or name), the methods that await or block on each
kind, and the async twin of each sync class or factory. sessions.py tracks which names hold them.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from itertools import pairwise

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import dotted_name
from conventions_lint.recognize.syntax import keyword, parameters, positional, unwrap_optional

# SQLModel re-exports SQLAlchemy's sessions and engines under its own name.
DB_PACKAGES = ("sqlalchemy", "sqlmodel")
# Parameters so named are HTTP or cloud clients whatever the parameter is called.
NON_DB_PACKAGES = frozenset({"aiohttp", "requests", "httpx", "urllib3", "niquests", "boto3", "aioboto3", "botocore"})
# An annotation we cannot resolve still lets the name speak when it reads like a session alias.
SESSION_LIKE_ANNOTATION = re.compile(r"Session|DB|Db")


class Kind(enum.Enum):
    SESSION = "session"
    ENGINE = "engine"
    CONNECTION = "connection"
    # `sessionmaker(...)`: calling it makes a session.
    SESSION_FACTORY = "session factory"
    # `scoped_session(...)`: a session factory that also proxies the session's methods.
    SCOPED_SESSION = "scoped session"


class Evidence(enum.Enum):
    ANNOTATION = "annotation"
    CONSTRUCTION = "construction"
    NAME = "name"


@dataclass(frozen=True)
class Handle:
    kind: Kind
    # None when only the name says it is a session.
    is_async: bool | None
    evidence: Evidence
    # The parameter that declares the handle, when it is one (what a fix may re-annotate).
    parameter: cst.Param | None = field(default=None, compare=False)

    @property
    def is_session(self) -> bool:
        return self.kind in (Kind.SESSION, Kind.SCOPED_SESSION)

    def awaits(self, method: str) -> bool:
        """Whether `handle.method(...)` returns a coroutine (it may, when sync-ness is unknown)."""
        return self.is_async is not False and self.awaits_when_async(method)

    def awaits_when_async(self, method: str) -> bool:
        """Whether `method` is a coroutine on the async counterpart of this handle."""
        return method in _COROUTINE_METHODS.get(self._receiver_kind, ())

    def blocks(self, method: str) -> bool:
        """Whether `handle.method(...)` does blocking database I/O (it may, when sync-ness is unknown)."""
        return self.is_async is not True and method in _BLOCKING_METHODS.get(self._receiver_kind, ())

    def does_io(self, method: str) -> bool:
        return self.awaits(method) or self.blocks(method)

    @property
    def _receiver_kind(self) -> Kind:
        return Kind.SESSION if self.kind is Kind.SCOPED_SESSION else self.kind


_SESSION_IO = frozenset(
    {
        "execute",
        "scalar",
        "scalars",
        "get",
        "get_one",
        "commit",
        "flush",
        "refresh",
        "delete",
        "rollback",
        "close",
        "merge",
        "connection",
    }
)
_COROUTINE_METHODS = {
    # `exec` is SQLModel's AsyncSession.exec.
    Kind.SESSION: _SESSION_IO | {"stream", "stream_scalars", "run_sync", "exec"},
    Kind.CONNECTION: frozenset(
        {
            "execute",
            "scalar",
            "scalars",
            "exec_driver_sql",
            "commit",
            "rollback",
            "close",
            "stream",
            "stream_scalars",
            "run_sync",
        }
    ),
    Kind.ENGINE: frozenset({"dispose"}),
}
_BLOCKING_METHODS = {
    Kind.SESSION: _SESSION_IO
    | {"query", "begin", "begin_nested", "exec", "bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings"},
    Kind.CONNECTION: frozenset(
        {"execute", "scalar", "scalars", "exec_driver_sql", "commit", "rollback", "close", "begin", "begin_nested"}
    ),
    Kind.ENGINE: frozenset({"connect", "begin", "execute", "raw_connection", "dispose"}),
}

# Class name -> (kind, is_async), for annotations and for `Session(engine)` construction.
HANDLE_TYPES = {
    "Session": (Kind.SESSION, False),
    "AsyncSession": (Kind.SESSION, True),
    "Engine": (Kind.ENGINE, False),
    "AsyncEngine": (Kind.ENGINE, True),
    "Connection": (Kind.CONNECTION, False),
    "AsyncConnection": (Kind.CONNECTION, True),
    "scoped_session": (Kind.SCOPED_SESSION, False),
    "async_scoped_session": (Kind.SCOPED_SESSION, True),
}
CONSTRUCTIBLE = frozenset({"Session", "AsyncSession"})
HANDLE_FACTORIES = {
    "create_engine": (Kind.ENGINE, False),
    "create_async_engine": (Kind.ENGINE, True),
    "sessionmaker": (Kind.SESSION_FACTORY, False),
    "async_sessionmaker": (Kind.SESSION_FACTORY, True),
    "scoped_session": (Kind.SCOPED_SESSION, False),
    "async_scoped_session": (Kind.SCOPED_SESSION, True),
}
# `engine.connect()`, `session.connection()`: a connection as sync or async as its source.
CONNECTION_OPENERS = {Kind.ENGINE: frozenset({"connect", "begin"}), Kind.SESSION: frozenset({"connection"})}


def db_name(context: FileContext, expr: cst.BaseExpression) -> str | None:
    """`Session` for `Session`, `orm.Session`, `sqlmodel.Session`: the name when it comes from a DB package."""
    qualified = context.imports.qualify(expr)
    if qualified is None or qualified.split(".", 1)[0] not in DB_PACKAGES:
        return None
    return qualified.rsplit(".", 1)[-1]


def makes_async_sessions(context: FileContext, call: cst.Call) -> bool:
    """`sessionmaker(engine, class_=AsyncSession)`: the SQLAlchemy 1.4 spelling of `async_sessionmaker`."""
    class_arg = keyword(call, "class_")
    if class_arg is None:
        arguments = positional(call)
        class_arg = arguments[1] if len(arguments) > 1 else None
    return class_arg is not None and db_name(context, class_arg.value) == "AsyncSession"


def binds_given_sync_engine(context: FileContext, call: cst.Call) -> bool:
    """A session or session factory over a sync engine the code is handed rather than makes: a parameter
    annotated `Engine` (`Session(db_engine)` in `def count_users(db_engine: Engine)`), or an expression
    the enclosing `if` tests with `isinstance(..., Engine)` (sqladmin's sync branch beside its async one)."""
    bind = keyword(call, "bind") or next(iter(positional(call)), None)
    spelled = dotted_name(bind.value) if bind is not None else None
    if spelled is None:
        return False
    function = context.enclosing_function
    for param in parameters(function) if function is not None else ():
        annotation = param.annotation.annotation if param.annotation is not None else None
        if param.name.value == spelled and annotation is not None:
            return db_name(context, unwrap_optional(annotation)) in _SYNC_ENGINES
    ancestors = context.ancestors
    return any(
        isinstance(node, cst.If) and inner is node.body and _tests_sync_engine(context, node.test, spelled)
        for node, inner in pairwise(ancestors)
    )


def _tests_sync_engine(context: FileContext, test: cst.BaseExpression, spelled: str) -> bool:
    """`isinstance(self.engine, Engine)`."""
    return (
        isinstance(test, cst.Call)
        and dotted_name(test.func) == "isinstance"
        and len(test.args) == 2
        and dotted_name(test.args[0].value) == spelled
        and db_name(context, test.args[1].value) in _SYNC_ENGINES
    )


_SYNC_ENGINES = ("Engine", "Connection")
# The async twin of each sync class or factory, as (module, name) to import.
_ASYNC_COUNTERPARTS = {
    "create_engine": ("sqlalchemy.ext.asyncio", "create_async_engine"),
    "sessionmaker": ("sqlalchemy.ext.asyncio", "async_sessionmaker"),
    "Session": ("sqlalchemy.ext.asyncio", "AsyncSession"),
}
# SQLModel's own AsyncSession keeps its `exec`.
_SQLMODEL_ASYNC_SESSION = ("sqlmodel.ext.asyncio.session", "AsyncSession")


def async_counterpart(context: FileContext, expr: cst.BaseExpression) -> tuple[str, str] | None:
    """(module, name) of the async twin of the `create_engine`, `sessionmaker` or `Session` that `expr` names."""
    name = db_name(context, expr)
    if name == "Session" and (context.imports.qualify(expr) or "").startswith("sqlmodel."):
        return _SQLMODEL_ASYNC_SESSION
    return _ASYNC_COUNTERPARTS.get(name or "")
