"""The server's own settings, from the client's `initializationOptions` (and `workspace/didChangeConfiguration`).

They act as a command line would on every file: `select`, `extend-select` and `ignore` are applied on
top of each project's configuration, `unsafe-fixes` overrides its setting, and `fix-on-save` makes the
server fix the buffer before each save (`textDocument/willSaveWaitUntil`) as `check --fix` would. The rules' documentation is not hosted anywhere: a team that publishes it
(`conventions-lint rule --all` prints it) sets `documentation-url`, a template such as
`https://wiki.example.org/lint/{code}` (or `{name}`), and each diagnostic links to its rule's page
(`codeDescription`); without it, hover shows the documentation itself. `debounce-ms` is how long a
changed document waits for the next change before it is linted (50 by default; a burst of changes,
a paste or a formatter's edits, is linted once, in its last version).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from conventions_lint.config import ConfigError, validate_codes
from conventions_lint.settings import Selection

SELECTORS = ("select", "extend-select", "ignore")
SWITCHES = ("fix-on-save", "unsafe-fixes")
DOCUMENTATION_URL = "documentation-url"
DEBOUNCE = "debounce-ms"
KEYS = (*SELECTORS, *SWITCHES, DOCUMENTATION_URL, DEBOUNCE)
LONGEST_DEBOUNCE_MS = 5000


@dataclass(frozen=True)
class Options:
    selection: Selection = field(default_factory=Selection)
    fix_on_save: bool = False
    # None: each project's `unsafe-fixes` decides.
    unsafe_fixes: bool | None = None
    # A template with `{code}` or `{name}`: where the rules' documentation is published, if it is.
    documentation_url: str | None = None
    debounce_seconds: float = 0.05

    def rule_url(self, code: str, name: str) -> str | None:
        return self.documentation_url.format(code=code, name=name) if self.documentation_url else None


def read_options(raw: object) -> tuple[Options, list[str]]:
    """The options, and a one-line error for each key that is unknown or wrong (and left at its default)."""
    if raw is None:
        return Options(), []
    if not isinstance(raw, dict):
        return Options(), [f"initializationOptions must be an object of settings, got {raw!r}"]
    errors: list[str] = []
    selectors: dict[str, tuple[str, ...]] = {}
    switches: dict[str, bool] = {}
    documentation_url = None
    debounce_seconds = Options.debounce_seconds
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
        elif key == DOCUMENTATION_URL:
            documentation_url = _url_template(value, errors)
        elif key == DEBOUNCE:
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= LONGEST_DEBOUNCE_MS:
                debounce_seconds = value / 1000
            else:
                errors.append(
                    f"initializationOptions: `{DEBOUNCE}` must be milliseconds from 0 to {LONGEST_DEBOUNCE_MS}, got {value!r}"
                )
        else:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            errors.append(f"initializationOptions: unknown setting `{key}`{hint}")
    selection = Selection(selectors.get("select"), selectors.get("extend-select", ()), selectors.get("ignore", ()))
    return Options(
        selection, switches.get("fix-on-save", False), switches.get("unsafe-fixes"), documentation_url, debounce_seconds
    ), errors


def _url_template(value: object, errors: list[str]) -> str | None:
    where = f"initializationOptions: `{DOCUMENTATION_URL}`"
    if not isinstance(value, str) or not value.startswith(("https://", "http://", "file://")):
        errors.append(f"{where} must be a URL, with `{{code}}` or `{{name}}` for the rule, got {value!r}")
        return None
    try:
        value.format(code="CL101", name="relationship-backref")
    except (KeyError, IndexError, ValueError):
        errors.append(f"{where} may hold only `{{code}}` and `{{name}}` in braces, got {value!r}")
        return None
    return value
