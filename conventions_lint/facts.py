"""The facts of a file: the small, typed, serialisable summary that whole-project checks read.

A rule that needs other files (a `ProjectRule`, or a fix `complete_fix` finishes) reads
these, never another file's source. They are collected during the same single walk as
the rules (fact_collector.py), cached with each file's result, and indexed for the
files a run does not lint. A new fact is a field of `FileFacts` (or a small dataclass
here, built by keyword), collected in fact_collector.py: `to_dict` and `from_dict` are
the cache's, and name every field.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from conventions_lint.base_module_facts import BaseModuleFact, ImportLineFact, TypeCheckingFact
from conventions_lint.diagnostic import Span


@dataclass
class RelationshipFact:
    owner: str
    attribute: str
    target: str | None
    back_populates: str | None
    # `back_populates=` where there is one (findings about the pairing point at it), else the call.
    span: Span
    # The statement's first and last rows, where a noqa comment may sit.
    statement_rows: tuple[int, ...]

    def to_dict(self) -> dict:
        return {**vars(self), "span": self.span.to_list(), "statement_rows": list(self.statement_rows)}

    @classmethod
    def from_dict(cls, data: dict) -> RelationshipFact:
        return cls(
            owner=data["owner"],
            attribute=data["attribute"],
            target=data["target"],
            back_populates=data["back_populates"],
            span=Span.from_list(data["span"]),
            statement_rows=tuple(data["statement_rows"]),
        )


@dataclass
class ClassBodyFact:
    """What a fix adding an attribute to a mapped class needs: the other side of a `backref`."""

    # The last row of the body's last simple statement, which a new attribute follows, and its indentation.
    end_row: int
    indent: str
    attributes: list[str]
    # The class's `__tablename__` and the tables its foreign keys point at: which side of a one-to-many it is.
    table: str | None
    foreign_keys: list[str | None]

    def to_dict(self) -> dict:
        return dict(vars(self))

    @classmethod
    def from_dict(cls, data: dict) -> ClassBodyFact:
        return cls(
            end_row=data["end_row"],
            indent=data["indent"],
            attributes=data["attributes"],
            table=data["table"],
            foreign_keys=data["foreign_keys"],
        )


@dataclass
class ImportJoinFact:
    """Where more names can join a file's `from module import ...`."""

    # After its last name, at this 1-based row and column, `, name`...
    row: int
    column: int
    # ...or, when its names stand one a line in parentheses, a line `<indent>name,` after `row`.
    indent: str | None

    def to_dict(self) -> dict:
        return dict(vars(self))

    @classmethod
    def from_dict(cls, data: dict) -> ImportJoinFact:
        return cls(row=data["row"], column=data["column"], indent=data["indent"])


@dataclass
class NameUseFact:
    """Where a file names one thing another module defines (`app.services.user.get_user`): what a
    rename of it must change there."""

    # The names to rename: in the import, each reference, `m.get_user`'s attribute.
    spans: list[Span] = field(default_factory=list)
    # The inside of the strings of `__all__` that name it (a re-export).
    strings: list[Span] = field(default_factory=list)
    # The file binds it at module level under its own name: the file's module re-exports it.
    reexported: bool = False
    # The name is bound more than once where it is imported: which binding a reference reads is unknown.
    followed: bool = True

    def to_dict(self) -> dict:
        return {
            **vars(self),
            "spans": [s.to_list() for s in self.spans],
            "strings": [s.to_list() for s in self.strings],
        }

    @classmethod
    def from_dict(cls, data: dict) -> NameUseFact:
        return cls(
            spans=[Span.from_list(span) for span in data["spans"]],
            strings=[Span.from_list(span) for span in data["strings"]],
            reexported=data["reexported"],
            followed=data["followed"],
        )


@dataclass
class FileFacts:
    mapped_classes: list[str] = field(default_factory=list)
    schema_classes: list[str] = field(default_factory=list)
    relationships: list[RelationshipFact] = field(default_factory=list)
    # Name bound -> what it imports (`{"User": "app.models.user.User"}`), and the modules imported with `*`:
    # kept only for the files the project phase edits or reads the imports of.
    imports: dict[str, str] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    # Where each mapped class's name stands.
    class_spans: dict[str, Span] = field(default_factory=dict)
    # Where another file's fix may add an import: after this row (0: at the top), in this newline.
    import_end_row: int = 0
    newline: str = "\n"
    # Each mapped class with a body a fix can add an attribute to.
    class_bodies: dict[str, ClassBodyFact] = field(default_factory=dict)
    # The first top-level `from module import ...` of each module that more names can join.
    import_joins: dict[str, ImportJoinFact] = field(default_factory=dict)
    # The last row when it ends without a newline (0 when it has one): lines added after it start with one.
    unterminated_row: int = 0
    # The file's encoding: what another file's fix writes it in, and every reader decodes it with.
    encoding: str = "utf-8"
    # The db-base file's imports, names and `__all__`: where CL801's fix adds a model's import.
    base_module: BaseModuleFact | None = None
    # What a rename of another module's function changes here (CL601, CL603), by the qualified name the
    # file imports it as (relative imports made absolute); the modules it imports with `*`, and the
    # identifiers it spells in strings (`getattr(m, "f")`) or as names a rename may give: a rename of
    # what the file cannot be followed into is not offered.
    name_uses: dict[str, NameUseFact] = field(default_factory=dict)
    star_modules: list[str] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)
    rename_targets: list[str] = field(default_factory=list)
    # The walk failed before it had followed every name (CL002): what the file uses is unknown.
    names_unknown: bool = False
    # A model file's leading imports and its `if TYPE_CHECKING:` block: where another file's fix adds
    # an import in its sorted place (the class a relationship added there annotates with).
    import_lines: list[ImportLineFact] = field(default_factory=list)
    type_checking: TypeCheckingFact | None = None
    # The blank lines between the imports and what follows: where a new `if TYPE_CHECKING:` block goes.
    blank_lines_after_imports: int = 0

    def to_dict(self) -> dict:
        return {
            **vars(self),
            "relationships": [fact.to_dict() for fact in self.relationships],
            "class_spans": {name: span.to_list() for name, span in self.class_spans.items()},
            "class_bodies": {name: body.to_dict() for name, body in self.class_bodies.items()},
            "import_joins": {module: join.to_dict() for module, join in self.import_joins.items()},
            "base_module": self.base_module.to_dict() if self.base_module is not None else None,
            "name_uses": {name: use.to_dict() for name, use in self.name_uses.items()},
            "import_lines": [asdict(line) for line in self.import_lines],
            "type_checking": asdict(self.type_checking) if self.type_checking is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> FileFacts:
        return cls(
            mapped_classes=data["mapped_classes"],
            schema_classes=data["schema_classes"],
            relationships=[RelationshipFact.from_dict(fact) for fact in data["relationships"]],
            imports=data["imports"],
            star_imports=data["star_imports"],
            class_spans={name: Span.from_list(span) for name, span in data["class_spans"].items()},
            import_end_row=data["import_end_row"],
            newline=data["newline"],
            class_bodies={name: ClassBodyFact.from_dict(body) for name, body in data["class_bodies"].items()},
            import_joins={module: ImportJoinFact.from_dict(join) for module, join in data["import_joins"].items()},
            unterminated_row=data["unterminated_row"],
            encoding=data["encoding"],
            base_module=BaseModuleFact.from_dict(data["base_module"]) if data.get("base_module") else None,
            name_uses={name: NameUseFact.from_dict(use) for name, use in data.get("name_uses", {}).items()},
            star_modules=data.get("star_modules", []),
            strings=data.get("strings", []),
            rename_targets=data.get("rename_targets", []),
            names_unknown=data.get("names_unknown", False),
            import_lines=[ImportLineFact(**line) for line in data["import_lines"]],
            type_checking=TypeCheckingFact.from_dict(data["type_checking"]) if data["type_checking"] else None,
            blank_lines_after_imports=data["blank_lines_after_imports"],
        )
