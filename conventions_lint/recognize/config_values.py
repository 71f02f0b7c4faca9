"""Whether a string bound to a name is a secret or an address that changes with the deployment (CL701):
what the value and the name say, without the syntax around them."""

from __future__ import annotations

import re

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
# A value spelled as an upper-case identifier names an environment variable or a credential slot
# (`GITHUB_PAT_SECRET_KEY = "GITHUB_PERSONAL_ACCESS_TOKEN"`), or is a placeholder (`"YOUR_API_KEY_HERE"`).
_UPPER_IDENTIFIER = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
# Words of a key into a session or a dict (`_METADATA_SESSION_KEY = "phoenix_session_key"`): letters only,
# joined by underscores, where a key or token has digits or other signs in it.
_KEY_NAME_VALUE = re.compile(r"[a-z]+(?:_[a-z]+)+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
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


def embedded_password(text: str) -> bool:
    # Most literals are not URLs.
    if "://" not in text or "@" not in text:
        return False
    for found in _CREDENTIALS.finditer(text):
        password = found.group("password")
        if not (_TEMPLATE.fullmatch(password) or _MASKED.fullmatch(password)):
            return True
    return False


def is_config_name(name: str, value: str) -> bool:
    """Whether `name = value` hard-codes a secret or a deployment-specific address; empty strings, text,
    templates, placeholders and constants that are the same in every deployment do not."""
    if not value or any(char.isspace() for char in value) or _TEMPLATE.search(value):
        return False
    if _URL_NAME.search(name):
        # A DSN carries the project's key (`https://key@o1.ingest.sentry.io/1`) whatever its host.
        return bool(_ADDRESS.match(value)) if name.upper().endswith("DSN") else _is_deployment_address(value)
    if not _NAMING_WORDS.isdisjoint(name.upper().strip("_").split("_")) or _is_a_name(name, value):
        return False
    secret = _SECRET_NAME.search(name)
    if secret is not None:
        # A `SECRET` or `PASSWORD` is one whatever its value; a `*_SESSION_KEY` of snake-case words is a key name.
        return secret.group(2) is not None or not _KEY_NAME_VALUE.fullmatch(value)
    return bool(_WEAK_SECRET_NAME.search(name) and _SECRET_LOOKING.fullmatch(value))


def _words(text: str) -> list[str]:
    return [word for word in _CAMEL_BOUNDARY.sub("_", text).lower().split("_") if word]


def _is_a_name(name: str, value: str) -> bool:
    """Whether the value names something rather than holding a secret: an environment variable, a credential
    slot or a placeholder in upper case, or the constant's own name in another case (`_SYSTEM_API_KEY =
    "SystemApiKey"`, a GraphQL type; `_DUMMY_SECRET = "dummy_secret"`)."""
    return bool(_UPPER_IDENTIFIER.fullmatch(value)) or _words(value) == _words(name)


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
