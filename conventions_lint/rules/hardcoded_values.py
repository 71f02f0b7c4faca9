"""CL701: secrets and addresses come from the environment, never from literals in the code."""

from __future__ import annotations

import libcst as cst

from conventions_lint.names import last_name
from conventions_lint.recognize.config_values import embedded_password, is_config_name
from conventions_lint.recognize.syntax import literal_value, string_value
from conventions_lint.rule import Invalid, Rule, Valid

_ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum", "Flag", "IntFlag"})


def _literal_text(expr: cst.BaseExpression) -> str | None:
    """The text of a string literal, with `{}` for each f-string replacement field; None for bytes."""
    kind = type(expr)
    if kind is cst.SimpleString:
        value = literal_value(expr)
        return value if isinstance(value, str) else None
    if kind is cst.FormattedString:
        return "".join(part.value if type(part) is cst.FormattedStringText else "{}" for part in expr.parts)
    if kind is cst.ConcatenatedString:
        left, right = _literal_text(expr.left), _literal_text(expr.right)
        return left + right if left is not None and right is not None else None
    return None


class HardcodedConfigValue(Rule):
    """
    ## What it does
    Checks for secrets and deployment-specific values written as string
    literals, bound to configuration-like names as module constants, class
    attributes or attributes (`self.api_key = "…"`):
    - a secret: a name holding `SECRET` or `PASSWORD` as a word, or ending in
      `API_KEY`, `PRIVATE_KEY`, `SIGNING_KEY`, `ACCESS_TOKEN`, `AUTH_TOKEN`,
      `BOT_TOKEN`, … (in any case); any other `*_KEY` or `*_TOKEN` when its
      value looks like a key (16 or more letters and digits, mixed:
      `AMPLITUDE_KEY = "c97dd2acbf306ab7bf54aca0"`);
    - an address that changes with the deployment, bound to a `*_URL` or
      `*_URI`: a database, broker or cache URL (any scheme but `http`, `https`,
      `ws`, `wss`, `ftp`: `redis://cache:6379/0`, `sqlite:///app.db`,
      `localhost:6379`), a web URL of a private host (`localhost`, an IP
      address, a one-label name such as `http://ollama:11434`, `*.local`,
      `*.internal`, `*.svc`), or one with a user in it; and any `*_DSN`
      address (a Sentry DSN carries the project's key).

    The default of a field of a `pydantic_settings.BaseSettings` class is
    allowed: the environment overrides it.

    Not flagged: empty strings (the usual "not set"), text with spaces (a
    message or a label), templates (`"{}"`, `"${DB_PASSWORD}"`), a `*_URL`
    that is a path rather than an address (`LOGIN_URL = "/auth/login"`),
    `Enum` members, keyword arguments, local variables of functions (computed
    state, not configuration), and test modules, where fixed test
    configuration is the point.

    Separately, it checks every string literal, test modules and
    `BaseSettings` defaults included, for a URL with an embedded password
    (`postgresql://app:secret@db/app`, `redis://:secret@cache`). A URL with a
    user and no password, or a placeholder or masked password (`{}`,
    `${DB_PASSWORD}`, `***`), is fine; docstrings are not checked. In a
    `BaseSettings` default the message asks for the password to leave the
    default, since the value is read from the environment already.

    ## Why is this bad?
    A value written in the code is the same in every environment: the
    production database, keys and tokens end up in the repository and its
    history, and changing them needs a release. The team's settings class reads
    them from the environment (or a `.env` file that is not committed),
    validates them at startup and keeps secrets in `SecretStr`. A password in a
    URL is a secret in the code wherever it is written.

    ## Known limits
    Constants that are the same in every deployment are not configuration,
    and are not reported (noise.md N3): a name about a secret rather than the
    secret, with a word such as `HEADER`, `PREFIX`, `SUFFIX`, `NAME`, `CTX`,
    `CONTEXT`, `COOKIE`, `ENV`, `VAR`, `CONFIG`, `STATE`, `CACHE`, `TYPE`,
    `AUDIENCE`, `PAYLOAD` or `RESOURCE` in it (`TENANT_HEADER_KEY = "X-Tenant"`,
    `WEBHOOK_SECRET_PREFIX = "whsec_"`, `REQUEST_ID_CTX_KEY = "request_id"`,
    `JWT_SECRET_ENV = "JWT_SECRET"`); a key into a structure
    (`XCOM_RETURN_KEY = "return_value"`); and a public web URL
    (`OPENAI_BASE_URL = "https://api.openai.com/v1"`, a plugin's
    `author_url`, a logo or documentation URL). The app's own public host
    (`API_URL = "https://api.example.com"`) cannot be told from a third
    party's by its text, and is not reported either.

    A value that names something rather than holding it is not reported: an
    upper-case identifier, the name of an environment variable or of a
    credential slot (`GITHUB_PAT_SECRET_KEY = "GITHUB_PERSONAL_ACCESS_TOKEN"`)
    or a placeholder (`"YOUR_API_KEY_HERE"`); the constant's own name in
    another case (`_SYSTEM_API_KEY = "SystemApiKey"`, a GraphQL type name;
    `_DUMMY_SECRET = "dummy_secret"`), so `PASSWORD = "password"` is not
    reported either; and for a `*_KEY` or `*_TOKEN` name without `SECRET` or
    `PASSWORD` in it, snake-case words (`_METADATA_SESSION_KEY =
    "phoenix_session_key"`, a key into a session). A module constant given as
    `base_url=` beside an in-process transport (`AsyncClient(transport=
    ASGITransport(app=app), base_url=_INTERNAL_BASE_URL)`) is not reported:
    its host is never resolved.
    """

    code = "CL701"
    name = "hardcoded-config-value"
    VALID = (
        Valid(
            """
            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                DATABASE_URL: str = "postgresql+asyncpg://app@localhost/app"
                SECRET_KEY: str = ""
        """,
            path="app/core/config.py",
        ),
        Valid("""
            from app.core.config import settings

            LOGIN_URL = "/auth/login"
            CACHE_KEY = "users:all"
            PASSWORD_HELP = "At least 12 characters"
            DATABASE_URL = settings.DATABASE_URL
            TEMPLATE_DSN = "postgresql://{user}:{password}@{host}/app"
        """),
        # noise.md N3: constants that are the same in every deployment.
        Valid("""
            from typing import Final

            from app.plugins import Plugin

            REQUEST_ID_CTX_KEY: Final[str] = "request_id"
            TENANT_HEADER_KEY = "X-Tenant"
            WEBHOOK_SECRET_PREFIX = "whsec_"
            XCOM_RETURN_KEY = "return_value"
            OPENAI_API_BASE_URL = "https://api.openai.com/v1"


            class GithubPlugin(Plugin):
                author_url = "https://github.com/acme/plugins"
        """),
        # Names of variables, slots and types, keys into a session, a URL served in process.
        Valid("""
            import httpx

            from app.main import app

            GITHUB_PAT_SECRET_KEY = "GITHUB_PERSONAL_ACCESS_TOKEN"
            _SYSTEM_API_KEY = "SystemApiKey"
            _DUMMY_SECRET = "dummy_secret"
            CREATE_WORKSPACE_SESSION_KEY = "create_workspace"
            _INTERNAL_BASE_URL = "http://app-mcp.internal"

            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=_INTERNAL_BASE_URL)
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
        Invalid(
            """
            DATABASE_URL = "postgresql+asyncpg://app@localhost/app"
        """,
            line=1,
            column=16,
            path="app/core/config.py",
        ),
        Invalid(
            """
            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                DATABASE_URL: str = "postgresql://postgres:postgres@localhost/app"
        """,
            line=4,
            column=25,
            path="app/core/config.py",
        ),
        Invalid(
            """
            class StripeClient:
                def __init__(self) -> None:
                    self.api_key = "sk_live_51H8"
        """,
            line=3,
            column=24,
            path="app/services/payment_service.py",
        ),
        Invalid(
            """
            import redis.asyncio as redis

            cache = redis.from_url("redis://:hunter2@cache:6379/0")
        """,
            line=3,
            column=24,
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        # Module constants reported: a use further down may show the value is no configuration (`_in_process`).
        self._constants: list[tuple[str, cst.BaseExpression]] = []
        self._in_process: set[str] = set()

    @classmethod
    def concerns(cls, source: bytes, roles: frozenset[str], file_name: str, settings) -> bool:
        lowered = source.lower()
        return any(
            needle in lowered for needle in (b"://", b"url", b"uri", b"dsn", b"secret", b"key", b"token", b"password")
        )

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check_bound(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._check_bound(node.target, node.value)

    def visit_Call(self, node: cst.Call) -> None:
        # `AsyncClient(transport=ASGITransport(app=app), base_url=_INTERNAL_BASE_URL)`: the app is served in
        # process, the URL only has to be well-formed and its host is never resolved.
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        transport, base_url = keywords.get("transport"), keywords.get("base_url")
        served_in_process = isinstance(transport, cst.Call) and (last_name(transport.func) or "").endswith(
            ("ASGITransport", "WSGITransport")
        )
        if served_in_process and isinstance(base_url, cst.Name):
            self._in_process.add(base_url.value)

    def leave_Module(self, node: cst.Module) -> None:
        self.context.withdraw(self.code, [value for name, value in self._constants if name in self._in_process])

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
        if text is not None and embedded_password(text):
            owner = self.context.enclosing_class
            if owner is not None and self.context.index.is_settings(owner):
                # It is a `BaseSettings` field already: its default is what must not hold the password.
                self.report(node, "Take the password out of this default: let the environment set the URL")
            else:
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
        if is_config_name(name, text) and not embedded_password(text):
            self.report(value, f"Read `{name}` from a `BaseSettings` field instead of hard-coding it")
            if isinstance(target, cst.Name) and self.context.enclosing_class is None:
                self._constants.append((name, value))

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
