from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conventions_lint.config import ConfigResolver
from conventions_lint.runner import lint_sources
from conventions_lint.settings import Selection
from tests.helpers import fix, found, lint

TEST_PATH = "tests/test_users.py"


def cl901(source: str, *, path: str = TEST_PATH, **options):
    return found(lint(source, path=path, select=("CL901",), **options))


def cl902(source: str, *, path: str = "app/services/user_service.py"):
    return found(lint(source, path=path, select=("CL902",)))


def messages(source: str, code: str, path: str) -> list[str]:
    return [d.message for d in lint(source, path=path, select=(code,))]


# CL901 async-test-without-marker


@pytest.mark.parametrize(
    "marked",
    [
        "import pytest\n\n@pytest.mark.asyncio\nasync def test_x():\n    ...\n",
        "import pytest\n\n@pytest.mark.anyio\nasync def test_x():\n    ...\n",
        "import pytest\n\n@pytest.mark.trio\nasync def test_x():\n    ...\n",
        "import pytest as pt\n\n@pt.mark.asyncio\nasync def test_x():\n    ...\n",
        "from pytest import mark\n\n@mark.asyncio(loop_scope='module')\nasync def test_x():\n    ...\n",
        "import pytest\n\npytestmark = pytest.mark.asyncio\n\nasync def test_x():\n    ...\n",
        "import pytest\n\npytestmark = (pytest.mark.slow, pytest.mark.asyncio(loop_scope='session'))\n\n"
        "async def test_x():\n    ...\n",
        "import pytest\n\nasync def test_x():\n    ...\n\npytestmark = [pytest.mark.anyio]\n",
        "import pytest\n\nclass TestX:\n    pytestmark = pytest.mark.asyncio\n\n    async def test_x(self):\n        ...\n",
    ],
)
def test_marked_tests(marked: str) -> None:
    assert cl901(marked) == []


@pytest.mark.parametrize(
    "source",
    [
        # not collected by pytest: a helper, a method of a non-test class, a nested function
        "async def make_user():\n    ...\n",
        "class Helpers:\n    async def test_like(self):\n        ...\n",
        "def test_outer():\n    async def test_inner():\n        ...\n",
        # synchronous
        "def test_x():\n    ...\n",
        # unittest runs its own coroutines
        "from unittest import IsolatedAsyncioTestCase\n\nclass TestX(IsolatedAsyncioTestCase):\n"
        "    async def test_x(self):\n        ...\n",
    ],
)
def test_what_is_not_an_unmarked_async_test(source: str) -> None:
    assert cl901(source) == []


def test_a_marker_on_one_class_does_not_cover_another() -> None:
    source = """
        import pytest

        @pytest.mark.asyncio
        class TestA:
            async def test_a(self):
                ...

        class TestB:
            async def test_b(self):
                ...
    """
    assert cl901(source) == [("CL901", 9, 15)]


def test_other_markers_do_not_count() -> None:
    source = """
        import pytest

        pytestmark = pytest.mark.slow

        @pytest.mark.skip
        async def test_x():
            ...
    """
    assert cl901(source) == [("CL901", 6, 11)]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/test_users.py", [("CL901", 1, 11)]),
        ("tests/api/conftest.py", [("CL901", 1, 11)]),
        ("app/test_users.py", [("CL901", 1, 11)]),
        ("app/services/user_service.py", []),
    ],
)
def test_test_modules_only(path: str, expected: list) -> None:
    assert cl901("async def test_x():\n    ...\n", path=path) == expected


def test_auto_mode_setting_turns_the_rule_off() -> None:
    assert cl901("async def test_x():\n    ...\n", asyncio_mode="auto") == []
    assert cl901("async def test_x():\n    ...\n", asyncio_mode="strict") == [("CL901", 1, 11)]


def test_auto_mode_is_read_from_pytest_settings(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[tool.conventions-lint]\nselect = ["CL901"]\n\n[tool.pytest.ini_options]\nasyncio_mode = "auto"\n'
    )
    settings = ConfigResolver(config_file=None, isolated=False, overrides=Selection()).for_directory(tmp_path)
    assert lint_sources({TEST_PATH: "async def test_x():\n    ...\n"}, settings) == []


def test_message() -> None:
    assert messages("async def test_x():\n    ...\n", "CL901", TEST_PATH) == [
        "Mark `test_x` with `@pytest.mark.asyncio`, or pytest never awaits it"
    ]


def fixed(source: str, *, unsafe: bool = False, path: str = TEST_PATH) -> str:
    return fix(source, path=path, select=("CL901",), unsafe=unsafe)


@pytest.mark.parametrize("unsafe", [False, True])
def test_fix_adds_one_import_for_several_tests(unsafe: bool) -> None:
    source = """
        \"\"\"User tests.\"\"\"
        from httpx import AsyncClient

        async def test_a(client: AsyncClient):
            ...

        async def test_b(client: AsyncClient):
            ...
    """
    assert fixed(source, unsafe=unsafe) == textwrap.dedent("""\
        \"\"\"User tests.\"\"\"
        import pytest
        from httpx import AsyncClient

        @pytest.mark.asyncio
        async def test_a(client: AsyncClient):
            ...

        @pytest.mark.asyncio
        async def test_b(client: AsyncClient):
            ...
        """)


@pytest.mark.parametrize(
    ("imports", "decorator"),
    [
        ("import pytest as pt", "@pt.mark.asyncio"),
        ("from pytest import mark", "@mark.asyncio"),
        ("from pytest import fixture", "@mark.asyncio"),
    ],
)
def test_fix_reaches_the_marker_the_way_the_module_does(imports: str, decorator: str) -> None:
    source = f"{imports}\n\n\nasync def test_x():\n    ...\n"
    expected_imports = "from pytest import fixture, mark" if imports.endswith("fixture") else imports
    assert fixed(source) == f"{expected_imports}\n\n\n{decorator}\nasync def test_x():\n    ...\n"


def test_fix_keeps_comments_decorators_and_indentation() -> None:
    source = (
        "import pytest\n\n"
        "class TestUsers:\n"
        "\t# reads back\n"
        "\t@pytest.mark.parametrize('n', [1])  # one\n"
        "\tasync def test_get(self, n):\n"
        "\t\t...\n"
    )
    assert fixed(source) == (
        "import pytest\n\n"
        "class TestUsers:\n"
        "\t# reads back\n"
        "\t@pytest.mark.asyncio\n"
        "\t@pytest.mark.parametrize('n', [1])  # one\n"
        "\tasync def test_get(self, n):\n"
        "\t\t...\n"
    )


def test_fix_uses_anyio_when_the_module_does() -> None:
    source = """
        import pytest

        class TestFiles:
            pytestmark = pytest.mark.anyio

            async def test_read(self):
                ...

        async def test_write():
            ...
    """
    assert "@pytest.mark.anyio\nasync def test_write" in fixed(source)


def test_fix_keeps_crlf_line_endings() -> None:
    source = "from httpx import AsyncClient\r\n\r\nasync def test_x(client: AsyncClient):\r\n    ...\r\n"
    assert fixed(source) == (
        "import pytest\r\nfrom httpx import AsyncClient\r\n\r\n"
        "@pytest.mark.asyncio\r\nasync def test_x(client: AsyncClient):\r\n    ...\r\n"
    )


def test_no_fix_when_pytest_is_another_name() -> None:
    source = "from app.testing import pytest\n\nasync def test_x():\n    ...\n"
    assert cl901(source) == [("CL901", 3, 11)]
    assert fixed(source) == source


# CL902 missing-type-hints


@pytest.mark.parametrize(
    ("signature", "missing"),
    [
        ("def create_user_service(db, payload):", "`db`, `payload` and the return type"),
        ("def create_user_service(db: object, payload) -> None:", "`payload`"),
        ("def create_user_service(db: object) :", "the return type"),
        ("def create_user_service(db: object, /, *, force) -> None:", "`force`"),
        ("def create_user_service(db, /) -> None:", "`db`"),
        ("def create_user_service(*args, **kwargs) -> None:", "`*args` and `**kwargs`"),
        ("def create_user_service(*, db: object, **options: object):", "the return type"),
    ],
)
def test_what_is_missing_is_listed(signature: str, missing: str) -> None:
    source = f"{signature}\n    ...\n"
    assert messages(source, "CL902", "app/services/user_service.py") == [
        f"Add type hints to `create_user_service`: {missing}"
    ]


def test_methods_exempt_their_first_parameter_unless_static() -> None:
    source = """
        class UserService:
            def get(me, user_id: str) -> None:
                ...

            @classmethod
            def build(klass) -> "UserService":
                ...

            @staticmethod
            def clean(email) -> str:
                ...
    """
    assert cl902(source) == [("CL902", 10, 9)]


@pytest.mark.parametrize(
    "source",
    [
        "def _helper(x):\n    ...\n",
        "class _Cache:\n    def get(self, key):\n        ...\n",
        "def outer() -> None:\n    def inner(x):\n        ...\n",
        "class User:\n    def __repr__(self):\n        ...\n\n    def __eq__(self, other):\n        ...\n",
        "class User:\n    def __init__(self, name: str):\n        ...\n",
        "lower = lambda value: value.lower()\n",
    ],
)
def test_not_public_or_not_required(source: str) -> None:
    assert cl902(source) == []


def test_init_parameters_are_checked() -> None:
    source = "class UserService:\n    def __init__(self, repository):\n        ...\n"
    assert messages(source, "CL902", "app/services/user_service.py") == ["Add type hints to `__init__`: `repository`"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("app/models/user.py", [("CL902", 1, 5)]),
        ("app/schemas/user.py", [("CL902", 1, 5)]),
        ("app/services/user.py", [("CL902", 1, 5)]),
        ("app/billing_service.py", [("CL902", 1, 5)]),
        ("app/api/v1/endpoints/users.py", []),
        ("app/core/security.py", []),
        ("tests/services/test_user_service.py", []),
        ("app/test_user_service.py", []),
    ],
)
def test_roles(path: str, expected: list) -> None:
    assert cl902("def hash_password(password):\n    ...\n", path=path) == expected


def test_route_handlers_are_left_to_cl304() -> None:
    source = """
        from fastapi import FastAPI

        app = FastAPI()

        @app.get("/users")
        async def get_users(skip=0):
            return []

        async def load_users(skip=0):
            return []
    """
    assert cl902(source) == [("CL902", 9, 11)]


def test_noqa_on_the_def_line() -> None:
    assert cl902("def hash_password(password):  # noqa: CL902\n    ...\n") == []
