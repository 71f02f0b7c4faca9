"""What a lint run produces: positioned, serialisable findings and their fixes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based row and column, as ruff reports them."""

    row: int
    column: int


@dataclass(frozen=True)
class Span:
    start: Location
    end: Location

    def to_list(self) -> list[int]:
        """[start row, start column, end row, end column]: how findings and facts store a span."""
        return [self.start.row, self.start.column, self.end.row, self.end.column]

    @classmethod
    def from_list(cls, values: list[int]) -> Span:
        return cls(Location(values[0], values[1]), Location(values[2], values[3]))


class Applicability(enum.Enum):
    """A fix's applicability, ruff's way: `--fix` applies safe fixes, `--unsafe-fixes` the rest too."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class FixAvailability(enum.Enum):
    """Whether a rule's findings carry a fix, as ruff's `FixAvailability`: every one (ALWAYS), those of
    the shapes the rule can repair (SOMETIMES), or none. Whether a fix is safe is its `Applicability`."""

    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


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
    applicability: Applicability
    edits: tuple[Edit, ...]

    def to_dict(self) -> dict:
        return {
            "applicability": self.applicability.value,
            "edits": [edit.to_dict() for edit in self.edits],
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Fix:
        return cls(
            data["message"], Applicability(data["applicability"]), tuple(Edit.from_dict(e) for e in data["edits"])
        )


class DeferredRequest:
    """A rule's account of what its `complete_fix` needs from the project phase (the class to add an
    attribute to, the schema to import): one small frozen dataclass per rule that defers a fix, of
    plain fields (strings, numbers, booleans, None, and tuples of them), kept in the cache by name."""

    _KINDS: ClassVar[dict[str, type[DeferredRequest]]] = {}

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        DeferredRequest._KINDS[f"{cls.__module__}.{cls.__qualname__}"] = cls

    def to_dict(self) -> dict:
        fields = {name: list(value) if isinstance(value, tuple) else value for name, value in vars(self).items()}
        return {"kind": f"{type(self).__module__}.{type(self).__qualname__}", **fields}

    @staticmethod
    def from_dict(data: dict) -> DeferredRequest:
        fields = {name: tuple(value) if isinstance(value, list) else value for name, value in data.items()}
        return DeferredRequest._KINDS[fields.pop("kind")](**fields)


@dataclass(frozen=True)
class DeferredFix:
    """A fix only the project phase can finish, from the facts of other files.

    `request` is the rule's own account of what it needs; `edits` are the edits in the
    finding's file that its pass could already write. The rule's `complete_fix` turns
    both into a `Fix`, or finds there is none.
    """

    request: DeferredRequest
    edits: tuple[Edit, ...] = ()

    def to_dict(self) -> dict:
        return {"request": self.request.to_dict(), "edits": [edit.to_dict() for edit in self.edits]}

    @classmethod
    def from_dict(cls, data: dict) -> DeferredFix:
        return cls(DeferredRequest.from_dict(data["request"]), tuple(Edit.from_dict(e) for e in data["edits"]))


@dataclass(frozen=True)
class Diagnostic:
    path: str
    code: str
    message: str
    span: Span
    noqa_row: int
    fix: Fix | None = None
    # Internal to a run, never shown: what the project phase needs to give the finding its fix.
    # Left out of equality and hashing: it says nothing the fix will not.
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
            "span": self.span.to_list(),
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
            span=Span.from_list(data["span"]),
            noqa_row=data["noqa_row"],
            fix=Fix.from_dict(data["fix"]) if data["fix"] else None,
            deferred=DeferredFix.from_dict(data["deferred"]) if "deferred" in data else None,
        )


def point(row: int, column: int) -> Span:
    """A zero-width span, for findings that have a place but no extent."""
    return Span(Location(row, column), Location(row, column))
