"""How a rule describes its fix: edits on nodes, resolved to text edits after the walk.

Positions are only known once the walk is over (they are computed for files with
findings only), so a rule queues operations on nodes and the engine turns them
into `Edit`s. Replacing a node with new LibCST nodes leaves every byte outside the
node as it was: comments, blank lines, quotes and formatting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.diagnostic import Applicability, Edit, Fix, Span
from conventions_lint.fixes.imports import ImportPlan, bound_spelling, import_edits, plan_import
from conventions_lint.fixes.text import line_insertion

if TYPE_CHECKING:
    from conventions_lint.names import ImportMap


@dataclass(frozen=True)
class _Replace:
    node: cst.CSTNode
    code: str | cst.CSTNode
    # The indentation of each block the node sits in, for new nodes that span lines.
    indents: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Insert:
    node: cst.CSTNode
    text: str
    after: bool


@dataclass(frozen=True)
class _InsertLines:
    """Whole lines after a statement, indented like it."""

    statement: cst.CSTNode
    lines: tuple[str, ...]


class FixBuilder:
    """One finding's fix, described on the nodes of `module` (whose `imports` decide how a name is
    spelled); `blocks` are the indented blocks around the node being visited when it was started."""

    def __init__(
        self,
        code: str,
        message: str,
        applicability: Applicability,
        *,
        module: cst.Module,
        imports: ImportMap,
        blocks: tuple[cst.IndentedBlock, ...],
        first_party: frozenset[str] = frozenset(),
        names_in_scope: Callable[[], frozenset[str]] = frozenset,
    ) -> None:
        self.code = code
        self._module = module
        self._imports = imports
        self._blocks = blocks
        # The packages ruff counts as first party here: where in a sorted import block a new import goes.
        self._first_party = first_party
        # What else is bound where the fix writes, asked only when the fix spells an imported name.
        self._names_in_scope = names_in_scope
        self._taken: frozenset[str] | None = None
        self.message = message
        self.applicability = applicability
        self._operations: list = []
        self._import_plans: dict[tuple[str, bool], ImportPlan] = {}
        # False when the fix cannot be written (an import would clash with a local name).
        self.available = True

    def replace(
        self, node: cst.CSTNode, replacement: str | cst.CSTNode, inner_blocks: tuple[cst.IndentedBlock, ...] = ()
    ) -> FixBuilder:
        """Replace `node` with code or a new node. A new node is written for the blocks around the
        node being visited, plus `inner_blocks` when `node` sits deeper (in a class being visited).

        A node's position leaves out its own parentheses (`lpar`/`rpar`): a replacement
        that keeps them would double them, so drop them from the new node.
        """
        indents = tuple(
            block.indent if block.indent is not None else self._module.default_indent
            for block in (*self._blocks, *inner_blocks)
        )
        self._operations.append(_Replace(node, replacement, indents))
        return self

    def insert_before(self, node: cst.CSTNode, text: str) -> FixBuilder:
        self._operations.append(_Insert(node, text, after=False))
        return self

    def insert_after(self, node: cst.CSTNode, text: str) -> FixBuilder:
        self._operations.append(_Insert(node, text, after=True))
        return self

    def insert_lines_after(self, statement: cst.CSTNode, *lines: str) -> FixBuilder:
        """Add lines after `statement` at its indentation (`lines` carry any deeper indent themselves)."""
        self._operations.append(_InsertLines(statement, lines))
        return self

    def add_keyword(self, call: cst.Call, keyword: str) -> FixBuilder:
        """Add `keyword` (`name=value`) after the call's last argument, in the call's style.

        Arguments one a line get a line of their own, with a trailing comma when the
        last argument has one; otherwise the keyword follows a `, `. A `**options`
        argument may hold the keyword already, so there is no fix then.
        """
        if not call.args or any(arg.star == "**" for arg in call.args):
            self.available = False
            return self
        last = call.args[-1]
        before = call.args[-2].comma.whitespace_after if len(call.args) > 1 else call.whitespace_before_args
        if isinstance(before, cst.ParenthesizedWhitespace):
            comma = last.comma
            if isinstance(comma, cst.Comma):
                if _ends_line(comma.whitespace_after) and not _ends_line(comma.whitespace_before):
                    return self.insert_lines_after(last, f"{keyword},")
            elif _ends_line(last.whitespace_after_arg):
                return self.insert_after(last, ",").insert_lines_after(last, keyword)
        return self.insert_after(last, f", {keyword}")

    def python_type(self, qualified: str) -> str:
        """A Python type (`datetime.datetime`, `decimal.Decimal`) as this file writes it, imported.

        `uuid.UUID` stays qualified: next to SQLAlchemy code a bare `UUID` is the column type.
        """
        module, _, name = qualified.rpartition(".")
        if not module:
            return name
        if qualified == "uuid.UUID":
            return self.module_attribute(module, name)
        return self.import_name(module, name)

    def module_attribute(self, module: str, name: str) -> str:
        """`module.name` spelled through the module (`uuid.uuid4`), imported once; where a name in
        scope hides the module, the file's own import of the name serves (`from uuid import UUID`)
        before the module is imported under another name (`import uuid as uuid_`)."""
        if module in self.taken:
            spelled = bound_spelling(self._imports.bindings, module, name)
            if spelled is not None and spelled.split(".")[0] not in self.taken:
                return spelled
        return f"{self.import_name(module)}.{name}"

    @property
    def taken(self) -> frozenset[str]:
        """Names bound where the fix writes, other than by the file's imports."""
        if self._taken is None:
            self._taken = self._names_in_scope()
        return self._taken

    def import_name(self, module: str, name: str | None = None) -> str:
        """How to spell `module.name` (or `module`) here, importing it once if it is not yet bound."""
        key = (module, name is None)
        taken = self.taken | {
            local
            for planned, plan in self._import_plans.items()
            if planned != key
            for local in (plan.names or (plan.alias or plan.module.split(".")[0],))
        }
        spelled, plan = plan_import(
            self._module, self._imports, module, name, self._import_plans.get(key), self._first_party, taken
        )
        if spelled is None:
            self.available = False
            return name or module
        if plan is not None:
            self._import_plans[key] = plan
        return spelled

    def resolve(
        self,
        span_of: Callable[..., Span],
        lines: list[str],
        applicability: Callable[[str, Applicability], Applicability],
    ) -> Fix | None:
        """The text edits; `applicability(code, declared)` lets the settings make a fix safer or riskier.
        `span_of(node, start_only=False)`: where `node` is (`start_only`: its start is all that is used)."""
        if not self.available:
            return None
        newline = self._module.default_newline
        edits = []
        for operation in self._operations:
            if isinstance(operation, _Replace):
                span = span_of(operation.node)
                code = (
                    operation.code
                    if isinstance(operation.code, str)
                    else _code_in_blocks(self._module, operation.code, operation.indents)
                )
                edits.append(Edit(span.start, span.end, code))
            elif isinstance(operation, _Insert):
                span = span_of(operation.node) if operation.after else span_of(operation.node, start_only=True)
                at = span.end if operation.after else span.start
                edits.append(Edit(at, at, operation.text))
            else:
                span = span_of(operation.statement)
                indent = lines[span.start.row - 1][: span.start.column - 1] if span.start.row <= len(lines) else ""
                text = "".join((indent + line if line else "") + newline for line in operation.lines)
                edits.append(line_insertion(span.end.row + 1, text, lines, newline))
        for added in import_edits(self._import_plans.values(), span_of, lines, newline):
            edits = _inserted_first(added, edits)
        return Fix(self.message, applicability(self.code, self.applicability), tuple(sorted(edits)))


def _inserted_first(added: Edit, edits: list[Edit]) -> list[Edit]:
    """`edits` with the import insertion `added`, which goes before any other insertion at its place
    (a decorator added to the file's first definition goes between the import and the `def`)."""
    at = added.location
    if added.end_location == at:
        for index, edit in enumerate(edits):
            if edit.location == edit.end_location == at:
                return [*edits[:index], Edit(at, at, added.content + edit.content), *edits[index + 1 :]]
    return [*edits, added]


def _ends_line(whitespace: cst.BaseParenthesizableWhitespace) -> bool:
    return isinstance(whitespace, cst.ParenthesizedWhitespace)


def _code_in_blocks(module: cst.Module, node: cst.CSTNode, indents: tuple[str, ...]) -> str:
    """The code of a new `node` as it reads inside blocks with these indentations.

    `Module.code_for_node` knows no enclosing block, so the continuation lines of a
    multi-line call would lose the indentation of the class or function it is in:
    the node is written inside matching nested blocks, and the scaffolding cut off.
    """
    if not indents or not isinstance(node, cst.BaseExpression):
        return module.code_for_node(node)
    statement: cst.BaseStatement = cst.SimpleStatementLine([cst.Expr(node)])
    for indent in reversed(indents):
        statement = cst.If(cst.Name("_"), cst.IndentedBlock([statement], indent=indent))
    code = module.with_changes(body=[statement], header=(), footer=()).code
    newline = module.default_newline
    scaffolding = "".join("".join(indents[:depth]) + "if _:" + newline for depth in range(len(indents)))
    return code[len(scaffolding) + len("".join(indents)) : -len(newline)]
