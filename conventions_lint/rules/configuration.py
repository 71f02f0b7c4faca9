"""CL7: configuration lives in a `BaseSettings` class that reads the environment, never in literals."""

from __future__ import annotations

import re
from functools import cached_property

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import last_name
from conventions_lint.recognize.syntax import class_body_statements, string_value, target_name, unwrap_optional
from conventions_lint.rule import Invalid, Rule, Valid

# `scheme://user:password@host`; the user may be empty (`redis://:password@host`).
# The look-behind starts a scheme only where a word starts, so a long run of letters is scanned once.
_CREDENTIALS = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[\w.~%+-]*:(?P<password>[^\s/@]+)@")
# `{}`, `{password}`, `${DB_PASSWORD}`, `%s`, `%(password)s`: filled in elsewhere.
_TEMPLATE = re.compile(r"\$?\{\w*\}|%(\(\w+\))?s")
# A password shown as `<password>` or `***` is documented or masked, not given.
_MASKED = re.compile(r"<[\w-]+>|\*+")
_URL_NAME = re.compile(r"_(URL|URI|DSN)$", re.IGNORECASE)
_SECRET_NAME = re.compile(r"_(KEY|TOKEN)$|(^|_)SECRET|PASSWORD", re.IGNORECASE)
# Keys that name a place in a structure, not a credential: `CACHE_KEY = "users:all"`.
_STRUCTURAL_KEY = re.compile(r"(^|_)(PRIMARY|FOREIGN|CACHE|SORT|ORDER|PARTITION|LOOKUP|GROUP)_KEY$", re.IGNORECASE)
# What a `*_URL` holds when it is configuration: `https://…`, `sqlite:///…`, `localhost:6379`.
_ADDRESS = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^[\w.-]+:\d+")
_ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum", "Flag", "IntFlag"})


def _literal_text(expr: cst.BaseExpression) -> str | None:
    """The text of a string literal, with `{}` for each f-string replacement field; None for bytes."""
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(expr, cst.FormattedString):
        return "".join(part.value if isinstance(part, cst.FormattedStringText) else "{}" for part in expr.parts)
    if isinstance(expr, cst.ConcatenatedString):
        left, right = _literal_text(expr.left), _literal_text(expr.right)
        return left + right if left is not None and right is not None else None
    return None


def _embedded_password(text: str) -> bool:
    # Most literals are not URLs.
    if "://" not in text or "@" not in text:
        return False
    for found in _CREDENTIALS.finditer(text):
        password = found.group("password")
        if not (_TEMPLATE.fullmatch(password) or _MASKED.fullmatch(password)):
            return True
    return False


def _is_config_name(name: str, value: str) -> bool:
    """Whether `name = value` hard-codes configuration; empty strings, text and templates do not."""
    if not value or any(char.isspace() for char in value) or _TEMPLATE.search(value):
        return False
    if _URL_NAME.search(name):
        # `LOGIN_URL = "/auth/login"` is a route, the same in every environment.
        return bool(_ADDRESS.match(value))
    return bool(_SECRET_NAME.search(name)) and not _STRUCTURAL_KEY.search(name)


class HardcodedConfigValue(Rule):
    """
    ## What it does
    Checks for string literals assigned to configuration-like names:
    `*_URL`, `*_URI`, `*_DSN`, `SECRET*` (and `*_SECRET*`: `JWT_SECRET`),
    `*_KEY`, `*_TOKEN` and `*PASSWORD*` (in any case), as module constants,
    class attributes or attributes (`self.api_key = "…"`). The default of a
    field of a `pydantic_settings.BaseSettings` class is allowed: the
    environment overrides it.

    Not flagged: empty strings (the usual "not set"), text with spaces (a
    message or a label), templates (`"{}"`, `"${DB_PASSWORD}"`), a `*_URL`
    that is a path rather than an address (`LOGIN_URL = "/auth/login"`),
    structural keys (`PRIMARY_KEY`, `CACHE_KEY`, `SORT_KEY`, …), `Enum`
    members, keyword arguments, local variables of functions (computed state,
    not configuration), and test modules, where fixed test configuration is
    the point.

    Separately, it checks every string literal, test modules and
    `BaseSettings` defaults included, for a URL with an embedded password
    (`postgresql://app:secret@db/app`, `redis://:secret@cache`). A URL with a
    user and no password, or a placeholder or masked password (`{}`,
    `${DB_PASSWORD}`, `***`), is fine; docstrings are not checked.

    ## Why is this bad?
    A value written in the code is the same in every environment: the
    production database, keys and tokens end up in the repository and its
    history, and changing them needs a release. The team's settings class reads
    them from the environment (or a `.env` file that is not committed),
    validates them at startup and keeps secrets in `SecretStr`. A password in a
    URL is a secret in the code wherever it is written.
    """

    code = "CL701"
    name = "hardcoded-config-value"
    VALID = (
        Valid("""
            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                DATABASE_URL: str = "postgresql+asyncpg://app@localhost/app"
                SECRET_KEY: str = ""
        """, path="app/core/config.py"),
        Valid("""
            from app.core.config import settings

            LOGIN_URL = "/auth/login"
            CACHE_KEY = "users:all"
            PASSWORD_HELP = "At least 12 characters"
            DATABASE_URL = settings.DATABASE_URL
            TEMPLATE_DSN = "postgresql://{user}:{password}@{host}/app"
        """),
        Valid("""
            import enum

            from sqlalchemy.ext.asyncio import create_async_engine

            class TokenKind(str, enum.Enum):
                ACCESS_TOKEN = "access_token"
                REFRESH_TOKEN = "refresh_token"

            engine = create_async_engine(url="postgresql+asyncpg://app@localhost/app")
        """),
    )
    INVALID = (
        Invalid("""
            DATABASE_URL = "postgresql+asyncpg://app@localhost/app"
        """, line=1, column=16, path="app/core/config.py"),
        Invalid("""
            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                DATABASE_URL: str = "postgresql://postgres:postgres@localhost/app"
        """, line=4, column=25, path="app/core/config.py"),
        Invalid("""
            class StripeClient:
                def __init__(self) -> None:
                    self.api_key = "sk_live_51H8"
        """, line=3, column=24, path="app/services/payment_service.py"),
        Invalid("""
            import redis.asyncio as redis

            cache = redis.from_url("redis://:hunter2@cache:6379/0")
        """, line=3, column=24),
    )


    @classmethod
    def concerns(cls, source: bytes, roles: frozenset[str], file_name: str, settings) -> bool:
        lowered = source.lower()
        return any(needle in lowered for needle in (b"://", b"url", b"uri", b"dsn", b"secret", b"key", b"token",
                                                    b"password"))
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check_bound(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._check_bound(node.target, node.value)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self._check_literal(node)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self._check_literal(node)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        self._check_literal(node)

    def _check_literal(self, node: cst.BaseString) -> None:
        parent = self.context.parent
        # A concatenation is read whole; a docstring documents, it configures nothing.
        if isinstance(parent, (cst.ConcatenatedString, cst.Expr)):
            return
        text = _literal_text(node)
        if text is not None and _embedded_password(text):
            self.report(node, "Take the password out of this URL: read the URL from a `BaseSettings` field")

    def _check_bound(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)):
            if len(target.elements) == len(value.elements):
                for name, item in zip(target.elements, value.elements):
                    self._check_bound(name.value, item.value)
            return
        name = last_name(target)
        text = string_value(value)
        if name is None or text is None or not self._is_checked_place(target):
            return
        # A password in a URL is reported by the literal check, with its own message.
        if _is_config_name(name, text) and not _embedded_password(text):
            self.report(value, f"Read `{name}` from a `BaseSettings` field instead of hard-coding it")

    def _is_checked_place(self, target: cst.BaseExpression) -> bool:
        context = self.context
        if context.is_test_module:
            return False
        if context.enclosing_function is not None:
            return isinstance(target, cst.Attribute)
        owner = context.enclosing_class
        if owner is None:
            return True
        is_enum = any(context.imports.refers_to(base.value, "enum", _ENUM_BASES) for base in owner.bases)
        return not (is_enum or context.index.is_settings(owner))


class SettingsNotBaseSettings(Rule):
    """
    ## What it does
    Checks for classes holding configuration (class-level assignments or
    annotations) that do not derive from `pydantic_settings.BaseSettings`:
    plain classes, dataclasses, `NamedTuple`s, Pydantic `BaseModel`s and
    Pydantic v1's `pydantic.BaseSettings`. The classes checked are those
    named `Settings` or `Config` anywhere, and those named `*Settings` or
    `*Config` in a config module (the `config-modules` setting); elsewhere
    `RetryConfig` is a parameter object, not the application's configuration.

    Not flagged: a class nested in another class (`class Config:` inside a
    Pydantic model is CL404's), a mapped SQLAlchemy class, a Pydantic model in
    a schemas module or used as a section of a `BaseSettings` class in the
    same file (`database: DatabaseConfig`), and a class deriving from a class
    imported from elsewhere than Pydantic (an `Enum`, a `TypedDict`, or the
    project's settings class, checked where it is defined).

    ## Why is this bad?
    `BaseSettings` reads each field from the environment (and `.env`),
    converts and validates it at startup, and keeps secrets in `SecretStr` out
    of logs. A plain class holds literals or scattered `os.getenv` calls that
    are read as strings, unvalidated, when first used.
    """

    code = "CL702"
    name = "settings-not-basesettings"
    REQUIRES = (b"Settings", b"Config")
    VALID = (
        Valid("""
            from pydantic_settings import BaseSettings, SettingsConfigDict

            class Settings(BaseSettings):
                DATABASE_URL: str
                DEBUG: bool = False

                model_config = SettingsConfigDict(env_file=".env")

            class TestSettings(Settings):
                DEBUG: bool = True
        """, path="app/core/config.py"),
        Valid("""
            import enum

            from pydantic import BaseModel
            from pydantic_settings import BaseSettings

            class DatabaseConfig(BaseModel):
                host: str = "localhost"
                port: int = 5432

            class LogConfig(str, enum.Enum):
                JSON = "json"
                TEXT = "text"

            class Settings(BaseSettings):
                database: DatabaseConfig = DatabaseConfig()
                log_format: LogConfig = LogConfig.JSON
        """, path="app/core/config.py"),
        Valid("""
            from dataclasses import dataclass

            from pydantic import BaseModel

            @dataclass
            class RetryConfig:
                attempts: int = 3

            class User(BaseModel):
                email: str

                class Config:
                    orm_mode = True
        """, path="app/services/http_service.py"),
    )
    INVALID = (
        Invalid("""
            import os

            class Settings:
                DATABASE_URL: str = os.environ["DATABASE_URL"]
                DEBUG: bool = False
        """, line=3, column=7, path="app/core/config.py"),
        Invalid("""
            from dataclasses import dataclass

            @dataclass
            class AppConfig:
                debug: bool = False
        """, line=4, column=7, path="app/core/config.py"),
        Invalid("""
            from pydantic import BaseModel

            class Settings(BaseModel):
                database_url: str
        """, line=3, column=7, path="app/main.py"),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        name = node.name.value
        if self.context.enclosing_class is not None or not _is_checked_name(self.context, name):
            return
        if not _holds_configuration(node) or self._is_exempt(node):
            return
        self.report(node.name, f"Derive `{name}` from `pydantic_settings.BaseSettings` "
                               "so its values are read from the environment and validated")

    def _is_exempt(self, node: cst.ClassDef) -> bool:
        index = self.context.index
        if index.is_settings(node) or index.is_mapped(node) or self._derives_from_elsewhere(node, set()):
            return True
        return index.is_pydantic(node) and ("schemas" in self.context.roles
                                            or node.name.value in self._settings_sections)

    def _derives_from_elsewhere(self, node: cst.ClassDef, seen: set[str]) -> bool:
        """Whether a base, here or through local classes, is imported from a package other than Pydantic."""
        seen.add(node.name.value)
        for arg in node.bases:
            base = arg.value.value if isinstance(arg.value, cst.Subscript) else arg.value
            local = self.context.index.classes.get(last_name(base) or "")
            if isinstance(base, cst.Name) and local is not None:
                if local.name.value not in seen and self._derives_from_elsewhere(local, seen):
                    return True
                continue
            qualified = self.context.imports.qualify(base)
            if qualified is not None and qualified.split(".")[0] != "pydantic" and qualified not in _PLAIN_BASES:
                return True
        return False

    @cached_property
    def _settings_sections(self) -> frozenset[str]:
        """The classes that fields of this file's `BaseSettings` classes are annotated with."""
        index = self.context.index
        return frozenset(
            last_name(unwrap_optional(statement.annotation.annotation)) or ""
            for node in index.classes.values() if index.is_settings(node)
            for statement in class_body_statements(node) if isinstance(statement, cst.AnnAssign)
        )


# Imported bases that make a class no less a plain configuration holder.
_PLAIN_BASES = frozenset({"abc.ABC", "typing.NamedTuple", "typing_extensions.NamedTuple"})


def _is_checked_name(context: FileContext, name: str) -> bool:
    return name in ("Settings", "Config") or (name.endswith(("Settings", "Config")) and context.is_config_module)


def _holds_configuration(node: cst.ClassDef) -> bool:
    for statement in class_body_statements(node):
        name = target_name(statement)
        if name is not None and not name.startswith("__") and name != "model_config":
            return True
    return False


class EnvAccessOutsideSettings(Rule):
    """
    ## What it does
    Checks for reads of the environment (`os.environ[...]`,
    `os.environ.get(...)`, `os.getenv(...)`, however `os`, `environ` or
    `getenv` were imported) outside the config modules, the files matched by
    the `config-modules` setting (default `**/config.py`, `**/settings.py`,
    `**/core/config.py`, `**/config/*.py`).

    Not flagged: writes (`os.environ["TZ"] = "UTC"`, `del os.environ[...]`),
    test modules (they set up and inspect the environment the settings read),
    and Alembic revisions, which must not import the application's current
    settings: a revision has to run the same way years later. Alembic's
    `env.py` is not a revision; it imports the settings like any other module.

    ## Why is this bad?
    A variable read where it is used is a string, unvalidated, missing only
    when that line runs, and invisible to whoever deploys the application.
    The settings class lists every variable in one place, converts and
    validates them at startup, and can be overridden in tests.
    """

    code = "CL703"
    name = "env-access-outside-settings"
    REQUIRES = (b"environ", b"getenv")
    VALID = (
        Valid("""
            from app.core.config import settings

            database_url = settings.DATABASE_URL
        """, path="app/db/session.py"),
        Valid("""
            import os

            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                DATABASE_URL: str = os.getenv("DATABASE_URL", "sqlite+aiosqlite:///app.db")
        """, path="app/core/config.py"),
        Valid("""
            import os

            os.environ["TZ"] = "UTC"
            del os.environ["PGPASSWORD"]
            environment = dict(os.environ)
        """, path="app/main.py"),
    )
    INVALID = (
        Invalid("""
            import os

            database_url = os.getenv("DATABASE_URL")
        """, line=3, column=16, path="app/db/session.py"),
        Invalid("""
            from os import environ

            SECRET_KEY = environ["SECRET_KEY"]
        """, line=3, column=14, path="app/core/security.py"),
        Invalid("""
            import os as operating_system

            def debug_enabled() -> bool:
                return operating_system.environ.get("DEBUG") == "1"
        """, line=4, column=12, path="app/main.py"),
        Invalid("""
            import os

            from alembic import context

            config = context.config
            config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])
        """, line=6, column=42, path="alembic/env.py"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.imports.qualify(node.func) in ("os.getenv", "os.environ.get") and self._is_checked():
            self._report(node, node.args[0].value if node.args else None)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        parent = self.context.parent
        is_write = isinstance(parent, (cst.AssignTarget, cst.Del)) or (
            isinstance(parent, cst.AugAssign) and parent.target is node)
        if self.context.imports.qualify(node.value) == "os.environ" and not is_write and self._is_checked():
            index = node.slice[0].slice if len(node.slice) == 1 else None
            self._report(node, index.value if isinstance(index, cst.Index) else None)

    def _is_checked(self) -> bool:
        context = self.context
        return not ("migrations" in context.roles or context.is_test_module or context.is_config_module)

    def _report(self, node: cst.BaseExpression, key: cst.BaseExpression | None) -> None:
        variable = string_value(key) if key is not None else None
        what = f"`{variable}`" if variable else "this variable"
        self.report(node, f"Read {what} through the `BaseSettings` class of the config module "
                          "instead of the environment")
