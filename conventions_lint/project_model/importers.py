"""Which names of a module the other files of its project import: what a call in another file may reach.

A fix that makes a function `async def` (CL503) awaits its calls in its own file; a caller in
another file would get a coroutine nobody awaits. Another file reaches a module's name when
one of its imports, at any indentation, names it (`from app.services.user import find`), and
reaches the module whole when it imports the module itself (`import app.services.user`, `from
app.services import user`), with `*`, or a package above it (`from app import services`: its
submodules are its attributes once imported anywhere), with an `__init__.py` or without. An
import that may stand for several of the project's modules counts for each. A bare `import app`
is not taken for the package whole: `import app.services.user` is recorded as such beside it
(rename_scan.py); `app.services.user.f` after a bare `import app` is not seen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conventions_lint.project_model.resolver import ProjectModel

WHOLE = "*"


class Importers:
    """The names of each module that other files import (`WHOLE`: the module itself)."""

    def __init__(self, model: ProjectModel) -> None:
        self._model = model
        self._names: dict[str, set[str]] = {}
        # Each dotted name imported (relative ones made absolute) -> the files importing it: a package's
        # name (a directory's, with an `__init__.py` or not) reaches the modules below it.
        self._imported: dict[str, set[str]] = {}
        for path, summary in model.summaries.items():
            for target in [*summary.imports.values(), *summary.other_imports]:
                if target.endswith("*"):  # `m.*`, `.*`: a star import in a function
                    star = target[:-1]
                    self._reach(path, star[:-1] if star.strip(".") else star, WHOLE)
                    continue
                dots = len(target) - len(target.lstrip("."))
                container, _, name = target[dots:].rpartition(".")
                if container or dots:
                    self._reach(path, target[:dots] + container, name)
                    self._imported.setdefault(model.absolute(path, target), set()).add(path)
                self._reach(path, target, WHOLE)
            for star in summary.star_imports:
                self._reach(path, star, WHOLE)
                self._imported.setdefault(model.absolute(path, star), set()).add(path)

    def _reach(self, path: str, target: str, name: str) -> None:
        """Record that `path` reaches `name` of the modules `target` may stand for."""
        for module in self._model.modules_named(path, target):
            if module != path:
                self._names.setdefault(module, set()).add(name)

    def same_as(self, other: Importers) -> bool:
        """Whether `of` answers the same for every module (of a project with the same files)."""
        return self._names == other._names and self._imported == other._imported

    def of(self, path: str) -> frozenset[str]:
        """The names of the module at `path` that other files import (`WHOLE` among them when they may reach
        any of its names)."""
        found = set(self._names.get(path, ()))
        parts = self._model.dotted_paths.get(path, "").split(".")
        # Every package above it by any name an import may give it (`app.services`, `services`).
        above = (".".join(parts[start:end]) for start in range(len(parts)) for end in range(start + 1, len(parts)))
        if any(self._imported.get(package, set()) - {path} for package in above):
            found.add(WHOLE)
        return frozenset(found)
