"""The per-file engine: one walk, scopes, rule failures (CL002), noqa and positions."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst

from conventions_lint.config import settings_from_section
from conventions_lint.engine import FileResult, lint_source
from conventions_lint.registry import REGISTRY
from conventions_lint.rule import Rule
from conventions_lint.rules.meta import SyntaxErrorRule
from conventions_lint.settings import Settings


class ReportsEveryCallToX(Rule):
    """Test rule: reports each `x(...)` call, noting the function it sits in."""

    code = "CL901"
    name = "test-calls"

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "x":
            function = self.context.enclosing_function
            self.report(node, f"in {function.name.value if function else '<module>'}")


class RaisesOnSecondFunction(Rule):
    code = "CL902"
    name = "test-raises"
    seen = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value == "second":
            raise ValueError("boom")
        self.report(node.name, "function")


SETTINGS = Settings(root=Path("/project"))


def run(source: str, *rules: type[Rule]) -> FileResult:
    return lint_source("m.py", "m.py", textwrap.dedent(source).lstrip("\n").encode(), SETTINGS, rules)


def rows(result: FileResult) -> list[tuple[str, int, int, str]]:
    return [(d.code, d.span.start.row, d.span.start.column, d.message) for d in result.diagnostics]


def test_decorators_are_visited_in_the_enclosing_scope() -> None:
    result = run(
        """
        @x()
        def outer():
            x()
            @x()
            def inner():
                x()
        """,
        ReportsEveryCallToX,
    )
    assert rows(result) == [
        ("CL901", 1, 2, "in <module>"),
        ("CL901", 3, 5, "in outer"),
        ("CL901", 4, 6, "in outer"),
        ("CL901", 6, 9, "in inner"),
    ]


def test_a_failing_rule_yields_cl002_and_the_others_go_on() -> None:
    result = run(
        """
        def first():
            x()

        def second():
            x()

        def third():
            x()
        """,
        RaisesOnSecondFunction,
        ReportsEveryCallToX,
    )
    assert rows(result) == [
        ("CL902", 1, 5, "function"),
        ("CL901", 2, 5, "in first"),
        ("CL002", 4, 1, "Rule CL902 (test-raises) failed on this file: CL902 raised ValueError: boom"),
        ("CL901", 5, 5, "in second"),
        ("CL901", 8, 5, "in third"),
    ]


def test_noqa_on_the_line_on_the_first_or_last_line_of_a_statement_and_by_code() -> None:
    result = run(
        """
        x()  # noqa
        x()  # noqa: CL901
        x()  # noqa: CL101
        value = [  # noqa: CL901
            x(),
        ]
        other = [
            x(),
        ]  # noqa
        x(
        )
        """,
        ReportsEveryCallToX,
    )
    assert [(row, column) for _, row, column, _ in rows(result)] == [(3, 1), (10, 1)]


def test_file_level_noqa_silences_the_named_codes_only() -> None:
    source = """
        # conventions-lint: noqa: CL902
        def f():
            x()
        """
    assert [code for code, *_ in rows(run(source, ReportsEveryCallToX, RaisesOnSecondFunction))] == ["CL901"]
    assert rows(run("# conventions-lint: noqa\nx()\n", ReportsEveryCallToX)) == []


def test_a_file_without_findings_skips_position_computation(monkeypatch) -> None:
    import conventions_lint.engine as engine

    def fail(*args, **kwargs):
        raise AssertionError("positions were computed for a clean file")

    monkeypatch.setattr(engine, "SpanFinder", fail)
    assert rows(run("def f():\n    return 1\n", ReportsEveryCallToX)) == []


def test_only_the_statements_holding_findings_are_positioned(monkeypatch) -> None:
    from conventions_lint.positions import SpanFinder

    generated: list[str] = []
    real = SpanFinder._generate_at

    def recording(self, statement, *args):
        generated.append(self._module.code_for_node(statement).strip())
        return real(self, statement, *args)

    monkeypatch.setattr(SpanFinder, "_generate_at", recording)
    monkeypatch.setattr(cst.Module, "_codegen_impl", lambda self, state: generated.append("the module"))
    source = "def a():\n    return 1\n\n\ndef b():\n    x()\n\n\ndef c():\n    return 3\n"
    assert rows(run(source, ReportsEveryCallToX)) == [("CL901", 6, 5, "in b")]
    assert generated == ["x()"]


def test_deeply_nested_code_is_walked_and_positioned() -> None:
    source = "y = " + "-" * 3000 + "x()\n"
    assert rows(run(source, ReportsEveryCallToX)) == [("CL901", 1, 3005, "in <module>")]


def test_nesting_too_deep_for_python_is_a_syntax_error_not_a_crash() -> None:
    source = ("y = " + "[" * 5000 + "]" * 5000 + "\n").encode()
    result = lint_source("m.py", "m.py", source, SETTINGS, (SyntaxErrorRule,))
    assert rows(result) == [("CL001", 1, 205, "SyntaxError: too many nested parentheses")]


def test_columns_count_characters_not_bytes() -> None:
    assert rows(run("s = 'é'; x()\n", ReportsEveryCallToX)) == [("CL901", 1, 10, "in <module>")]


def test_a_file_no_enabled_rule_concerns_is_not_parsed_by_libcst(monkeypatch) -> None:
    import conventions_lint.engine as engine

    def refuse(*args, **kwargs):
        raise AssertionError("LibCST parsed a file no rule could concern")

    monkeypatch.setattr(engine.cst, "parse_module", refuse)
    settings = settings_from_section({"select": ["CL101", "CL001"]}, Path("/project"), "test")
    rules = REGISTRY.rules_for(settings, "m.py")
    assert lint_source("m.py", "m.py", b"import os\n\nprint(os.sep)\n", settings, rules).diagnostics == []
    # CPython's parser still reports what does not parse.
    [error] = lint_source("m.py", "m.py", b"def f(:\n", settings, rules).diagnostics
    assert (error.code, error.location.row, error.location.column) == ("CL001", 1, 7)
