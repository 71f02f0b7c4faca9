"""Line and column numbers of nodes, computed only for the statements that need them.

LibCST's PositionProvider re-walks the whole module and generates its code, which
costs more than the parse. Here the code of a single statement is generated,
starting at the line where CPython's own (fast) parser says that statement begins,
so a finding in a 2,000-line file costs the code generation of the one statement it
is in: the line in a class body, or a class's header (decorators to colon) for its
name, not the whole class. What cannot be placed that way falls back to the
enclosing top-level statement, then to the whole module, so the positions are
always PositionProvider's.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Sequence
from functools import cache

import libcst as cst

from conventions_lint.diagnostic import Location, Span
from conventions_lint.source import Unparsable, on_a_large_stack, python_tree_of

_NEWLINE = re.compile(r"\r\n?|\n")


class TooDeep(Exception):
    """Nested too deeply to generate code for, even on a large stack."""


class SpanFinder:
    def __init__(self, module: cst.Module, text: str, python_tree: list[ast.stmt] | None = None) -> None:
        """`python_tree`: `ast.parse(text).body`, when the caller has it."""
        self._module = module
        self._text = text
        self._python_tree = python_tree
        # Imported here, not above: a module-level import of `libcst.metadata` would load the
        # lazily imported LibCST (lazy_libcst.py) in runs that never place a finding.
        from libcst.metadata import PositionProvider

        self._provider = PositionProvider()
        self._positions = self._provider._computed
        # Where each statement placed so far begins, and the node `ast` has for it.
        self._places: dict[int, tuple[int, ast.stmt]] | None = None
        self._paired: set[int] = set()
        self._done: set[int] = set()
        # A small statement's line: imports, which fixes edit, sit in one.
        self._line_of = {
            id(small): line for line in module.body if isinstance(line, cst.SimpleStatementLine) for small in line.body
        }
        self._top = {id(statement): statement for statement in module.body}

    def of(self, node: cst.CSTNode, statements: Sequence[cst.CSTNode] = ()) -> Span:
        """`node`'s span. `statements`, when the caller knows them: the statements `node` stands in,
        from the top-level one down to the innermost (each in the body of the one before)."""
        found = self._positions.get(node)
        if found is None:
            if node is self._module:
                return self._module_span()
            if statements:
                self._generate_innermost(statements, node)
                found = self._positions.get(node)
            if found is None:
                self._generate(self._statement_of(node, statements[0] if statements else None))
                found = self._positions.get(node)
            if found is None:
                self._generate(None)
                found = self._positions[node]
        return Span(Location(found.start.line, found.start.column + 1), Location(found.end.line, found.end.column + 1))

    def _statement_of(self, node: cst.CSTNode, top: cst.CSTNode | None) -> cst.CSTNode | None:
        if id(node) in self._top:
            return node
        if id(node) in self._line_of:
            return self._line_of[id(node)]
        return top

    def _module_span(self) -> Span:
        # As PositionProvider has it: code generation ends every line, the last one too.
        parts = _NEWLINE.split(self._text)
        lines = len(parts) - (parts[-1] == "")
        return Span(Location(1, 1), Location(lines + 1, 1))

    def _generate(self, statement: cst.CSTNode | None) -> None:
        """Code-generate one top-level statement (None: every one not done yet), recording positions."""
        places = self._statement_places() if statement is not None else None
        if statement is None or places is None or id(statement) not in places:
            # The whole module, once: the module's own header and footer lines too.
            if id(self._module) not in self._done:
                self._done.update(id(s) for s in (self._module, *self._module.body))
                _on_any_stack(lambda: self._provider._gen_impl(self._module))
            return
        self._generate_at(statement, places[id(statement)][0], [])

    def _generate_innermost(self, statements: Sequence[cst.CSTNode], node: cst.CSTNode) -> None:
        """Code-generate the innermost of `statements` that can be placed; of a compound statement,
        its header first (a class's name needs no code of its body)."""
        places = self._statement_places()
        if places is None or id(statements[0]) not in places:
            return
        indents: list[str] = []
        placed = statements[0]
        for parent, statement in itertools.pairwise(statements):
            body = getattr(parent, "body", None)
            if not isinstance(body, cst.IndentedBlock) or not self._pair_body(parent, body):
                break
            if id(statement) not in places:
                break
            indents.append(self._module.default_indent if body.indent is None else body.indent)
            placed = statement
        line = places[id(placed)][0]
        if placed is statements[-1] and isinstance(placed, _with_header()):
            header = placed.with_changes(
                body=cst.SimpleStatementSuite((cst.Pass(),)), **({"orelse": None} if hasattr(placed, "orelse") else {})
            )
            # Not marked done: only its header is.
            self._generate_at(header, line, indents, once=False)
            if node in self._positions:
                return
        if placed is not statements[0]:
            self._generate_at(placed, line, indents)

    def _generate_at(self, statement: cst.CSTNode, line: int, indents: list[str], once: bool = True) -> None:
        if once:
            if id(statement) in self._done:
                return
            self._done.add(id(statement))
        from libcst.metadata.position_provider import PositionProvidingCodegenState

        state = PositionProvidingCodegenState(self._module.default_indent, self._module.default_newline, self._provider)
        state.line = line
        state.indent_tokens = list(indents)
        _on_any_stack(lambda: statement._codegen(state))

    def _statement_places(self) -> dict[int, tuple[int, ast.stmt]] | None:
        """Where each top-level statement's code (leading comments included) starts, from `ast`."""
        if self._places is None:
            parsed = self._python_tree if self._python_tree is not None else _python_tree(self._text)
            self._places = (_places(self._module.body, parsed) if parsed is not None else None) or {}
        return self._places or None

    def _pair_body(self, parent: cst.CSTNode, body: cst.IndentedBlock) -> bool:
        """Place the statements of a placed compound statement's body; False when they cannot be."""
        if id(parent) not in self._paired:
            self._paired.add(id(parent))
            parsed = getattr(self._places[id(parent)][1], "body", None)
            self._places.update(_places(body.body, parsed) if isinstance(parsed, list) else {})
        return all(id(statement) in self._places for statement in body.body)


def _python_tree(text: str) -> list[ast.stmt] | None:
    try:
        return python_tree_of(text)
    except Unparsable:
        return None


# Node types are looked up on first use, not at import (see lazy_libcst.py), then kept.
@cache
def _with_header() -> tuple[type[cst.CSTNode], ...]:
    """Compound statements whose header (up to the colon) can be generated without their body."""
    return cst.ClassDef, cst.FunctionDef, cst.If, cst.For, cst.While, cst.With


def _places(statements: Sequence[cst.CSTNode], parsed: list[ast.stmt]) -> dict[int, tuple[int, ast.stmt]] | None:
    """Pair LibCST statements with `ast`'s (a line of `a; b` is two of those): where each begins."""
    places: dict[int, tuple[int, ast.stmt]] = {}
    index = 0
    for statement in statements:
        count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
        if index + count > len(parsed):
            return None
        first = parsed[index]
        line = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", ()))])
        places[id(statement)] = (line - len(statement.leading_lines), first)
        index += count
    return places if index == len(parsed) else None


def _on_any_stack(work) -> None:
    """Code generation recurses once per nesting level: retry deep code on a large stack."""
    try:
        work()
        return
    except RecursionError:
        pass
    try:
        on_a_large_stack(work, recursion_limit=200_000)
    except RecursionError:
        raise TooDeep("the code is nested too deeply to analyse") from None
