"""The rule registry: every Rule subclass defined in the family modules, ordered by code."""

from __future__ import annotations

from importlib import import_module

from conventions_lint.rule import Rule

FAMILY_MODULES = (
    "meta",
    "relationships",
    "relationship_targets",
    "identifiers",
    "api_identifiers",
    "model_columns",
    "legacy_columns",
    "response_models",
    "endpoints",
    "injected_sessions",
    "route_handlers",
    "constraints",
    "schemas",
    "pydantic_v1",
    "async_database",
    "sync_database",
    "legacy_query",
    "route_naming",
    "naming",
    "files",
    "structure",
    "hardcoded_values",
    "configuration",
    "migrations",
    "tests_and_typing",
)


def _collect() -> tuple[type[Rule], ...]:
    found: dict[str, type[Rule]] = {}
    for family in FAMILY_MODULES:
        module = import_module(f"{__name__}.{family}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__:
                if value.code in found:
                    raise RuntimeError(f"{value.code} is defined twice: {found[value.code]} and {value}")
                found[value.code] = value
    return tuple(found[code] for code in sorted(found))


ALL_RULES = _collect()
RULES_BY_CODE = {rule.code: rule for rule in ALL_RULES}
