"""What the walk feeds: visitors that subscribe to LibCST node types by method name, as in Fixit.

A visitor defines `visit_<Node>` / `leave_<Node>` (LibCST class names). The walk
(walker.py) feeds two kinds: the rules, and per-file services (the session tracker,
the fact collector) that rules and the engine ask questions of. A service is fed
before the rules on the way down and after them on the way up, so a rule's visitor
always sees the service's answer for the node it is visiting, and one service
serves every rule of the file.

The walk reads a node's children from its dataclass fields and skips whitespace,
comments and punctuation, which no rule looks at: a visitor that subscribes to one
of those node types is refused where it is defined, since it would never be called.
This is checked on method names, without importing LibCST, which the command line
loads only when it parses (lazy_libcst.py).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    from conventions_lint.context import FileContext

# The node types that stand only in the fields the walk does not enter (node_children.py), and so are never visited
# (tests/test_walker.py derives this set from LibCST's node classes).
UNVISITED_NODE_TYPES = frozenset(
    {
        "AssignEqual",
        "Comma",
        "Comment",
        "Dot",
        "EmptyLine",
        "LeftCurlyBrace",
        "LeftParen",
        "LeftSquareBracket",
        "Newline",
        "ParenthesizedWhitespace",
        "RightCurlyBrace",
        "RightParen",
        "RightSquareBracket",
        "Semicolon",
        "SimpleWhitespace",
        "TrailingWhitespace",
    }
)


class Visitor:
    """Anything the walk feeds: its `visit_<Node>` / `leave_<Node>` methods are its subscriptions."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        for attribute in vars(cls):
            kind, _, node_name = attribute.partition("_")
            if kind in ("visit", "leave") and node_name in UNVISITED_NODE_TYPES:
                raise TypeError(
                    f"{cls.__qualname__}.{attribute}: the walk never visits {node_name} nodes (whitespace, "
                    f"comments and punctuation are skipped); read them from the node that holds them"
                )


class Service(Visitor):
    """A per-file helper that the walk feeds once for every rule that uses it (`Rule.SERVICES`).

    Rules reach it with `self.context.service(ServiceType)`.
    """

    def __init__(self, context: FileContext) -> None:
        self.context = context


# (kind, node type, method name): "visit" or "leave", the LibCST class, the method's name.
Subscription = tuple[str, type, str]


@cache
def subscriptions(visitor_type: type[Visitor]) -> tuple[Subscription, ...]:
    """(kind, node type, method name) for each visit_/leave_ method of a visitor class."""
    found = []
    for attribute in dir(visitor_type):
        kind, _, node_name = attribute.partition("_")
        node_type = getattr(cst, node_name, None) if kind in ("visit", "leave") else None
        if isinstance(node_type, type) and issubclass(node_type, cst.CSTNode):
            found.append((kind, node_type, attribute))
    return tuple(found)
