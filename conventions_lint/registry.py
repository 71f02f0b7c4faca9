"""The rules there are, and which of them a file's settings choose.

Every module of the `conventions_lint.rules` package is imported and each `Rule` subclass
defined in it is registered (Fixit finds its rules the same way): a new rule module needs no
list to be added to. The runner asks `rules_for` once per file and hands the answer to the
engine, as Fixit's `LintRunner.collect_violations(rules, config)` is handed its rules.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Iterable
from importlib import import_module

from conventions_lint import rules as rules_package
from conventions_lint.rule import Rule
from conventions_lint.settings import Selection, Settings, selects, specificity


def discover_rules(package=rules_package) -> tuple[type[Rule], ...]:
    """Every `Rule` subclass defined in a module of `package`; a code defined twice is an error."""
    found: dict[str, type[Rule]] = {}
    for module_info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
        module = import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__:
                if value.code in found:
                    raise RuntimeError(f"{value.code} is defined twice: {found[value.code]} and {value}")
                found[value.code] = value
    return tuple(found.values())


class Registry:
    """A set of rules by code, and the selection of them that settings make, ruff's way.

    Tests build one of a few rules of their own; the command line uses `REGISTRY`, of them all.
    """

    def __init__(self, rules: Iterable[type[Rule]]) -> None:
        self.rules = tuple(sorted(rules, key=lambda rule: rule.code))
        self.by_code = {rule.code: rule for rule in self.rules}
        # Asked for every file, twice, and answered by which per-file-ignores match: most files share one answer.
        self._chosen: dict[tuple[Settings, tuple[tuple[str, ...], ...]], tuple[type[Rule], ...]] = {}
        self._enabled: dict[Settings, frozenset[str]] = {}

    def codes(self, selection: Selection) -> frozenset[str]:
        """Within a layer the most specific selector decides: `select = ["CL101"]`, `ignore = ["CL1"]` keeps CL101."""
        if selection.select is not None:
            chosen: set[str] = set()
        elif selection.earlier is not None:
            chosen = set(self.codes(selection.earlier))
        else:
            chosen = {rule.code for rule in self.rules if rule.default_enabled}
        picks = (*(selection.select or ()), *selection.extend_select)
        for code in self.by_code:
            picked, ignored = specificity(picks, code), specificity(selection.ignore, code)
            if picked > ignored:
                chosen.add(code)
            elif ignored >= 0:
                chosen.discard(code)
        return frozenset(chosen)

    def enabled_codes(self, settings: Settings) -> frozenset[str]:
        if settings not in self._enabled:
            codes = self.codes(settings.selection)
            # A team that keeps integer ids has no use for the rules that want UUIDs, however selected.
            self._enabled[settings] = (
                frozenset(c for c in codes if not c.startswith("CL2")) if settings.id_type == "int" else codes
            )
        return self._enabled[settings]

    def silent_selectors(self, settings: Settings) -> list[str]:
        """Warnings for the `select` / `extend-select` selectors (the configuration's and the command line's) that
        enable no rule at all under these settings, each with its reason."""
        enabled, warnings = self.enabled_codes(settings), []
        layer: Selection | None = settings.selection
        while layer is not None:
            for option, selectors in (("select", layer.select or ()), ("extend-select", layer.extend_select)):
                for selector in selectors:
                    named = {code for code in self.by_code if selects((selector,), code)}
                    if not named or named & enabled:
                        continue
                    if settings.id_type == "int" and all(code.startswith("CL2") for code in named):
                        reason = '`id-type = "int"` turns every CL2 rule off'
                    else:
                        reason = "an `ignore` at least as specific turns them off"
                    warnings.append(f"{option} `{selector}` enables no rule: {reason}")
            # A layer's `select` starts again from nothing: what the layers before it select is moot.
            layer = layer.earlier if layer.select is None else None
        return list(dict.fromkeys(reversed(warnings)))

    def rules_for(self, settings: Settings, relative_path: str) -> tuple[type[Rule], ...]:
        """The rules that run on this file: the enabled ones its `per-file-ignores` leave."""
        key = (settings, settings.ignored_here(relative_path))
        if key not in self._chosen:
            enabled, ignored = self.enabled_codes(settings), key[1]
            self._chosen[key] = tuple(
                rule
                for rule in self.rules
                if rule.code in enabled and not any(selects(codes, rule.code) for codes in ignored)
            )
        return self._chosen[key]


REGISTRY = Registry(discover_rules())
ALL_RULES = REGISTRY.rules
RULES_BY_CODE = REGISTRY.by_code
