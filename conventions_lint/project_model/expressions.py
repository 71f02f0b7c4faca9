"""Names in CPython's tree, as the first phase reads them: dotted names, and the type inside a wrapper."""

from __future__ import annotations

import ast

# Wrappers whose first argument is the type: `Optional[T]`, `Annotated[T, ...]`.
_OPTIONAL = frozenset({"Optional", "Annotated", "Final", "ClassVar"})


def is_annotated(node: ast.expr) -> bool:
    return isinstance(node, ast.Subscript) and (dotted(node.value) or "").rsplit(".", 1)[-1] == "Annotated"


def argument(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, bool)):
        return repr(node.value)
    return dotted(node) or ""


def dotted(node: ast.expr | None) -> str | None:
    """`sa.orm.Session` for an attribute chain of names (a quoted one too); the value of `X[...]`; else None."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value.strip()
        return text if text and all(part.isidentifier() for part in text.split(".")) else None
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def unwrapped(node: ast.expr | None) -> ast.expr | None:
    """T for `Optional[T]`, `T | None`, `Annotated[T, ...]`, `"T"`."""
    while True:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            if _is_none(node.right):
                node = node.left
            elif _is_none(node.left):
                node = node.right
            else:
                return node
        elif isinstance(node, ast.Subscript) and (dotted(node.value) or "").rsplit(".", 1)[-1] in _OPTIONAL:
            node = first_argument(node)
        else:
            return node


def first_argument(node: ast.Subscript) -> ast.expr:
    inner = node.slice
    return inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
