"""Code generation that only counts: the lines and columns where each node of one statement (or a
part of one) starts and ends, as LibCST's PositionProvider would say them, from where its code
starts; it stops once the node asked for is placed. positions.py decides what to generate, and from
where.
"""

from __future__ import annotations

from functools import cache

import libcst as cst

from conventions_lint.line_scan import NEWLINE
from conventions_lint.source import on_a_large_stack


class TooDeep(Exception):
    """Nested too deeply to generate code for, even on a large stack."""


class _Placed(Exception):
    """The node asked for has its position: the rest of the statement need not be generated."""


def generate(
    module: cst.Module,
    node: cst.CSTNode,
    line: int,
    column: int,
    until: cst.CSTNode | None,
    positions: dict[cst.CSTNode, tuple[int, int, int, int]],
) -> tuple[int, int] | None:
    """Place `node` and what is in it into `positions` (start and end line and column, as in
    PositionProvider's CodeRange: a tuple costs a fraction of its two dataclasses), its code starting at `line` in a block
    indented `column` characters, stopping once `until` is placed; where its code ends (line and
    column), or None when it stopped before."""
    ended = []

    def work() -> None:
        # A state of its own for each attempt: one that ran out of stack is mid-way.
        state = _placing_state()(module.default_indent, module.default_newline, None)
        state.line, state.until, state.positions = line, until, positions
        # Only lengths count: the indentation as that many spaces, whatever characters it is made of.
        state.indent_tokens = [" " * column] if column else []
        try:
            node._codegen(state)
        except _Placed:
            return
        ended.append((state.line, state.column))

    _on_any_stack(work)
    return ended[0] if ended else None


# Node types are looked up on first use, not at import (see lazy_libcst.py), then kept.
@cache
def _placing_state() -> type:
    """PositionProvider's code generation state, counting lines and columns without keeping the code,
    and stopping (raising _Placed) once the node `until` is placed.

    Its own splits every token with a regular expression, keeps every token, and records positions
    through a generator-based context manager: together most of the cost of placing a finding.
    """
    from libcst.metadata.position_provider import PositionProvidingCodegenState

    class Recording:
        __slots__ = ("column", "end_node", "line", "node", "start_node", "state")

        def __init__(self, state, node, start_node, end_node) -> None:
            self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node

        def __enter__(self) -> None:
            self.line, self.column = self.state.line, self.state.column

        def __exit__(self, error_type, *_) -> None:
            if error_type is not None:  # stopped (or out of stack) before this node's end
                return
            state, positions = self.state, self.state.positions
            start = positions[self.start_node][:2] if self.start_node is not None else (self.line, self.column)
            end = positions[self.end_node][2:] if self.end_node is not None else (state.line, state.column)
            positions[self.node] = (*start, *end)

    class PlacingState(PositionProvidingCodegenState):
        def add_indent_tokens(self) -> None:
            for token in self.indent_tokens:
                self.column += len(token)

        def add_token(self, value: str) -> None:
            if "\n" in value or "\r" in value:
                segments = NEWLINE.split(value)
                self.line += len(segments) - 1
                self.column = len(segments[-1])
            else:
                self.column += len(value)

        def before_codegen(self, node: cst.CSTNode) -> None:
            self._stack.append((self.line, self.column))

        def after_codegen(self, node: cst.CSTNode) -> None:
            line, column = self._stack.pop()
            positions = self.positions
            if node not in positions:
                positions[node] = (line, column, self.line, self.column)
            if node is self.until:
                raise _Placed

        def record_syntactic_position(self, node, *, start_node=None, end_node=None) -> Recording:
            return Recording(self, node, start_node, end_node)

    return PlacingState


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
