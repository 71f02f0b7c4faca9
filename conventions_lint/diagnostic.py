"""What a lint run produces: positioned, serialisable findings and their fixes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based row and column, as ruff reports them."""

    row: int
    column: int


@dataclass(frozen=True)
class Span:
    start: Location
    end: Location


class FixSafety(enum.Enum):
    """A fix's applicability, ruff's way: `--fix` applies safe fixes, `--unsafe-fixes` the rest too."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    # What a rule declares when its fix is safe in some shapes and unsafe in others; a fix is never this.
    SOMETIMES = "sometimes"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the text between two 1-based locations with `content` (an empty span inserts)."""

    location: Location
    end_location: Location
    content: str
    # Set when the edit lands in another file than the finding's (the other side of a relationship).
    filename: str | None = None

    def to_dict(self) -> dict:
        data: dict = {
            "content": self.content,
            "end_location": {"column": self.end_location.column, "row": self.end_location.row},
            "location": {"column": self.location.column, "row": self.location.row},
        }
        if self.filename is not None:
            data["filename"] = self.filename
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Edit:
        return cls(
            Location(data["location"]["row"], data["location"]["column"]),
            Location(data["end_location"]["row"], data["end_location"]["column"]),
            data["content"],
            data.get("filename"),
        )


@dataclass(frozen=True)
class Fix:
    """Field names as in ruff's JSON output, so tools that read ruff's fixes read ours."""

    message: str
    applicability: FixSafety
    edits: tuple[Edit, ...]

    def to_dict(self) -> dict:
        return {
            "applicability": self.applicability.value,
            "edits": [edit.to_dict() for edit in self.edits],
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Fix:
        return cls(data["message"], FixSafety(data["applicability"]), tuple(Edit.from_dict(e) for e in data["edits"]))


@dataclass(frozen=True)
class DeferredFix:
    """A fix only the project phase can finish, from the facts of other files.

    `request` is the rule's own JSON-able account of what it needs (the class to
    add an attribute to, the schema to import); `edits` are the edits in the
    finding's file that its pass could already write. The rule's `complete_fix`
    turns both into a `Fix`, or finds there is none.
    """

    request: dict
    edits: tuple[Edit, ...] = ()

    def to_dict(self) -> dict:
        return {"request": self.request, "edits": [edit.to_dict() for edit in self.edits]}

    @classmethod
    def from_dict(cls, data: dict) -> DeferredFix:
        return cls(data["request"], tuple(Edit.from_dict(e) for e in data["edits"]))


@dataclass(frozen=True)
class Diagnostic:
    path: str
    code: str
    message: str
    span: Span
    noqa_row: int
    fix: Fix | None = None
    # Internal to a run, never shown: what the project phase needs to give the finding its fix.
    # Left out of equality and hashing, as the request is a dict and says nothing the fix will not.
    deferred: DeferredFix | None = field(default=None, compare=False)

    @property
    def location(self) -> Location:
        return self.span.start

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.span.start, self.code, self.message)

    def to_dict(self) -> dict:
        data = {
            "path": self.path,
            "code": self.code,
            "message": self.message,
            "span": _span_to_list(self.span),
            "noqa_row": self.noqa_row,
            "fix": self.fix.to_dict() if self.fix else None,
        }
        if self.deferred is not None:
            data["deferred"] = self.deferred.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Diagnostic:
        return cls(
            path=data["path"],
            code=data["code"],
            message=data["message"],
            span=_span_from_list(data["span"]),
            noqa_row=data["noqa_row"],
            fix=Fix.from_dict(data["fix"]) if data["fix"] else None,
            deferred=DeferredFix.from_dict(data["deferred"]) if "deferred" in data else None,
        )


def point(row: int, column: int) -> Span:
    """A zero-width span, for findings that have a place but no extent."""
    return Span(Location(row, column), Location(row, column))


def _span_to_list(span: Span) -> list[int]:
    return [span.start.row, span.start.column, span.end.row, span.end.column]


def _span_from_list(values: list[int]) -> Span:
    return Span(Location(values[0], values[1]), Location(values[2], values[3]))
