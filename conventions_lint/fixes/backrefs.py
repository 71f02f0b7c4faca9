"""The reverse side of a `backref`, as CL101's fix writes it on the target class.

In the target's file when it is the finding's own (back_populates.py), or in another
file from that file's facts, in the project phase (`complete_backref_fix`). Both
write the same attribute, decided the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from conventions_lint.diagnostic import Applicability, DeferredRequest, Fix
from conventions_lint.fixes.deferred import import_names, lines_after
from conventions_lint.fixes.import_order import first_party_packages
from conventions_lint.fixes.imports import bound_spelling
from conventions_lint.fixes.type_checking import annotation_import_edits
from conventions_lint.inflect import is_plural
from conventions_lint.module_paths import import_root, module_name

if TYPE_CHECKING:
    from conventions_lint.diagnostic import Diagnostic
    from conventions_lint.rule import Project

_ORM = "sqlalchemy.orm"


@dataclass(frozen=True)
class TableSide:
    """A class of the relationship as far as its keys tell which side is the many."""

    table: str | None
    foreign_keys: tuple[str | None, ...]


@dataclass(frozen=True)
class ReverseSide:
    """The attribute a fix adds to the target class: `posts: Mapped[list["Post"]] = relationship("Post", ...)`."""

    name: str
    source: str
    # The arguments of its `relationship(...)`: the source class, `back_populates=` and the carried options.
    arguments: tuple[str, ...]
    # Whether it holds a list, when the relationship itself says so (`uselist`, `secondary`, `remote_side`);
    # None leaves it to the keys of both classes.
    declared_list: bool | None
    source_side: TableSide
    # This side is annotated `Mapped[list[...]]`: the reverse holds a single object, unless the keys say otherwise.
    annotated_list: bool

    def proven_list(self, target: TableSide) -> bool | None:
        """Whether the reverse side holds a list of sources, as SQLAlchemy decides it for the backref;
        None when nothing here proves it.

        The relationship says it (`uselist`, `secondary`, `remote_side`), or a
        foreign key between the two tables, both of them known: one of the
        source to the target's table makes the source the many side, one of the
        target to the source's table the one side.
        """
        if self.declared_list is not None:
            return self.declared_list
        source = self.source_side
        if target.table is not None and target.table in source.foreign_keys:
            return True
        if source.table is not None and source.table in target.foreign_keys:
            return False
        return None

    def holds_list(self, target: TableSide) -> bool:
        """`proven_list`, else an assumption: a list annotation on this side makes the reverse a single
        object; else the class with keys (to a mixin's table, a name not known here) is the many side;
        when both or neither have keys, a plural name (`posts`) is a list."""
        proven = self.proven_list(target)
        if proven is not None:
            return proven
        source = self.source_side
        if self.annotated_list:
            return False
        if bool(source.foreign_keys) != bool(target.foreign_keys):
            return bool(source.foreign_keys)
        return is_plural(self.name)

    def line(self, target: TableSide, mapped: str, relationship: str) -> str:
        """The attribute's line, with `Mapped` and `relationship` spelled as the target's file has them."""
        annotation = f'{mapped}[list["{self.source}"]]' if self.holds_list(target) else f'{mapped}["{self.source}"]'
        return f"{self.name}: {annotation} = {relationship}({', '.join(self.arguments)})"

    def message(self, target: str, target_side: TableSide, home: str | None = None) -> str:
        """The fix's message (`home`: the target's file, when another), saying when the reverse side's kind
        is assumed (the fix is then unsafe)."""
        message = fix_message(target, self.name) + (f" in `{home}`" if home is not None else "")
        if self.proven_list(target_side) is not None:
            return message
        kind = "a list" if self.holds_list(target_side) else "a single object"
        return f"{message}, assumed to hold {kind}: no foreign key between their tables is known"

    def request(self, target: str) -> AddReverseSide:
        """What the project phase needs to add this attribute to `target` in another file."""
        side = self.source_side
        return AddReverseSide(
            target=target,
            name=self.name,
            source=self.source,
            arguments=self.arguments,
            declared_list=self.declared_list,
            source_table=side.table,
            source_keys=side.foreign_keys,
            annotated_list=self.annotated_list,
        )

    @classmethod
    def from_request(cls, request: AddReverseSide) -> ReverseSide:
        return cls(
            name=request.name,
            source=request.source,
            arguments=request.arguments,
            declared_list=request.declared_list,
            source_side=TableSide(request.source_table, request.source_keys),
            annotated_list=request.annotated_list,
        )


@dataclass(frozen=True)
class AddReverseSide(DeferredRequest):
    """CL101's request: add the `ReverseSide` of these fields to the class `target`, defined in another file."""

    target: str
    name: str
    source: str
    arguments: tuple[str, ...]
    declared_list: bool | None
    source_table: str | None
    source_keys: tuple[str | None, ...]
    annotated_list: bool


def fix_message(target: str, name: str) -> str:
    return f"Replace `backref` with `back_populates` and add `{target}.{name}`"


def complete_backref_fix(diagnostic: Diagnostic, files: Project) -> Fix | None:
    """This file's `back_populates=` edit, and the reverse side added to the target class in its file.

    Unsafe: the other file changes, and the class found there by name is taken
    for the one SQLAlchemy's registry resolves the name to.
    """
    request = diagnostic.deferred.request
    target = request.target
    home = files.only_mapped_class(target)
    body = home.facts.class_bodies.get(target) if home is not None else None
    reverse = ReverseSide.from_request(request)
    if body is None or reverse.name in body.attributes:
        return None
    spellings = {name: _orm_spelling(home.facts.imports, name) for name in ("Mapped", "relationship")}
    if any(spelled is None for spelled, _ in spellings.values()):
        return None
    side = TableSide(body.table, tuple(body.foreign_keys))
    line = reverse.line(side, spellings["Mapped"][0], spellings["relationship"][0])
    edits = [lines_after(home.facts, body.end_row, body.indent + line + home.facts.newline, home.path)]
    missing = [name for name, (_, imported) in spellings.items() if not imported]
    first_party = first_party_packages(home.relative_path)
    if missing:
        edits.append(import_names(home.facts, _ORM, missing, home.path, first_party))
    if reverse.source not in home.facts.imports:
        # `Mapped["Post"]` names a class the file does not import (F821).
        here = files.at(diagnostic.path)
        imported = (*home.facts.imports.values(), *home.facts.star_imports)
        module = module_name(here.relative_path, import_root(home.relative_path, imported)) if here else None
        if module is None:
            return None
        edits += annotation_import_edits(home.facts, home.path, module, reverse.source, body.indent, first_party)
    return Fix(reverse.message(target, side, home.path), Applicability.UNSAFE, (*diagnostic.deferred.edits, *edits))


def _orm_spelling(bindings: dict[str, str], name: str) -> tuple[str | None, bool]:
    """How a file with these imports spells `sqlalchemy.orm.<name>`, and whether it imports it already;
    None when the name is bound to something else."""
    spelled = bound_spelling(bindings, _ORM, name)
    if spelled is not None:
        return spelled, True
    return (None, False) if name in bindings else (name, False)
