"""What a scope binds (recognize/scopes.py): the names a fix must not shadow when it adds one."""

from __future__ import annotations

import textwrap

import libcst as cst

from conventions_lint.recognize.scopes import bound_names

MODULE = textwrap.dedent(
    """
    import os
    from typing import Any
    a = b = 1
    c, [d, *e] = f()
    g: int = 0
    h += 1
    if (i := 2):
        for j, k in items:
            with open(p) as l, ctx() as (m, n):
                pass
    try:
        pass
    except Exception as o:
        pass
    match x:
        case [q, *r]:
            pass
        case {"k": s}:
            pass
    global t

    @decorator
    def function(v, /, w, *x, y, **z):
        import json
        from json import dumps as to_json
        inner = [comprehended for comprehended in v]
        lambda lambda_parameter: lambda_parameter
        nonlocal_name = 1

        def nested():
            hidden = 1

    class Model(Base):
        field: str
        method = staticmethod(len)

        def save(self):
            local = 1
    """
)


def scopes() -> tuple[cst.Module, cst.FunctionDef, cst.ClassDef]:
    module = cst.parse_module(MODULE)
    function = next(s for s in module.body if isinstance(s, cst.FunctionDef))
    model = next(s for s in module.body if isinstance(s, cst.ClassDef))
    return module, function, model


def test_a_module_binds_its_assignments_targets_and_definitions_not_its_imports() -> None:
    module, _, _ = scopes()
    assert bound_names(module) == set("abcdeghijklmnoqrst") | {"function", "Model"}


def test_a_function_binds_its_parameters_imports_and_locals_not_its_nested_scopes() -> None:
    _, function, _ = scopes()
    assert bound_names(function) == {"v", "w", "x", "y", "z", "json", "to_json", "inner", "nonlocal_name", "nested"}


def test_a_class_binds_its_fields_and_methods() -> None:
    _, _, model = scopes()
    assert bound_names(model) == {"field", "method", "save"}
