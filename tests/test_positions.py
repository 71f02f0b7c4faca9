"""Positions computed statement by statement are exactly LibCST's PositionProvider's."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from conventions_lint.positions import SpanFinder

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [path for path in sorted((ROOT / "examples").rglob("*.py")) if path.name != "broken.py"] + sorted(
    (ROOT / "conventions_lint" / "rules").glob("*.py")
)[:6]
TRICKY = [
    '"""Doc."""\n\n# comment\n@decorator\n# between\n@other(1)\ndef f(\n    a,\n):\n    return a  # tail\n',
    "x = 1; y = 2\nif x:\n    pass\nelif y:\n    pass\nelse:\n    z = [\n        1,\n    ]\n",
    "class A:\n    '''d'''\n\n    def m(self):\n        return {'a': (1, 2)}\n\n\n# end\n",
    "x = 1\r\ny = 2\r\n",
    "value = 'no final newline'",
    "\n\n\nasync def g():\n    async with a as b:\n        await b\n",
    # Nested bodies, placed statement by statement: decorators and comments, `a; b` lines, tabs,
    # one-line suites, branches that are not bodies, and a class header split over lines.
    "if TYPE_CHECKING:\n    # c\n\n    @dataclass\n    # d\n    class A(\n        Base,\n    ):\n        x = 1; y = 2\n"
    "\n        # e\n        def f(self): return 1\n    class B: z = 3\nelif other:\n    class C:\n        w = 4\n"
    "else:\n    try:\n        pass\n    except E:\n        class D:\n            v = (\n                5)\n",
    "class Outer:\n    class Inner:\n        class Innermost(Base):\n            id: Mapped[int] = mapped_column(\n"
    "                primary_key=True)  # key\n\n\n    async def m(self):\n        for x in y:\n"
    "            while x:\n                with z: pass\n        else:\n            q = 1\n",
    "class T:\n\tclass U(Base):\n\t\tx = 1\n\n\t\t@property\n\t\tdef y(self):\n\t\t\treturn 2\n",
]


CASES = [pytest.param(path.read_text(encoding="utf-8"), id=str(path.relative_to(ROOT))) for path in SOURCES] + [
    pytest.param(text, id=f"tricky-{number}") for number, text in enumerate(TRICKY)
]


@pytest.mark.parametrize("text", CASES)
def test_every_node_gets_position_providers_span(text: str) -> None:
    module = cst.parse_module(text)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    statements = dict(_statements_of_nodes(module))
    # How findings ask (every statement a node stands in), how some fixes ask (the top-level one)
    # and without (the fallback); each finder asks in its own order, as positions accumulate.
    innermost, top, unhinted = SpanFinder(module, text), SpanFinder(module, text), SpanFinder(module, text)
    for node, where in expected.items():
        wanted = (where.start.line, where.start.column, where.end.line, where.end.column)
        chain = statements.get(id(node), ())
        for span in (innermost.of(node, chain), top.of(node, chain[:1]), unhinted.of(node)):
            assert (span.start.row, span.start.column - 1, span.end.row, span.end.column - 1) == wanted


def test_a_class_name_in_a_class_body_generates_only_that_header_and_line() -> None:
    text = "class A:\n    x = 1\n\n    class B(Base):\n        y: int = f(2)\n        z = 3\n"
    module = cst.parse_module(text)
    outer = module.body[0]
    inner = outer.body.body[1]
    finder = SpanFinder(module, text)
    assert _as_tuple(finder.of(inner.name, (outer, inner))) == (4, 11, 4, 12)
    y_line = inner.body.body[0]
    assert _as_tuple(finder.of(y_line.body[0].value, (outer, inner, y_line))) == (5, 18, 5, 22)
    # Neither `A`'s other lines nor `B`'s were generated: their nodes have no positions yet.
    generated = finder._positions
    assert outer.body.body[0] not in generated and inner.body.body[1] not in generated


def _as_tuple(span) -> tuple[int, int, int, int]:
    return span.start.row, span.start.column, span.end.row, span.end.column


def _statements_of_nodes(module: cst.Module):
    """(id of each node, the statements it stands in, outermost first), as the walk's context gives them."""
    stack = [(top, ()) for top in module.body]
    while stack:
        node, outer = stack.pop()
        chain = (*outer, node) if isinstance(node, cst.BaseStatement) else outer
        yield id(node), chain
        stack.extend((child, chain) for child in node.children)
