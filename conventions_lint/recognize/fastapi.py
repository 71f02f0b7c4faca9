"""Routes: a function under `@<router-or-app>.get/post/put/patch/delete(...)`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.fixes.import_order import THIRD_PARTY, first_party_packages, section
from conventions_lint.names import dotted_name, last_name
from conventions_lint.project_model.vocabulary import CLASS, EXTERNAL, FRAMEWORK_PACKAGES, INSTANCE, NOT_API, OPAQUE
from conventions_lint.recognize.syntax import (
    is_builtin,
    is_false,
    is_list_annotation,
    keyword,
    parameters,
    positional,
    string_value,
    subscript_args,
    union_members,
    unwrap_optional,
)

# What a file must hold to have a route: its handler sits under a decorator (Rule.REQUIRES).
ROUTE_TEXT = (b"@",)
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace"})
# A decorator that may be `@<router>.<method>(...)`: the receiver, a dotted name, stands on the line of
# the `@` unless continued with a backslash, or opens a bracket there (`@(app).get(`).
_ROUTE_DECORATOR = re.compile(
    rb"^[ \t]*@(?:[ \t]*[(\[]|(?:[^\n]|\\\n)*\.(?:[ \t]|\\\n)*(?:get|post|put|patch|delete|head|options|trace)\b)",
    re.MULTILINE,
)


def may_have_routes(source: bytes) -> bool:
    """Whether the source may hold a route decorator, judged without parsing it (`Rule.concerns`)."""
    return b"@" in source and _ROUTE_DECORATOR.search(source) is not None


# The methods the conventions speak about; HEAD, OPTIONS and TRACE routes are left alone.
CRUD_METHODS = frozenset({"get", "post", "put", "patch", "delete"})
_ROUTER_FACTORIES = frozenset({"APIRouter", "FastAPI"})
# Packages whose `*Response` classes are Starlette responses, not models.
_RESPONSE_PACKAGES = frozenset({"fastapi", "starlette", "sse_starlette"})
_TEMPLATES = frozenset({"Jinja2Templates"})
# Routers imported from elsewhere cannot be followed, so their conventional names count.
_ROUTER_NAME = re.compile(r"^(app|api|router|.*_router|.*_app|.*_api)$")
_PATH_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")
# `status.HTTP_204_NO_CONTENT` from fastapi or starlette.
_STATUS_CONSTANT = re.compile(r"^HTTP_(\d{3})_")
# Statuses that carry no body, so FastAPI builds no response model for them.
NO_BODY_STATUSES = frozenset({204, 205, 304})
_DEPENDENCY_MARKERS = frozenset({"Depends", "Security"})
# `Pagination`, `PageParams`, `get_paging`, `paginate`: a type or dependency that pages.
_PAGING_NAME = re.compile(r"pag(e|ing|inat)", re.IGNORECASE)
_PAGINATION_PACKAGE = "fastapi_pagination"


@dataclass(frozen=True)
class Route:
    function: cst.FunctionDef
    decorator: cst.Decorator
    call: cst.Call
    method: str
    path: str | None
    # False on a router or app kept out of the OpenAPI schema or answering other than JSON (an HTML router).
    router_in_api: bool = True

    def keyword(self, name: str) -> cst.Arg | None:
        return keyword(self.call, name)

    @property
    def path_parameters(self) -> list[str]:
        return _PATH_PARAMETER.findall(self.path or "")

    @property
    def status_code(self) -> int | None:
        """The `status_code=` as a number: `204`, `status.HTTP_204_NO_CONTENT`, `HTTPStatus.NO_CONTENT`."""
        arg = self.keyword("status_code")
        return status_number(arg.value) if arg is not None else None

    @property
    def in_schema(self) -> bool:
        """Whether the route is part of the API: neither it nor its router is kept out of the schema.

        The API rules (response models, status codes, CRUD names, id types) judge these routes only.
        """
        arg = self.keyword("include_in_schema")
        return self.router_in_api and (arg is None or not is_false(arg.value))

    @property
    def response_type(self) -> cst.BaseExpression | None:
        """What the route answers: its `response_model=`, else its return annotation."""
        arg = self.keyword("response_model")
        if arg is not None:
            return None if is_builtin(arg.value, "None") else arg.value
        returns = self.function.returns
        return returns.annotation if returns is not None else None

    @property
    def states_response(self) -> bool:
        """Whether the decorator says what the route answers: `response_model=`, `response_class=`, or a
        status that carries no body (204, 205, 304)."""
        return (
            self.keyword("response_model") is not None
            or self.keyword("response_class") is not None
            or self.status_code in NO_BODY_STATUSES
        )

    @property
    def returns_list(self) -> bool:
        response = self.response_type
        return response is not None and is_list_annotation(response)


def routes_of(context: FileContext, function: cst.FunctionDef) -> list[Route]:
    """Every route a function handles, one per route decorator, in decorator order."""
    routes = []
    for decorator in function.decorators:
        call = decorator.decorator
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            continue
        method = call.func.attr.value
        router = _router(context, call.func.value) if method in HTTP_METHODS else None
        if router is not None:
            path_arg = keyword(call, "path") or next(iter(positional(call)), None)
            path = string_value(path_arg.value) if path_arg is not None else None
            routes.append(Route(function, decorator, call, method, path, router.in_api))
    return routes


def route_of(context: FileContext, function: cst.FunctionDef) -> Route | None:
    """The route a function handles, from its first route decorator."""
    return next(iter(routes_of(context, function)), None)


def status_number(expr: cst.BaseExpression) -> int | None:
    if isinstance(expr, cst.Integer):
        return int(expr.evaluated_value)
    name = last_name(expr)
    if name is None:
        return None
    constant = _STATUS_CONSTANT.match(name)
    if constant:
        return int(constant.group(1))
    member = HTTPStatus.__members__.get(name)
    if member is not None and isinstance(expr, cst.Attribute) and last_name(expr.value) == "HTTPStatus":
        return member.value
    return None


def is_response_class(
    context: FileContext, expr: cst.BaseExpression, seen: frozenset[str] = frozenset(), kind: str = "Response"
) -> bool:
    """A Starlette `Response` class: `Response`, `RedirectResponse`, `StreamingResponse`, … from fastapi or
    starlette, a third-party one (`sse_starlette`'s `EventSourceResponse`), a class of this file or, as the
    project model says, of the project deriving from one, or a union of them (`StreamingResponse | JSONResponse`).
    With `kind`, one of that kind only (`RedirectResponse`: a redirect, fief's `HXRedirectResponse`)."""
    members = union_members(expr)
    if len(members) > 1:
        return all(is_response_class(context, member, seen, kind) for member in members)
    meaning = context.vocabulary.get(dotted_name(expr))
    if meaning is not None and meaning.kind in (CLASS, EXTERNAL):
        return any(_is_response_name(ancestor, kind) for ancestor in meaning.types)
    qualified = context.imports.qualify(expr)
    if qualified is not None:
        return _is_response_name(qualified, kind)
    name = expr.value if isinstance(expr, cst.Name) else None
    node = context.index.classes.get(name) if name is not None and name not in seen else None
    return node is not None and any(is_response_class(context, base.value, seen | {name}, kind) for base in node.bases)


def builds_page_or_redirect(context: FileContext, value: cst.BaseExpression) -> bool:
    """Whether an expression builds a page or a redirect for a browser: a page rendered by a `Jinja2Templates`
    (`templates.TemplateResponse(...)`), known for one where it is made in the file or as the project model
    says, or a call of a redirect class (`RedirectResponse(url)`, a project subclass). A file or a stream is
    neither: its `response_class=` tells the API's schema what it is."""
    if not isinstance(value, cst.Call):
        return False
    func = value.func
    if isinstance(func, cst.Attribute) and func.attr.value == "TemplateResponse":
        return _is_templates(context, func.value)
    return is_response_class(context, func, kind="RedirectResponse")


def _is_templates(context: FileContext, expr: cst.BaseExpression) -> bool:
    name = dotted_name(expr)
    meaning = context.vocabulary.get(name)
    if meaning is not None:
        return meaning.kind == INSTANCE and any(meaning.is_a(package, _TEMPLATES) for package in _RESPONSE_PACKAGES)
    return (
        name is not None
        and "." not in name
        and any(context.index.assigned_from_call(name, package, _TEMPLATES) for package in _RESPONSE_PACKAGES)
    )


def _is_response_name(qualified: str, kind: str = "Response") -> bool:
    return qualified.split(".", 1)[0] in _RESPONSE_PACKAGES and qualified.endswith(kind)


def names_unknown_class(context: FileContext, annotation: cst.BaseExpression) -> bool:
    """Whether an annotation names a class nothing here can tell from a Starlette response: one imported
    from a third-party package the project model does not describe (`from some_sdk import PdfResponse`),
    or a project class deriving from one."""
    first_party = first_party_packages(context.relative_path)
    for name in _named(annotation):
        meaning = context.vocabulary.get(dotted_name(name))
        if meaning is not None:
            if meaning.has(OPAQUE):
                return True
            continue
        qualified = context.imports.qualify(name)
        if (
            qualified is not None
            and section(qualified, first_party) == THIRD_PARTY
            and qualified.split(".", 1)[0] not in FRAMEWORK_PACKAGES | _RESPONSE_PACKAGES
        ):
            return True
    return False


def _named(node: cst.CSTNode) -> list[cst.BaseExpression]:
    """The names and dotted names an annotation is built of (`list`, `UserResponse` in `list[UserResponse]`)."""
    if isinstance(node, (cst.Name, cst.Attribute)):
        return [node]
    return [named for child in node.children for named in _named(child)]


@dataclass(frozen=True)
class _Router:
    in_api: bool = True


def _router(context: FileContext, receiver: cst.BaseExpression) -> _Router | None:
    """The router or app `receiver` names, if it is one, as the project says or else as its name suggests."""
    name = dotted_name(receiver)
    if name is None:
        return None
    meaning = context.vocabulary.get(name)
    if meaning is not None:
        # The project says what it is: an instance of (a subclass of) APIRouter or FastAPI, or not a router.
        if meaning.kind == INSTANCE and meaning.is_a("fastapi", _ROUTER_FACTORIES):
            return _Router(in_api=not meaning.has(NOT_API))
        return None
    if "." not in name and isinstance(context.index.assignment(name), cst.Call):
        # Bound here: only a FastAPI()/APIRouter() counts (`app = Flask(__name__)` does not).
        return _Router() if context.index.assigned_from_call(name, "fastapi", _ROUTER_FACTORIES) else None
    # A router the project cannot resolve (imported from outside it) is known by its conventional name.
    return _Router() if _ROUTER_NAME.match(name.rsplit(".", 1)[-1]) else None


def parameter(function: cst.FunctionDef, name: str) -> cst.Param | None:
    params = function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == name:
            return param
    return None


def handler_parameters(function: cst.FunctionDef) -> list[cst.Param]:
    """The parameters FastAPI reads from a request, in source order: all but a method's `self` or `cls`.

    FastAPI makes no exception for `*args` and `**kwargs`: they become query parameters.
    """
    first = next(iter([*function.params.posonly_params, *function.params.params]), None)
    return parameters(function, skip_first=first is not None and first.name.value in ("self", "cls"))


def dependency_marker(context: FileContext, param: cst.Param) -> cst.Call | None:
    """The `Depends(...)` (or `Security(...)`) of `db=Depends(get_db)` or `db: Annotated[Session, Depends(get_db)]`."""
    candidates = [param.default] if param.default is not None else []
    if param.annotation is not None:
        annotation = param.annotation.annotation
        if isinstance(annotation, cst.Subscript) and last_name(annotation.value) == "Annotated":
            candidates += subscript_args(annotation)[1:]
    return next(
        (
            candidate
            for candidate in candidates
            if isinstance(candidate, cst.Call)
            and context.imports.refers_to(candidate.func, "fastapi", _DEPENDENCY_MARKERS)
        ),
        None,
    )


def dependency_of(context: FileContext, param: cst.Param) -> cst.BaseExpression | None:
    """What a dependency parameter depends on: `get_db` in `Depends(get_db)`; the annotated class for `Depends()`."""
    marker = dependency_marker(context, param)
    if marker is None:
        return None
    given = keyword(marker, "dependency") or next(iter(positional(marker)), None)
    if given is not None:
        return given.value
    return unwrap_optional(param.annotation.annotation) if param.annotation is not None else None


def is_paging_parameter(context: FileContext, param: cst.Param, paging_parameters: tuple[str, ...]) -> bool:
    """`skip`, `limit`, … by name; or a parameter whose type or dependency pages (`Pagination`,
    `Depends(paginate)`, fastapi-pagination's `Params`)."""
    if param.name.value in paging_parameters:
        return True
    kinds = [unwrap_optional(param.annotation.annotation)] if param.annotation is not None else []
    dependency = dependency_of(context, param)
    if dependency is not None:
        kinds.append(dependency)
    return any(_is_paging_kind(context, kind) for kind in kinds)


def _is_paging_kind(context: FileContext, expr: cst.BaseExpression) -> bool:
    # `Page[Item]`, `Pagination(max_limit=100)`: the class names what it is.
    if isinstance(expr, cst.Subscript):
        expr = expr.value
    elif isinstance(expr, cst.Call):
        expr = expr.func
    qualified = context.imports.qualify(expr)
    if qualified is not None and qualified.split(".", 1)[0] == _PAGINATION_PACKAGE:
        return True
    return bool(_PAGING_NAME.search(last_name(expr) or ""))
