"""The service that collects each file's facts (facts.py) on the rules' walk.

Riding the same single walk as the rules, it records what the project phase needs, so
the project phase never re-reads or re-parses a file. Positions are asked for only when
some fact needs one (`needs_positions`), since computing them costs a parse's worth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cached_property, partial
from typing import TYPE_CHECKING, TypeAlias

import libcst as cst

from conventions_lint.base_module_collector import base_module_fact, leading_imports, type_checking_block
from conventions_lint.diagnostic import Span
from conventions_lint.facts import ClassBodyFact, FileFacts, ImportJoinFact, RelationshipFact
from conventions_lint.fixes.text import split_lines
from conventions_lint.globs import matches
from conventions_lint.line_scan import leading_lines
from conventions_lint.name_use_collector import NameUses
from conventions_lint.names import dotted_name
from conventions_lint.project_model.roles import content_roles
from conventions_lint.recognize.bindings import Bindings
from conventions_lint.recognize.class_body import attribute_names, last_attribute
from conventions_lint.recognize.mapped_classes import (
    declared_attr_returns,
    foreign_key_tables,
    relationship_call,
    relationship_target,
    table_name,
)
from conventions_lint.recognize.syntax import (
    class_body_statements,
    is_docstring,
    keyword,
    string_value,
    target_name,
)
from conventions_lint.visitor import Service

if TYPE_CHECKING:
    from conventions_lint.context import FileContext
    from conventions_lint.settings import Settings

# A node's statements, outermost first (SpanFinder.of).
Statements: TypeAlias = "tuple[cst.CSTNode, ...]"


# Facts come from mapped classes and relationships, from `<Entity>Response` schemas (the classes
# a route's fix may import), and from the imports of the db-base file: a file showing none of
# these has no facts worth a parse.
FACT_MARKERS = (b"relationship", b"__table", b"Mapped[", b"mapped_column", b"Column(", b"Response(")


def may_have_facts(source: bytes, relative_path: str, settings: Settings) -> bool:
    """A migration has none: its classes are frozen copies of the models, not the project's models."""
    if not (
        any(marker in source for marker in FACT_MARKERS) or any(matches(g, relative_path) for g in settings.db_base)
    ):
        return False
    return "migrations" not in settings.roles_of(relative_path) and not content_roles(source, relative_path)


class FactCollector(Service):
    """Not a lint rule: a service of the engine that rides the same walk to record what the project
    phase needs. `code` and `name` say what failed, should it fail (CL002)."""

    code = "facts"
    name = "project-facts"

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Each node whose position a fact needs comes with the statements it stands in, outermost
        # first: the code of the innermost is all that placing it needs generated.
        self._mapped: list[tuple[cst.ClassDef, Statements]] = []
        # The facts of each class body but its last row, known once positions are.
        self._bodies: list[tuple[str, cst.SimpleStatementLine, Statements, ClassBodyFact]] = []
        self._schemas: list[str] = []
        self._relationships: list[tuple[str, str, cst.Call, cst.CSTNode, Statements]] = []

    @property
    def needs_positions(self) -> bool:
        # db/base.py's imports are where CL801's fixes join names; a rename edits the names another module uses.
        return bool(self._relationships or self._mapped) or self._is_db_base or self._name_uses is not None

    @cached_property
    def _name_uses(self) -> NameUses | None:
        """Where the file names other modules' functions, if its pass follows them (`follows_names`)."""
        bindings = self.context.services.get(Bindings)
        # A rule's own `Bindings` (CL601's, in every file with a decorator) is no reason to record them.
        if bindings is None or not bindings.complete or not self.context.vocabulary.follows_names:
            return None
        context = self.context
        uses = NameUses(bindings, context.relative_path, context.settings, context.vocabulary)
        return uses if uses.any else None

    @cached_property
    def _is_db_base(self) -> bool:
        return any(matches(glob, self.context.relative_path) for glob in self.context.settings.db_base)

    def _imports_are_read(self) -> bool:
        """Whether the project phase reads this file's imports: to edit a model file (a backref's
        other side), db/base.py (CL801), or a file whose own fix it completes (CL301). Every other
        file's would only weigh on the cache and on the memory of a run that holds all results."""
        return (
            bool(self._mapped)
            or self._is_db_base
            or any(report.deferred is not None for report in self.context.reports)
        )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        index = self.context.index
        if index.is_pydantic(node):
            self._schemas.append(node.name.value)
        if not index.is_mapped(node):
            return
        statements = self.context.statements()
        self._mapped.append((node, statements))
        self._add_body(node, statements)
        lines = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        line_of = {
            id(small): line for line in lines if isinstance(line, cst.SimpleStatementLine) for small in line.body
        }
        for statement in class_body_statements(node):
            call = relationship_call(self.context, getattr(statement, "value", None))
            name = target_name(statement)
            if call is not None and name is not None:
                line = line_of.get(id(statement))
                self._relationships.append(
                    (node.name.value, name, call, statement, statements if line is None else (*statements, line))
                )
        for method, line, returned in declared_attr_returns(node):
            call = relationship_call(self.context, returned.value)
            if call is not None:
                self._relationships.append(
                    (node.name.value, method.name.value, call, returned, (*statements, method, line))
                )

    def _add_body(self, node: cst.ClassDef, statements: Statements) -> None:
        anchor = last_attribute(node)
        if anchor is None:
            return
        default = self.context.module.default_indent
        blocks = [*(n for n in self.context.ancestors if isinstance(n, cst.IndentedBlock)), node.body]
        indent = "".join(block.indent if block.indent is not None else default for block in blocks)
        body = ClassBodyFact(
            end_row=0,
            indent=indent,
            attributes=sorted(attribute_names(node)),
            table=table_name(self.context, node),
            foreign_keys=foreign_key_tables(self.context, node),
        )
        self._bodies.append((node.name.value, anchor, (*statements, anchor), body))

    def facts(self, span_of: Callable[..., Span] | None, text: str, encoding: str) -> FileFacts:
        relationships = []
        for owner, attribute, call, statement, statements in self._relationships:
            back = keyword(call, "back_populates")
            # Findings about the pairing point at `back_populates=` where there is one.
            span, rows = span_of(back if back is not None else call, statements), span_of(statement, statements)
            relationships.append(
                RelationshipFact(
                    owner=owner,
                    attribute=attribute,
                    target=relationship_target(self.context, call, statement),
                    back_populates=string_value(back.value) if back is not None else None,
                    span=span,
                    statement_rows=(rows.start.row, rows.end.row),
                )
            )
        imports, read = self.context.imports, self._imports_are_read()
        class_spans = (
            {node.name.value: span_of(node.name, statements) for node, statements in self._mapped} if span_of else {}
        )
        bodies = (
            {
                name: replace(body, end_row=span_of(anchor, statements).end.row)
                for name, anchor, statements, body in self._bodies
            }
            if span_of
            else {}
        )
        uses = self._name_uses
        name_uses, strings, given = uses.facts(span_of) if uses is not None and span_of else ({}, [], [])
        return FileFacts(
            mapped_classes=[node.name.value for node, _ in self._mapped],
            schema_classes=self._schemas,
            relationships=relationships,
            imports=dict(imports.bindings) if read else {},
            star_imports=list(imports.star_modules) if read else [],
            class_spans=class_spans,
            import_end_row=self._import_end_row(text),
            newline=self.context.module.default_newline,
            class_bodies=bodies,
            import_joins=self._import_joins(span_of) if read and span_of is not None else {},
            unterminated_row=self._unterminated_row(),
            encoding=encoding,
            base_module=base_module_fact(self.context.module, span_of) if self._is_db_base and span_of else None,
            name_uses=name_uses,
            star_modules=uses.star_modules if uses is not None else [],
            strings=strings,
            rename_targets=given,
            # The walk meant to record them and failed (CL002): a rename cannot know what this file uses.
            names_unknown=Bindings in self.context.services and not self.context.services[Bindings].complete,
            # A model file is where CL101's fix adds a relationship, and an import its annotation needs.
            import_lines=leading_imports(self.context.module, span_of) if self._mapped and span_of else [],
            type_checking=type_checking_block(self.context.module, span_of) if self._mapped and span_of else None,
            blank_lines_after_imports=self._blank_lines_after_imports() if self._mapped else 0,
        )

    def _import_joins(self, span_of: Callable[..., Span]) -> dict[str, ImportJoinFact]:
        """Joinable as the fixes of a file's own pass join names: not a star, no parentheses unless
        the names end with a comma (then one a line, like those above, when they stand so)."""
        joins: dict[str, ImportJoinFact] = {}
        for statement in self.context.module.body:
            for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
                if (
                    not isinstance(small, cst.ImportFrom)
                    or small.relative
                    or small.module is None
                    or isinstance(small.names, cst.ImportStar)
                ):
                    continue
                module, last = dotted_name(small.module), small.names[-1]
                ends_with_comma = isinstance(last.comma, cst.Comma)
                if module in joins or (small.lpar is not None and not ends_with_comma):
                    continue
                end = span_of(last, (statement,)).end
                joins[module] = ImportJoinFact(row=end.row, column=end.column, indent=_names_indent(small))
        return joins

    def _unterminated_row(self) -> int:
        module = self.context.module
        # Rare enough that generating the file's code to count its lines costs nothing overall.
        return 0 if module.has_trailing_newline else len(split_lines(module.code))

    @cached_property
    def _last_import(self) -> cst.SimpleStatementLine | None:
        last, body = None, self.context.module.body
        for statement in body:
            if not isinstance(statement, cst.SimpleStatementLine):
                break
            # Without imports, new ones go after the module's docstring, not above it.
            if is_docstring(statement, body) or any(
                isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
            ):
                last = statement
        return last

    def _import_end_row(self, text: str) -> int:
        last = self._last_import
        if last is None:
            return 0
        # The statements up to the last import are lines of simple statements, a logical line each: a scan of
        # those lines of the text says where the last ends (0.45 s of CPU less on the benchmark corpus). Each import
        # the scan pairs with a line must start there.
        body = self.context.module.body
        head = body[: body.index(last) + 1]
        scanned = leading_lines(text, len(head))
        if scanned is None or not all(map(partial(_starts_as, text), head, scanned[0])):
            return _rows_before(self.context.module, last)
        return scanned[1]

    def _blank_lines_after_imports(self) -> int:
        body, last = self.context.module.body, self._last_import
        following = body[body.index(last) + 1] if last is not None and last is not body[-1] else None
        lines = following.leading_lines if following is not None else ()
        return next((count for count, line in enumerate(lines) if line.comment is not None), len(lines))


def _names_indent(node: cst.ImportFrom) -> str | None:
    """The indentation of names that stand one a line, `from m import (\n    a,\n    b,\n)`; else None."""
    last = node.names[-1]
    if not (isinstance(last.comma, cst.Comma) and isinstance(last.comma.whitespace_after, cst.ParenthesizedWhitespace)):
        return None
    before = node.names[-2].comma.whitespace_after if len(node.names) > 1 else node.lpar.whitespace_after
    return before.last_line.value if isinstance(before, cst.ParenthesizedWhitespace) else None


def _starts_as(text: str, line: cst.SimpleStatementLine, start: int) -> bool:
    """Whether the text at `start` can be where the line starts: an import's keyword for an import."""
    first = line.body[0]
    if type(first) is cst.Import:
        return text.startswith("import", start)
    return type(first) is not cst.ImportFrom or text.startswith("from", start)


def _rows_before(module: cst.Module, statement: cst.CSTNode) -> int:
    """The last row of a top-level statement, without computing every node's position."""
    body = module.body
    upto = body.index(statement) + 1
    return len(split_lines(module.code_for_node(module.with_changes(body=body[:upto], footer=()))))
