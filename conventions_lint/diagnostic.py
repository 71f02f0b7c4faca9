"""What a lint run produces: positioned, serialisable findings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based row and column, as ruff reports them."""

    row: int
    column: int


@dataclass(frozen=True)
class Span:
    start: Location
    end: Location


@dataclass(frozen=True)
class Diagnostic:
    path: str
    code: str
    message: str
    span: Span
    noqa_row: int
    # Where the rule's fix would edit; the fix machinery builds on it.
    fix_span: Span | None = None

    @property
    def location(self) -> Location:
        return self.span.start

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.span.start, self.code, self.message)

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "code": self.code,
            "message": self.message,
            "span": _span_to_list(self.span),
            "noqa_row": self.noqa_row,
            "fix_span": _span_to_list(self.fix_span) if self.fix_span else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Diagnostic:
        return cls(
            path=data["path"],
            code=data["code"],
            message=data["message"],
            span=_span_from_list(data["span"]),
            noqa_row=data["noqa_row"],
            fix_span=_span_from_list(data["fix_span"]) if data["fix_span"] else None,
        )


def point(row: int, column: int) -> Span:
    """A zero-width span, for findings that have a place but no extent."""
    return Span(Location(row, column), Location(row, column))


def _span_to_list(span: Span) -> list[int]:
    return [span.start.row, span.start.column, span.end.row, span.end.column]


def _span_from_list(values: list[int]) -> Span:
    return Span(Location(values[0], values[1]), Location(values[2], values[3]))
