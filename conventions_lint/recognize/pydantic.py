"""Pydantic models: their configuration, old and new, and the calls that bound a `str` field."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.names import last_name
from conventions_lint.recognize.syntax import (
    class_body_statements,
    is_builtin,
    is_list_annotation,
    keyword,
    string_value,
    target_name,
    unwrap_optional,
)

# The calls that may give a `str` a `max_length`: a field's default or `Annotated` metadata, or the type.
_LENGTH_LIMITERS = {
    "pydantic": frozenset({"Field", "StringConstraints", "constr"}),
    "sqlmodel": frozenset({"Field"}),
}
_FIELD_FUNCTIONS = frozenset({"Field"})
# Bases that bring no configuration: `Generic[T]` beside `BaseModel`.
_TYPING_MODULES = frozenset({"typing", "typing_extensions"})
_CONFIG_DICTS = {"pydantic": frozenset({"ConfigDict"}), "pydantic_settings": frozenset({"SettingsConfigDict"})}


def declared_fields(node: cst.ClassDef) -> dict[str, cst.AnnAssign]:
    """The fields a model class declares in its body, by name."""
    # An `_underscored` name is a private attribute, not a field.
    return {
        statement.target.value: statement
        for statement in class_body_statements(node)
        if type(statement) is cst.AnnAssign
        and type(statement.target) is cst.Name
        and not statement.target.value.startswith("_")
    }


def is_field_call(context: FileContext, expr: cst.BaseExpression | None) -> bool:
    """`Field(...)` from pydantic (or SQLModel, whose `Field` takes the same constraints)."""
    return isinstance(expr, cst.Call) and any(
        context.imports.refers_to(expr.func, package, _FIELD_FUNCTIONS) for package in _LENGTH_LIMITERS
    )


def is_length_limiter(context: FileContext, expr: cst.BaseExpression | None) -> bool:
    """`Field(...)`, `StringConstraints(...)` or `constr(...)`: a call that takes `max_length=`."""
    return isinstance(expr, cst.Call) and any(
        context.imports.refers_to(expr.func, package, names) for package, names in _LENGTH_LIMITERS.items()
    )


def limits_length(call: cst.Call) -> bool:
    """Whether the call sets a `max_length` (which `**options` may hold, unseen)."""
    given = keyword(call, "max_length")
    return (given is not None and not is_builtin(given.value, "None")) or any(arg.star == "**" for arg in call.args)


@dataclass(frozen=True)
class ConfigEntries:
    """The keys a `ConfigDict(...)`, `SettingsConfigDict(...)`, `dict(...)` or `{...}` sets, with their values."""

    value: cst.BaseExpression
    entries: dict[str, cst.BaseExpression]

    @property
    def call(self) -> cst.Call | None:
        return self.value if isinstance(self.value, cst.Call) else None


def config_entries(context: FileContext, value: cst.BaseExpression | None) -> ConfigEntries | None:
    """What a model configuration sets; None when it cannot be read (`**base`, a shared name)."""
    if isinstance(value, cst.Call) and (is_config_dict(context, value) or _is_builtin_dict(context, value.func)):
        if any(arg.keyword is None for arg in value.args):
            return None
        return ConfigEntries(value, {arg.keyword.value: arg.value for arg in value.args})
    if isinstance(value, cst.Dict):
        entries = {}
        for element in value.elements:
            key = string_value(element.key) if isinstance(element, cst.DictElement) else None
            if key is None:
                return None
            entries[key] = element.value
        return ConfigEntries(value, entries)
    return None


def is_config_dict(context: FileContext, call: cst.Call) -> bool:
    """`ConfigDict(...)` from pydantic or `SettingsConfigDict(...)` from pydantic_settings."""
    return any(context.imports.refers_to(call.func, package, names) for package, names in _CONFIG_DICTS.items())


def model_config_of(node: cst.ClassDef) -> cst.Assign | cst.AnnAssign | None:
    """The `model_config = ...` statement of a class body."""
    return next(
        (
            statement
            for statement in class_body_statements(node)
            if target_name(statement) == "model_config" and statement.value is not None
        ),
        None,
    )


@dataclass(frozen=True)
class ConfigSetting:
    """One key of a model's configuration, its own or inherited through local base classes."""

    # False when a configuration or a base class on the way cannot be read here.
    known: bool
    value: cst.BaseExpression | None = None


_UNKNOWN = ConfigSetting(known=False)


def configured(
    context: FileContext, node: cst.ClassDef, keys: tuple[str, ...], seen: frozenset[str] = frozenset()
) -> ConfigSetting:
    """The value of the first of `keys` the class's configuration sets; Pydantic merges it with its bases'."""
    entries = own_config(context, node)
    if entries is None:
        return _UNKNOWN
    value = next((entries[key] for key in keys if key in entries), None)
    if value is not None:
        return ConfigSetting(True, value)
    for arg in node.bases:
        base = arg.value.value if isinstance(arg.value, cst.Subscript) else arg.value
        if (
            context.imports.refers_to(base, "pydantic", ("BaseModel",))
            or (context.imports.qualify(base) or "").split(".")[0] in _TYPING_MODULES
        ):
            continue
        local = context.index.classes.get(base.value) if isinstance(base, cst.Name) else None
        if local is None or local.name.value in seen:
            return _UNKNOWN
        inherited = configured(context, local, keys, seen | {node.name.value})
        if not inherited.known or inherited.value is not None:
            return inherited
    return ConfigSetting(True)


def own_config(context: FileContext, node: cst.ClassDef) -> dict[str, cst.BaseExpression] | None:
    """The keys a class's own v1 `class Config:` or `model_config` sets; None when it cannot be read."""
    config = v1_config_class(node)
    if config is not None:
        return v1_config_entries(config)
    statement = model_config_of(node)
    if statement is None:
        return {}
    read = config_entries(context, statement.value)
    return read.entries if read is not None else None


def v1_config_class(node: cst.ClassDef) -> cst.ClassDef | None:
    """The Pydantic v1 `class Config:` nested in a class body."""
    if not isinstance(node.body, cst.IndentedBlock):
        return None
    return next(
        (
            statement
            for statement in node.body.body
            if isinstance(statement, cst.ClassDef) and statement.name.value == "Config"
        ),
        None,
    )


def v1_config_entries(node: cst.ClassDef) -> dict[str, cst.BaseExpression] | None:
    """The `key = value` lines of a v1 `class Config:`; None when it holds anything else (a method, …)."""
    entries: dict[str, cst.BaseExpression] = {}
    lines = node.body.body if isinstance(node.body, cst.IndentedBlock) else [node.body]
    for line in lines:
        if not isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return None
        for statement in line.body:
            if isinstance(statement, cst.Pass):
                continue
            name = target_name(statement)
            if name is None or statement.value is None:
                return None
            entries[name] = statement.value
    return entries


def is_v1_settings(context: FileContext, node: cst.ClassDef, seen: frozenset[str] = frozenset()) -> bool:
    """A class deriving, here or through local classes, from Pydantic v1's `pydantic.BaseSettings`."""
    for arg in node.bases:
        if context.imports.refers_to(arg.value, "pydantic", ("BaseSettings",)):
            return True
        local = context.index.classes.get(last_name(arg.value) or "")
        if (
            isinstance(arg.value, cst.Name)
            and local is not None
            and local.name.value not in seen
            and is_v1_settings(context, local, seen | {node.name.value})
        ):
            return True
    return False


def is_model_class(context: FileContext, expr: cst.BaseExpression) -> bool:
    """A name for a Pydantic model class: defined in this file, or imported from a schemas module."""
    if isinstance(expr, cst.Name) and expr.value in context.index.pydantic_classes:
        return True
    # ModuleIndex judges an imported class by its module, as it does for the bases of local classes.
    return isinstance(expr, (cst.Name, cst.Attribute)) and context.index.is_pydantic_base(expr)


def _is_builtin_dict(context: FileContext, func: cst.BaseExpression) -> bool:
    return isinstance(func, cst.Name) and func.value == "dict" and "dict" not in context.imports.bindings


# The fields that count a page's collection: `total`, `count`, `total_count`, ...
_COUNT_FIELDS = frozenset({"total", "count", "total_count", "total_items", "total_results", "num_items", "num_results"})
# Words of a class name that make it a page: `ItemPagination`, `UserPage`, `OrderListResponse`, `CaseCollection`.
_PAGE_WORDS = frozenset({"page", "pages", "paginated", "pagination", "list", "collection"})
CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")


def is_page_response(context: FileContext, expr: cst.BaseExpression) -> bool:
    """A response that is one page of a collection: `Page[ItemResponse]`, a class named for it
    (`ItemPagination`, `UserPage`, `OrderList`, `CaseCollection`), or a model of this file with a list
    field beside a total or count (`items: list[ItemResponse]` and `total: int`)."""
    expr = unwrap_optional(expr)
    if isinstance(expr, cst.Subscript):
        expr = expr.value
    name = last_name(expr) or ""
    if any(word.lower() in _PAGE_WORDS for word in CAMEL_WORD.findall(name)):
        return True
    node = context.index.classes.get(name)
    if node is None:
        return False
    fields = declared_fields(node)
    has_list = any(is_list_annotation(field.annotation.annotation) for field in fields.values())
    return has_list and not _COUNT_FIELDS.isdisjoint(fields)
