"""The server's own settings, from the client's `initializationOptions` (and `workspace/didChangeConfiguration`).

They act as a command line would on every file: `select`, `extend-select` and `ignore` are applied on
top of each project's configuration, `unsafe-fixes` overrides its setting, and `fix-on-save` makes the
server fix the buffer before each save (`textDocument/willSaveWaitUntil`) as `check --fix` would.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from conventions_lint.config import ConfigError, validate_codes
from conventions_lint.settings import Selection

SELECTORS = ("select", "extend-select", "ignore")
SWITCHES = ("fix-on-save", "unsafe-fixes")


@dataclass(frozen=True)
class Options:
    selection: Selection = field(default_factory=Selection)
    fix_on_save: bool = False
    # None: each project's `unsafe-fixes` decides.
    unsafe_fixes: bool | None = None


def read_options(raw: object) -> tuple[Options, list[str]]:
    """The options, and a one-line error for each key that is unknown or wrong (and left at its default)."""
    if raw is None:
        return Options(), []
    if not isinstance(raw, dict):
        return Options(), [f"initializationOptions must be an object of settings, got {raw!r}"]
    errors: list[str] = []
    selectors: dict[str, tuple[str, ...]] = {}
    switches: dict[str, bool] = {}
    for key, value in raw.items():
        if key in SELECTORS:
            try:
                if not isinstance(value, list):
                    raise ConfigError(f"`{key}` must be a list of codes or prefixes, got {value!r}")
                selectors[key] = validate_codes(value, f"`{key}`")
            except ConfigError as error:
                errors.append(f"initializationOptions: {error}")
        elif key in SWITCHES:
            if isinstance(value, bool):
                switches[key] = value
            else:
                errors.append(f"initializationOptions: `{key}` must be true or false, got {value!r}")
        else:
            close = difflib.get_close_matches(str(key), SELECTORS + SWITCHES, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            errors.append(f"initializationOptions: unknown setting `{key}`{hint}")
    selection = Selection(selectors.get("select"), selectors.get("extend-select", ()), selectors.get("ignore", ()))
    return Options(selection, switches.get("fix-on-save", False), switches.get("unsafe-fixes")), errors
