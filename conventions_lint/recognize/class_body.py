"""What a class body holds, for fixes that add an attribute to a class (here or, via facts, in another file)."""

from __future__ import annotations

import libcst as cst

from conventions_lint.recognize.syntax import class_body_statements, target_name


def attribute_names(node: cst.ClassDef) -> set[str]:
    """The names a class body binds: attributes, methods and nested classes."""
    names = {target_name(statement) for statement in class_body_statements(node)}
    if isinstance(node.body, cst.IndentedBlock):
        names |= {item.name.value for item in node.body.body if isinstance(item, (cst.FunctionDef, cst.ClassDef))}
    names.discard(None)
    return names


def last_attribute(node: cst.ClassDef) -> cst.SimpleStatementLine | None:
    """Where a new attribute goes: after the last simple statement of the class body, where attributes end."""
    if not isinstance(node.body, cst.IndentedBlock):
        return None
    lines = [item for item in node.body.body if isinstance(item, cst.SimpleStatementLine)]
    return lines[-1] if lines else None
