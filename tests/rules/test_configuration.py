from __future__ import annotations

import pytest

from tests.helpers import found, lint


def cl7(source: str, code: str, *, path: str = "app/main.py", **options):
    return found(lint(source, path=path, select=(code,), **options))


def messages(source: str, code: str, *, path: str = "app/main.py") -> list[str]:
    return [d.message for d in lint(source, path=path, select=(code,))]


# CL701 hardcoded-config-value: names


@pytest.mark.parametrize(
    "assignment",
    [
        'API_KEY = "abc123"',
        'github_token = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"',
        'SECRET = "dev"',
        'secret_key = "dev"',
        'JWT_SECRET = "change-me"',
        'CLIENT_SECRET_VALUE = "s3cr3t"',
        'DB_PASSWORD = "postgres"',
        'smtp_password_value = "mail"',
        'REDIS_URL = "redis://cache:6379/0"',
        'REDIS_URL = "localhost:6379"',
        'BROKER_URI = "amqp://guest@rabbit//"',
        'SENTRY_DSN = "https://abc@o1.ingest.sentry.io/1"',
        'DATABASE_URL = "sqlite+aiosqlite:///./app.db"',
        'API_KEY: str = "abc123"',
        'API_KEY = "abc" "123"',
    ],
)
def test_config_names_bound_to_literals(assignment: str) -> None:
    assert cl7(assignment, "CL701") == [("CL701", 1, assignment.index('"') + 1)]


@pytest.mark.parametrize(
    "assignment",
    [
        'API_KEY = ""',
        'LOGIN_URL = "/auth/login"',
        'DOCS_URL = "docs"',
        'CACHE_KEY = "users:all"',
        'PRIMARY_KEY = "id"',
        'sort_key = "created_at"',
        'PASSWORD_HELP = "At least 12 characters"',
        'DATABASE_URL_TEMPLATE = "postgresql://localhost/app"',
        'TOKEN_TYPE = "bearer"',
        'ALGORITHM = "HS256"',
        'API_KEY_HEADER = "X-API-Key"',
        'REDIS_URL = "redis://{host}:6379/0"',
        'API_KEY = "${API_KEY}"',
        'API_KEY = b"abc123"',
        'API_KEY = f"{prefix}abc"',
        "API_KEY = settings.API_KEY",
        'SECRET_KEY = os.getenv("SECRET_KEY")',
        'client = Client(api_key="abc123")',
        'headers = {"X_API_KEY": "abc123"}',
    ],
)
def test_look_alikes_are_not_flagged(assignment: str) -> None:
    assert cl7(assignment, "CL701") == []


@pytest.mark.parametrize(
    "assignment",
    [
        'REQUEST_ID_CTX_KEY: Final[str] = "request_id"',
        'TENANT_HEADER_KEY = "X-Tenant"',
        'WEBHOOK_SECRET_PREFIX = "whsec_"',
        'JWT_SECRET_ENV = "JWT_SECRET"',
        'COOKIE_NAME_JWT_TOKEN = "_token"',
        'RESET_PASSWORD_TOKEN_AUDIENCE = "fastapi-users:reset"',
        'EVENTS_CONFIG_KEY = "events.webhooks"',
        'RESOURCE_PASSWORD = "Passwords"',
        'XCOM_RETURN_KEY = "return_value"',
        'CSRF_TOKEN_KEY = "csrftoken"',
        'OPENAI_API_BASE_URL = "https://api.openai.com/v1"',
        'FAVICON_URL = "https://example.org/favicon.png"',
        'author_url = "https://github.com/acme/plugins"',
        'base_url = "http://in-process.invalid./"',
    ],
)
def test_constants_the_same_in_every_deployment_are_not_configuration(assignment: str) -> None:
    # noise.md N3: context-variable keys, header names, token prefixes, metadata URLs.
    assert cl7(assignment, "CL701") == []


@pytest.mark.parametrize(
    "assignment",
    [
        'OLLAMA_BASE_URL = "http://localhost:11434"',
        'OLLAMA_BASE_URL = "http://ollama:11434"',
        'OLLAMA_BASE_URL = "http://host.docker.internal:11434"',
        'API_URL = "http://api.svc.cluster.local"',
        'CACHE_URL = "http://10.0.0.12:8080"',
        'PROXY_URL = "https://user@proxy.example.com"',
        'ANALYTICS_KEY = "c97dd2acbf306ab7bf54aca0aeb7ffa1"',
        'SESSION_TOKEN = "dGhpc2lzYXRva2VuMTIzNDU2"',
    ],
)
def test_private_hosts_and_key_looking_values_are_configuration(assignment: str) -> None:
    assert cl7(assignment, "CL701") == [("CL701", 1, assignment.index('"') + 1)]


@pytest.mark.parametrize(
    "assignment",
    [
        'GITHUB_PAT_SECRET_KEY = "GITHUB_PERSONAL_ACCESS_TOKEN"',
        'AMPLITUDE_API_KEY = "YOUR_AMPLITUDE_API_KEY_HERE"',
        '_SYSTEM_API_KEY = "SystemApiKey"',
        '_DUMMY_SECRET = "dummy_secret"',
        '_METADATA_SESSION_KEY = "phoenix_session_key"',
        'CREATE_WORKSPACE_DATA_SESSION_KEY = "create_workspace"',
    ],
)
def test_values_that_name_something_are_not_secrets(assignment: str) -> None:
    # Issue 15 (ecosystem): a variable's or slot's name, a type name, the constant's own name, a session key.
    assert cl7(assignment, "CL701") == []


@pytest.mark.parametrize(
    "assignment",
    [
        'SECRET_KEY = "dev_secret_key"',
        'ADMIN_PASSWORD = "admin"',
        'SESSION_KEY = "k3y_2024_rotating"',
        'BOT_TOKEN = "bot_token_2"',
    ],
)
def test_secrets_that_merely_look_like_words_are_still_secrets(assignment: str) -> None:
    assert cl7(assignment, "CL701") == [("CL701", 1, assignment.index('"') + 1)]


def test_a_base_url_served_in_process_is_not_configuration() -> None:
    source = """\
import httpx

_INTERNAL_BASE_URL = "http://phoenix-mcp.internal"
PEER_URL = "http://peer.internal"

local = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=_INTERNAL_BASE_URL)
remote = httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(retries=2), base_url=PEER_URL)
"""
    assert cl7(source, "CL701") == [("CL701", 4, 12)]


def test_a_password_in_a_settings_default_is_not_told_to_move_to_a_settings_field() -> None:
    # noise.md N3: the field is a `BaseSettings` field already.
    source = """
        from pydantic_settings import BaseSettings

        class Settings(BaseSettings):
            DATABASE_URL: str = "postgresql://postgres:postgres@localhost/app"
    """
    assert messages(source, "CL701", path="app/core/config.py") == [
        "Take the password out of this default: let the environment set the URL"
    ]


def test_tuple_unpacking_pairs_names_and_values() -> None:
    assert cl7('DB_USER, DB_PASSWORD = "app", "secret"\n', "CL701") == [("CL701", 1, 31)]


def test_chained_assignment_is_checked_once_per_value_name() -> None:
    assert cl7('HOST = API_KEY = "abc123"\n', "CL701") == [("CL701", 1, 18)]


def test_settings_classes_through_local_bases_allow_defaults() -> None:
    source = """
        from pydantic import BaseModel
        from pydantic_settings import BaseSettings

        class CommonSettings(BaseSettings):
            SECRET_KEY: str = "dev"

        class ProductionSettings(CommonSettings):
            SECRET_KEY: str = "prod"

        class Credentials(BaseModel):
            api_key: str = "abc123"
    """
    assert cl7(source, "CL701", path="app/core/config.py") == [("CL701", 11, 20)]


def test_settings_methods_are_not_field_defaults() -> None:
    source = """
        from pydantic_settings import BaseSettings

        class Settings(BaseSettings):
            def configure(self) -> None:
                self.api_key = "abc123"
    """
    assert cl7(source, "CL701") == [("CL701", 5, 24)]


def test_function_locals_are_not_checked_but_attributes_are() -> None:
    source = """
        def build(client):
            cache_url = "redis://cache:6379/0"
            client.api_key = "abc123"
            return cache_url
    """
    assert cl7(source, "CL701") == [("CL701", 3, 22)]


def test_test_modules_may_hard_code_names_but_not_passwords_in_urls() -> None:
    source = """
        TEST_DATABASE_URL = "sqlite+aiosqlite:///:memory:"
        ADMIN_PASSWORD = "correct-horse"
        POSTGRES_URL = "postgresql://test:test@localhost/test"
    """
    assert cl7(source, "CL701", path="tests/conftest.py") == [("CL701", 3, 16)]
    assert cl7(source, "CL701", path="app/test_config.py") == [("CL701", 3, 16)]


def test_enum_members_are_not_configuration() -> None:
    source = """
        from enum import StrEnum

        class CookieName(StrEnum):
            ACCESS_TOKEN = "access_token"

        class Defaults:
            ACCESS_TOKEN = "abc123"
    """
    assert cl7(source, "CL701") == [("CL701", 7, 20)]


# CL701: passwords in URLs


@pytest.mark.parametrize(
    "literal",
    [
        '"postgresql://u:p@h/db"',
        '"postgresql+asyncpg://app:secret@db:5432/app"',
        '"redis://:hunter2@cache:6379/0"',
        '"mysql+aiomysql://root:root@db/app?charset=utf8mb4"',
        '"amqp://guest:guest@rabbit:5672//"',
        'f"postgresql://app:secret@{host}/app"',
        "'postgresql://app:s3cr%40t@db/app'",
        '"postgresql://app:" "secret@db/app"',
    ],
)
def test_urls_with_passwords_are_flagged_anywhere(literal: str) -> None:
    source = f"engine = create_async_engine({literal})\n"
    assert cl7(source, "CL701") == [("CL701", 1, 30)]


@pytest.mark.parametrize(
    "literal",
    [
        '"postgresql://user@host/db"',
        '"postgresql://{user}:{password}@{host}/db"',
        '"postgresql://app:${DB_PASSWORD}@db/app"',
        '"postgresql://app:%s@db/app"',
        '"postgresql://app:%(password)s@db/app"',
        '"postgresql://app:***@db/app"',
        '"postgresql://app:<password>@db/app"',
        'f"postgresql://{settings.DB_USER}:{settings.DB_PASSWORD}@db/app"',
        '"http://host:8080/path@version"',
        '"Use the form scheme://[user:passwd@]proxy.server:port."',
        'b"postgresql://app:secret@db/app"',
    ],
)
def test_urls_without_a_literal_password_are_not_flagged(literal: str) -> None:
    assert cl7(f"value = {literal}\n", "CL701") == []


def test_password_in_url_is_reported_once_with_its_own_message() -> None:
    source = 'DATABASE_URL = "postgresql://app:secret@db/app"\n'
    assert cl7(source, "CL701") == [("CL701", 1, 16)]
    assert messages(source, "CL701") == ["Take the password out of this URL: read the URL from a `BaseSettings` field"]


def test_docstrings_are_not_checked() -> None:
    source = '''
        def connect():
            """Connect, e.g. to `postgresql://app:secret@db/app`."""
    '''
    assert cl7(source, "CL701") == []


def test_name_message_says_where_the_value_belongs() -> None:
    assert messages('SECRET_KEY = "dev"\n', "CL701") == [
        "Read `SECRET_KEY` from a `BaseSettings` field instead of hard-coding it"
    ]


def test_noqa_on_a_multi_line_statement() -> None:
    source = """
        STRIPE_API_KEY = (  # noqa: CL701
            "sk_test_51H8"
        )
    """
    assert cl7(source, "CL701") == []


# CL702 settings-not-basesettings


def test_flask_style_config_classes_are_each_flagged() -> None:
    source = """
        class Config:
            DEBUG = False

        class ProductionConfig(Config):
            DATABASE_URI = "postgresql://db/app"
    """
    assert cl7(source, "CL702", path="app/config.py") == [("CL702", 1, 7), ("CL702", 4, 7)]


def test_pydantic_v1_base_settings_is_flagged() -> None:
    source = """
        from pydantic import BaseSettings

        class Settings(BaseSettings):
            database_url: str
    """
    assert cl7(source, "CL702", path="app/core/config.py") == [("CL702", 3, 7)]


def test_named_tuple_settings_are_flagged_typed_dicts_are_not() -> None:
    source = """
        from typing import NamedTuple, TypedDict

        class Settings(NamedTuple):
            debug: bool = False

        class EngineConfig(TypedDict):
            echo: bool
    """
    assert cl7(source, "CL702", path="app/core/config.py") == [("CL702", 3, 7)]


def test_suffixed_names_are_checked_in_config_modules_only() -> None:
    source = """
        class AppSettings:
            debug = False
    """
    assert cl7(source, "CL702", path="app/core/config.py") == [("CL702", 1, 7)]
    assert cl7(source, "CL702", path="app/config/base.py") == [("CL702", 1, 7)]
    assert cl7(source, "CL702", path="app/services/http_service.py") == []
    assert cl7(source, "CL702", path="app/conf/base.py", config_modules=["app/conf/*.py"]) == [("CL702", 1, 7)]
    assert cl7(source, "CL702", path="app/core/config.py", config_modules=["app/conf/*.py"]) == []


def test_a_suffixed_name_in_a_config_module_that_reads_no_environment_is_a_parameter_object() -> None:
    # fastcrud's fastcrud/core/config/join_configs.py: options a caller passes, judged false on the corpus.
    options = """
        from pydantic import BaseModel

        class JoinConfig(BaseModel):
            join_prefix: str | None = None
            join_type: str = "left"
    """
    assert cl7(options, "CL702", path="app/config/join_configs.py") == []
    # Reading the environment anywhere in the module, however `environ` was imported, makes it configuration.
    reads = """
        from os import environ

        from pydantic import BaseModel

        class JoinConfig(BaseModel):
            join_type: str = "left"

        TIMEOUT = environ.get("TIMEOUT")
    """
    assert cl7(reads, "CL702", path="app/config/join_configs.py") == [("CL702", 5, 7)]
    # A mention that is no read of `os.environ` (a key of the same name) does not.
    mentions = options + '\n        keys = {"environ": 1}\n        value = keys.get("environ")\n'
    assert cl7(mentions, "CL702", path="app/config/join_configs.py") == []


def test_exact_names_are_checked_anywhere() -> None:
    source = """
        import os

        class Settings:
            database_url = os.getenv("DATABASE_URL")
    """
    assert cl7(source, "CL702", path="app/main.py") == [("CL702", 3, 7)]


@pytest.mark.parametrize(
    "source",
    [
        # methods only: nothing configured
        "class Settings:\n    def load(self) -> None:\n        ...\n",
        # dunders and model_config are not configuration
        "class Config:\n    __slots__ = ()\n",
        # the project's settings class, checked in its own module
        "from app.core.config import Settings as BaseAppSettings\n\nclass Settings(BaseAppSettings):\n    debug = True\n",
        # a table of settings
        (
            "from sqlalchemy.orm import DeclarativeBase, Mapped\n\nclass Base(DeclarativeBase):\n    pass\n\n"
            "class Settings(Base):\n    __tablename__ = 'settings'\n    key: Mapped[str]\n"
        ),
    ],
)
def test_classes_that_are_not_application_settings(source: str) -> None:
    assert cl7(source, "CL702", path="app/core/config.py") == []


def test_pydantic_models_in_schemas_are_payloads() -> None:
    source = """
        from pydantic import BaseModel

        class Settings(BaseModel):
            theme: str = "light"
    """
    assert cl7(source, "CL702", path="app/schemas/user.py") == []
    assert cl7(source, "CL702", path="app/core/config.py") == [("CL702", 3, 7)]


def test_local_base_deriving_from_an_imported_class_is_followed() -> None:
    source = """
        from app.core.base import ConfigBase

        class Shared(ConfigBase):
            pass

        class Config(Shared):
            DEBUG = True
    """
    assert cl7(source, "CL702") == []


# CL703 env-access-outside-settings


@pytest.mark.parametrize(
    ("imports", "expression", "column"),
    [
        ("import os", 'os.getenv("DEBUG")', 9),
        ("import os", 'os.environ["DEBUG"]', 9),
        ("import os", 'os.environ.get("DEBUG", "0")', 9),
        ("import os.path", 'os.environ["DEBUG"]', 9),
        ("import os as system", 'system.getenv("DEBUG")', 9),
        ("from os import getenv", 'getenv("DEBUG")', 9),
        ("from os import getenv as env", 'env("DEBUG")', 9),
        ("from os import environ", 'environ.get("DEBUG")', 9),
        ("import os", 'int(os.environ["WORKERS"])', 13),
    ],
)
def test_environment_reads_in_every_spelling(imports: str, expression: str, column: int) -> None:
    source = f"{imports}\n\nvalue = {expression}\n"
    assert cl7(source, "CL703") == [("CL703", 3, column)]


def test_os_that_is_not_the_os_module_is_ignored() -> None:
    source = """
        from app.testing import fake_os as os

        value = os.getenv("DEBUG")
    """
    assert cl7(source, "CL703") == []


def test_writes_are_not_reads() -> None:
    source = """
        import os

        os.environ["PATH"] += ":/opt/bin"
        os.environ["TZ"] = "UTC"
        del os.environ["TZ"]
        os.environ.setdefault("LANG", "C.UTF-8")
    """
    assert cl7(source, "CL703") == []


@pytest.mark.parametrize(
    ("path", "options", "expected"),
    [
        ("app/core/config.py", {}, []),
        ("app/settings.py", {}, []),
        ("app/config/database.py", {}, []),
        ("alembic/versions/1a2b_add_users.py", {}, []),
        ("tests/conftest.py", {}, []),
        ("app/test_main.py", {}, []),
        ("alembic/env.py", {}, [("CL703", 3, 7)]),
        ("app/conf/base.py", {"config_modules": ["app/conf/*.py"]}, []),
        ("app/core/config.py", {"config_modules": ["app/conf/*.py"]}, [("CL703", 3, 7)]),
    ],
)
def test_where_reading_the_environment_is_allowed(path: str, options: dict, expected: list) -> None:
    source = 'import os\n\nurl = os.getenv("DATABASE_URL")\n'
    assert cl7(source, "CL703", path=path, **options) == expected


def test_message_names_the_variable_when_it_is_a_literal() -> None:
    source = 'import os\n\nname = "DEBUG"\nurl = os.getenv("DATABASE_URL")\ndebug = os.environ[name]\n'
    assert messages(source, "CL703") == [
        "Read `DATABASE_URL` through the `BaseSettings` class of the config module instead of the environment",
        "Read this variable through the `BaseSettings` class of the config module instead of the environment",
    ]


def test_variables_of_other_tools_are_not_application_settings() -> None:
    source = """
        import os

        saved_columns = os.environ.get("COLUMNS")
        service_name = os.getenv("OTEL_SERVICE_NAME")
        locale = os.environ["LC_ALL"]
        debug = os.getenv("PYTHONASYNCIODEBUG")
        region = os.getenv("AWS_REGION")
        port = os.getenv("DEBUGPY_PORT")
        # The application's own settings with another tool's prefix (open-webui's env.py).
        username = os.getenv("OTEL_BASIC_AUTH_USERNAME")
        environment = os.getenv("PYTHON_ENV")
    """
    own = [("CL703", 7, 10), ("CL703", 8, 8), ("CL703", 10, 12), ("CL703", 11, 15)]
    assert cl7(source, "CL703", path="app/testing/cli.py") == own
    assert cl7(source, "CL703", path="app/cli.py", extend_tool_env_variables=["AWS_*"]) == own[1:]
    # A team that configures OpenTelemetry through its settings class checks every variable.
    assert len(cl7(source, "CL703", path="app/cli.py", tool_env_variables=[])) == 8
