"""The small, serialisable summary of a file that whole-project checks read.

Collected during the same single walk as the rules, so the project phase never
re-reads or re-parses a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import libcst as cst

from conventions_lint.diagnostic import Span
from conventions_lint.names import dotted_name
from conventions_lint.recognize.sqlalchemy import relationship_call
from conventions_lint.recognize.syntax import class_body_statements, keyword, positional, string_value, target_name
from conventions_lint.rule import Rule


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

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FileFacts:
        return cls(data["mapped_classes"], data["schema_classes"],
                   [RelationshipFact(**r) for r in data["relationships"]], data["imports"])


class FactCollector(Rule):
    """Not a lint rule: it rides the same walk to record what the project phase needs."""

    code = "facts"
    name = "project-facts"

    def __init__(self, context) -> None:
        super().__init__(context)
        self._mapped: list[str] = []
        self._schemas: list[str] = []
        self._relationships: list[tuple[str, str, cst.Call, cst.CSTNode]] = []

    @property
    def needs_positions(self) -> bool:
        return bool(self._relationships)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        index = self.context.index
        if index.is_pydantic(node):
            self._schemas.append(node.name.value)
        if not index.is_mapped(node):
            return
        self._mapped.append(node.name.value)
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
                [span.start.row, span.start.column, span.end.row, span.end.column],
                [rows.start.row, rows.end.row],
            ))
        return FileFacts(self._mapped, self._schemas, relationships, dict(self.context.imports.bindings))


def _class_name(expr: cst.BaseExpression) -> str | None:
    """`User` for `"User"`, `"app.models.User"`, `User` or `models.User`."""
    text = string_value(expr) or dotted_name(expr)
    return text.rsplit(".", 1)[-1] if text else None

