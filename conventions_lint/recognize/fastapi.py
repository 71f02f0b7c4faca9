"""Routes: a function under `@<router-or-app>.get/post/put/patch/delete(...)`."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import dotted_name
from conventions_lint.recognize.syntax import keyword, positional, string_value

HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace"})
_ROUTER_FACTORIES = frozenset({"APIRouter", "FastAPI"})
# Routers imported from elsewhere cannot be followed, so their conventional names count.
_ROUTER_NAME = re.compile(r"^(app|api|router|.*_router|.*_app|.*_api)$")
_PATH_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")


@dataclass(frozen=True)
class Route:
    function: cst.FunctionDef
    decorator: cst.Decorator
    call: cst.Call
    method: str
    path: str | None

    def keyword(self, name: str) -> cst.Arg | None:
        return keyword(self.call, name)

    @property
    def path_parameters(self) -> list[str]:
        return _PATH_PARAMETER.findall(self.path or "")


def route_of(context: FileContext, function: cst.FunctionDef) -> Route | None:
    """The route a function handles, from its first route decorator."""
    for decorator in function.decorators:
        call = decorator.decorator
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            continue
        method = call.func.attr.value
        if method in HTTP_METHODS and _is_router(context, call.func.value):
            path_arg = keyword(call, "path") or next(iter(positional(call)), None)
            path = string_value(path_arg.value) if path_arg is not None else None
            return Route(function, decorator, call, method, path)
    return None


def _is_router(context: FileContext, receiver: cst.BaseExpression) -> bool:
    name = dotted_name(receiver)
    if name is None:
        return False
    if "." not in name and context.index.assigned_from_call(name, "fastapi", _ROUTER_FACTORIES):
        return True
    return bool(_ROUTER_NAME.match(name.rsplit(".", 1)[-1]))


def parameter(function: cst.FunctionDef, name: str) -> cst.Param | None:
    params = function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == name:
            return param
    return None
