"""Which files of a project may name a function a rename rule may rename (CL601, CL603): only their
passes record their name uses (`name_use_collector.follows_names`), the rest skip the walk that costs.

A function may be renamed when it is a route handler (any function under `@<x>.get/post/put/
patch/delete/api_route(...)`, wider than CL601's own notion) or a function of a services module.
Its module is a home of it, and so is every module that re-exports it (`from m import f` at
module level, in an `__init__.py` or elsewhere), as the rename follows them. A file needs its
name uses when an import of it can lead to a home: it names a home, a package above one
(`import app` then `app.services.user.f`), or a name of one (`from app.services.user import f`).
Imports are read at any indentation, a function's too, and a star import counts as well: the
rename is withheld when a file star-imports a home, which the file must record to say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conventions_lint.project_model.module_summary import ModuleSummary
    from conventions_lint.project_model.resolver import ProjectModel
    from conventions_lint.settings import Settings

ANY = "*"  # every function of the module may be renamed (a services module)


class RenameHomes:
    """The modules of a project that define or re-export a function a rename may rename, and the
    files whose imports may lead to one."""

    def __init__(self, model: ProjectModel, settings: Settings) -> None:
        self._model = model
        summaries = model.summaries
        self.exposed: dict[str, set[str]] = {}
        for path, summary in summaries.items():
            if "services" in settings.roles_of(path):
                self.exposed[path] = {ANY}
            elif summary.handlers:
                self.exposed[path] = set(summary.handlers)
        # Each import as (importing file, module it imports from, name): resolved once, not in every round.
        imported = [
            (path, *self._imported_from(path, target))
            for path, summary in summaries.items()
            for target in [*summary.imports.values(), *summary.other_imports]
        ]
        imported = [(path, module, name) for path, module, name in imported if module is not None]
        grown = True
        while grown:
            grown = False
            for path, module, name in imported:
                if self._reexported(module, name) and name not in self.exposed.setdefault(path, set()):
                    self.exposed[path].add(name)
                    grown = True
        self.exposed = {path: names for path, names in self.exposed.items() if names}
        # A name a home answers to (its full dotted name, or a tail) -> the names it exposes; and likewise
        # every package above one (`app`, `app.api`) -> the names of all the homes below it.
        self._named: dict[str, set[str]] = {}
        self._below: dict[str, set[str]] = {}
        for path, names in self.exposed.items():
            for tail in _tails(model.dotted_paths[path]):
                self._named.setdefault(tail, set()).update(names)
                for prefix in _prefixes(tail):
                    self._below.setdefault(prefix, set()).update(names)

    def same_as(self, other: RenameHomes) -> bool:
        """Whether both expose the same and `renamable` answers the same for a file whose summary is the same
        in both (of a project with the same files)."""
        return (self.exposed, self._named, self._below) == (other.exposed, other._named, other._below)

    def _imported_from(self, path: str, target: str) -> tuple[str | None, str]:
        """The module `from m import f` in `path` imports from (None: not the project's), and `f`."""
        dots = len(target) - len(target.lstrip("."))
        container, _, name = target[dots:].rpartition(".")
        container = target[:dots] + container
        return (self._model.imported_module(path, container) if container else None), name

    def _reexported(self, module: str, name: str) -> bool:
        """Whether `from module import name` binds a function a rename may rename (an import in a function,
        or renamed with `as`, counts too: wider than the rename's own notion of a re-export, never narrower)."""
        exposed = self.exposed.get(module, ())
        return name in exposed or (ANY in exposed and name.lstrip("_")[:1].islower())

    def renamable(self, path: str, summary: ModuleSummary | None = None) -> frozenset[str] | None:
        """The names of the functions a rename may rename that the file's imports may lead to (`ANY`
        among them: every function of a services module); None when the model has no summary of it.
        `summary`: the file's as it is now, when it changed since the model was built."""
        summary = summary or self._model.summaries.get(path)
        if summary is None:
            return None
        found: set[str] = set()
        for target in [*summary.imports.values(), *summary.star_imports, *summary.other_imports]:
            absolute = self._model.absolute(path, target)
            found.update(self._below.get(absolute, ()), self._named.get(absolute.rpartition(".")[0], ()))
        return frozenset(found)


def _tails(dotted: str) -> list[str]:
    parts = dotted.split(".") if dotted else []
    return [".".join(parts[start:]) for start in range(len(parts))]


def _prefixes(dotted: str) -> list[str]:
    parts = dotted.split(".")
    return [".".join(parts[: end + 1]) for end in range(len(parts))]
