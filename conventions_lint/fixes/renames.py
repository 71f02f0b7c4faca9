"""Fixes that rename a module-level function and every reference to it (CL601, CL603): in its file,
from the walk's `Bindings`; in the files that import it, from their facts (`NameUseFact`), in the
project phase.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from conventions_lint.diagnostic import Applicability, DeferredRequest, Edit, Fix
from conventions_lint.module_paths import module_name
from conventions_lint.name_use_collector import may_be_renamed
from conventions_lint.recognize.bindings import Bindings

if TYPE_CHECKING:
    import libcst as cst

    from conventions_lint.context import FileContext
    from conventions_lint.diagnostic import Diagnostic
    from conventions_lint.rule import Project, ProjectFile


@dataclass(frozen=True)
class RenameFunction(DeferredRequest):
    """The rename of `module`'s function `old` to `new`, to be followed into the files that import it."""

    module: str
    old: str
    new: str


class RenamesFunctions:
    """Mixed into a rule whose fix renames a module-level function and its references.

    The references are the loads the scopes resolve to the module's binding of the
    name: a parameter, a local or another function's variable of the same name is
    another binding, and stays; so do attributes of other objects, keywords and
    strings. The rename is withheld where a reference could be missed or captured: the
    name bound twice in the module, spelled in a string (`url_path_for("get_user")`,
    `getattr`), the new name already spelled in the file, two renames to one name, a
    method or a nested function, or a function the project model did not expose when
    it was built (the language server's model is not rebuilt as documents change: a
    handler added since is one whose uses the other files did not record). The files
    that import the function get their part in the project phase (`complete_rename`).
    """

    SERVICES = (Bindings,)

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self._proposals: list[tuple[cst.FunctionDef, str, str, bool]] = []

    def propose_rename(self, function: cst.FunctionDef, new_name: str, message: str) -> None:
        """Report `function` (at its name, once the module is left) with a fix renaming it to `new_name`."""
        module_level = self.context.enclosing_function is None and self.context.enclosing_class is None
        self._proposals.append((function, new_name, message, module_level))

    def leave_Module(self, node: cst.Module) -> None:
        bindings = self.context.service(Bindings)
        taken = {*bindings.spelled, *self.context.index.classes, *self.context.imports.bindings}
        module = module_name(self.context.relative_path)
        for function, new_name, message, module_level in self._proposals:
            old_name = function.name.value
            if (
                not module_level
                or new_name in taken
                or not _followable(bindings, old_name)
                or not self.context.vocabulary.exposes(old_name)
            ):
                self.report(function.name, message)
                continue
            taken.add(new_name)
            fix = self.fix(f"Rename `{old_name}` to `{new_name}`")
            fix.replace(function.name, new_name)
            for load in bindings.loads_of(bindings.module_scope, old_name):
                fix.replace(load.node, new_name)
            for string in bindings.exported.get(old_name, ()):
                fix.replace(string, f"{string.prefix}{string.quote}{new_name}{string.quote}")
            # A module no import can name is renamed in itself alone; any other waits for the project.
            deferred = RenameFunction(module, old_name, new_name) if module is not None else None
            self.report(function.name, message, fix=fix, deferred=deferred)

    @classmethod
    def complete_fix(cls, diagnostic: Diagnostic, files: Project) -> Fix | None:
        return complete_rename(diagnostic, files)


def _followable(bindings: Bindings, name: str) -> bool:
    """Whether every reference to the module's `name` is a name the scopes resolve: bound once (its
    `def`), and in no string but `__all__`'s; and one the files that import it record (`may_be_renamed`)."""
    return bindings.module_scope.bound.get(name, 0) == 1 and name not in bindings.strings and may_be_renamed(name)


def complete_rename(diagnostic: Diagnostic, files: Project) -> Fix | None:
    """The rename in its file, and in every file of the project that imports the function: `from m import f`
    (and its references), `m.f`, a re-export in a package's `__init__.py` and what imports it from there.

    None when a file could use the name where it cannot be followed: a `*` import of the module,
    the name in a string, the name bound twice where it is imported, the new name already spelled there,
    or a module name two files of the project could stand for.
    """
    request: RenameFunction = diagnostic.deferred.request
    home = files.at(diagnostic.path)
    if home is None:
        return None
    try:
        return _rename_across(diagnostic, request, home, files)
    except _Unfollowable:
        return None


class _Unfollowable(Exception):
    """A file may use the function where the rename cannot follow it."""


def _rename_across(diagnostic: Diagnostic, request: RenameFunction, home: ProjectFile, files: Project) -> Fix:
    modules = files.modules
    # The files the function is imported from: its own, and each package's `__init__.py` that re-exports it.
    homes = {home.path}
    grown = True
    while grown:
        grown = False
        # Only a file whose name uses name a module of `homes` can use the function: the others are passed.
        for file in files.naming(homes):
            if file.path in homes:
                continue
            if any(
                use.reexported and _names(qualified, request.old, modules, homes)
                for qualified, use in file.facts.name_uses.items()
            ):
                homes.add(file.path)
                grown = True
    edits: list[Edit] = []
    others: list[str] = []
    if files.names_unknown:
        raise _Unfollowable
    for file in files.naming(homes):
        if file.path == home.path:
            continue
        if any(_is_module(star, modules, homes) for star in file.facts.star_modules):
            raise _Unfollowable
        uses = [
            use for qualified, use in file.facts.name_uses.items() if _names(qualified, request.old, modules, homes)
        ]
        imports_home = bool(uses) or any(
            _is_module(qualified, modules, homes) or _is_module(qualified.rpartition(".")[0], modules, homes)
            for qualified in file.facts.name_uses
        )
        if imports_home and request.old in file.facts.strings:
            raise _Unfollowable
        if not uses:
            continue
        if not all(use.followed for use in uses) or request.new in file.facts.rename_targets:
            raise _Unfollowable
        edits += [
            Edit(span.start, span.end, request.new, file.path) for use in uses for span in (*use.spans, *use.strings)
        ]
        others.append(file.path)
    message = f"Rename `{request.old}` to `{request.new}`"
    if others:
        message += f", also in {', '.join(f'`{path}`' for path in sorted(others))}"
    return Fix(message, Applicability.UNSAFE, (*diagnostic.deferred.edits, *sorted(set(edits))))


def _is_module(module: str, modules: dict[str, list[str]], homes: set[str]) -> bool:
    """Whether `module` is one of `homes`; `_Unfollowable` when it may be one of them or another file."""
    candidates = modules.get(module, ())
    if len(candidates) > 1 and homes.intersection(candidates):
        raise _Unfollowable
    return bool(candidates) and candidates[0] in homes


def _names(qualified: str, name: str, modules: dict[str, list[str]], homes: set[str]) -> bool:
    """Whether `qualified` is `name` in one of `homes`."""
    module, _, attribute = qualified.rpartition(".")
    return attribute == name and _is_module(module, modules, homes)
