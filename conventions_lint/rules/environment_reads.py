"""CL703: the environment is read by the settings class of the config layer, nowhere else
(configuration.py: that class is a `BaseSettings`)."""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import cached_property

import libcst as cst

from conventions_lint.recognize.syntax import string_value
from conventions_lint.rule import Invalid, Rule, Valid


class EnvAccessOutsideSettings(Rule):
    """
    ## What it does
    Checks for reads of the environment (`os.environ[...]`,
    `os.environ.get(...)`, `os.getenv(...)`, however `os`, `environ` or
    `getenv` were imported) outside the config modules, the files matched by
    the `config-modules` setting (default `**/config.py`, `**/settings.py`,
    `**/core/config.py`, `**/config/*.py`, `**/configuration.py`,
    `**/configuration/*.py`).

    Also not flagged: a module that defines a `BaseSettings` class (through the
    project's own bases too) or a pydantic-settings source (`EnvSettingsSource`):
    it is the config layer whatever its path (`prefect/settings/models/api.py`).

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
        Valid(
            """
            import os

            from app.settings.base import AppBaseSettings

            class APISettings(AppBaseSettings):
                ssl_cert_file: str | None = os.environ.get("SSL_CERT_FILE")
        """,
            path="app/settings/models/api.py",
            others=(
                (
                    "app/settings/base.py",
                    "from pydantic_settings import BaseSettings\n\n\nclass AppBaseSettings(BaseSettings):\n    pass\n",
                ),
            ),
        ),
        Valid(
            """
            import os

            from pydantic_settings import EnvSettingsSource

            class ProfileSource(EnvSettingsSource):
                def __call__(self) -> dict:
                    return {"profile": os.environ.get("APP_PROFILE", "default")}
        """,
            path="app/settings/sources.py",
        ),
        # Variables the terminal and OpenTelemetry's SDK define: no setting of the application.
        Valid(
            """
            import os

            use_colour = os.environ.get("NO_COLOR", "") == "" and os.environ.get("TERM") != "dumb"
            service_name = os.getenv("OTEL_SERVICE_NAME")
        """,
            path="app/telemetry.py",
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
        return not (
            "migrations" in context.roles
            or context.is_test_module
            or context.is_config_module
            or self._defines_settings
        )

    @cached_property
    def _defines_settings(self) -> bool:
        """A module that defines a settings class or a settings source is the config layer, wherever it lives."""
        index = self.context.index
        return any(index.is_settings_layer(node) for node in index.classes.values())

    def _report(self, node: cst.BaseExpression, key: cst.BaseExpression | None) -> None:
        variable = string_value(key) if key is not None else None
        settings = self.settings
        tools = (*settings.tool_env_variables, *settings.extend_tool_env_variables)
        if variable is not None and any(fnmatchcase(variable, pattern) for pattern in tools):
            return
        what = f"`{variable}`" if variable else "this variable"
        self.report(
            node, f"Read {what} through the `BaseSettings` class of the config module instead of the environment"
        )
