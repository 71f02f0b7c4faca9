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

    Nor is a read of a variable that another tool defines and reads itself
    (the `tool-env-variables` setting): the operating system's and the
    shell's (`PATH`, `HOME`, `TZ`, `LC_*`, `XDG_*`), the terminal's (`TERM`,
    `COLUMNS`, `NO_COLOR`, `FORCE_COLOR`, `DO_NOT_TRACK`), the Python
    interpreter's (`PYTHONDEVMODE`, `VIRTUAL_ENV`) and OpenTelemetry SDK's,
    as its specification names them (`OTEL_SERVICE_NAME`,
    `OTEL_EXPORTER_OTLP_ENDPOINT`). Saving the terminal's width or honouring
    `NO_COLOR` configures no deployment of the application. An application's
    own settings with such a prefix (`OTEL_BASIC_AUTH_USERNAME`,
    `PYTHON_ENV`) are its configuration, and reported.

    ## Why is this bad?
    A variable read where it is used is a string, unvalidated, missing only
    when that line runs, and invisible to whoever deploys the application.
    The settings class lists every variable in one place, converts and
    validates them at startup, and can be overridden in tests.

    ## Options
    `tool-env-variables` (names; `*`, `?` and `[A-Z]` as in `fnmatch`) lists
    the variables of other tools; by default `PATH`, `HOME`, `USER`,
    `LOGNAME`, `SHELL`, `PWD`, `TMPDIR`, `TEMP`, `TMP`, `LANG`, `LANGUAGE`,
    `LC_*`, `TZ`, `LD_LIBRARY_PATH`, `XDG_*`, `TERM`, `COLUMNS`, `LINES`,
    `NO_COLOR`, `FORCE_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`, `DO_NOT_TRACK`,
    `PYTHON[A-Z]*`, `VIRTUAL_ENV`, and OpenTelemetry's: `OTEL_SDK_DISABLED`,
    `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_LOG_LEVEL`,
    `OTEL_PROPAGATORS`, `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`,
    `OTEL_TRACES_EXPORTER`, `OTEL_METRICS_EXPORTER`, `OTEL_LOGS_EXPORTER`,
    `OTEL_METRIC_EXPORT_INTERVAL`, `OTEL_METRIC_EXPORT_TIMEOUT`,
    `OTEL_METRICS_EXEMPLAR_FILTER`, `OTEL_BSP_*`, `OTEL_BLRP_*`,
    `OTEL_ATTRIBUTE_*`, `OTEL_SPAN_*`, `OTEL_EVENT_*`, `OTEL_LINK_*`,
    `OTEL_LOGRECORD_*`, `OTEL_EXPORTER_OTLP_*`, `OTEL_EXPORTER_ZIPKIN_*`,
    `OTEL_EXPORTER_PROMETHEUS_*`, `OTEL_EXPORTER_JAEGER_*`, `OTEL_PYTHON_*`.
    `extend-tool-env-variables` adds to it (a vendor SDK's `AWS_*`); setting
    `tool-env-variables = []` checks them all (a team that configures
    OpenTelemetry through its settings class).

    ## Known limits
    A variable the application sets itself for a process it starts (the run
    id a worker hands its flow process) is read like configuration and
    reported: the linter cannot tell that its value comes from the parent
    process. Nor can it tell a developer-only hook (a debugger's port) from
    a setting. A key that is not a string literal is always reported.
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
