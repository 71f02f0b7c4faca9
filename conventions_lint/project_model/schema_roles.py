"""Which Pydantic models of a project its API exchanges, and which its ORM objects could fill: what
CL602 and CL403 ask of the whole project (noise.md N5, N6).

A model is one of the API's schemas when a route takes or answers it (the names its decorator
and signature spell), when a module that defines routes imports it, or when it is a base of
such a model; but not criteria (what a query route, `POST .../filter`, takes and no route
answers) nor the variants of a discriminated union (`Annotated[Union[A, B], Field(discriminator=
...)]`) unless a route names them itself. A model the project uses otherwise only (nested in
another class's fields, a base of other classes, imported by modules without routes: an event
payload, a client's copy of a response, a filter criterion) is flagged NOT_API_SCHEMA; so is
one used nowhere in a module whose classes only modules without routes import (a client's
copies). Another model used nowhere the summaries show is not: nothing says it is anything but
a schema. A project without routes says nothing either way. A type alias stands for the classes
it names: where it is used, they are.

A base of the project's schemas that no route names is flagged SCHEMA_BASE; a model used, but
exchanged by no route even nested in what one takes or answers, NOT_EXCHANGED; one that every
route answering it builds in place (`return XResponse(a=...)`), that no model nests and that
the project never validates from an object (`model_validate`, `from_orm`), BUILT_BY_ROUTES.

A model is flagged NOT_ORM_SHAPED when no mapped class of the project has most of its fields
(more than half) as attributes (columns, relationships): it cannot be built from one of the project's
ORM objects (a page wrapper, a token, statistics). A project without mapped classes, or with
one whose bases the project cannot follow to the framework (a mixin from another package may
add any column), says nothing; nor does a model with a base the project cannot resolve.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from conventions_lint.project_model.vocabulary import (
    BUILT_BY_ROUTES,
    CLASS,
    EXTERNAL,
    FRAMEWORK_PACKAGES,
    INSTANCE,
    NOT_API_SCHEMA,
    NOT_EXCHANGED,
    NOT_ORM_SHAPED,
    OPAQUE,
    SCHEMA_BASE,
    TYPE,
    Meaning,
)

if TYPE_CHECKING:
    from conventions_lint.project_model.resolver import ProjectModel, Target

# What a discriminated union's alias spells: `Field(discriminator="type")`, `Discriminator(...)`.
_DISCRIMINATED = frozenset({"discriminator", "Discriminator"})
# Attributes of a Pydantic model that are not fields.
_NOT_FIELDS = frozenset({"model_config", "Config"})


def schema_flags(model: ProjectModel) -> dict[Target, tuple[str, ...]]:
    """The flags of the project's Pydantic models that have any."""
    from conventions_lint.project_model.resolver import Target

    schemas: dict[Target, Meaning] = {}
    mapped: list[Meaning] = []
    followed = True
    for path, summary in model.summaries.items():
        for name in summary.classes:
            target = Target(CLASS, path, name)
            meaning = model.meaning(target)
            if meaning.is_a("pydantic", ("BaseModel", "RootModel")):
                schemas[target] = meaning
            elif meaning.table is not None:
                mapped.append(meaning)
                followed = followed and _attributes_known(model, target, set())
    flags: dict[Target, tuple[str, ...]] = {}
    uses = _RouteUses(model)
    if uses.exchanged:
        used = _used(model) | uses.criteria
        for target in schemas:
            # One used nowhere the summaries show is a schema, unless only modules without routes import its own.
            if target not in uses.api and (target in used or target.path in uses.elsewhere):
                flags[target] = (NOT_API_SCHEMA,)
            if target in uses.bases:
                flags[target] = (*flags.get(target, ()), SCHEMA_BASE)
            if target not in uses.exchanged and target in used:
                flags[target] = (*flags.get(target, ()), NOT_EXCHANGED)
            if target in uses.built and target.name not in uses.validated:
                flags[target] = (*flags.get(target, ()), BUILT_BY_ROUTES)
    if mapped and followed:
        having: dict[str, list[int]] = {}
        for number, meaning in enumerate(mapped):
            for attribute in set(meaning.attributes):
                having.setdefault(attribute, []).append(number)
        for target, meaning in schemas.items():
            if not meaning.has(OPAQUE) and not _orm_shaped(meaning, having):
                flags[target] = (*flags.get(target, ()), NOT_ORM_SHAPED)
    return flags


def _orm_shaped(schema: Meaning, having: dict[str, list[int]]) -> bool:
    fields = {name for name in schema.attributes if not name.startswith("_") and name not in _NOT_FIELDS}
    shared = Counter(number for name in fields for number in having.get(name, ()))
    return not fields or 2 * max(shared.values(), default=0) > len(fields)


def _attributes_known(model: ProjectModel, target: Target, seen: set[Target]) -> bool:
    """Whether every base of a class is the project's (followed in turn) or the framework's: an
    instance of `declarative_base()`, `DeclarativeBase`, `abc.ABC`; not a mixin of another package."""
    seen.add(target)
    for base in model.summaries[target.path].classes[target.name].bases:
        found = model.resolve_dotted(target.path, base) if base else None
        if found is None:
            return False
        if found in seen:
            continue
        if found.kind == CLASS:
            known = _attributes_known(model, found, seen)
        elif found.kind in (EXTERNAL, INSTANCE):
            types = model.meaning(found).types
            known = bool(types) and all(name.split(".", 1)[0] in FRAMEWORK_PACKAGES for name in types)
        else:
            known = False
        if not known:
            return False
    return True


class _RouteUses:
    """What the project's routes exchange.

    `api`: the classes routes take or answer, those modules with routes import, and their bases; but
    `criteria` (what a query route takes and no route answers: `POST /deployments/filter`'s body) and
    variants (members of a discriminated union's alias, named for the kind they are: the union is what
    a route exchanges) unless a route names them itself. `bases`: the bases of project schemas
    that no route names. `exchanged`: whatever a route takes or answers, even nested in fields, a
    variant or a base. `elsewhere`: the modules only modules without routes import classes of.
    `built`: what every route answering it builds in place and no model nests; `validated`: the last
    names of the classes the project validates from an object.
    """

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        named: set[Target] = set()
        spelled: set[Target] = set()
        answered: set[Target] = set()
        queried: set[Target] = set()
        imported: set[Target] = set()
        variants: set[Target] = set()
        derived: set[Target] = set()
        outside: set[str] = set()
        built: set[Target] = set()
        returned: set[Target] = set()
        nested: set[Target] = set()
        self.validated: set[str] = set()
        for path, summary in model.summaries.items():
            for name in summary.route_types:
                named.update(_classes(model, path, name, members=False))
                spelled.update(_classes(model, path, name))
            for name in summary.answer_types:
                answered.update(_classes(model, path, name, members=False))
            for name in summary.query_types:
                queried.update(_classes(model, path, name, members=False))
            for name in summary.imports:
                found = _classes(model, path, name)
                if summary.handlers:
                    imported.update(found)
                elif not path.endswith("__init__.py"):
                    outside.update(target.path for target in found)
            for members in summary.alias_members.values():
                # `Annotated[Union[A, B], Field(discriminator="type")]`: the argument's name is spelled.
                if _DISCRIMINATED.isdisjoint(members):
                    continue
                variants.update(target for member in members for target in _classes(model, path, member))
            for name in summary.route_built:
                built.update(_classes(model, path, name))
            for name in summary.route_returned:
                returned.update(_classes(model, path, name))
            self.validated.update(summary.validated)
            for found in summary.classes.values():
                for base in found.bases:
                    derived.update(_classes(model, path, base))
                for name in found.field_types:
                    nested.update(_classes(model, path, name))
        self.criteria = queried - answered
        self.api = self._closure((spelled | imported) - self.criteria - (variants - named), fields=False)
        # The modules whose classes only modules without routes import (a client's copies).
        self.elsewhere = outside - {target.path for target in spelled | queried | imported}
        self.bases = derived - named
        self.exchanged = self._closure(spelled | queried | imported, fields=True)
        self.built = built - returned - nested

    def _closure(self, found: set[Target], fields: bool) -> set[Target]:
        """`found` and their bases, and with `fields` what their fields nest."""
        pending, seen = list(found), set()
        while pending:
            target = pending.pop()
            if target in seen:
                continue
            seen.add(target)
            spelled = self.model.summaries[target.path].classes[target.name]
            for name in [*spelled.bases, *(spelled.field_types if fields else ())]:
                pending += _classes(self.model, target.path, name)
        return seen


def _used(model: ProjectModel) -> set[Target]:
    """The classes some summary shows in use: imported (a package's re-export is no use), a base, in a
    field's annotation, aliased, called or returned at module level."""
    used: set[Target] = set()
    for path, summary in model.summaries.items():
        names: list[str] = [] if path.endswith("__init__.py") else list(summary.imports)
        for found in summary.classes.values():
            names += [*found.bases, *found.field_types]
        names += [*summary.type_aliases.values(), *summary.aliases.values()]
        names += [member for members in summary.alias_members.values() for member in members]
        names += [name for call in summary.calls.values() for name in (call.callee, call.annotation) if name]
        names += [returned for returned, _ in summary.functions.values()]
        for name in names:
            used.update(_classes(model, path, name))
    return used


def _classes(model: ProjectModel, path: str, dotted: str, depth: int = 0, members: bool = True) -> list[Target]:
    """The project classes `dotted` names in `path`: a class, or those a type alias stands for
    (`Item = Annotated[ItemBase, ...]`, and with `members` `Settings = Union[TextSettings, ImageSettings]`)."""
    found = model.resolve_dotted(path, dotted) if dotted else None
    if found is not None and found.kind == CLASS:
        return [found]
    if found is not None and found.kind == TYPE:
        # `Annotated[...]` of one class is resolved as that class; of a union, its members are.
        home, name = found.path, found.name
        aliased = model.resolve_dotted(home, model.summaries[home].type_aliases[name])
        classes = [aliased] if aliased is not None and aliased.kind == CLASS else []
    elif found is None:
        (home, name), classes = _alias_home(model, path, dotted), []
    else:
        return []
    if not members or home is None or depth >= 3:
        return classes
    spelled = model.summaries[home].alias_members.get(name, ())
    return classes + [target for member in spelled for target in _classes(model, home, member, depth + 1)]


def _alias_home(model: ProjectModel, path: str, dotted: str) -> tuple[str | None, str]:
    """The module that defines the union alias `dotted` names in `path` (itself, or the one a
    `from module import name` names), and its name there."""
    summary = model.summaries[path]
    if dotted in summary.alias_members or dotted not in summary.imports:
        return path, dotted
    module, _, name = summary.imports[dotted].rpartition(".")
    return (model.imported_module(path, module) if module.strip(".") else None), name
