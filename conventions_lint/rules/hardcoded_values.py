"""CL701: secrets and addresses come from the environment, never from literals in the code."""

from __future__ import annotations

import re

import libcst as cst

from conventions_lint.names import last_name
from conventions_lint.recognize.syntax import string_value
from conventions_lint.rule import Invalid, Rule, Valid

# `scheme://user:password@host`; the user may be empty (`redis://:password@host`).
# The look-behind starts a scheme only where a word starts, so a long run of letters is scanned once.
_CREDENTIALS = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[\w.~%+-]*:(?P<password>[^\s/@]+)@")
# `{}`, `{password}`, `${DB_PASSWORD}`, `%s`, `%(password)s`: filled in elsewhere.
_TEMPLATE = re.compile(r"\$?\{\w*\}|%(\(\w+\))?s")
# A password shown as `<password>` or `***` is documented or masked, not given.
_MASKED = re.compile(r"<[\w-]+>|\*+")
_URL_NAME = re.compile(r"_(URL|URI|DSN)$", re.IGNORECASE)
# A name that holds a secret itself: `SECRET_KEY`, `JWT_SECRET`, `DB_PASSWORD`, `STRIPE_API_KEY`,
# `GITHUB_ACCESS_TOKEN`.
_SECRET_NAME = re.compile(
    r"(^|_)(SECRET|PASSWORD|PASSWD)(_|$)|(^|_)(API|PRIVATE|SIGNING|ENCRYPTION|ACCESS|MASTER|LICENSE|AUTH|BEARER|"
    r"BOT|REFRESH|JWT|HMAC|FERNET|WRITE|SERVICE|SESSION)_(KEY|TOKEN)$",
    re.IGNORECASE,
)
# Any other `*_KEY` / `*_TOKEN` is most often a key into something (`XCOM_RETURN_KEY = "return_value"`): it is a
# secret when its value looks like one, a long run of letters and digits (`"c97dd2acbf306ab7bf54aca0"`).
_WEAK_SECRET_NAME = re.compile(r"(^|_)(KEY|TOKEN)$", re.IGNORECASE)
_SECRET_LOOKING = re.compile(r"(?=[\w+/=-]*\d)(?=[\w+/=-]*[A-Za-z])[\w+/=-]{16,}")
# Words that make the name about a secret rather than the secret: its header, prefix, context-variable
# slot, cookie, environment variable or configuration entry (`TENANT_HEADER_KEY`, `WEBHOOK_SECRET_PREFIX`,
# `REQUEST_ID_CTX_KEY`, `JWT_SECRET_ENV`).
_NAMING_WORDS = frozenset(
    {
        "AUDIENCE",
        "ATTR",
        "CACHE",
        "CONFIG",
        "CONTEXT",
        "COOKIE",
        "CTX",
        "ENV",
        "FIELD",
        "FOREIGN",
        "GROUP",
        "HASH",
        "HEADER",
        "ISSUER",
        "LABEL",
        "LOOKUP",
        "NAME",
        "ORDER",
        "PARAM",
        "PARTITION",
        "PAYLOAD",
        "PREFIX",
        "PRIMARY",
        "RESOURCE",
        "SORT",
        "STATE",
        "SUFFIX",
        "TYPE",
        "VAR",
    }
)
# What a `*_URL` holds when it is configuration: an address, `https://…`, `sqlite:///…`, `localhost:6379`.
_ADDRESS = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^[\w.-]+:\d+")
_WEB_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
# Hosts that differ from one deployment to the next: a machine, a container or a private network.
_PRIVATE_HOST = re.compile(
    r"^(localhost|[\d.]+|\[[\d:a-f]+\]|[\w-]+|.*\.(local|internal|lan|corp|home|svc|localdomain))$", re.IGNORECASE
)
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
    """Whether `name = value` hard-codes a secret or a deployment-specific address; empty strings, text,
    templates, placeholders and constants that are the same in every deployment do not."""
    if not value or any(char.isspace() for char in value) or _TEMPLATE.search(value):
        return False
    if _URL_NAME.search(name):
        # A DSN carries the project's key (`https://key@o1.ingest.sentry.io/1`) whatever its host.
        return bool(_ADDRESS.match(value)) if name.upper().endswith("DSN") else _is_deployment_address(value)
    if not _NAMING_WORDS.isdisjoint(name.upper().strip("_").split("_")):
        return False
    return bool(_SECRET_NAME.search(name)) or bool(_WEAK_SECRET_NAME.search(name) and _SECRET_LOOKING.fullmatch(value))


def _is_deployment_address(value: str) -> bool:
    """An address that changes with the deployment: a database, broker or cache URL (any scheme but the
    web's), or a web URL of a private host (`http://localhost:11434`, `http://ollama:11434`,
    `http://api.svc.cluster.local`), or one with a user in it. A public web URL (`https://api.openai.com/v1`, a docs or logo URL)
    is the same in every deployment; a path (`LOGIN_URL = "/auth/login"`) is a route."""
    if not _ADDRESS.match(value):
        return False
    scheme, separator, rest = value.partition("://")
    if not separator:
        return True  # `localhost:6379`
    if scheme.lower() not in _WEB_SCHEMES:
        return True
    authority = rest.split("/", 1)[0]
    if "@" in authority:
        return True  # a user (or a key) in the URL
    host = authority.rsplit(":", 1)[0] if not authority.endswith("]") else authority
    return bool(_PRIVATE_HOST.match(host))


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
