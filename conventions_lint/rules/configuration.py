"""CL702, CL703: configuration lives in a `BaseSettings` class that reads the environment
(hardcoded_values.py: literals that should come from it)."""

from __future__ import annotations

from functools import cached_property

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import last_name
from conventions_lint.recognize.syntax import class_body_statements, string_value, target_name, unwrap_optional
from conventions_lint.rule import Invalid, Rule, Valid


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
        Valid(
            """
            from pydantic_settings import BaseSettings, SettingsConfigDict

            class Settings(BaseSettings):
                DATABASE_URL: str
                DEBUG: bool = False

                model_config = SettingsConfigDict(env_file=".env")

            class TestSettings(Settings):
                DEBUG: bool = True
        """,
            path="app/core/config.py",
        ),
        Valid(
            """
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
        """,
            path="app/core/config.py",
        ),
        Valid(
            """
            from dataclasses import dataclass

            from pydantic import BaseModel

            @dataclass
            class RetryConfig:
                attempts: int = 3

            class User(BaseModel):
                email: str

                class Config:
                    orm_mode = True
        """,
            path="app/services/http_service.py",
        ),
    )
    INVALID = (
        Invalid(
            """
            import os

            class Settings:
                DATABASE_URL: str = os.environ["DATABASE_URL"]
                DEBUG: bool = False
        """,
            line=3,
            column=7,
            path="app/core/config.py",
        ),
        Invalid(
            """
            from dataclasses import dataclass

            @dataclass
            class AppConfig:
                debug: bool = False
        """,
            line=4,
            column=7,
            path="app/core/config.py",
        ),
        Invalid(
            """
            from pydantic import BaseModel

            class Settings(BaseModel):
                database_url: str
        """,
            line=3,
            column=7,
            path="app/main.py",
        ),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        name = node.name.value
        if self.context.enclosing_class is not None or not _is_checked_name(self.context, name):
            return
        if not _holds_configuration(node) or self._is_exempt(node):
            return
        self.report(
            node.name,
            f"Derive `{name}` from `pydantic_settings.BaseSettings` "
            "so its values are read from the environment and validated",
        )

    def _is_exempt(self, node: cst.ClassDef) -> bool:
        index = self.context.index
        if index.is_settings(node) or index.is_mapped(node) or self._derives_from_elsewhere(node, set()):
            return True
        return index.is_pydantic(node) and (
            "schemas" in self.context.roles or node.name.value in self._settings_sections
        )

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
            for node in index.classes.values()
            if index.is_settings(node)
            for statement in class_body_statements(node)
            if isinstance(statement, cst.AnnAssign)
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
        Valid(
            """
            from app.core.config import settings

            database_url = settings.DATABASE_URL
        """,
            path="app/db/session.py",
        ),
        Valid(
            """
            import os

            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                DATABASE_URL: str = os.getenv("DATABASE_URL", "sqlite+aiosqlite:///app.db")
        """,
            path="app/core/config.py",
        ),
        Valid(
            """
            import os

            os.environ["TZ"] = "UTC"
            del os.environ["PGPASSWORD"]
            environment = dict(os.environ)
        """,
            path="app/main.py",
        ),
    )
    INVALID = (
        Invalid(
            """
            import os

            database_url = os.getenv("DATABASE_URL")
        """,
            line=3,
            column=16,
            path="app/db/session.py",
        ),
        Invalid(
            """
            from os import environ

            SECRET_KEY = environ["SECRET_KEY"]
        """,
            line=3,
            column=14,
            path="app/core/security.py",
        ),
        Invalid(
            """
            import os as operating_system

            def debug_enabled() -> bool:
                return operating_system.environ.get("DEBUG") == "1"
        """,
            line=4,
            column=12,
            path="app/main.py",
        ),
        Invalid(
            """
            import os

            from alembic import context

            config = context.config
            config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])
        """,
            line=6,
            column=42,
            path="alembic/env.py",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.imports.qualify(node.func) in ("os.getenv", "os.environ.get") and self._is_checked():
            self._report(node, node.args[0].value if node.args else None)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        parent = self.context.parent
        is_write = isinstance(parent, (cst.AssignTarget, cst.Del)) or (
            isinstance(parent, cst.AugAssign) and parent.target is node
        )
        if self.context.imports.qualify(node.value) == "os.environ" and not is_write and self._is_checked():
            index = node.slice[0].slice if len(node.slice) == 1 else None
            self._report(node, index.value if isinstance(index, cst.Index) else None)

    def _is_checked(self) -> bool:
        context = self.context
        return not ("migrations" in context.roles or context.is_test_module or context.is_config_module)

    def _report(self, node: cst.BaseExpression, key: cst.BaseExpression | None) -> None:
        variable = string_value(key) if key is not None else None
        what = f"`{variable}`" if variable else "this variable"
        self.report(
            node, f"Read {what} through the `BaseSettings` class of the config module instead of the environment"
        )
