"""Line and column numbers of nodes, computed only for the statements that need them.

LibCST's PositionProvider re-walks the whole module and generates its code, which
costs more than the parse. Here the code of a single top-level statement is
generated, starting at the line where CPython's own (fast) parser says that
statement begins, so a finding in a 2,000-line file costs the code generation of
the one statement it is in. Whatever cannot be placed that way falls back to the
whole module, so the positions are always PositionProvider's.
"""

from __future__ import annotations

import ast
import re
import sys
import threading
import warnings

import libcst as cst
from libcst.metadata import PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from conventions_lint.diagnostic import Location, Span

_NEWLINE = re.compile(r"\r\n?|\n")
_DEEP_STACK_BYTES = 512 * 1024 * 1024


class TooDeep(Exception):
    """Nested too deeply to generate code for, even on a large stack."""


class SpanFinder:
    def __init__(self, module: cst.Module, text: str) -> None:
        self._module = module
        self._text = text
        self._provider = PositionProvider()
        self._positions = self._provider._computed
        self._starts: dict[int, int] | None = None
        self._done: set[int] = set()
        # A small statement's line: imports, which fixes edit, sit in one.
        self._line_of = {id(small): line for line in module.body if isinstance(line, cst.SimpleStatementLine)
                         for small in line.body}
        self._top = {id(statement): statement for statement in module.body}

    def of(self, node: cst.CSTNode, top: cst.CSTNode | None = None) -> Span:
        """`node`'s span; `top` is the top-level statement it stands in, when the caller knows it."""
        found = self._positions.get(node)
        if found is None:
            if node is self._module:
                return self._module_span()
            self._generate(self._statement_of(node, top))
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
        starts = self._statement_starts() if statement is not None else None
        if statement is None or starts is None or id(statement) not in starts:
            # The whole module, once: the module's own header and footer lines too.
            if id(self._module) not in self._done:
                self._done.update(id(s) for s in (self._module, *self._module.body))
                _on_any_stack(lambda: self._provider._gen_impl(self._module))
            return
        if id(statement) in self._done:
            return
        self._done.add(id(statement))
        state = PositionProvidingCodegenState(self._module.default_indent, self._module.default_newline,
                                              self._provider)
        state.line = starts[id(statement)]
        _on_any_stack(lambda: statement._codegen(state))

    def _statement_starts(self) -> dict[int, int] | None:
        """The line each top-level statement's code (leading comments included) starts on, from `ast`."""
        if self._starts is None:
            self._starts = _starts(self._module, self._text) or {}
        return self._starts or None


def _starts(module: cst.Module, text: str) -> dict[int, int] | None:
    try:
        with warnings.catch_warnings():
            # The linted code's own warnings (`"\d"` escapes…) are not ours to print.
            warnings.simplefilter("ignore", SyntaxWarning)
            parsed = ast.parse(text).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    starts: dict[int, int] = {}
    index = 0
    for statement in module.body:
        count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
        if index + count > len(parsed):
            return None
        first = parsed[index]
        line = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", ()))])
        starts[id(statement)] = line - len(statement.leading_lines)
        index += count
    return starts if index == len(parsed) else None


def _on_any_stack(work) -> None:
    """Code generation recurses once per nesting level: retry deep code on a large stack."""
    try:
        work()
        return
    except RecursionError:
        pass
    failure: list[BaseException] = []

    def target() -> None:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(200_000)
        try:
            work()
        except RecursionError as error:
            failure.append(error)
        finally:
            sys.setrecursionlimit(limit)

    previous = threading.stack_size(_DEEP_STACK_BYTES)
    try:
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(previous)
    if failure:
        raise TooDeep("the code is nested too deeply to analyse")
