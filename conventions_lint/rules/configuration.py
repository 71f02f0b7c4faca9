"""CL702: configuration lives in a `BaseSettings` class that reads the environment
(environment_reads.py: reads of it elsewhere; hardcoded_values.py: literals that should come from it)."""

from __future__ import annotations

from functools import cached_property

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import last_name
from conventions_lint.recognize.syntax import class_body_statements, target_name, unwrap_optional
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
    A Pydantic model of such a name in a config module is flagged only when the
    module reads the environment (`os.environ`, `os.getenv`): in one that does
    not (fastcrud's `core/config/join_configs.py`), `JoinConfig` is the options
    object a caller passes, not the deployment's configuration.

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
        Valid(
            """
            from pydantic import BaseModel

            class JoinConfig(BaseModel):
                model: type
                join_on: str | None = None
                join_prefix: str | None = None
        """,
            path="app/config/join_configs.py",
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
            import os
            from dataclasses import dataclass

            @dataclass
            class AppConfig:
                debug: bool = os.getenv("DEBUG") == "1"
        """,
            line=5,
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

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Pydantic `*Settings` / `*Config` models of a config module, reported once it is seen to read the environment.
        self._named_like_settings: list[cst.ClassDef] = []
        self._reads_environment = False

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        name = node.name.value
        if self.context.enclosing_class is not None or not _is_checked_name(self.context, name):
            return
        if not _holds_configuration(node) or self._is_exempt(node):
            return
        derives_from_settings = any(last_name(arg.value) in _SETTINGS_NAMES for arg in node.bases)
        # `class ProductionConfig(Config)` is Flask's way; a plain `MailConfig` holds its values itself.
        if name in _SETTINGS_NAMES or derives_from_settings or not self.context.index.is_pydantic(node):
            self._report(node)
        else:
            self._named_like_settings.append(node)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in _ENVIRONMENT_NAMES and not self._reads_environment:
            self._reads_environment = self.context.imports.qualify(node) in _ENVIRONMENT

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in _ENVIRONMENT_NAMES and not self._reads_environment:
            self._reads_environment = self.context.imports.qualify(node) in _ENVIRONMENT

    def leave_Module(self, node: cst.Module) -> None:
        if self._reads_environment:
            for found in self._named_like_settings:
                self._report(found)

    def _report(self, node: cst.ClassDef) -> None:
        self.report(
            node.name,
            f"Derive `{node.name.value}` from `pydantic_settings.BaseSettings` "
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


_SETTINGS_NAMES = frozenset({"Settings", "Config"})
_ENVIRONMENT = frozenset({"os.environ", "os.getenv"})
_ENVIRONMENT_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in _ENVIRONMENT)
# Imported bases that make a class no less a plain configuration holder.
_PLAIN_BASES = frozenset({"abc.ABC", "typing.NamedTuple", "typing_extensions.NamedTuple"})


def _is_checked_name(context: FileContext, name: str) -> bool:
    return name in _SETTINGS_NAMES or (name.endswith(("Settings", "Config")) and context.is_config_module)


def _holds_configuration(node: cst.ClassDef) -> bool:
    for statement in class_body_statements(node):
        name = target_name(statement)
        if name is not None and not name.startswith("__") and name != "model_config":
            return True
    return False
