"""Routes that relay another service's answer: the handler calls an HTTP client and returns the body of
its response as it came (`return await r.json()`), streaming it or relaying its error as a response
object on its other paths. What such a route answers is the other service's schema, not one of the team's:
a `response_model=` would filter out whatever that service adds.

Only what the code shows counts: the client is a class of aiohttp, httpx or requests, made in the
handler or returned by a function the project model describes (`get_session() -> aiohttp.ClientSession`),
and every name in between is bound in the handler to nothing else.
"""

from __future__ import annotations

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import dotted_name
from conventions_lint.project_model.vocabulary import FUNCTION
from conventions_lint.recognize.fastapi import is_response_class
from conventions_lint.recognize.returns import ReturnTracker
from conventions_lint.recognize.syntax import is_builtin

_HTTP_CLIENTS = frozenset({"aiohttp.ClientSession", "httpx.AsyncClient", "httpx.Client", "requests.Session"})
# A client's methods that send a request and answer its response, and a response's that read its body.
_REQUEST_METHODS = frozenset({"request", "get", "post", "put", "patch", "delete"})
_BODY_METHODS = frozenset({"json", "text", "read"})


def relays_upstream(context: FileContext, function: cst.FunctionDef) -> bool:
    """Whether the handler returns the body of an HTTP client's response on some path, and on every
    other path a response object it builds (`StreamingResponse(...)`, `JSONResponse(...)` of the error)."""
    tracker = context.service(ReturnTracker)
    relayed = False
    for value in tracker.returned(function):
        for found in tracker.values_of(function, value):
            if found is not None and _is_body(context, tracker, function, found):
                relayed = True
            elif not (found is not None and _builds_response(context, found)):
                return False
    return relayed


def _builds_response(context: FileContext, value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Call) and is_response_class(context, value.func)


def _is_body(
    context: FileContext, tracker: ReturnTracker, function: cst.FunctionDef, value: cst.BaseExpression
) -> bool:
    """`await r.json()`, `r.text()`, `await r.read()` of an upstream response `r`."""
    call = _called(value, _BODY_METHODS)
    if call is None:
        return False
    # `r = None` before the `try` that sends the request: the body is read only from a response.
    sent = [
        found
        for found in tracker.values_of(function, call.func.value)
        if found is None or not is_builtin(found, "None")
    ]
    return bool(sent) and all(
        found is not None
        and (request := _called(found, _REQUEST_METHODS)) is not None
        and _is_client(context, tracker, function, request.func.value)
        for found in sent
    )


def _is_client(
    context: FileContext, tracker: ReturnTracker, function: cst.FunctionDef, expr: cst.BaseExpression
) -> bool:
    made = tracker.values_of(function, expr)
    return all(found is not None and _makes_client(context, found) for found in made)


def _makes_client(context: FileContext, value: cst.BaseExpression) -> bool:
    """`httpx.AsyncClient()`, or a call of a function the project model says returns a client."""
    if isinstance(value, cst.Await):
        value = value.expression
    if not isinstance(value, cst.Call):
        return False
    meaning = context.vocabulary.get(dotted_name(value.func))
    if meaning is not None:
        return meaning.kind == FUNCTION and not _HTTP_CLIENTS.isdisjoint(meaning.types)
    return context.imports.qualify(value.func) in _HTTP_CLIENTS


def _called(value: cst.BaseExpression, methods: frozenset[str]) -> cst.Call | None:
    """The call of `x.<method>(...)`, awaited or not, when `value` is one."""
    if isinstance(value, cst.Await):
        value = value.expression
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value in methods:
        return value
    return None
