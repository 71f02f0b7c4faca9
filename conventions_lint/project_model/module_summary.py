"""What the first phase records of a module (summary.py reads it): the classes, calls, imports and routes
another module's names may stand for, as plain serialisable data the cache keeps between runs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ClassSummary:
    # The base classes as dotted names (`sa.orm.DeclarativeBase`), subscripts taken off; "" for another shape.
    bases: list[str]
    # The names the body binds: columns, fields, `@declared_attr` methods.
    attributes: list[str] = field(default_factory=list)
    abstract: bool = False
    # A `TypeDecorator`'s `impl`: its dotted name, and whether it is called with arguments (`String(255)`).
    impl: str | None = None
    impl_has_arguments: bool = False
    # `type_annotation_map = {str: String(255)}`: whether `str` maps to a type given a length (None: not mapped).
    str_has_length: bool | None = None
    # `__tablename__ = "users"`, or how a `@declared_attr` computes it (tables.py).
    table: str | None = None
    table_rule: str | None = None
    # The dotted names the fields' annotations spell: the classes nested in this one (schema_roles.py).
    field_types: list[str] = field(default_factory=list)


@dataclass
class CallSummary:
    """`name = callee(...)` or `name: T = ...` at the top level: what made the object, with its simple
    arguments, and what its annotation says it is."""

    # "" when the value is no call (`engine: Engine | None = None`).
    callee: str
    # Keyword arguments whose value is a constant (`True`, `None`, ...) or a dotted name, as written.
    keywords: dict[str, str] = field(default_factory=dict)
    # The positional arguments, likewise ("" for another shape).
    positional: list[str] = field(default_factory=list)
    # `T` of `name: T = ...` (`Optional[T]`, `T | None` and `Annotated[T, ...]` unwrapped), as written.
    annotation: str | None = None


@dataclass
class ModuleSummary:
    # Local name -> what it imports: `fastapi.APIRouter`, `.base.AppSchema` (relative: leading dots kept).
    imports: dict[str, str] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    classes: dict[str, ClassSummary] = field(default_factory=dict)
    # `X = Y` (a dotted name): X stands for Y.
    aliases: dict[str, str] = field(default_factory=dict)
    # `X = Annotated[T, ...]` or `X: TypeAlias = T`: X annotates as T.
    type_aliases: dict[str, str] = field(default_factory=dict)
    calls: dict[str, CallSummary] = field(default_factory=dict)
    # Function -> [its return annotation as a dotted name, whether it yields that (a generator)].
    functions: dict[str, tuple[str, bool]] = field(default_factory=dict)
    # What a rename may follow (renamable.py): the route handlers; the imports not in `imports` (a function's).
    handlers: list[str] = field(default_factory=list)
    other_imports: list[str] = field(default_factory=list)
    # The dotted names the route decorators and handler signatures spell: what the routes take and answer.
    route_types: list[str] = field(default_factory=list)
    # Of those, what the decorators and return annotations spell; what a query route's parameters spell
    # (`POST .../filter`): criteria, not resources (schema_uses.py).
    answer_types: list[str] = field(default_factory=list)
    query_types: list[str] = field(default_factory=list)
    # What a route answers and builds in every return (`return XResponse(a=...)`), what one returns otherwise;
    # the last names of the classes the module validates from an object (`X.model_validate(obj)`).
    route_built: list[str] = field(default_factory=list)
    route_returned: list[str] = field(default_factory=list)
    validated: list[str] = field(default_factory=list)
    # `X = Union[A, B]`, `X = Annotated[A | B, ...]`: the names each such alias spells (schema_roles.py).
    alias_members: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        data: dict = {}
        for key in _LISTED:
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.classes:
            data["classes"] = {name: _compact(vars(summary)) for name, summary in self.classes.items()}
        if self.calls:
            data["calls"] = {name: _compact(vars(call)) for name, call in self.calls.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ModuleSummary:
        return cls(
            data.get("imports", {}),
            data.get("star_imports", []),
            {name: ClassSummary(**fields) for name, fields in data.get("classes", {}).items()},
            data.get("aliases", {}),
            data.get("type_aliases", {}),
            {name: CallSummary(**fields) for name, fields in data.get("calls", {}).items()},
            {name: tuple(value) for name, value in data.get("functions", {}).items()},
            data.get("handlers", []),
            data.get("other_imports", []),
            data.get("route_types", []),
            data.get("answer_types", []),
            data.get("query_types", []),
            data.get("route_built", []),
            data.get("route_returned", []),
            data.get("validated", []),
            data.get("alias_members", {}),
        )


# The fields of a ModuleSummary that `to_dict` writes when not empty, as they are.
_LISTED = (
    "imports",
    "star_imports",
    "aliases",
    "type_aliases",
    "functions",
    "handlers",
    "other_imports",
    "route_types",
    "answer_types",
    "query_types",
    "route_built",
    "route_returned",
    "validated",
    "alias_members",
)


def _compact(fields: dict) -> dict:
    return {key: value for key, value in fields.items() if value or key == "bases" or key == "callee"}
