"""Database handles: is this expression a sync `Session`, an `AsyncSession`, an `Engine`, …, and how do we know?

A handle is known three ways, strongest first:
- by annotation: a parameter (or class attribute) annotated `Session`, `AsyncSession`,
  `Engine`, `AsyncEngine`, `Connection`, `AsyncConnection`, `scoped_session` from
  sqlalchemy or sqlmodel, through `Optional`/`Annotated`/`X | None`, a quoted name,
  or a type alias of this module (`SessionDep = Annotated[AsyncSession, Depends(get_db)]`);
- by construction: `Session(engine)`, `SessionLocal()` where `SessionLocal = sessionmaker(...)`,
  `create_engine(...)`, `engine.connect()`, `with ... as s` and `s = ...` of those;
- by name only: a parameter, `with ... as` target or `self.<name>` attribute named in the
  `session-parameters` setting (`db`, `session`, `db_session`). Whether it is sync or async is
  then unknown. A parameter whose annotation says it is something else (`db: str`,
  `session: aiohttp.ClientSession`) is not taken for a session.

The engine walks once in source order, so the `SessionTracker` (a service the walk feeds,
one per file) learns bindings as the walk passes them; rules derive from `SessionTrackingRule`
to ask it (`self.sessions`), and define their visitors without calling `super()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import dotted_name, last_name
from conventions_lint.project_model.vocabulary import ASYNC, CLASS, EXTERNAL, FUNCTION, INSTANCE, OPAQUE, TYPE, Meaning
from conventions_lint.recognize.handles import (
    CONNECTION_OPENERS,
    CONSTRUCTIBLE,
    DB_PACKAGES,
    HANDLE_FACTORIES,
    HANDLE_TYPES,
    NON_DB_PACKAGES,
    SESSION_LIKE_ANNOTATION,
    Evidence,
    Handle,
    Kind,
    db_name,
    makes_async_sessions,
)
from conventions_lint.recognize.syntax import class_body_statements, string_value, unwrap_optional
from conventions_lint.rule import Rule
from conventions_lint.visitor import Service


@dataclass
class _Scope:
    # None for the module and class bodies.
    function: cst.FunctionDef | None
    is_class: bool = False
    # None shadows an outer handle: the name is bound here to something else.
    names: dict[str, Handle | None] = field(default_factory=dict)
    # In a class scope: what `self.<attribute>` holds, from annotations and `self.x = ...`.
    attributes: dict[str, Handle | None] = field(default_factory=dict)


class SessionTracker(Service):
    """Which names and `self` attributes hold database handles at the current point of the walk."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self._scopes: list[_Scope] = [_Scope(None)]
        self._type_aliases: dict[str, Handle] = {}

    @property
    def function(self) -> cst.FunctionDef | None:
        """The function whose body is being walked (None in a module or class body)."""
        return self._scopes[-1].function

    @property
    def in_async_function(self) -> bool:
        function = self.function
        return function is not None and function.asynchronous is not None

    # What an expression is.

    def handle_of(self, expr: cst.BaseExpression) -> Handle | None:
        """The database handle `expr` evaluates to, if it is known to be one."""
        kind = type(expr)
        if kind is cst.Await:
            return self.handle_of(expr.expression)
        if kind is cst.Name:
            scope = self._binding(expr.value)
            handle = scope.names[expr.value] if scope is not None else None
            if scope is None and (meaning := self.context.vocabulary.get(expr.value)) is not None:
                handle = _handle_of_meaning(meaning)  # an engine or sessionmaker imported from elsewhere
            # A `scoped_session` proxies the session's methods.
            return replace(handle, kind=Kind.SESSION) if handle and handle.kind is Kind.SCOPED_SESSION else handle
        if kind is cst.Attribute:
            return self._attribute(expr)
        if kind is cst.Call:
            return self._constructed(expr)
        return None

    def receiver_of(self, call: cst.Call) -> tuple[Handle, str] | None:
        """For `receiver.method(...)` on a known handle: the handle and the method name."""
        if type(call.func) is not cst.Attribute:
            return None
        handle = self.handle_of(call.func.value)
        if handle is None or handle.kind is Kind.SESSION_FACTORY:
            return None
        return handle, call.func.attr.value

    def annotated_handle(self, annotation: cst.BaseExpression) -> Handle | None:
        expr = unwrap_optional(annotation)
        quoted = string_value(expr)
        if quoted is not None and quoted.isidentifier():
            expr = cst.Name(quoted)
        alias = self._type_aliases.get(expr.value) if isinstance(expr, cst.Name) else None
        if alias is not None:
            return alias
        found = HANDLE_TYPES.get(db_name(self.context, expr) or "")
        if found is None:
            # A class, alias or re-export of the project's own (`class AppSession(Session)`, `SessionDep` elsewhere).
            found = _typed(self._project_meaning(expr), (CLASS, TYPE, EXTERNAL))
        return Handle(found[0], found[1], Evidence.ANNOTATION) if found else None

    def _project_meaning(self, expr: cst.BaseExpression) -> Meaning | None:
        """What the project says a module-level name is; None for a name bound in an enclosing function."""
        name = dotted_name(expr)
        if name is None or self._binding(name.split(".", 1)[0]) is not None:
            return None
        return self.context.vocabulary.get(name)

    def parameter_handle(self, param: cst.Param) -> Handle | None:
        annotation = param.annotation.annotation if param.annotation is not None else None
        handle = self._declared(param.name.value, annotation)
        return replace(handle, parameter=param) if handle is not None else None

    # Learning as the walk goes: fed before the rules on the way down, after them on the way up.

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope = _Scope(node)
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            scope.names[param.name.value] = self.parameter_handle(param)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.names[star.name.value] = None
        self._scopes.append(scope)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        scope = _Scope(None, is_class=True)
        for statement in class_body_statements(node):
            if isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name):
                name = statement.target.value
                scope.attributes[name] = self._declared(name, statement.annotation.annotation)
        self._scopes.append(scope)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.pop()

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self._scopes.pop()

    # Bindings are learned on leave: the right-hand side runs before the name is bound.
    def leave_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._learn_assignment(target.target, node.value)

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._learn_assignment(node.target, node.value, node.annotation.annotation)

    def leave_TypeAlias(self, node: cst.TypeAlias) -> None:
        self._learn_type_alias(node.name.value, node.value)

    def leave_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is None:
            return
        target = node.asname.name
        if isinstance(target, cst.Name):
            handle = self.handle_of(node.item)
            if handle is None and not self._is_foreign(node.item):
                handle = self._by_name(target.value)
            self._scopes[-1].names[target.value] = handle
        else:
            self._learn_assignment(target, None)

    def _learn_assignment(
        self, target: cst.BaseExpression, value: cst.BaseExpression | None, annotation: cst.BaseExpression | None = None
    ) -> None:
        """`target = value` (or `target: annotation = value`) has just run."""
        handle = self.annotated_handle(annotation) if annotation is not None else None
        if handle is None and value is not None:
            handle = self.handle_of(value)
        if isinstance(target, cst.Name):
            is_alias_shaped = annotation is None or last_name(annotation) == "TypeAlias"
            if len(self._scopes) == 1 and value is not None and handle is None and is_alias_shaped:
                self._learn_type_alias(target.value, value)
            self._scopes[-1].names[target.value] = handle
        elif isinstance(target, cst.Attribute) and _is_self(target.value):
            owner = self._class_scope()
            # An unknown value (`SessionLocal()` imported from elsewhere) leaves the attribute to its name.
            if owner is not None and (handle is not None or self._is_known_not_a_handle(value)):
                owner.attributes[target.attr.value] = handle
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._learn_assignment(element.value, None)

    def _learn_type_alias(self, name: str, value: cst.BaseExpression) -> None:
        """`SessionDep = Annotated[AsyncSession, Depends(get_db)]` (or `type SessionDep = ...`)."""
        handle = self.annotated_handle(value)
        if handle is not None:
            self._type_aliases[name] = handle

    # Internals.

    def _binding(self, name: str) -> _Scope | None:
        """The scope whose binding of `name` is visible here (class bodies are not seen from methods)."""
        innermost = self._scopes[-1]
        for scope in reversed(self._scopes):
            if name in scope.names and (scope is innermost or not scope.is_class):
                return scope
        return None

    def _class_scope(self) -> _Scope | None:
        return next((scope for scope in reversed(self._scopes) if scope.is_class), None)

    def _attribute(self, expr: cst.Attribute) -> Handle | None:
        if not _is_self(expr.value):
            return None
        attribute = expr.attr.value
        owner = self._class_scope()
        if owner is not None and attribute in owner.attributes:
            return owner.attributes[attribute]
        return self._by_name(attribute.lstrip("_"))

    def _constructed(self, call: cst.Call) -> Handle | None:
        func = call.func
        if type(func) is cst.Name and (scope := self._binding(func.value)) is not None:
            made_by = scope.names[func.value]
            if made_by is not None and made_by.kind in (Kind.SESSION_FACTORY, Kind.SCOPED_SESSION):
                return Handle(Kind.SESSION, made_by.is_async, Evidence.CONSTRUCTION)
            return None
        meaning = self._project_meaning(func)
        if meaning is not None:
            # `SessionLocal()` made by a sessionmaker elsewhere, `refetch(org)` annotated `-> Session`.
            made_by = _handle_of_meaning(meaning)
            if made_by is not None and made_by.kind in (Kind.SESSION_FACTORY, Kind.SCOPED_SESSION):
                return Handle(Kind.SESSION, made_by.is_async, Evidence.CONSTRUCTION)
            returned = _typed(meaning, (FUNCTION,)) if not meaning.yields else None
            return Handle(returned[0], returned[1], Evidence.CONSTRUCTION) if returned else None
        name = db_name(self.context, func)
        if name in CONSTRUCTIBLE:
            kind, is_async = HANDLE_TYPES[name]
            return Handle(kind, is_async, Evidence.CONSTRUCTION)
        if name in HANDLE_FACTORIES:
            kind, is_async = HANDLE_FACTORIES[name]
            if name == "sessionmaker" and makes_async_sessions(self.context, call):
                is_async = True
            return Handle(kind, is_async, Evidence.CONSTRUCTION)
        if isinstance(func, cst.Attribute):
            source = self.handle_of(func.value)
            if source is not None and func.attr.value in CONNECTION_OPENERS.get(source.kind, ()):
                return Handle(Kind.CONNECTION, source.is_async, Evidence.CONSTRUCTION)
        return None

    def _by_name(self, name: str) -> Handle | None:
        if name in self.context.settings.session_parameters:
            return Handle(Kind.SESSION, None, Evidence.NAME)
        return None

    def _declared(self, name: str, annotation: cst.BaseExpression | None) -> Handle | None:
        """A parameter or class attribute: its annotation decides, or its name when the annotation is silent."""
        if annotation is None:
            return self._by_name(name)
        handle = self.annotated_handle(annotation)
        if handle is None and self._lets_name_speak(annotation):
            return self._by_name(name)
        return handle

    def _lets_name_speak(self, annotation: cst.BaseExpression) -> bool:
        """An opaque session-ish alias (`SessionDep` from outside the project) is no evidence against the name;
        one the project resolves to something else is."""
        expr = unwrap_optional(annotation)
        meaning = self._project_meaning(expr)
        if meaning is not None and OPAQUE not in meaning.flags:
            return False
        return not self._is_foreign(expr) and bool(SESSION_LIKE_ANNOTATION.search(last_name(expr) or ""))

    def _is_foreign(self, expr: cst.BaseExpression) -> bool:
        """`requests.Session`, `aiohttp.ClientSession()`: from a package that is not a database."""
        target = expr.func if isinstance(expr, cst.Call) else expr
        qualified = self.context.imports.qualify(target)
        return qualified is not None and qualified.split(".", 1)[0] in NON_DB_PACKAGES

    def _is_known_not_a_handle(self, value: cst.BaseExpression | None) -> bool:
        """A local name or parameter that holds no handle, or a value from a non-database package."""
        if isinstance(value, cst.Name):
            return self._binding(value.value) is not None
        return value is not None and self._is_foreign(value)


def _typed(meaning: Meaning | None, kinds: tuple[str, ...]) -> tuple[Kind, bool] | None:
    """(kind, is_async) of the first database class among a meaning's types, when it is of one of `kinds`."""
    if meaning is None or meaning.kind not in kinds:
        return None
    for qualified in meaning.types:
        if qualified.split(".", 1)[0] in DB_PACKAGES and qualified.rsplit(".", 1)[-1] in HANDLE_TYPES:
            return HANDLE_TYPES[qualified.rsplit(".", 1)[-1]]
    return None


def _handle_of_meaning(meaning: Meaning) -> Handle | None:
    """The handle a module-level name of the project holds: `engine = create_engine(...)`,
    `SessionLocal = sessionmaker(...)`, `db = Session(engine)`, wherever in the project it is bound."""
    if meaning.kind != INSTANCE:
        return None
    for qualified in meaning.types:
        name = qualified.rsplit(".", 1)[-1]
        if qualified.split(".", 1)[0] not in DB_PACKAGES:
            continue
        if name in HANDLE_FACTORIES:
            kind, is_async = HANDLE_FACTORIES[name]
            return Handle(kind, is_async or ASYNC in meaning.flags, Evidence.CONSTRUCTION)
        if name in HANDLE_TYPES:
            kind, is_async = HANDLE_TYPES[name]
            return Handle(kind, is_async, Evidence.CONSTRUCTION)
    return None


def _is_self(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value in ("self", "cls")


class SessionTrackingRule(Rule):
    """A rule that knows, at every node, which names hold database handles (`self.sessions`)."""

    SERVICES = (SessionTracker,)

    @property
    def sessions(self) -> SessionTracker:
        return self.context.service(SessionTracker)


def spelled_call(call: cst.Call) -> str:
    """`db.execute()` for `db.execute(select(User))`: how a message names a call."""
    return f"{dotted_name(call.func) or '.' + str(last_name(call.func))}()"
