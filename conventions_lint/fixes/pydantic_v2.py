"""CL404's fixes (rules/pydantic_v1.py): a nested `class Config:` as `ConfigDict(...)`, v1 methods as v2's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.recognize.syntax import is_false, is_true

if TYPE_CHECKING:
    from conventions_lint.context import FileContext

# v1 configuration keys and their v2 names (pydantic's migration guide).
RENAMED_KEYS = {
    "orm_mode": "from_attributes",
    "allow_population_by_field_name": "populate_by_name",
    "anystr_strip_whitespace": "str_strip_whitespace",
    "anystr_lower": "str_to_lower",
    "anystr_upper": "str_to_upper",
    "min_anystr_length": "str_min_length",
    "max_anystr_length": "str_max_length",
    "schema_extra": "json_schema_extra",
    "validate_all": "validate_default",
    "keep_untouched": "ignored_types",
}
KEPT_KEYS = frozenset(
    {
        "validate_assignment",
        "extra",
        "use_enum_values",
        "arbitrary_types_allowed",
        "frozen",
        "title",
        "from_attributes",
        "populate_by_name",
        "str_strip_whitespace",
    }
)
# Only `SettingsConfigDict` knows these.
SETTINGS_KEYS = frozenset(
    {"env_file", "env_file_encoding", "env_prefix", "env_nested_delimiter", "case_sensitive", "secrets_dir"}
)

RENAMED_METHODS = {
    "dict": "model_dump",
    "json": "model_dump_json",
    "from_orm": "model_validate",
    "parse_obj": "model_validate",
}
CLASS_METHODS = frozenset({"from_orm", "parse_obj"})
# The arguments `.dict()` and `.json()` share with `.model_dump()` and `.model_dump_json()`.
_DUMP_KEYWORDS = frozenset({"include", "exclude", "by_alias", "exclude_unset", "exclude_defaults", "exclude_none"})
_JSON_KEYWORDS = _DUMP_KEYWORDS | {"indent"}


def v2_config_entry(
    context: FileContext, key: str, value: cst.BaseExpression, *, settings: bool
) -> tuple[str, cst.BaseExpression] | None:
    """The v2 key and value for a v1 `key = value`; None when it has no known equivalent."""
    if key == "allow_mutation":
        if not (is_true(value) or is_false(value)):
            return None
        return "frozen", cst.Name("False" if is_true(value) else "True")
    if (
        key == "extra"
        and isinstance(value, cst.Attribute)
        and context.imports.refers_to(value.value, "pydantic", ("Extra",))
    ):
        return key, cst.SimpleString(f'"{value.attr.value}"')
    if key in KEPT_KEYS or (settings and key in SETTINGS_KEYS):
        return key, value
    return (RENAMED_KEYS[key], value) if key in RENAMED_KEYS else None


def holds_comments(config: cst.ClassDef) -> bool:
    """Whether the `Config` class has comments, which a one-line `model_config` would lose."""
    body = config.body
    if isinstance(body, cst.SimpleStatementSuite):
        return body.trailing_whitespace.comment is not None
    lines = [*body.footer, *(empty for line in body.body for empty in line.leading_lines)]
    return (
        body.header.comment is not None
        or any(line.comment is not None for line in lines)
        or any(line.trailing_whitespace.comment is not None for line in body.body)
    )


def takes(call: cst.Call, method: str) -> bool:
    """Whether the v2 method takes the call's arguments."""
    if method in CLASS_METHODS:
        return len(call.args) == 1 and call.args[0].keyword is None and not call.args[0].star
    allowed = _JSON_KEYWORDS if method == "json" else _DUMP_KEYWORDS
    return all(arg.keyword is not None and arg.keyword.value in allowed for arg in call.args)
