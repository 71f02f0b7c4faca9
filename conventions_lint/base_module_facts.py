"""What CL801's fix needs to know about the project's `db/base.py`: where its model imports stand.

A `db/base.py` often defines `Base` and imports the models at the bottom, after it
(`from app.models.user import User  # noqa: F401,E402`): a model module imports
`Base` from it, so an import above `class Base` is a circular import. The fix adds
its line beside those imports, in their sorted place, with their comment, and adds
the name to `__all__` when the neighbours are listed there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class ImportLineFact:
    """A top-level line holding one import."""

    row: int
    end_row: int
    module: str
    is_from: bool
    # The names it binds.
    names: list[str]
    # The comment ending its last line (a `noqa` for F401 and E402), or None.
    comment: str | None
    # Lines with no other statement between them share a block, as ruff's isort sees them.
    block: int
    # `from module import a, b` on one line, without `as` or parentheses: a fix may write it anew.
    plain: bool = False


@dataclass
class TypeCheckingFact:
    """A top-level `if TYPE_CHECKING:` block: where an import only annotations need joins the others."""

    # The last row of the block, and the indentation of its lines.
    end_row: int
    indent: str
    imports: list[ImportLineFact] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict) -> TypeCheckingFact:
        return cls(data["end_row"], data["indent"], [ImportLineFact(**line) for line in data["imports"]])


@dataclass
class ListEndFact:
    """Where one more item joins a list: after its last item at (row, column), `, item`; or, when its
    items stand one a line ending in a comma, a line `<indent>item,` after `row`."""

    row: int
    column: int
    indent: str | None
    items: list[str] = field(default_factory=list)


@dataclass
class BaseModuleFact:
    imports: list[ImportLineFact] = field(default_factory=list)
    # Names the module binds other than by import: a class it defines, a variable.
    defined: list[str] = field(default_factory=list)
    # Whether it defines a class or a function: an import placed above them may run before they exist.
    defines_code: bool = False
    # `__all__`, when it is a literal list or tuple of strings.
    exports: ListEndFact | None = None
    last_row: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> BaseModuleFact:
        exports = data["exports"]
        return cls(
            [ImportLineFact(**line) for line in data["imports"]],
            data["defined"],
            data["defines_code"],
            ListEndFact(**exports) if exports is not None else None,
            data["last_row"],
        )
