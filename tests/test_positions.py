"""Positions computed statement by statement are exactly LibCST's PositionProvider's (the oracle),
on the examples, the rule modules, tricky shapes, 3.12+ syntax and fuzzed programs; and no node costs
the code generation of the whole module (a statement the scan cannot read costs its own)."""

from __future__ import annotations

import ast
from pathlib import Path

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, assume, given, settings
from libcst.metadata import MetadataWrapper, PositionProvider

import conventions_lint.line_scan as line_scan
from conventions_lint.positions import SpanFinder
from tests.test_fuzz import python_module

# hypothesmith compiles what it generates ("<string>").
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning:<string>")

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
    # Clauses: elif / else / except / finally / for-else, each a logical line of its own.
    "def f():\n    if a:\n        b = 1\n    elif c:  # why\n        d = [\n            2]\n    elif e: f = 3\n"
    "    else:\n        g = 4\n    try:\n        h()\n    except (E, F) as err:\n        i = err\n"
    "    except G:\n        pass\n    else:\n        j = 5\n    finally:\n        k = 6\n"
    "    for x in y:\n        continue\n    else:\n        l = 7\n    while m:\n        break\n    else: n = 8\n",
    "match command.split():\n    case [action]:\n        run(action)\n    case [action, obj] if obj:\n"
    "        run(action, obj)\n    case _:\n        pass\n",
    # Decorators: arguments over lines, parenthesized, comments between them and after the last.
    "@router.get(\n    '/items/{id}',\n    response_model=Item,\n)\n# between\n@(other)\n@third(x=[1,\n  2])\n"
    "# after the last\nasync def read_item(\n    id: int,  # the id\n    db: Session = Depends(get_db),\n)"
    " -> Item:\n    return db.get(Item, id)\n",
    # What the scan must see through: brackets, quotes and hashes in strings and comments, escapes,
    # backslash continuations, triple quotes, prefixes, unicode (columns count characters).
    "s = ')]}'  # ({[\nt = \"'#\"\nu = '\\'' ; v = r'\\''\nw = '''a ' '' \"\"\" \n(\n'''\n"
    "x = b\"\"\"q\"\"\" + Rb'z' + f'{s!r:>{10}}'\ny = 1 + \\\n    2\nif y \\\n  and x:\n    z = 'é' ; zz = café(1)\n"
    "def \\\n  spaced(): pass\nclass  Wide  (Base) :\n    '''doc'''\n",
    "async def g():\n    async for a in b:\n        async with c as d, e:\n            await d\n"
    "    return [x async for x in b]\n",
    "",
    "# only a comment\n",
    "\n\n# leading\n\nx = 1\n\n# trailing\n",
    "if x:\n    pass\n    # indented comment at the end of a block\n# dedented one\ny = 2\n",
    # 3.12 and later, which CPython 3.11's own parser cannot read.
    "type UserId = int\ntype Pair[T] = tuple[T, T]\n\n\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\n\n\n"
    "class Box[T: (int, str)]:\n    item: T\n",
    "names = {'a': 1}\nmessage = f\"{names[\"a\"]} and {'\\n'.join(['x'])}\"\nnested = f'{f'{1}'}'\n",
]
# Texts the scan once could not pair with LibCST's statements: each cost the code generation of the module.
UNPAIRED = [
    # 3.12 f-strings (PEP 701): replacement fields over lines, with comments, with the string's own
    # quotes (an odd number of them), nested f-strings with the same quotes, fields in format specs.
    "x = f'{\n    1\n}'\ny = [f\"{'\"'}\", 2]\nif x:\n    z = f'{x  # why\n    }'\n",
    "class A:\n    b = f'''{f'''{1}'''}'''\n    c = F\"{a[\"k\"]:{'>'}{w}}\"\n\n    def f(self):\n"
    "        return rf'''{self!r:\n}''' + f'\\N{DASH}{{}}{x}}}' + rf'\\N{x!r:>{w}}'\n",
    # A comment on the last line without a newline, at the top level and in a block.
    "x = 1\n# the end",
    "class A:\n    x = 1\n    # the end",
    # A backslash that continues a blank line.
    "x = 1\n\\\n\ny = 2\ndef f():\n    \\\n\n    return 3\n",
    # The module's own leading and trailing lines: outside every statement.
    "#!/usr/bin/env python\n# header\n\n\nx = 1\n\n# footer\n\n",
    "\n\n",
    "x = 1\r\n\r\n# footer\r\n",
]


def _fuzzed(examples: int) -> settings:
    """The same examples every run: the programs test_fuzz.py lints, asked where each node is."""
    return settings(
        max_examples=examples, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )


CASES = (
    [pytest.param(path.read_text(encoding="utf-8"), id=str(path.relative_to(ROOT))) for path in SOURCES]
    + [pytest.param(text, id=f"tricky-{number}") for number, text in enumerate(TRICKY)]
    + [pytest.param(text, id=f"unpaired-{number}") for number, text in enumerate(UNPAIRED)]
)


@pytest.mark.parametrize("text", CASES)
def test_every_node_gets_position_providers_span(text: str) -> None:
    assert_positions_are_position_providers(text)


def assert_positions_are_position_providers(text: str) -> None:
    module = cst.parse_module(text)
    assert module.code == text, "PositionProvider places nodes in the code LibCST generates"
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
    # A compound statement's start alone, as inserting before it asks (from where its header starts).
    starts = SpanFinder(module, text)
    for node, where in expected.items():
        if isinstance(node, cst.BaseCompoundStatement):
            start = starts.of(node, start_only=True).start
            assert (start.row, start.column - 1) == (where.start.line, where.start.column)


@pytest.mark.parametrize("text", CASES)
def test_no_node_costs_the_code_generation_of_the_module(text: str, monkeypatch) -> None:
    module = cst.parse_module(text)
    nodes = list(MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider))
    statements = dict(_statements_of_nodes(module))

    def whole_module(self, state) -> None:
        raise AssertionError("the whole module was generated")

    monkeypatch.setattr(cst.Module, "_codegen_impl", whole_module)
    innermost, unhinted = SpanFinder(module, text), SpanFinder(module, text)
    for node in nodes:
        innermost.of(node, statements.get(id(node), ()))
        unhinted.of(node)


# As if the scan misread an f-string: it gives up, or it runs two lines of `class A` into one.
MISREADS = {
    "unreadable": lambda text, opening, quote: _raise(line_scan.Unreadable("as if")),
    "lines joined": lambda text, opening, quote: text.index("\n", text.index("\n", opening) + 1),
}


def _raise(error: Exception):
    raise error


@pytest.mark.parametrize("misread", MISREADS.values(), ids=MISREADS.keys())
def test_a_statement_the_scan_misreads_costs_its_own_code_generation_alone(misread, monkeypatch) -> None:
    text = (
        "import os\n\n\n@decorated\nclass A:\n    y = f'{os}'\n    z = 1\n\n    # c\n"
        "w = [\n    2,\n]\nif w:\n    v = 3\nelse:\n    v = 4\n"
    )
    monkeypatch.setattr(line_scan, "_formatted_end", misread)
    assert_positions_are_position_providers(text)
    module = cst.parse_module(text)
    nodes = list(MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider))
    generated = []
    whole = SpanFinder._generate_whole

    def recording(self, statement, line):
        generated.append(statement)
        return whole(self, statement, line)

    monkeypatch.setattr(SpanFinder, "_generate_whole", recording)
    monkeypatch.setattr(cst.Module, "_codegen_impl", lambda self, state: _raise(AssertionError("the module")))
    finder = SpanFinder(module, text)
    for node in nodes:
        finder.of(node)
    assert generated == [module.body[1]]


def test_positions_are_in_the_text_where_libcst_does_not_generate_it_back() -> None:
    # LibCST's code drops a backslash before a line's first token: PositionProvider would put `y` on
    # row 2 and `z` on row 5. CPython, which reads the text, is the oracle.
    text = "x = 1\n\\\ny = 2\nif y:\n    u = 0\n    \\\n    z = f(y)\n"
    module = cst.parse_module(text)
    finder = SpanFinder(module, text)
    y_line, branch = module.body[1], module.body[2]
    z_line = branch.body.body[1]
    found = [finder.of(y_line.body[0], (y_line,)), finder.of(z_line.body[0].value, (branch, z_line))]
    python = ast.parse(text).body
    wanted = [python[1], python[2].body[1].value]
    assert [(span.start.row, span.start.column - 1) for span in found] == [(n.lineno, n.col_offset) for n in wanted]


def _reproduced(text: str) -> bool:
    """Whether LibCST's code generation gives the text back. It drops a few things (a backslash before a
    line's first token, blank lines at the end of some files): PositionProvider then places nodes in
    code that is not the text, which SpanFinder places them in (test_positions_are_in_the_text...)."""
    return cst.parse_module(text).code == text


@_fuzzed(30)
@given(text=hypothesmith.from_grammar())
def test_positions_of_arbitrary_python_from_the_grammar(text: str) -> None:
    assume(_reproduced(text))
    assert_positions_are_position_providers(text)


@_fuzzed(20)
@given(text=hypothesmith.from_node())
def test_positions_of_arbitrary_python_from_libcst_nodes(text: str) -> None:
    assume(_reproduced(text))
    assert_positions_are_position_providers(text)


@_fuzzed(20)
@given(text=python_module())
def test_positions_of_fastapi_and_sqlalchemy_shaped_code(text: str) -> None:
    try:
        cst.parse_module(text)
    except cst.ParserSyntaxError:
        assume(False)  # the templates may put a positional argument after a keyword
    assert_positions_are_position_providers(text)


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
