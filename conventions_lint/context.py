"""What a rule may know about the file it is looking at, and where it reports."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, TypeVar

import libcst as cst

from conventions_lint.globs import matches
from conventions_lint.names import ImportMap
from conventions_lint.node_children import concrete_subtypes
from conventions_lint.project_model.vocabulary import NO_VOCABULARY, Vocabulary
from conventions_lint.recognize.module import ModuleIndex
from conventions_lint.recognize.syntax import class_body_statements

if TYPE_CHECKING:
    from conventions_lint.diagnostic import DeferredRequest
    from conventions_lint.fixes.builder import FixBuilder
    from conventions_lint.settings import Settings

# A service (visitor.py), which knows this module: typed here by the caller's own request.
S = TypeVar("S")


@dataclass
class PendingReport:
    """A report whose position is resolved after the walk, only if the file has any."""

    code: str
    node: cst.CSTNode
    message: str
    statement: cst.CSTNode | None
    # The statements the finding is in, outermost first: the code of the innermost is all that
    # placing it needs generated.
    statements: tuple[cst.CSTNode, ...]
    fix: FixBuilder | None
    # What the project phase needs to finish the fix (`fix` is then its part in this file).
    deferred: DeferredRequest | None = None


class FileContext:
    """Per-file state shared by the rules: path, roles, imports and the walk's scope stacks."""

    def __init__(
        self,
        path: str,
        relative_path: str,
        module: cst.Module,
        settings: Settings,
        vocabulary: Vocabulary | None = None,
        roles: frozenset[str] | None = None,
    ) -> None:
        self.path = path
        # By path and by content (a revision wherever it lives); by path alone when not given.
        self._roles = roles
        # Posix path relative to the project root: what role and ignore globs match.
        self.relative_path = relative_path
        self.module = module
        self.settings = settings
        # What the file's names stand for in its project; empty when no project model was built.
        self.vocabulary = vocabulary if vocabulary is not None else NO_VOCABULARY
        self.imports = ImportMap(module, self.vocabulary)
        self.reports: list[PendingReport] = []
        self.ancestors: list[cst.CSTNode] = []
        self.class_stack: list[cst.ClassDef] = []
        self.function_stack: list[cst.FunctionDef] = []
        # The per-file services the walk feeds, by type (`Rule.SERVICES`).
        self.services: dict[type, object] = {}
        self._bound_names: dict[int, frozenset[str]] = {}

    @cached_property
    def index(self) -> ModuleIndex:
        return ModuleIndex(self.module, self.imports, self.vocabulary)

    def service(self, kind: type[S]) -> S:
        """The file's `kind` service, which the rule asking named in its `SERVICES`."""
        return self.services[kind]

    @cached_property
    def roles(self) -> frozenset[str]:
        return self._roles if self._roles is not None else self.settings.roles_of(self.relative_path)

    @property
    def is_test_module(self) -> bool:
        """A file under tests/ or named `test_*.py` (which the services glob `**/*_service.py` may also match)."""
        return "tests" in self.roles or self.file_name.startswith("test_")

    @property
    def is_config_module(self) -> bool:
        """One of the `config-modules`, where settings are read from the environment."""
        return any(matches(pattern, self.relative_path) for pattern in self.settings.config_modules)

    @property
    def file_name(self) -> str:
        return self.relative_path.rsplit("/", 1)[-1]

    @property
    def parent(self) -> cst.CSTNode | None:
        """The parent of the node being visited."""
        return self.ancestors[-2] if len(self.ancestors) > 1 else None

    @property
    def enclosing_class(self) -> cst.ClassDef | None:
        return self.class_stack[-1] if self.class_stack else None

    @property
    def class_of_statement(self) -> cst.ClassDef | None:
        """The class whose body the visited statement stands in directly (not in one of its methods)."""
        statement, owner = self.ancestors[-1], self.enclosing_class
        return owner if owner is not None and any(statement is s for s in class_body_statements(owner)) else None

    @property
    def enclosing_function(self) -> cst.FunctionDef | None:
        return self.function_stack[-1] if self.function_stack else None

    def report(
        self,
        code: str,
        node: cst.CSTNode,
        message: str,
        *,
        fix: FixBuilder | None = None,
        deferred: DeferredRequest | None = None,
    ) -> None:
        self.reports.append(
            PendingReport(code, node, message, self._enclosing_statement(), self.statements(), fix, deferred)
        )

    def withdraw(self, code: str, nodes: list[cst.CSTNode]) -> None:
        """Drop the reports of `code` at `nodes`: what the rest of the module showed them not to be (reported
        where they stand, so that a `noqa` comment finds them in their statement)."""
        ids = {id(node) for node in nodes}
        self.reports[:] = [report for report in self.reports if report.code != code or id(report.node) not in ids]

    def statements(self) -> tuple[cst.CSTNode, ...]:
        """The statements the visited node stands in (itself too, if it is one), outermost first."""
        statements = concrete_subtypes(cst.BaseStatement)
        return tuple(node for node in self.ancestors if type(node) in statements)

    def enclosing_blocks(self) -> tuple[cst.IndentedBlock, ...]:
        """The indented blocks the visited node stands in, outermost first."""
        return tuple(node for node in self.ancestors if isinstance(node, cst.IndentedBlock))

    def names_in_scope(self, ancestors: tuple[cst.CSTNode, ...]) -> frozenset[str]:
        """The names bound, other than by the module's imports, in the scopes a node with these
        `ancestors` (itself last) sees: the module, each function around it, and the class it stands
        in directly; and the body of a class being visited, where the fixes of a class write. A name
        a fix adds must avoid them."""
        scopes: list[cst.CSTNode] = [self.module]
        for node, child in pairwise(ancestors):
            # A decorator, parameter or base is evaluated outside the definition: only its body is its scope.
            if not isinstance(node, (cst.FunctionDef, cst.ClassDef)) or child is not node.body:
                continue
            # A class's names are not seen from the functions and classes it holds.
            scopes = [*(scope for scope in scopes if not isinstance(scope, cst.ClassDef)), node]
        if ancestors and isinstance(ancestors[-1], cst.ClassDef):
            scopes.append(ancestors[-1])
        # scopes.py subclasses a LibCST visitor: imported when a fix first asks, so that a run answered
        # from the cache never loads LibCST (lazy_libcst.py).
        from conventions_lint.recognize.scopes import bound_names

        names: frozenset[str] = frozenset()
        for scope in scopes:
            if id(scope) not in self._bound_names:
                self._bound_names[id(scope)] = bound_names(scope)
            names |= self._bound_names[id(scope)]
        return names

    def _enclosing_statement(self) -> cst.CSTNode | None:
        # A noqa comment may sit on the first or last line of the statement a finding is in.
        for node in reversed(self.ancestors):
            if type(node) is cst.SimpleStatementLine or type(node) is cst.Decorator:
                return node
        return None
