"""Line and column numbers of nodes, at the cost of generating the one statement a node is in.

LibCST's PositionProvider generates the code of the whole module, which costs more than
the parse. Here one scan of the text (logical_lines.py) says where every statement's code
begins, so a finding costs the code generation (placing.py) of the innermost statement it
stands in: one line of a class body, or a class's header (decorators to colon) for its
name, never the class. Never the module either: a top-level statement the scan cannot read
is generated alone, and the module's own leading and trailing lines are its first and last
rows. The positions are PositionProvider's wherever LibCST's code generation gives the text
back (the tests compare them on every node of varied code); where it does not (it drops a
backslash before a line's first token), they are the text's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import cache

import libcst as cst

from conventions_lint.diagnostic import Location, Span
from conventions_lint.line_scan import NEWLINE
from conventions_lint.logical_lines import Places, nested_statements, rows, statement_places
from conventions_lint.node_children import children, concrete_node_types
from conventions_lint.placing import generate


class SpanFinder:
    def __init__(self, module: cst.Module, text: str) -> None:
        self._module = module
        self._text = text
        # Each placed node's start and end, (line, column, line, column) as PositionProvider's CodeRange
        # would say them (placing.py).
        self._positions: dict[cst.CSTNode, tuple[int, int, int, int]] = {}
        self._places: Places | None = None
        self._done: set[int] = set()
        # Compound statements whose header alone has been generated.
        self._headers: set[int] = set()
        self._parents: dict[int, cst.CSTNode] | None = None
        self._chains: dict[int, list[cst.CSTNode]] | None = None
        self._within: dict[int, dict[int, list[cst.CSTNode]]] = {}

    def of(self, node: cst.CSTNode, statements: Sequence[cst.CSTNode] = (), start_only: bool = False) -> Span:
        """`node`'s span. `statements`, when the caller knows them: the statements `node` stands in,
        from the top-level one down to the innermost (each in the body of the one before).
        `start_only`: the caller needs the start alone (the span may then end where it starts), which
        of a compound statement its header says, without the code of its body."""
        found = self._positions.get(node)
        if found is None:
            if node is self._module:
                return Span(Location(1, 1), Location(self._line_count() + 1, 1))
            if start_only and isinstance(node, _with_header()):
                start = self._header_start(node)
                if start is not None:
                    return Span(start, start)
            found = self._place(node, statements)
        start_line, start_column, end_line, end_column = found
        return Span(Location(start_line, start_column + 1), Location(end_line, end_column + 1))

    def _place(self, node: cst.CSTNode, statements: Sequence[cst.CSTNode]) -> tuple[int, int, int, int]:
        # A top-level statement the scan cannot read is placed whole with the others' places.
        self._statement_places()
        if node in self._positions:
            return self._positions[node]
        chain = None
        if statements:
            self._generate_innermost(statements, node, whole=False)
            if node in self._positions:
                return self._positions[node]
            # In the body of the innermost compound statement the caller named (a fix's edit further
            # down the function it reports), or elsewhere (an import the fix adds to).
            chain = self._statements_within(statements, node)
        chain = chain or self._statements_of(node)
        if chain:
            self._generate_innermost(chain, node, outward=True)
        else:
            self._place_outside()
        return self._positions[node]

    def _line_count(self) -> int:
        # As PositionProvider has it: code generation ends every line, the last one too.
        parts = NEWLINE.split(self._text)
        return len(parts) - (parts[-1] == "")

    def _place_outside(self) -> None:
        """The module's own leading and trailing blank and comment lines, outside every statement: the
        header's are the first rows of the text, the footer's the last."""
        module = self._module
        for lines, line in ((module.header, 1), (module.footer, self._line_count() - rows(module.footer) + 1)):
            for empty in lines:
                line, _ = generate(module, empty, line, 0, None, self._positions)

    def _generate_innermost(
        self, statements: Sequence[cst.CSTNode], node: cst.CSTNode, whole: bool = True, outward: bool = False
    ) -> None:
        """Code-generate the innermost of `statements` that can be placed: of a compound statement, its
        header first (a class's name needs no code of its body), then, if `whole`, all of it (a line
        always); if `outward`, then the ones around it, until one holds `node`."""
        places = self._statement_places()
        for statement in reversed(statements):
            if id(statement) not in places.starts:
                continue
            if isinstance(statement, _with_header()):
                self._generate_header(statement, node)
                if node in self._positions:
                    return
            if not whole and not isinstance(statement, cst.SimpleStatementLine):
                return
            # A line whole: the rows a suppression comment may stand on are asked for next anyway.
            whole_line = isinstance(statement, cst.SimpleStatementLine)
            self._generate_at(statement, *places.starts[id(statement)], None if whole_line else node)
            if node in self._positions or not outward:
                return

    def _generate_header(self, statement: cst.CSTNode, node: cst.CSTNode) -> None:
        """Place what of a compound statement's header holds `node`: its name from where the header
        starts, a decorator alone, or the rest (up to the colon, without its decorators)."""
        place = self._statement_places().headers.get(id(statement))
        if place is None:
            return
        if node is getattr(statement, "name", None) and self._place_name(statement, *place):
            return
        decorators = getattr(statement, "decorators", ())
        holder = next((d for d in decorators if _holds(d, node)), None)
        if holder is not None:
            # Whole, as a line: a finding in a decorator asks for the decorator's rows next.
            self._generate_at(holder, *self._statement_places().starts[id(holder)], None)
        elif id(statement) not in self._headers and any(_holds(part, node) for part in _header_parts(statement)):
            bare = {"body": cst.SimpleStatementSuite((cst.Pass(),)), "leading_lines": ()}
            if decorators:
                bare.update(decorators=(), lines_after_decorators=())
            if hasattr(statement, "orelse"):
                bare["orelse"] = None
            if self._generate_at(statement.with_changes(**bare), *place, node):
                self._headers.add(id(statement))

    def _place_name(self, statement: cst.CSTNode, line: int, column: int) -> bool:
        """A class's or function's name, from where its header starts and the words before the name."""
        if isinstance(statement, cst.ClassDef):
            before = ["class", statement.whitespace_after_class.value]
        else:
            before = ["def", statement.whitespace_after_def.value]
            if statement.asynchronous is not None:
                before[:0] = ["async", statement.asynchronous.whitespace_after.value]
        prefix = "".join(before)
        if "\\" in prefix:  # a line continued: columns restart on the next line
            return False
        start = column + len(prefix)
        self._positions[statement.name] = (line, start, line, start + len(statement.name.value))
        return True

    def _header_start(self, statement: cst.CSTNode) -> Location | None:
        place = self._statement_places().headers.get(id(statement))
        return None if place is None else Location(place[0], place[1] + 1)

    def _generate_at(self, statement: cst.CSTNode, line: int, column: int, until: cst.CSTNode | None) -> bool:
        """Generate `statement`'s code from `line` and `column`, stopping once `until` is placed (a
        parameter needs nothing of the function's body); whether it went to the end (then it is never
        generated again)."""
        if id(statement) in self._done:
            return True
        if generate(self._module, statement, line, column, until, self._positions) is None:
            return False
        self._done.add(id(statement))
        return True

    def _statement_places(self) -> Places:
        if self._places is None:
            self._places = statement_places(self._module, self._text, self._generate_whole)
        return self._places

    def _generate_whole(self, statement: cst.CSTNode, line: int) -> tuple[int, int]:
        """A top-level statement the scan cannot read, generated whole: where its code ends."""
        end = generate(self._module, statement, line, 0, None, self._positions)
        self._done.add(id(statement))
        return end

    def _statements_within(self, statements: Sequence[cst.CSTNode], node: cst.CSTNode) -> list[cst.CSTNode] | None:
        """`statements` and the ones below the innermost of them that `node` stands in; None when it is
        not in that innermost one. The statements of every node below it are mapped on the first ask:
        a fix edits many places of the function it reports."""
        innermost = statements[-1]
        if node is innermost:
            return list(statements)
        if id(innermost) not in self._within:
            self._within[id(innermost)] = _chains_below(innermost, list(statements))
        return self._within[id(innermost)].get(id(node))

    def known_statements_of(self, node: cst.CSTNode) -> Sequence[cst.CSTNode]:
        """The statements a statement, a part of a line, or a definition's name or decorator stands in
        (what rules report after the walk has left it), outermost first; () for other nodes."""
        if self._chains is None:
            self._chains = _statement_chains(self._module)
        return self._chains.get(id(node), ())

    def _statements_of(self, node: cst.CSTNode) -> Sequence[cst.CSTNode]:
        """The statements `node` stands in, outermost first: from a map of the statements (and the
        parts of lines, and the names and decorators of definitions: what is reported, or edited,
        after the walk has left it), else from a map of every node's parent (made once, if needed)."""
        chain = self.known_statements_of(node)
        if chain:
            return chain
        if self._parents is None:
            self._parents = _parents(self._module)
        chain = []
        parent = self._parents.get(id(node))
        while parent is not None:
            if isinstance(parent, cst.BaseStatement):
                chain.append(parent)
            parent = self._parents.get(id(parent))
        if isinstance(node, cst.BaseStatement):
            chain.insert(0, node)
        return chain[::-1]


def _holds(root: cst.CSTNode, node: cst.CSTNode) -> bool:
    """Whether `node` is `root` or below it (a header's parts are small: this is cheap)."""
    node_types = concrete_node_types()
    stack = [root]
    while stack:
        current = stack.pop()
        if current is node:
            return True
        stack.extend(children(current, node_types))
    return False


_BODIES = frozenset({"body", "orelse", "handlers", "finalbody", "decorators", "name", "leading_lines"})


def _header_parts(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """What of a compound statement's header is not its name or decorators: parameters, bases, test…"""
    parts = []
    for name in _field_names(type(statement)):
        if name not in _BODIES:
            value = getattr(statement, name)
            parts.extend(value if isinstance(value, (tuple, list)) else (value,))
    return [part for part in parts if isinstance(part, cst.CSTNode)]


@cache
def _field_names(node_type: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(node_type))


def _statement_chains(module: cst.Module) -> dict[int, list[cst.CSTNode]]:
    chains: dict[int, list[cst.CSTNode]] = {}
    pending = [(statement, []) for statement in module.body]
    while pending:
        statement, outer = pending.pop()
        chain = chains[id(statement)] = [*outer, statement]
        if type(statement) is cst.SimpleStatementLine:
            chains.update((id(part), chain) for part in statement.body)
            continue
        for part in (getattr(statement, "name", None), *getattr(statement, "decorators", ())):
            if part is not None:
                chains[id(part)] = chain
        pending.extend((inner, chain) for inner in nested_statements(statement))
    return chains


def _chains_below(statement: cst.CSTNode, chain: list[cst.CSTNode]) -> dict[int, list[cst.CSTNode]]:
    """The statements each node below `statement` stands in (`chain` and those in between), by id."""
    node_types = concrete_node_types()
    found: dict[int, list[cst.CSTNode]] = {}
    stack = [(statement, chain)]
    while stack:
        parent, outer = stack.pop()
        for child in children(parent, node_types):
            inner = [*outer, child] if isinstance(child, cst.BaseStatement) else outer
            found[id(child)] = inner
            stack.append((child, inner))
    return found


def _parents(module: cst.Module) -> dict[int, cst.CSTNode]:
    """Each node's parent, by id: whitespace, comments and punctuation too (findings and fixes name
    nodes of the statement chains nearly always: this map is made for the rest)."""
    node_types = concrete_node_types()
    parents: dict[int, cst.CSTNode] = {}
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        for name in _field_names(type(node)):
            value = getattr(node, name)
            for child in value if type(value) is tuple or type(value) is list else (value,):
                if type(child) in node_types:
                    parents[id(child)] = node
                    stack.append(child)
    return parents


# Node types are looked up on first use, not at import (see lazy_libcst.py), then kept.
@cache
def _with_header() -> tuple[type[cst.CSTNode], ...]:
    """Compound statements whose header (up to the colon) can be generated without their body."""
    return cst.ClassDef, cst.FunctionDef, cst.If, cst.For, cst.While, cst.With
