"""Names resolved across a project: what a name is, its bases transitively, what an alias stands for.

Modules are known by their paths: `shop/schemas/base.py` answers to `shop.schemas.base`,
and to `schemas.base` and `base` as well when no other module does (an app whose imports
start below the repository root, a `src/` layout). A relative import is resolved from
the importing file's own package. A name the project cannot resolve (a dynamic import, a
module outside the project, a star import that does not define it) stays unknown, and
unknown is never taken for anything.
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from conventions_lint.project_model.module_summary import ModuleSummary
from conventions_lint.project_model.tables import RULE_FLAGS, class_rule, computed_table
from conventions_lint.project_model.uses import Uses
from conventions_lint.project_model.vocabulary import (
    ABSTRACT,
    ASYNC,
    CLASS,
    EXTERNAL,
    FRAMEWORK_PACKAGES,
    FUNCTION,
    INSTANCE,
    MODULE,
    NOT_API,
    OPAQUE,
    STR_HAS_LENGTH,
    STR_WITHOUT_LENGTH,
    TYPE,
    UNBOUNDED_STRING,
    Meaning,
    Vocabulary,
)

# Packages a project never defines itself: an import of them is never looked up among its modules.
_JSON_RESPONSES = frozenset({"JSONResponse", "ORJSONResponse", "UJSONResponse"})
_STRING_TYPES = frozenset({"String", "Unicode", "VARCHAR", "NVARCHAR"})
_MAX_DEPTH = 30


@dataclass(frozen=True)
class Target:
    """What a name resolves to: a module, a definition of a module (`kind`, path, name), or an external name."""

    kind: str
    path: str = ""
    name: str = ""
    # For EXTERNAL: the qualified name (`sqlalchemy.orm.Session`, `builtins.int`).
    qualified: str = ""


class ProjectModel:
    """The modules of one project, by relative path, and the answers about their names (memoised)."""

    def __init__(self, summaries: Mapping[str, ModuleSummary], implied: Mapping[str, str] | None = None) -> None:
        self.summaries = summaries
        # Qualified names a setting declares (`router-classes`, ...) -> the framework class each stands for.
        self.implied = dict(implied or {})
        self._resolved: dict[tuple[str, str], Target | None] = {}
        self._meanings: dict[Target, Meaning] = {}
        self.uses = Uses()

    @cached_property
    def dotted_paths(self) -> dict[str, str]:
        """Relative path -> its module's full dotted name from the project root."""
        dotted = {}
        for path in self.summaries:
            parts = path.removesuffix(".py").split("/")
            if parts[-1] == "__init__":
                parts.pop()
            dotted[path] = ".".join(parts)
        return dotted

    @cached_property
    def _packages(self) -> frozenset[str]:
        return frozenset(part for name in self.dotted_paths.values() for part in name.split(".") if part)

    @cached_property
    def _by_suffix(self) -> dict[str, list[str]]:
        """Every dotted tail of a module's name (made of identifiers) -> the modules that end so."""
        index: dict[str, list[str]] = {}
        for path, name in self.dotted_paths.items():
            parts = name.split(".") if name else []
            for start in range(len(parts) - 1, -1, -1):
                if not parts[start].isidentifier():
                    break
                index.setdefault(".".join(parts[start:]), []).append(path)
        return index

    def _module(self, dotted: str, near: str) -> str | None:
        """The module `dotted` names, seen from the file `near`; None when none or several equally near."""
        if not dotted or dotted.split(".", 1)[0] in FRAMEWORK_PACKAGES:
            return None
        candidates = self._by_suffix.get(dotted, ())
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        # The module nearest the importing file (the same app of a monorepo) is the one it means.
        ranked = sorted(candidates, key=lambda path: -_shared_depth(path, near))
        best = _shared_depth(ranked[0], near)
        return ranked[0] if _shared_depth(ranked[1], near) < best else None

    def _package_of(self, path: str) -> list[str]:
        parts = self.dotted_paths[path].split(".") if self.dotted_paths[path] else []
        return parts if path.endswith("__init__.py") else parts[:-1]

    def with_summaries(self, summaries: Mapping[str, ModuleSummary]) -> tuple[ProjectModel, set[str] | None]:
        """The model of the project with these summaries, and the files whose answers may differ in it: those
        reaching a changed summary by their uses (uses.py). The others' answers are carried over, worked out
        already. None: every file's may differ (a file came or went, which changes what imports name)."""
        model = ProjectModel(summaries, self.implied)
        if summaries.keys() != self.summaries.keys():
            return model, None
        was = self.summaries
        changed = [path for path, found in summaries.items() if found is not was[path] and found != was[path]]
        with self.uses.lock:
            affected = self.uses.reaching(changed)
            model._resolved = {key: found for key, found in self._resolved.items() if key[0] not in affected}
            model._meanings = {target: found for target, found in self._meanings.items() if target.path not in affected}
            model.uses = self.uses.without(affected)
        for kept in ("dotted_paths", "_packages", "_by_suffix"):  # of the files' paths alone
            if kept in self.__dict__:
                model.__dict__[kept] = self.__dict__[kept]
        return model, affected

    # Resolving.

    def resolve(self, path: str, name: str, depth: int = 0) -> Target | None:
        key = (path, name)
        working = self.uses.working
        if working and working[-1] != path:
            self.uses.asked(path)
        if key not in self._resolved:
            self._resolved[key] = None  # a cycle of aliases resolves to nothing
            working.append(path)
            try:
                self._resolved[key] = self._resolve(path, name, depth) if depth < _MAX_DEPTH else None
            finally:
                working.pop()
        return self._resolved[key]

    def _resolve(self, path: str, name: str, depth: int) -> Target | None:
        summary = self.summaries[path]
        for kind, table in ((CLASS, summary.classes), (INSTANCE, summary.calls), (FUNCTION, summary.functions)):
            if name in table:
                return Target(kind, path, name)
        if name in summary.type_aliases:
            return Target(TYPE, path, name)
        if name in summary.aliases:
            return self.resolve_dotted(path, summary.aliases[name], depth + 1)
        if name in summary.imports:
            return self._imported(path, summary.imports[name], depth + 1)
        if path.endswith("__init__.py"):
            submodule = self._exact_module(f"{self.dotted_paths[path]}.{name}")
            if submodule is not None:
                return Target(MODULE, submodule)
        for star in reversed(summary.star_imports):
            module = self.imported_module(path, star)
            if module is not None and module != path:
                found = self.resolve(module, name, depth + 1)
                if found is not None:
                    return found
        if hasattr(builtins, name):
            return Target(EXTERNAL, qualified=f"builtins.{name}")
        return None

    def resolve_dotted(self, path: str, dotted: str, depth: int = 0) -> Target | None:
        """`models.Base`, `sa.orm.Session`: the head resolved in `path`, then each attribute after it."""
        head, *rest = dotted.split(".")
        found = self.resolve(path, head, depth)
        for part in rest:
            if found is None:
                return None
            if found.kind == EXTERNAL:
                found = Target(EXTERNAL, qualified=f"{found.qualified}.{part}")
            elif found.kind == MODULE:
                found = self._member(found.path, part, depth + 1)
            else:
                return None  # an attribute of a class or an instance: not followed
        return found

    def _member(self, module: str, name: str, depth: int) -> Target | None:
        found = self.resolve(module, name, depth)
        if found is None:
            submodule = self._exact_module(f"{self.dotted_paths[module]}.{name}")
            found = Target(MODULE, submodule) if submodule is not None else None
        return found

    def _exact_module(self, dotted: str) -> str | None:
        return next((p for p in self._by_suffix.get(dotted, ()) if self.dotted_paths[p] == dotted), None)

    def absolute(self, path: str, target: str) -> str:
        """A relative import's target made absolute (the project's full dotted names), from `path`'s package."""
        dots = len(target) - len(target.lstrip("."))
        if not dots:
            return target
        package = self._package_of(path)
        base = package[: len(package) - (dots - 1)] if dots - 1 <= len(package) else []
        rest = target[dots:]
        return ".".join([*base, rest] if rest else base)

    def imported_module(self, path: str, target: str) -> str | None:
        if target.startswith("."):
            return self._exact_module(self.absolute(path, target))
        return self._module(target, path)

    def modules_named(self, path: str, target: str) -> list[str]:
        """Every module an import in `path` may name: the one a relative import names, or each that an
        absolute one's name ends (where `imported_module` picks one, or none when several are as near)."""
        if target.startswith("."):
            module = self._exact_module(self.absolute(path, target))
            return [module] if module is not None else []
        if not target or target.split(".", 1)[0] in FRAMEWORK_PACKAGES:
            return []
        return list(self._by_suffix.get(target, ()))

    def _imported(self, path: str, target: str, depth: int) -> Target | None:
        relative = target.startswith(".")
        absolute = self.absolute(path, target)
        module = self._exact_module(absolute) if relative else self._module(absolute, path)
        if module is not None:
            return Target(MODULE, module)
        container, _, name = absolute.rpartition(".")
        module = (self._exact_module(container) if relative else self._module(container, path)) if container else None
        if module is not None:
            return self._member(module, name, depth)
        # Outside the project: a framework name, or a module of a package the project does not hold.
        return None if relative else Target(EXTERNAL, qualified=absolute)

    # What a target is.

    def meaning(self, target: Target) -> Meaning:
        working = self.uses.working
        if working and working[-1] != target.path:
            self.uses.asked(target.path)
        if target not in self._meanings:
            self._meanings[target] = Meaning(MODULE)  # a cycle of bases means nothing more
            working.append(target.path)
            try:
                self._meanings[target] = self._meaning(target)
            finally:
                working.pop()
        return self._meanings[target]

    def qualified(self, target: Target) -> str:
        if target.kind == EXTERNAL:
            return target.qualified
        module = self.dotted_paths[target.path]
        return f"{module}.{target.name}" if target.name else module

    def _implied(self, target: Target) -> tuple[str, ...]:
        """The framework class a setting says this name is (`router-classes = ["app.routing.APIRouter"]`)."""
        qualified = self.qualified(target)
        return tuple(
            implied
            for declared, implied in self.implied.items()
            if qualified == declared or qualified.endswith("." + declared)
        )

    def _meaning(self, target: Target) -> Meaning:
        if target.kind == EXTERNAL:
            implied = self._implied(target)
            # A class of a package the project does not hold, nor a framework: what it derives from is unknown.
            known = implied or target.qualified.split(".", 1)[0] in FRAMEWORK_PACKAGES
            return Meaning(EXTERNAL, target.qualified, (target.qualified, *implied), () if known else (OPAQUE,))
        if target.kind == MODULE:
            return Meaning(MODULE, self.qualified(target))
        implied = self._implied(target)
        summary = self.summaries[target.path]
        qualified = self.qualified(target)
        if implied:
            return Meaning(CLASS, qualified, implied)
        if target.kind == CLASS:
            return self._class_meaning(target, summary.classes[target.name])
        if target.kind == TYPE:
            aliased = self._types_of(target.path, summary.type_aliases[target.name])
            return Meaning(TYPE, qualified, aliased)
        if target.kind == FUNCTION:
            returned, yields = summary.functions[target.name]
            return Meaning(FUNCTION, qualified, self._types_of(target.path, returned), yields=yields)
        return self._instance_meaning(target)

    def _types_of(self, path: str, dotted: str) -> tuple[str, ...]:
        """What a class named in `path` is: itself when external, else its framework ancestors."""
        found = self.resolve_dotted(path, dotted)
        if found is None:
            return ()
        meaning = self.meaning(found)
        return meaning.types if meaning.kind in (CLASS, EXTERNAL, TYPE) else ()

    def _class_meaning(self, target: Target, summary) -> Meaning:
        types: list[str] = []
        flags: list[str] = [ABSTRACT] if summary.abstract else []
        attributes = list(summary.attributes)
        str_length = summary.str_has_length
        inherited_flags, project_base = [], False
        for base in summary.bases:
            found = self.resolve_dotted(target.path, base) if base else None
            if found is None or found.kind not in (CLASS, EXTERNAL):
                flags.append(OPAQUE)
                continue
            inherited = self.meaning(found)
            project_base = project_base or found.kind == CLASS
            types += inherited.types
            attributes += inherited.attributes
            inherited_flags.append(inherited.flags)
            flags += [flag for flag in inherited.flags if flag in (OPAQUE, STR_HAS_LENGTH, STR_WITHOUT_LENGTH)]
        rule = class_rule(summary.table_rule, summary.table is not None, inherited_flags, OPAQUE in flags)
        if rule is not None:
            flags.append(RULE_FLAGS[rule])
        # A class without a project base declares the rule for its subclasses (a declarative base): no table.
        table = summary.table or (computed_table(rule, target.name) if project_base and not summary.abstract else None)
        if str_length is not None:
            flags = [f for f in flags if f not in (STR_HAS_LENGTH, STR_WITHOUT_LENGTH)]
            flags.append(STR_HAS_LENGTH if str_length else STR_WITHOUT_LENGTH)
        if summary.impl is not None and not summary.impl_has_arguments:
            impl = self.resolve_dotted(target.path, summary.impl)
            if impl is not None and impl.kind == EXTERNAL and impl.qualified.rsplit(".", 1)[-1] in _STRING_TYPES:
                flags.append(UNBOUNDED_STRING)
        return Meaning(CLASS, self.qualified(target), _unique(types), _unique(flags), _unique(attributes), table=table)

    def _instance_meaning(self, target: Target) -> Meaning:
        call = self.summaries[target.path].calls[target.name]
        # What the annotation says the name holds comes first: what made it may be a function of any kind.
        types = self._types_of(target.path, call.annotation) if call.annotation else ()
        made_by = self.resolve_dotted(target.path, call.callee) if call.callee and not types else None
        if made_by is not None:
            maker = self.meaning(made_by)
            # An instance of a class, what an external function made, or what a project function returns.
            makes = maker.kind in (CLASS, EXTERNAL) or (maker.kind == FUNCTION and not maker.yields)
            types = maker.types if makes else ()
        flags = []
        if self._kept_out_of_api(target.path, call.keywords):
            flags.append(NOT_API)
        # `sessionmaker(engine, class_=AsyncSession)` makes async sessions.
        session_class = call.keywords.get("class_") or (call.positional[1] if len(call.positional) > 1 else "")
        if session_class and any(t.endswith(".AsyncSession") for t in self._types_of(target.path, session_class)):
            flags.append(ASYNC)
        return Meaning(INSTANCE, self.qualified(target), types, tuple(flags))

    def _kept_out_of_api(self, path: str, keywords: Mapping[str, str]) -> bool:
        if keywords.get("include_in_schema") == "False" or keywords.get("openapi_url") == "None":
            return True
        response = keywords.get("default_response_class")
        if not response:
            return False
        found = self.resolve_dotted(path, response)
        types = self.meaning(found).types if found is not None else ()
        return bool(types) and not any(t.rsplit(".", 1)[-1] in _JSON_RESPONSES for t in types)

    # What a file is handed.

    def vocabulary(self, path: str, schema_flags: Mapping[Target, tuple[str, ...]] | None = None) -> Vocabulary:
        """The meanings of the file's top-level names and of the dotted names its summary uses; with what the
        whole project says of each Pydantic model (`schema_flags`, schema_roles.py) when given."""
        self.uses.working.append(path)
        try:
            found = self._vocabulary(path, schema_flags or {})
        finally:
            self.uses.working.pop()
        self.uses.vocabularies.add(path)
        return found

    def _vocabulary(self, path: str, schema_flags: Mapping[Target, tuple[str, ...]]) -> Vocabulary:
        summary = self.summaries.get(path)
        if summary is None:
            return Vocabulary(known=True, packages=self._packages)
        names = {
            *summary.imports,
            *summary.classes,
            *summary.calls,
            *summary.functions,
            *summary.aliases,
            *summary.type_aliases,
        }
        for found in summary.classes.values():
            names.update(base for base in found.bases if "." in base)
        for call in summary.calls.values():
            names.update(name for name in (call.callee, call.annotation) if name and "." in name)
        meanings = {}
        for name in names:
            target = self.resolve_dotted(path, name)
            if target is None:
                continue
            if target.kind == EXTERNAL:
                written = summary.imports.get(name)
                if written == target.qualified and not self._implied(target):
                    continue  # the file's own import says it: nothing to add
            meaning = self.meaning(target)
            flags = schema_flags.get(target, ()) if target.kind == CLASS else ()
            meanings[name] = dataclasses.replace(meaning, flags=(*meaning.flags, *flags)) if flags else meaning
        return Vocabulary(meanings, known=True, packages=self._packages)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _shared_depth(path: str, other: str) -> int:
    depth = 0
    for mine, theirs in zip(path.split("/")[:-1], other.split("/")[:-1]):
        if mine != theirs:
            break
        depth += 1
    return depth
