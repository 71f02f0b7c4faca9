"""The single traversal: every enabled rule, and every service the rules use, sees the node
types it subscribed to (visitor.py).

The walk is iterative (deeply nested code cannot exhaust the interpreter stack)
and reads a node's children straight from its dataclass fields, skipping the
whitespace and punctuation nodes no rule looks at. LibCST's own visitor
rebuilds every node on the way up, which a read-only pass does not need.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import cache
from typing import TypeAlias

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.rule import Rule
from conventions_lint.visitor import SKIPPED_FIELDS, Service, Visitor, subscriptions

Handler: TypeAlias = "Callable[[cst.CSTNode], None]"

_LEAVE, _ENTER_SCOPE = 1, 2


@cache
def concrete_node_types() -> frozenset[type]:
    """CSTNode is an abstract base class: `isinstance` against it goes through ABCMeta, which
    costs more than the rest of the walk. A set of the concrete classes answers the same."""
    found, pending = set(), [cst.CSTNode]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.add(subclass)
            pending.append(subclass)
    return frozenset(found)


@cache
def _child_fields(node_type: type) -> tuple[str, ...]:
    names = [
        f.name
        for f in dataclasses.fields(node_type)
        if f.name not in SKIPPED_FIELDS and not f.name.startswith("whitespace")
    ]
    if "decorators" in names:
        # Decorators run in the enclosing scope, so they are walked before the scope is entered.
        names.remove("decorators")
    return tuple(names)


class RuleFailure(Exception):
    """A rule raised while handling a node, or a service it uses did; carries what CL002 needs to say.

    `rule` is the fact collector when it fails: no rule uses it, and its findings are the facts.
    """

    def __init__(self, rule: Rule, node: cst.CSTNode, error: BaseException) -> None:
        super().__init__(f"{rule.code} raised {type(error).__name__}: {error}")
        self.rule, self.node, self.error = rule, node, error


class Walker:
    """Feeds `services` before `rules` on the way down and after them on the way up."""

    def __init__(
        self,
        context: FileContext,
        rules: Sequence[Rule],
        services: Sequence[Service],
        on_failure: Callable[[RuleFailure], None],
    ) -> None:
        self.context = context
        self.rules = list(rules)
        self.services = list(services)
        self.on_failure = on_failure
        self._build_tables()

    def _build_tables(self) -> None:
        self.visit_table: dict[type, list[tuple[Visitor, Handler]]] = {}
        self.leave_table: dict[type, list[tuple[Visitor, Handler]]] = {}
        for visitor in (*self.services, *self.rules):
            for kind, node_type, method in subscriptions(type(visitor)):
                if kind == "visit":
                    self.visit_table.setdefault(node_type, []).append((visitor, getattr(visitor, method)))
        for visitor in (*self.rules, *self.services):
            for kind, node_type, method in subscriptions(type(visitor)):
                if kind == "leave":
                    self.leave_table.setdefault(node_type, []).append((visitor, getattr(visitor, method)))

    def _dispatch(self, table: dict[type, list[tuple[Visitor, Handler]]], node: cst.CSTNode) -> None:
        # Rebuilding the tables after a failure makes new lists, so this loop goes on undisturbed.
        for visitor, handler in table.get(type(node), ()):
            try:
                handler(node)
            except Exception as error:
                self._fail(visitor, node, error)

    def _fail(self, visitor: Visitor, node: cst.CSTNode, error: Exception) -> None:
        """A failing rule stops; a failing service stops with every rule that uses it."""
        if isinstance(visitor, Rule):
            failed = [visitor]
        else:
            self.services.remove(visitor)
            failed = [rule for rule in self.rules if type(visitor) in rule.SERVICES] or [visitor]
        self.rules = [rule for rule in self.rules if rule not in failed]
        self._build_tables()
        for rule in failed:
            self.on_failure(RuleFailure(rule, node, error))

    def walk(self, module: cst.Module) -> None:
        context = self.context
        node_types = concrete_node_types()
        stack: list[tuple[object, int]] = [(module, 0)]
        while stack:
            item, state = stack.pop()
            if state == _ENTER_SCOPE:
                (context.class_stack if type(item) is cst.ClassDef else context.function_stack).append(item)
                continue
            if state == _LEAVE:
                if type(item) is cst.ClassDef:
                    context.class_stack.pop()
                elif type(item) is cst.FunctionDef:
                    context.function_stack.pop()
                self._dispatch(self.leave_table, item)
                context.ancestors.pop()
                continue
            node = item
            context.ancestors.append(node)
            self._dispatch(self.visit_table, node)
            stack.append((node, _LEAVE))
            for child in reversed(children(node, node_types)):
                # Tokens with nothing inside (operators, `pass`, …) that no rule looks at are not pushed.
                kind = type(child)
                if _child_fields(kind) or kind in self.visit_table or kind in self.leave_table:
                    stack.append((child, 0))
            if type(node) is cst.ClassDef or type(node) is cst.FunctionDef:
                stack.append((node, _ENTER_SCOPE))
                for decorator in reversed(node.decorators):
                    stack.append((decorator, 0))


def children(node: cst.CSTNode, node_types: frozenset[type]) -> list[cst.CSTNode]:
    children: list[cst.CSTNode] = []
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        kind = type(value)
        if kind in node_types:
            children.append(value)
        elif kind is tuple or kind is list:
            children.extend(item for item in value if type(item) in node_types)
    return children
