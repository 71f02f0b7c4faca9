"""The rule base class, its examples, and the documentation built from them.

A rule subscribes to node types by defining `visit_<Node>` / `leave_<Node>`
methods (LibCST class names, as in Fixit; see visitor.py). The engine walks each
file once and calls them; a rule never walks, reads files or prints. What several
rules need to follow through the walk (which names hold database sessions) is a
service they name in `SERVICES`, fed once per file. Its VALID and INVALID
examples are both its documentation and its tests (tests/test_rule_examples.py).
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from conventions_lint.diagnostic import Applicability, DeferredRequest, Fix, FixAvailability, Span
from conventions_lint.fixes.builder import FixBuilder
from conventions_lint.fixes.import_order import first_party_packages
from conventions_lint.module_paths import module_name
from conventions_lint.visitor import Service, Visitor

if TYPE_CHECKING:
    from conventions_lint.context import FileContext
    from conventions_lint.diagnostic import Diagnostic
    from conventions_lint.facts import FileFacts
    from conventions_lint.settings import Settings


# Where an example stands unless it says: a file of no particular role.
EXAMPLE_PATH = "app/module.py"


@dataclass(frozen=True)
class Valid:
    """Source the rule must accept. `path` decides roles (models/, schemas/, …)."""

    code: str
    path: str = EXAMPLE_PATH
    settings: tuple[tuple[str, object], ...] = ()
    # Other files of the project, (path, code), for whole-project rules.
    others: tuple[tuple[str, str], ...] = ()

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).lstrip("\n")


@dataclass(frozen=True)
class Invalid:
    """Source the rule must flag exactly once, at 1-based `line` and `column`.

    `fixed` is the source after `--fix --unsafe-fixes` with only this rule selected;
    None says the rule offers no fix for this shape.
    """

    code: str
    line: int
    column: int
    path: str = EXAMPLE_PATH
    settings: tuple[tuple[str, object], ...] = ()
    fixed: str | None = None
    # Other files of the project, (path, code), and those of them a fix changes, (path, code after).
    others: tuple[tuple[str, str], ...] = ()
    fixed_others: tuple[tuple[str, str], ...] = ()

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).lstrip("\n")

    @property
    def fixed_source(self) -> str | None:
        return textwrap.dedent(self.fixed).lstrip("\n") if self.fixed is not None else None


class Rule(Visitor):
    """Base class of every rule. Subclasses set the class attributes below."""

    code: ClassVar[str]
    name: ClassVar[str]
    # Whether the rule's findings carry a fix, and, apart from that, how safe its fixes are: the
    # applicability all of them share, or None when each fix says its own (`self.fix(..., applicability)`).
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NONE
    fix_applicability: ClassVar[Applicability | None] = None
    default_enabled: ClassVar[bool] = True
    VALID: ClassVar[tuple[Valid, ...]] = ()
    INVALID: ClassVar[tuple[Invalid, ...]] = ()
    # What a file must show for the rule to have anything to say, so that files
    # that cannot concern any enabled rule are not parsed at all: one of these
    # byte strings in the source (empty: any file), and one of these roles.
    REQUIRES: ClassVar[tuple[bytes, ...]] = ()
    ROLES: ClassVar[frozenset[str]] = frozenset()
    # The per-file services the rule asks (`self.context.service(...)`); the walk feeds each once.
    SERVICES: ClassVar[tuple[type[Service], ...]] = ()
    # The project-model settings the rule depends on (keys of project_model.options.OPTION_DOCS),
    # documented under "Options".
    OPTIONS: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.fix_availability is FixAvailability.NONE and cls.fix_applicability is not None:
            raise TypeError(f"{cls.__qualname__} declares fixes that are {cls.fix_applicability.value} but no fix")

    def __init__(self, context: FileContext) -> None:
        self.context = context
        self.settings = context.settings

    @classmethod
    def concerns(cls, source: bytes, roles: frozenset[str], file_name: str, settings: Settings) -> bool:
        """Whether the rule could report anything in this file, judged without parsing it.

        It must never say no to a file the rule would report on: a name the rule
        resolves through imports appears in the source under its own name at least
        in the import. The examples test this: an INVALID example skipped here fails.
        """
        return (not cls.ROLES or bool(cls.ROLES & roles)) and (
            not cls.REQUIRES or any(needle in source for needle in cls.REQUIRES)
        )

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        *,
        fix: FixBuilder | None = None,
        deferred: DeferredRequest | None = None,
    ) -> None:
        """Report `node`, with the fix that repairs it when there is one.

        A fix that needs other files (a class defined elsewhere) is `deferred`: the rule's
        request, which the project phase hands to `complete_fix`, with `fix` holding the
        fix's edits in this file, if any.
        """
        self.context.report(self.code, node, message, fix=fix, deferred=deferred)

    @classmethod
    def complete_fix(cls, diagnostic: Diagnostic, files: Project) -> Fix | None:
        """The fix of a finding reported with `deferred=`, from the facts of the project's `files`
        (`diagnostic.deferred` holds the request and this file's edits); None when there is none."""
        return None

    def fix(self, message: str, applicability: Applicability | None = None) -> FixBuilder:
        """Start this finding's fix; the applicability defaults to the one all the rule's fixes share
        (a rule whose fixes differ says each fix's)."""
        if self.fix_availability is FixAvailability.NONE:
            raise ValueError(f"{self.code} declares no fix (fix_availability) but made one")
        chosen = applicability or self.fix_applicability
        if chosen is None:
            raise ValueError(f"{self.code}'s fixes differ in applicability: say whether this fix is safe")
        context = self.context
        return FixBuilder(
            self.code,
            message,
            chosen,
            module=context.module,
            imports=context.imports,
            blocks=context.enclosing_blocks(),
            first_party=first_party_packages(context.relative_path),
            # Where the fix was started: a rule may spell its imports after the walk has moved on.
            names_in_scope=partial(context.names_in_scope, tuple(context.ancestors)),
        )

    @classmethod
    def documentation(cls) -> str:
        """The ruff-shaped doc: the docstring, with the first INVALID and VALID examples inserted."""
        doc = inspect.cleandoc(cls.__doc__ or "")
        head, marker, fix_text = doc.partition("## Fix safety")
        sections = [f"# {cls.name} ({cls.code})", ""]
        if cls.fix_availability is not FixAvailability.NONE:
            # As ruff's docs say it, above the rest.
            sections += [f"Fix is {cls.fix_availability.value} available.", ""]
        sections.append(head.rstrip())
        if cls.INVALID:
            sections += ["", "## Example", *_shown(cls.INVALID[0])]
        if cls.VALID:
            sections += ["", "## Use instead", *_shown(cls.VALID[0])]
        if marker:
            sections += ["", marker + fix_text.rstrip()]
        if cls.OPTIONS:
            from conventions_lint.project_model.options import OPTION_DOCS

            sections += ["", "## Options", *(OPTION_DOCS[option] for option in cls.OPTIONS)]
        return "\n".join(sections) + "\n"


def _shown(example: Valid | Invalid) -> list[str]:
    """An example's code block, and one for each other file of its project; each headed by its path
    when where it stands matters (a role, another file)."""
    files = [
        (example.path, example.source),
        *((path, textwrap.dedent(code).lstrip("\n")) for path, code in example.others),
    ]
    named = example.path != EXAMPLE_PATH or bool(example.others)
    lines = []
    for path, code in files:
        lines += ["```python", *([f"# {path}"] if named else []), code.rstrip(), "```"]
    return lines


@dataclass(frozen=True)
class ProjectFile:
    """One file as the project phase sees it: its facts, never its source.

    `reported` is False for the files of the project that were only indexed for
    their facts (a pre-commit run lints the changed files, not the whole tree).
    """

    path: str
    relative_path: str
    facts: FileFacts
    settings: Settings
    reported: bool = True


class Project(tuple):
    """The files of one project (`ProjectFile`s), with the lookups its rules and fixes repeat
    (a fix each for hundreds of findings) indexed once."""

    def at(self, path: str) -> ProjectFile | None:
        return self._by_path.get(path)

    def only_mapped_class(self, name: str) -> ProjectFile | None:
        """The file that defines the mapped class `name`, if exactly one does."""
        return _only(self._mapped_classes.get(name, ()))

    def only_schema_class(self, name: str) -> ProjectFile | None:
        """The file that defines the Pydantic schema `name`, if exactly one does."""
        return _only(self._schema_classes.get(name, ()))

    @cached_property
    def modules(self) -> dict[str, list[str]]:
        """Each dotted module name that can stand for a file (its full name and every tail of it:
        `app.services.user` and `services.user` for `backend/app/services/user.py`), with the files it may be."""
        found: dict[str, list[str]] = {}
        for file in self:
            full = module_name(file.relative_path)
            parts = full.split(".") if full else []
            for start in range(len(parts)):
                found.setdefault(".".join(parts[start:]), []).append(file.path)
        return found

    @cached_property
    def names_unknown(self) -> bool:
        """Whether the walk of a file failed before it followed its names (what it uses is unknown)."""
        return any(file.facts.names_unknown for file in self)

    def naming(self, paths: set[str]) -> list[ProjectFile]:
        """The files, in order, whose name uses or star imports name a module that may be one of the files
        at `paths`, or something in one (`m`, `m.f`): the only ones that may use what those define."""
        names = {name for path in paths for name in self._names_of.get(path, ())}
        found = {id(file): file for name in names for file in self._naming.get(name, ())}
        return sorted(found.values(), key=lambda file: self._order[id(file)])

    @cached_property
    def _names_of(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name, paths in self.modules.items():
            for path in paths:
                found.setdefault(path, []).append(name)
        return found

    @cached_property
    def _naming(self) -> dict[str, list[ProjectFile]]:
        found: dict[str, list[ProjectFile]] = {}
        for file in self:
            named = {*file.facts.star_modules}
            for qualified in file.facts.name_uses:
                named.update((qualified, qualified.rpartition(".")[0]))
            for name in named:
                found.setdefault(name, []).append(file)
        return found

    @cached_property
    def _order(self) -> dict[int, int]:
        return {id(file): index for index, file in enumerate(self)}

    @cached_property
    def _by_path(self) -> dict[str, ProjectFile]:
        return {file.path: file for file in self}

    @cached_property
    def _mapped_classes(self) -> dict[str, list[ProjectFile]]:
        return _by_name((name, file) for file in self for name in file.facts.mapped_classes)

    @cached_property
    def _schema_classes(self) -> dict[str, list[ProjectFile]]:
        return _by_name((name, file) for file in self for name in file.facts.schema_classes)


def _by_name(definitions: Iterable[tuple[str, ProjectFile]]) -> dict[str, list[ProjectFile]]:
    index: dict[str, list[ProjectFile]] = {}
    for name, file in definitions:
        index.setdefault(name, []).append(file)
    return index


def _only(defining: Sequence[ProjectFile]) -> ProjectFile | None:
    """The one file of `defining`: two classes of one name cannot be told apart, and a fix then
    guesses nothing."""
    return defining[0] if len(defining) == 1 else None


@dataclass(frozen=True)
class ProjectFinding:
    path: str
    message: str
    span: Span
    # First and last rows of the statement, where a noqa comment may also sit.
    statement_rows: tuple[int, ...] = ()
    fix: Fix | None = None


class ProjectRule(Rule):
    """A rule that needs more than one file. It has no visitors: it reads every file's facts.

    Its examples are single files; the project phase runs on them the same way.
    """

    @classmethod
    def check_project(cls, files: Project) -> Iterable[ProjectFinding]:
        raise NotImplementedError
