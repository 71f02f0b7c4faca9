"""Positions computed statement by statement are exactly LibCST's PositionProvider's."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from conventions_lint.positions import SpanFinder

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [path for path in sorted((ROOT / "examples").rglob("*.py")) if path.name != "broken.py"] + sorted(
    (ROOT / "conventions_lint" / "rules").glob("*.py"))[:6]
TRICKY = [
    '"""Doc."""\n\n# comment\n@decorator\n# between\n@other(1)\ndef f(\n    a,\n):\n    return a  # tail\n',
    "x = 1; y = 2\nif x:\n    pass\nelif y:\n    pass\nelse:\n    z = [\n        1,\n    ]\n",
    "class A:\n    '''d'''\n\n    def m(self):\n        return {'a': (1, 2)}\n\n\n# end\n",
    "x = 1\r\ny = 2\r\n",
    "value = 'no final newline'",
    "\n\n\nasync def g():\n    async with a as b:\n        await b\n",
]


CASES = [pytest.param(path.read_text(encoding="utf-8"), id=str(path.relative_to(ROOT))) for path in SOURCES] + [
    pytest.param(text, id=f"tricky-{number}") for number, text in enumerate(TRICKY)]


@pytest.mark.parametrize("text", CASES)
def test_every_node_gets_position_providers_span(text: str) -> None:
    module = cst.parse_module(text)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    tops = {id(node): top for top in module.body for node in _nodes(top)}
    hinted, unhinted = SpanFinder(module, text), SpanFinder(module, text)
    for node, where in expected.items():
        wanted = (where.start.line, where.start.column, where.end.line, where.end.column)
        # With the statement named (how findings ask), and without (how some fixes ask: the fallback).
        for span in (hinted.of(node, tops.get(id(node))), unhinted.of(node)):
            assert (span.start.row, span.start.column - 1, span.end.row, span.end.column - 1) == wanted


def _nodes(top: cst.CSTNode):
    stack = [top]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)
