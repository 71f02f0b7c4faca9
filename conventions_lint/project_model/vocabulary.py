"""What a file's own names stand for, resolved with the whole project in view.

The project model hands each file its `Vocabulary` before the file's rules run: every
top-level name of the file (imported or defined) that resolves to something of the
project, or to a framework name under another name (a re-export, an alias). Names it
does not list are judged as before, by the imports the file itself spells. The
vocabulary is all a file's findings depend on beyond its own bytes and settings, so its
digest is part of the file's cache key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

CLASS, INSTANCE, FUNCTION, TYPE, MODULE, EXTERNAL = "class", "instance", "function", "type", "module", "external"

# Flags a meaning may carry.
NOT_API = "not-api"  # a router or app kept out of the OpenAPI schema, or answering other than JSON
ABSTRACT = "abstract"  # `__abstract__ = True`
ASYNC = "async"  # a `sessionmaker(class_=AsyncSession)`
OPAQUE = "opaque"  # a project class with a base the project cannot resolve: what it inherits is unknown
UNBOUNDED_STRING = "unbounded-string"  # a `TypeDecorator` whose `impl` is a string type without a length
STR_HAS_LENGTH = "str-has-length"  # a base whose `type_annotation_map` gives `str` a length
STR_WITHOUT_LENGTH = "str-without-length"  # ... maps `str` to a type without one
# Of a Pydantic model the project shows (schema_roles.py): used, but never by a route (nested in other
# models, a base of such, imported where no route is); and with fields no mapped class has most of.
NOT_API_SCHEMA = "not-api-schema"
NOT_ORM_SHAPED = "not-orm-shaped"
# ... a base of the project's schemas that no route names itself; one that no route exchanges, even
# nested in what a route takes or answers (another service's payload).
SCHEMA_BASE = "schema-base"
NOT_EXCHANGED = "not-exchanged"
# ... what every route answering it builds in place (`return XResponse(a=...)`), and nothing validates
# from an object nor nests.
BUILT_BY_ROUTES = "built-by-routes"

# Packages whose classes are known for what they are: a class deriving from one of theirs is not opaque.
FRAMEWORK_PACKAGES = frozenset(
    {
        "fastapi",
        "starlette",
        "pydantic",
        "pydantic_settings",
        "sqlalchemy",
        "sqlmodel",
        "alembic",
        "typing",
        "typing_extensions",
        "uuid",
        "builtins",
        "enum",
        "datetime",
        "decimal",
        "abc",
        "dataclasses",
    }
)


@dataclass(frozen=True)
class Meaning:
    """What one name stands for.

    `types` are the framework (non-project) classes it is or derives from, by qualified name
    (`fastapi.APIRouter`, `pydantic.BaseModel`): for a class its ancestors; for an instance
    those of its class (or the external function that made it, `sqlalchemy.orm.sessionmaker`);
    for a function what it returns (`yields`: what it yields, as a dependency hands it over);
    for a type alias the type it annotates as (`builtins.int`, `uuid.UUID`).
    """

    kind: str
    # The name's canonical qualified name: `sqlalchemy.orm.Session` for a re-export; `app.db.Base` for a project class.
    qualified: str | None = None
    types: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    # For a class: the attributes its body and its project bases bind (columns, relationships, `@declared_attr`s).
    attributes: tuple[str, ...] = ()
    yields: bool = False
    # For a mapped class: its table's name, written or computed from the class's name (project_model/tables.py).
    table: str | None = None

    def is_a(self, package: str, names: Iterable[str]) -> bool:
        """Whether one of `types` is one of `names` from `package` or a submodule of it."""
        wanted = frozenset(names)
        return any(t.split(".", 1)[0] == package and t.rsplit(".", 1)[-1] in wanted for t in self.types)

    def has(self, flag: str) -> bool:
        return flag in self.flags

    def to_list(self) -> list:
        listed = [self.kind, self.qualified, list(self.types), list(self.flags), list(self.attributes), self.yields]
        return [*listed, self.table] if self.table is not None else listed

    @classmethod
    def from_list(cls, data: list) -> Meaning:
        kind, qualified, types, flags, attributes, yields, *table = data
        return cls(kind, qualified, tuple(types), tuple(flags), tuple(attributes), yields, *table)


@dataclass(frozen=True)
class Vocabulary:
    """The meanings of a file's names; `known` says whether a project model made it at all."""

    names: Mapping[str, Meaning] = field(default_factory=dict)
    known: bool = False
    # Every name an absolute import of one of the project's modules can start with (its directories and
    # modules): what a file imports from elsewhere is no function of the project a rename may follow.
    packages: frozenset[str] = frozenset()
    # The names of the functions a rename may rename that the file's imports may lead to (renamable.py;
    # `*`: any function's): a file whose imports lead to none records no name uses, and one whose imports
    # lead to some places only their uses. None (without a project model): any function's.
    renamable: frozenset[str] | None = None
    # The names of the file's module that other files of the project import (importers.py; `*`: any of
    # them, the module being imported whole). None (without a project model): unknown, taken as none.
    imported_elsewhere: frozenset[str] | None = None
    # The functions of the file a rename may rename (renamable.py: its route handlers, its re-exports, `*`:
    # any of a services module's), when the model was built: the other files recorded their uses of
    # those. None (without a project model): any.
    exposed: frozenset[str] | None = None

    @property
    def follows_names(self) -> bool:
        return self.renamable is None or bool(self.renamable)

    def may_rename(self, name: str) -> bool:
        """Whether a function of this name may be renamed where the file's imports lead."""
        return self.renamable is None or "*" in self.renamable or name in self.renamable

    def may_define(self, module: str) -> bool:
        """Whether the absolute `module` may be one of the project's (always, without a project model)."""
        return not self.known or module.split(".", 1)[0] in self.packages

    def exposes(self, name: str) -> bool:
        """Whether the other files of the project recorded their uses of the file's function `name`."""
        return self.exposed is None or "*" in self.exposed or name in self.exposed

    def reached_elsewhere(self, name: str | None) -> bool:
        """Whether a file of the project other than this one may reach the module's `name`, or, for None,
        any name of the module (through which an instance of one of its classes may reach it)."""
        found = self.imported_elsewhere or frozenset()
        return "*" in found or (bool(found) if name is None else name in found)

    def get(self, name: str | None) -> Meaning | None:
        return self.names.get(name) if name is not None else None

    def external_name(self, name: str) -> str | None:
        """The framework name `name` stands for when it is a re-export or alias of one (`SyncSession`)."""
        meaning = self.names.get(name)
        return meaning.qualified if meaning is not None and meaning.kind == EXTERNAL else None

    @cached_property
    def digest(self) -> str:
        """What the file's cached result is keyed on besides its own bytes: changes when a meaning does.
        Kept: the language server compares a file's under a project's old model and its new one."""
        if not (self.names or self.packages or self.imported_elsewhere or self.exposed) and self.renamable is None:
            return ""
        text = json.dumps(sorted((name, meaning.to_list()) for name, meaning in self.names.items()))
        if self.packages:
            text += json.dumps(sorted(self.packages))
        if self.renamable is not None:
            text += json.dumps(sorted(self.renamable))
        if self.imported_elsewhere:
            text += "imported:" + json.dumps(sorted(self.imported_elsewhere))
        if self.exposed:
            text += "exposed:" + json.dumps(sorted(self.exposed))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def to_text(self) -> str:
        """The vocabulary of a project model as the cache keeps it, without the project's `packages`
        (the same in every file's: kept once)."""
        sets = (self.renamable, self.imported_elsewhere, self.exposed)
        names = {name: meaning.to_list() for name, meaning in self.names.items()}
        return json.dumps([names, *(sorted(found) if found is not None else None for found in sets)])

    @classmethod
    def from_text(cls, text: str, packages: frozenset[str]) -> Vocabulary:
        names, *sets = json.loads(text)
        renamable, imported_elsewhere, exposed = (frozenset(found) if found is not None else None for found in sets)
        meanings = {name: Meaning.from_list(value) for name, value in names.items()}
        return cls(meanings, True, packages, renamable, imported_elsewhere, exposed)


NO_VOCABULARY = Vocabulary()
