"""The rule base class, its examples, and the documentation built from them.

A rule subscribes to node types by defining `visit_<Node>` / `leave_<Node>`
methods (LibCST class names, as in Fixit). The engine walks each file once and
calls them; a rule never walks, reads files or prints. Its VALID and INVALID
examples are both its documentation and its tests (tests/test_rule_examples.py).
"""

from __future__ import annotations

import enum
import inspect
import textwrap
from dataclasses import dataclass
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from conventions_lint.diagnostic import Span

if TYPE_CHECKING:
    from conventions_lint.context import FileContext
    from conventions_lint.facts import FileFacts


class FixSafety(enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    # Safe in some shapes and unsafe in others; the doc says which.
    SOMETIMES = "sometimes"


@dataclass(frozen=True)
class Valid:
    """Source the rule must accept. `path` decides roles (models/, schemas/, …)."""

    code: str
    path: str = "app/module.py"
    settings: tuple[tuple[str, object], ...] = ()

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).lstrip("\n")


@dataclass(frozen=True)
class Invalid:
    """Source the rule must flag exactly once, at 1-based `line` and `column`."""

    code: str
    line: int
    column: int
    path: str = "app/module.py"
    settings: tuple[tuple[str, object], ...] = ()

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).lstrip("\n")


class Rule:
    """Base class of every rule. Subclasses set the class attributes below."""

    code: ClassVar[str]
    name: ClassVar[str]
    # The fix RULES.md plans for this rule; None when the rule has no fix.
    fix_safety: ClassVar[FixSafety | None] = None
    default_enabled: ClassVar[bool] = True
    VALID: ClassVar[tuple[Valid, ...]] = ()
    INVALID: ClassVar[tuple[Invalid, ...]] = ()

    def __init__(self, context: FileContext) -> None:
        self.context = context
        self.settings = context.settings

    def report(self, node: cst.CSTNode, message: str, *, fix_at: cst.CSTNode | None = None) -> None:
        """Report `node`. `fix_at` is the node the rule's fix would rewrite, when it differs."""
        self.context.report(self.code, node, message, fix_at=fix_at)

    @classmethod
    def documentation(cls) -> str:
        """The ruff-shaped doc: the docstring, with the first INVALID and VALID examples inserted."""
        doc = inspect.cleandoc(cls.__doc__ or "")
        head, marker, fix_text = doc.partition("## Fix safety")
        sections = [f"# {cls.name} ({cls.code})", "", head.rstrip()]
        if cls.INVALID:
            sections += ["", "## Example", "```python", cls.INVALID[0].source.rstrip(), "```"]
        if cls.VALID:
            sections += ["", "## Use instead", "```python", cls.VALID[0].source.rstrip(), "```"]
        if marker:
            sections += ["", marker + fix_text.rstrip()]
        return "\n".join(sections) + "\n"



@dataclass(frozen=True)
class ProjectFile:
    """One linted file as the project phase sees it: its facts, never its source."""

    path: str
    facts: FileFacts


@dataclass(frozen=True)
class ProjectFinding:
    path: str
    message: str
    span: Span
    # First and last rows of the statement, where a `# noqa` may also sit.
    statement_rows: tuple[int, ...] = ()


class ProjectRule(Rule):
    """A rule that needs more than one file. It has no visitors: it reads every file's facts.

    Its examples are single files; the project phase runs on them the same way.
    """

    @classmethod
    def check_project(cls, files: Sequence[ProjectFile]) -> Iterable[ProjectFinding]:
        raise NotImplementedError
