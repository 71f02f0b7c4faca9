"""A LibCST node's children as a read-only pass reads them: straight from its dataclass fields, leaving out
whitespace, comments and punctuation, which nothing here looks at. The walk (walker.py), positions and
the scopes' names read the tree this way, not through LibCST's visitors, which rebuild every node they pass.
"""

from __future__ import annotations

import dataclasses
import typing
from functools import cache

import libcst as cst

# The fields of a node that the walk does not enter: whitespace (and `whitespace_*`), comments,
# brackets and punctuation.
SKIPPED_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "leading_lines",
        "leading_whitespace",
        "lines_after_decorators",
        "header",
        "footer",
        "comma",
        "trailing_comma",
        "equal",
        "semicolon",
        "trailing_whitespace",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "dot",
        "relative",
        "newline",
    }
)


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
def concrete_subtypes(base: type) -> frozenset[type]:
    """The concrete node classes that are `base`, for `type(node) in ...` where `isinstance` would go through ABCMeta."""
    return frozenset(kind for kind in concrete_node_types() if issubclass(kind, base))


@cache
def child_fields(node_type: type) -> tuple[str, ...]:
    names = [
        f.name
        for f in dataclasses.fields(node_type)
        if f.name not in SKIPPED_FIELDS and not f.name.startswith("whitespace") and _may_hold_node(f.type)
    ]
    if "decorators" in names:
        # Decorators run in the enclosing scope, so they are walked before the scope is entered.
        names.remove("decorators")
    return tuple(names)


def _may_hold_node(annotation: object) -> bool:
    """False for a field declared to hold text, a flag or a marker (`Name.value`, `Param.star`): a name or a
    string with no field left to read is a leaf, which the walk need not come back to."""
    if isinstance(annotation, type):
        return issubclass(annotation, cst.CSTNode)
    if typing.get_origin(annotation) is typing.Literal:
        return False
    arguments = typing.get_args(annotation)
    # A forward reference or an unknown form: read the field, as before.
    return not arguments or any(_may_hold_node(argument) for argument in arguments)


def children(node: cst.CSTNode, node_types: frozenset[type]) -> list[cst.CSTNode]:
    children: list[cst.CSTNode] = []
    for name in child_fields(type(node)):
        value = getattr(node, name)
        kind = type(value)
        if kind in node_types:
            children.append(value)
        elif kind is tuple or kind is list:
            children.extend(item for item in value if type(item) in node_types)
    return children
