"""CL901: async tests run (type_hints.py: CL902, the model, schema and service layers are typed)."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.fixes.builder import FixBuilder
from conventions_lint.names import last_name
from conventions_lint.recognize.syntax import (
    class_body_statements,
    target_name,
)
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

# Markers under which pytest runs a coroutine test (pytest-asyncio, anyio's plugin, pytest-trio).
_ASYNC_MARKERS = frozenset({"pytest.mark.asyncio", "pytest.mark.anyio", "pytest.mark.trio"})
_ANYIO_MARKER = "pytest.mark.anyio"


def _marker(context: FileContext, expr: cst.BaseExpression) -> str | None:
    """`pytest.mark.asyncio` for `@pytest.mark.asyncio`, `@mark.asyncio(loop_scope="module")`, …"""
    if isinstance(expr, cst.Call):
        expr = expr.func
    qualified = context.imports.qualify(expr)
    return qualified if qualified in _ASYNC_MARKERS else None


def _pytestmark_markers(context: FileContext, value: cst.BaseExpression | None) -> set[str]:
    """The async markers of a `pytestmark = …` value: one marker, or a list or tuple of them."""
    if value is None:
        return set()
    items = [element.value for element in value.elements] if isinstance(value, (cst.List, cst.Tuple)) else [value]
    return {marker for marker in (_marker(context, item) for item in items) if marker is not None}


def _class_pytestmark(node: cst.ClassDef) -> cst.BaseExpression | None:
    for statement in class_body_statements(node):
        if target_name(statement) == "pytestmark":
            return statement.value
    return None


def _is_unittest_case(node: cst.ClassDef) -> bool:
    return any((last_name(arg.value) or "").endswith("TestCase") for arg in node.bases)


@dataclass(frozen=True)
class _UnmarkedTest:
    function: cst.FunctionDef
    indent: str


class AsyncTestWithoutMarker(Rule):
    """
    ## What it does
    Checks for coroutine tests (`async def test_*` at module level or in a
    `Test*` class, in a test module) that no marker runs: neither
    `@pytest.mark.asyncio` nor `@pytest.mark.anyio` (or pytest-trio's
    `@pytest.mark.trio`) on the function, on its class (as a decorator or a
    `pytestmark` attribute), nor in the module's `pytestmark`.

    Nothing is flagged when the `asyncio-mode` setting is `auto` (its default
    is the project's `[tool.pytest.ini_options] asyncio_mode`), nor in
    `unittest` classes (`IsolatedAsyncioTestCase`), which run coroutines
    themselves.

    ## Why is this bad?
    In pytest-asyncio's strict mode (its default) an unmarked coroutine test
    is not run: pytest before 8.4 skips it with only a warning, so the suite
    stays green while the test checks nothing; later versions fail it.

    ## Fix safety
    The fix adds `@pytest.mark.asyncio` above the test's decorators, or
    `@pytest.mark.anyio` when the module already marks tests with `anyio`. It
    reaches the marker the way the module does (`pt.mark` after
    `import pytest as pt`, `mark` after `from pytest import mark`) and adds
    `import pytest` when the module imports nothing from pytest. It is safe:
    it makes the test run, which is what its author meant. There is no fix
    when the name it needs (`pytest`, `mark`) is bound to something else.

    A variable of the module named `pytest` has the module imported under
    another name (`import pytest as pytest_`); one named `mark` withholds
    the fix like an import.
    """

    code = "CL901"
    name = "async-test-without-marker"
    REQUIRES = (b"async",)
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.SAFE
    VALID = (
        Valid(
            """
            import pytest

            @pytest.mark.asyncio
            async def test_create_user(client):
                response = await client.post("/users", json={"email": "a@example.com"})
                assert response.status_code == 201
        """,
            path="tests/test_users.py",
        ),
        Valid(
            """
            import pytest
            from pytest import mark

            pytestmark = [pytest.mark.anyio]

            async def test_health(client):
                assert (await client.get("/health")).status_code == 200

            class TestUsers:
                @mark.asyncio(loop_scope="class")
                async def test_list(self, client):
                    assert (await client.get("/users")).status_code == 200

            async def make_user(session):
                ...

            def test_sync():
                assert True
        """,
            path="tests/test_health.py",
        ),
        Valid(
            """
            import unittest

            import pytest

            @pytest.mark.asyncio
            class TestOrders:
                async def test_create(self, client):
                    ...

            class TestCache(unittest.IsolatedAsyncioTestCase):
                async def test_get(self):
                    ...
        """,
            path="tests/test_orders.py",
        ),
        Valid(
            """
            async def test_create_user(client):
                ...
        """,
            path="tests/test_users.py",
            settings=(("asyncio-mode", "auto"),),
        ),
    )
    INVALID = (
        Invalid(
            """
            import pytest

            async def test_create_user(client):
                response = await client.post("/users", json={"email": "a@example.com"})
                assert response.status_code == 201
        """,
            line=3,
            column=11,
            path="tests/test_users.py",
            fixed="""
            import pytest

            @pytest.mark.asyncio
            async def test_create_user(client):
                response = await client.post("/users", json={"email": "a@example.com"})
                assert response.status_code == 201
        """,
        ),
        Invalid(
            """
            import pytest

            class TestUsers:
                # a user can be read back
                @pytest.mark.parametrize("email", ["a@example.com"])
                async def test_get(self, client, email):
                    ...
        """,
            line=6,
            column=15,
            path="tests/api/test_users.py",
            fixed="""
            import pytest

            class TestUsers:
                # a user can be read back
                @pytest.mark.asyncio
                @pytest.mark.parametrize("email", ["a@example.com"])
                async def test_get(self, client, email):
                    ...
        """,
        ),
        Invalid(
            """
            \"\"\"Order tests.\"\"\"
            from httpx import AsyncClient

            async def test_create_order(client: AsyncClient) -> None:
                ...
        """,
            line=4,
            column=11,
            path="app/test_orders.py",
            fixed="""
            \"\"\"Order tests.\"\"\"
            import pytest
            from httpx import AsyncClient

            @pytest.mark.asyncio
            async def test_create_order(client: AsyncClient) -> None:
                ...
        """,
        ),
        Invalid(
            """
            import pytest

            @pytest.mark.anyio
            async def test_read(client):
                ...

            async def test_write(client):
                ...
        """,
            line=7,
            column=11,
            path="tests/test_files.py",
            fixed="""
            import pytest

            @pytest.mark.anyio
            async def test_read(client):
                ...

            @pytest.mark.anyio
            async def test_write(client):
                ...
        """,
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self._unmarked: list[_UnmarkedTest] = []
        self._uses_anyio = False

    def visit_Decorator(self, node: cst.Decorator) -> None:
        if _marker(self.context, node.decorator) == _ANYIO_MARKER:
            self._uses_anyio = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        context = self.context
        if self.settings.asyncio_mode == "auto" or node.asynchronous is None or not node.name.value.startswith("test"):
            return
        if context.enclosing_function is not None or not context.is_test_module:
            return
        markers = {_marker(context, decorator.decorator) for decorator in node.decorators}
        markers |= _pytestmark_markers(context, context.index.assignment("pytestmark"))
        owner = context.enclosing_class
        if owner is not None:
            if not owner.name.value.startswith("Test") or _is_unittest_case(owner):
                return
            markers |= {_marker(context, decorator.decorator) for decorator in owner.decorators}
            markers |= _pytestmark_markers(context, _class_pytestmark(owner))
        self._uses_anyio = self._uses_anyio or _ANYIO_MARKER in markers
        if not markers & _ASYNC_MARKERS:
            self._unmarked.append(_UnmarkedTest(node, self._indent()))

    def leave_Module(self, node: cst.Module) -> None:
        # Reported at the end, once every marker of the module has been seen.
        kind = "anyio" if self._uses_anyio else "asyncio"
        for test in self._unmarked:
            function = test.function
            fix = self.fix(f"Add `@pytest.mark.{kind}`")
            first_line = function.decorators[0] if function.decorators else function
            fix.insert_before(first_line, f"@{self._mark(fix)}.{kind}{node.default_newline}{test.indent}")
            self.report(
                function.name,
                f"Mark `{function.name.value}` with `@pytest.mark.{kind}`, or pytest never awaits it",
                fix=fix,
            )

    def _mark(self, fix: FixBuilder) -> str:
        """`pytest.mark`, or how the module already reaches it (`pt.mark`, `mark`); else `import pytest`."""
        bound = self.context.imports.bindings.values()
        if any(target == "pytest" or target.startswith("pytest.") for target in bound):
            return fix.import_name("pytest", "mark")
        return f"{fix.import_name('pytest')}.mark"

    def _indent(self) -> str:
        default = self.context.module.default_indent
        return "".join(
            block.indent if block.indent is not None else default
            for block in self.context.ancestors
            if isinstance(block, cst.IndentedBlock)
        )
