"""Where a file names what other modules of its project define: the facts a rename of a function
(CL601, CL603) reads in the files that import it (facts.NameUseFact), collected from the walk's
`Bindings`.

A file records every name it imports from a module that may be the project's (not the
standard library's, nor a framework's), each reference to it that the scopes say reads that
import, and `m.f` for a module it imports as `m`. What it cannot follow is recorded too: the
modules it imports with `*`, its identifier-like strings (`getattr(m, "f")`), a name bound
twice where it is imported. A file whose pass recorded none of this while it imports
something is parsed for them (`follows_names`) whenever a rename rule is on, unless the project
model says none of its imports can lead to a function a rename may rename (renamable.py).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.diagnostic import Location, Span
from conventions_lint.facts import NameUseFact
from conventions_lint.module_paths import module_name
from conventions_lint.project_model.roles import content_roles
from conventions_lint.project_model.vocabulary import CLASS, EXTERNAL, INSTANCE, MODULE, TYPE

if TYPE_CHECKING:
    from conventions_lint.project_model.vocabulary import Vocabulary
    from conventions_lint.recognize.bindings import Bindings, ImportBinding
    from conventions_lint.settings import Settings

RENAME_CODES = ("CL601", "CL603")
# Packages no project of this linter defines: what their names stand for is never renamed.
_FRAMEWORKS = frozenset(
    {
        "__future__",
        "alembic",
        "fastapi",
        "httpx",
        "pydantic",
        "pydantic_settings",
        "pytest",
        "sqlalchemy",
        "sqlmodel",
        "starlette",
        "typing_extensions",
    }
)
# What the project model may say an imported name is, that no function is.
_NO_FUNCTION = frozenset({CLASS, INSTANCE, TYPE, EXTERNAL})
# The names CL601 and CL603 give: a file spelling one of them would see its import collide with it.
_GIVEN_NAME = re.compile(r"(get|create|update|delete)_\w+")


def may_be_renamed(name: str) -> bool:
    """Whether a rename rule may rename a function of this name: one spelled in lower case, as functions
    are (`get_user`, `_remove_user`). The files that import a module record only the uses of such names,
    not of its classes (`UserResponse`) and constants (`API_PREFIX`), which are most of what is imported."""
    return name.lstrip("_")[:1].islower()


def follows_names(source: bytes, relative_path: str, settings: Settings, vocabulary: Vocabulary | None = None) -> bool:
    """Whether the file's pass records its name uses: when it imports anything, a module the project
    model says may lead to a function a rename may rename when there is a model (`vocabulary`), is no
    migration, and a rename rule is enabled and fixable under the project's settings."""
    if vocabulary is not None and not vocabulary.follows_names:
        return False
    if b"import" not in source or "migrations" in settings.roles_of(relative_path):
        return False
    if content_roles(source, relative_path):
        return False
    from conventions_lint.registry import REGISTRY  # the rules import the engine's modules

    enabled = REGISTRY.enabled_codes(settings)
    return any(code in enabled and settings.can_fix(code) for code in RENAME_CODES)


@dataclass(frozen=True)
class _Use:
    qualified: str
    node: cst.CSTNode
    in_string: bool = False
    # The statements it stands in, outermost first, when the walk kept them (`Load.statements`).
    statements: tuple[cst.CSTNode, ...] = ()


class NameUses:
    """The name uses of one file, from its `Bindings` once the walk is done."""

    def __init__(self, bindings: Bindings, relative_path: str, settings: Settings, vocabulary: Vocabulary) -> None:
        self._bindings = bindings
        self._vocabulary = vocabulary
        self._suffix = settings.service_suffix
        self._package = _package(relative_path)
        self.uses: list[_Use] = []
        self.reexported: set[str] = set()
        self.unfollowed: set[str] = set()
        # The modules it imports whole (`import app.x as m`): `getattr(m, "f")` reads through them.
        self.modules: set[str] = set()
        self.star_modules = [
            module
            for written, module in zip(bindings.star_imports, map(self._absolute, bindings.star_imports))
            if module and self._may_be_project(written, module)
        ]
        self._collect()

    def _absolute(self, target: str) -> str | None:
        """`app.models.user` for `..models.user` in `app/api/users.py`; None when it climbs out of the project."""
        dots = len(target) - len(target.lstrip("."))
        if not dots:
            return target
        parts = self._package.split(".") if self._package else []
        if dots - 1 > len(parts):
            return None
        base = parts[: len(parts) - (dots - 1)]
        rest = target[dots:]
        return ".".join([*base, rest] if rest else base) or None

    def _collect(self) -> None:
        bindings = self._bindings
        for binding in bindings.imports:
            target = self._absolute(binding.target)
            kind = self._kind(binding)
            if target is None or not self._may_be_project(binding.target, target) or kind in _NO_FUNCTION:
                continue
            loads = bindings.loads_of(binding.scope, binding.local)
            if binding.scope.bound[binding.local] > 1:
                self.unfollowed.add(target)
            if binding.is_module or kind == MODULE:
                self.modules.add(target)
            # The name the import gives is the function's own unless renamed (`as`): then only the import changes.
            function_like = (
                not binding.is_module and kind != MODULE and may_be_renamed(binding.target.rpartition(".")[2])
            )
            if binding.alias is not None and function_like:
                self.uses.append(_Use(target, binding.alias, statements=binding.statements))
                if binding.scope is bindings.module_scope and not binding.renamed:
                    self.reexported.add(target)
                    self.uses += [
                        _Use(target, s, True, bindings.exported_in[id(s)])
                        for s in bindings.exported.get(binding.local, ())
                    ]
            for load in loads:
                if function_like and not binding.renamed:
                    self.uses.append(_Use(target, load.node, statements=load.statements))
                # `app.x.f` after `import app.x`: the attributes are read off `app`.
                qualified = binding.local if binding.is_module and not binding.renamed else target
                for attribute in load.attributes:
                    if not may_be_renamed(attribute.value):
                        break  # a class's (`models.User.id`) or a constant's: no module function below it
                    qualified = f"{qualified}.{attribute.value}"
                    self.uses.append(_Use(qualified, attribute, statements=load.statements))

    def _may_be_project(self, written: str, module: str) -> bool:
        """Whether the module an import names (as `written`, made absolute) may be one of the project's."""
        if written.startswith("."):
            return True
        return _may_be_project(module) and self._vocabulary.may_define(module)

    def _kind(self, binding: ImportBinding) -> str | None:
        """What the project model says a module-level import is (a class, a module, ...), if it says: of a
        name bound there once, as it says what the name's last binding is."""
        if binding.scope is not self._bindings.module_scope or binding.scope.bound[binding.local] != 1:
            return None
        meaning = self._vocabulary.get(binding.local)
        return meaning.kind if meaning is not None else None

    @property
    def any(self) -> bool:
        return bool(self.uses or self.star_modules or self.modules)

    def facts(self, span_of: Callable[..., Span]) -> tuple[dict[str, NameUseFact], list[str], list[str]]:
        """The uses by qualified name, the identifier-like strings, and the names a rename may give."""
        found: dict[str, NameUseFact] = {}
        for use in self.uses:
            fact = found.setdefault(use.qualified, NameUseFact())
            if not self._vocabulary.may_rename(use.qualified.rpartition(".")[2]):
                continue  # no rename edits it: its place would cost a code generation for nothing
            span = span_of(use.node, use.statements)
            (fact.strings if use.in_string else fact.spans).append(_inside(use.node, span) if use.in_string else span)
        for module in self.modules:
            found.setdefault(module, NameUseFact())
        for qualified in self.reexported & set(found):
            found[qualified].reexported = True
            # A re-export the model did not know when it was built: the files importing it from here did not
            # record their uses (the language server's model is older than its documents), so none is renamed.
            if not self._vocabulary.exposes(qualified.rpartition(".")[2]):
                found[qualified].followed = False
        for qualified in self.unfollowed & set(found):
            found[qualified].followed = False
        bindings = self._bindings
        reexported_names = {qualified.rsplit(".", 1)[-1] for qualified in self.reexported}
        strings = {*bindings.strings, *(name for name in bindings.exported if name not in reexported_names)}
        given = {name for name in bindings.spelled if _GIVEN_NAME.fullmatch(name) or name.endswith(self._suffix)}
        return found, sorted(strings), sorted(given)


def _package(relative_path: str) -> str:
    """The package relative imports start from: the module's own for an `__init__.py`."""
    module = module_name(relative_path) or ""
    if relative_path.endswith("__init__.py"):
        return module
    return module.rpartition(".")[0]


def _may_be_project(qualified: str) -> bool:
    top = qualified.split(".", 1)[0]
    return top not in _FRAMEWORKS and top not in sys.stdlib_module_names


def _inside(string: cst.SimpleString, span: Span) -> Span:
    """The span of a one-line string's text, without its prefix and quotes."""
    opening = len(string.prefix) + len(string.quote)
    return Span(
        Location(span.start.row, span.start.column + opening),
        Location(span.end.row, span.end.column - len(string.quote)),
    )
