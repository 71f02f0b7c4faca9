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
