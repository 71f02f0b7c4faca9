"""The single traversal: every enabled rule, and every service the rules use, sees the node
types it subscribed to (visitor.py).

The walk is iterative (deeply nested code cannot exhaust the interpreter stack)
and reads a node's children straight from its dataclass fields, skipping the
whitespace and punctuation nodes no rule looks at. LibCST's own visitor
rebuilds every node on the way up, which a read-only pass does not need.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import TypeAlias

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.node_children import child_fields, concrete_node_types
from conventions_lint.rule import Rule
from conventions_lint.visitor import Service, Visitor, subscriptions

Handler: TypeAlias = "Callable[[cst.CSTNode], None]"

_LEAVE, _ENTER_SCOPE = 1, 2


@cache
def _with_children() -> frozenset[type]:
    return frozenset(kind for kind in concrete_node_types() if child_fields(kind))


@cache
def _fields_last_first() -> dict[type, tuple[str, ...]]:
    return {kind: child_fields(kind)[::-1] for kind in concrete_node_types()}


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
        self.visit_table: dict[type, list[tuple[Visitor, Handler]]] = {}
        self.leave_table: dict[type, list[tuple[Visitor, Handler]]] = {}
        # The node types worth pushing: those with children, and those a visitor handles.
        self.pushed: set[type] = set()
        self._build_tables()

    def _build_tables(self) -> None:
        # Refilled in place after a failure: the walk holds the tables, and a handler list being run
        # is replaced, not changed, so its loop goes on undisturbed.
        self.visit_table.clear()
        self.leave_table.clear()
        for visitor in (*self.services, *self.rules):
            for kind, node_type, method in subscriptions(type(visitor)):
                if kind == "visit":
                    self.visit_table.setdefault(node_type, []).append((visitor, getattr(visitor, method)))
        for visitor in (*self.rules, *self.services):
            for kind, node_type, method in subscriptions(type(visitor)):
                if kind == "leave":
                    self.leave_table.setdefault(node_type, []).append((visitor, getattr(visitor, method)))
        self.pushed = _with_children() | self.visit_table.keys() | self.leave_table.keys()

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
        ancestors, class_stack, function_stack = context.ancestors, context.class_stack, context.function_stack
        visit_table, leave_table, fail = self.visit_table, self.leave_table, self._fail
        fields_last_first = _fields_last_first()
        class_def, function_def = cst.ClassDef, cst.FunctionDef
        # A node to visit is pushed as it is, a way back up (leaving it, entering its scope) as a (node, state)
        # pair: most nodes are visited and never left, and a tuple for each was a tenth of the walk. The
        # handlers' loops are inlined, not a method, for the same reason.
        stack: list[object] = [module]
        pop, push = stack.pop, stack.append
        while stack:
            item = pop()
            kind = type(item)
            if kind is tuple:
                item, state = item
                kind = type(item)
                if state == _ENTER_SCOPE:
                    (class_stack if kind is class_def else function_stack).append(item)
                    continue
                if kind is class_def:
                    class_stack.pop()
                elif kind is function_def:
                    function_stack.pop()
                handlers = leave_table.get(kind)
                if handlers:
                    for visitor, handler in handlers:
                        try:
                            handler(item)
                        except Exception as error:
                            fail(visitor, item, error)
                ancestors.pop()
                continue
            ancestors.append(item)
            handlers = visit_table.get(kind)
            if handlers:
                for visitor, handler in handlers:
                    try:
                        handler(item)
                    except Exception as error:
                        fail(visitor, item, error)
            fields = fields_last_first[kind]
            if not fields and kind not in leave_table:
                # A leaf (a name, a string, …) nobody leaves: nothing to come back to.
                ancestors.pop()
                continue
            push((item, _LEAVE))
            # Children are pushed last first, so that they are visited in source order (node_children.children,
            # inlined: it was a tenth of the walk). Tokens with nothing inside (operators, `pass`, …) that no
            # rule looks at are not pushed.
            pushed = self.pushed
            for name in fields:
                value = getattr(item, name)
                value_kind = type(value)
                if value_kind in pushed:
                    push(value)
                elif value_kind is tuple or value_kind is list:
                    for child in reversed(value):
                        if type(child) in pushed:
                            push(child)
            if kind is class_def or kind is function_def:
                push((item, _ENTER_SCOPE))
                for decorator in reversed(item.decorators):
                    push(decorator)
