"""The small, serialisable summary of a file that whole-project checks read.

Collected during the same single walk as the rules, so the project phase never
re-reads or re-parses a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.diagnostic import Span
from conventions_lint.globs import matches
from conventions_lint.names import dotted_name
from conventions_lint.recognize.sqlalchemy import relationship_call
from conventions_lint.recognize.syntax import class_body_statements, keyword, positional, string_value, target_name
from conventions_lint.rule import Rule

if TYPE_CHECKING:
    from conventions_lint.config import Settings


# Facts come from mapped classes and relationships, and from the imports of the db-base file:
# a file showing none of these has no facts worth a parse.
FACT_MARKERS = (b"relationship", b"__table", b"Mapped[", b"mapped_column", b"Column(")


def may_have_facts(source: bytes, relative_path: str, settings: Settings) -> bool:
    return any(marker in source for marker in FACT_MARKERS) or any(
        matches(glob, relative_path) for glob in settings.db_base)


@dataclass
class RelationshipFact:
    owner: str
    attribute: str
    target: str | None
    back_populates: str | None
    # [start row, start column, end row, end column] and the statement's first and last rows.
    span: list[int]
    statement_rows: list[int]


@dataclass
class FileFacts:
    mapped_classes: list[str] = field(default_factory=list)
    schema_classes: list[str] = field(default_factory=list)
    relationships: list[RelationshipFact] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    # Where each mapped class's name stands: [row, column, end row, end column].
    class_spans: dict[str, list[int]] = field(default_factory=dict)
    # Where another file's fix may add an import: after this row (0: at the top), in this newline.
    import_end_row: int = 0
    newline: str = "\n"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FileFacts:
        return cls(data["mapped_classes"], data["schema_classes"],
                   [RelationshipFact(**r) for r in data["relationships"]], data["imports"],
                   data["star_imports"], data["class_spans"], data["import_end_row"], data["newline"])


class FactCollector(Rule):
    """Not a lint rule: it rides the same walk to record what the project phase needs."""

    code = "facts"
    name = "project-facts"

    def __init__(self, context) -> None:
        super().__init__(context)
        self._mapped: list[cst.ClassDef] = []
        self._schemas: list[str] = []
        self._relationships: list[tuple[str, str, cst.Call, cst.CSTNode]] = []

    @property
    def needs_positions(self) -> bool:
        return bool(self._relationships or self._mapped)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        index = self.context.index
        if index.is_pydantic(node):
            self._schemas.append(node.name.value)
        if not index.is_mapped(node):
            return
        self._mapped.append(node)
        for statement in class_body_statements(node):
            call = relationship_call(self.context, getattr(statement, "value", None))
            name = target_name(statement)
            if call is not None and name is not None:
                self._relationships.append((node.name.value, name, call, statement))

    def facts(self, span_of: Callable[[cst.CSTNode], Span] | None) -> FileFacts:
        relationships = []
        for owner, attribute, call, statement in self._relationships:
            target = keyword(call, "argument") or next(iter(positional(call)), None)
            back = keyword(call, "back_populates")
            # Findings about the pairing point at `back_populates=` where there is one.
            span, rows = span_of(back if back is not None else call), span_of(statement)
            relationships.append(RelationshipFact(
                owner, attribute,
                _class_name(target.value) if target is not None else None,
                string_value(back.value) if back is not None else None,
                _as_list(span),
                [rows.start.row, rows.end.row],
            ))
        imports = self.context.imports
        class_spans = {node.name.value: _as_list(span_of(node.name)) for node in self._mapped} if span_of else {}
        return FileFacts([node.name.value for node in self._mapped], self._schemas, relationships,
                         dict(imports.bindings), list(imports.star_modules), class_spans,
                         self._import_end_row(span_of), self.context.module.default_newline)

    def _import_end_row(self, span_of: Callable[[cst.CSTNode], Span] | None) -> int:
        last = None
        for statement in self.context.module.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                break
            if any(isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body):
                last = statement
        if last is None:
            return 0
        return span_of(last).end.row if span_of is not None else _rows_before(self.context.module, last)


def _class_name(expr: cst.BaseExpression) -> str | None:
    """`User` for `"User"`, `"app.models.User"`, `User` or `models.User`."""
    text = string_value(expr) or dotted_name(expr)
    return text.rsplit(".", 1)[-1] if text else None


def _as_list(span: Span) -> list[int]:
    return [span.start.row, span.start.column, span.end.row, span.end.column]


def _rows_before(module: cst.Module, statement: cst.CSTNode) -> int:
    """The last row of a top-level statement, without computing every node's position."""
    body = module.body
    upto = body.index(statement) + 1
    return module.code_for_node(module.with_changes(body=body[:upto], footer=())).count("\n")

