"""`[tool.conventions-lint]`: finding it, validating it, and what it means for one file."""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

from conventions_lint.diagnostic import FixSafety
from conventions_lint.globs import GlobError, compile_glob, matches
from conventions_lint.output_formats import OUTPUT_FORMATS
from conventions_lint.rule import Rule
from conventions_lint.rules import ALL_RULES, RULES_BY_CODE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

SECTION = "conventions-lint"

DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "venv",
    "__pypackages__",
    "__pycache__",
    "_build",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "*.egg-info",
    ".conventions_lint_cache",
)

DEFAULT_ROLES = {
    "models": ("**/models/**", "**/models.py"),
    "schemas": ("**/schemas/**", "**/schemas.py"),
    "services": ("**/services/**", "**/*_service.py"),
    "endpoints": ("**/endpoints/**", "**/routers/**", "**/routes/**"),
    "migrations": ("**/alembic/versions/**", "**/migrations/versions/**"),
    "tests": ("**/tests/**",),
}


class ConfigError(Exception):
    """A configuration or usage problem: reported in one line, exit code 2."""


@dataclass(frozen=True)
class Selection:
    """One layer of code selectors (the configuration file, then the command line), ruff's way."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    earlier: Selection | None = None

    def then(self, later: Selection) -> Selection:
        """`later` (the command line) applies on top; a `select` in it starts again from nothing."""
        return replace(later, earlier=self)

    def codes(self) -> frozenset[str]:
        """Within a layer the most specific selector decides: `select = ["CL101"]`, `ignore = ["CL1"]` keeps CL101."""
        if self.select is not None:
            chosen: set[str] = set()
        elif self.earlier is not None:
            chosen = set(self.earlier.codes())
        else:
            chosen = {rule.code for rule in ALL_RULES if rule.default_enabled}
        picks = (*(self.select or ()), *self.extend_select)
        for code in RULES_BY_CODE:
            picked, ignored = _specificity(picks, code), _specificity(self.ignore, code)
            if picked > ignored:
                chosen.add(code)
            elif ignored >= 0:
                chosen.discard(code)
        return frozenset(chosen)


def _specificity(selectors: tuple[str, ...], code: str) -> int:
    """How closely the best of `selectors` names `code`: -1 none, 0 `ALL`, else the prefix length."""
    return max((0 if s == "ALL" else len(s) for s in selectors if s == "ALL" or code.startswith(s)), default=-1)


def selects(selectors: tuple[str, ...], code: str) -> bool:
    return _specificity(selectors, code) >= 0


@dataclass(frozen=True)
class Settings:
    """The effective settings for the files under one configuration root."""

    root: Path = field(default_factory=Path.cwd)
    selection: Selection = Selection()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    output_format: str = "concise"
    roles: tuple[tuple[str, tuple[str, ...]], ...] = tuple(DEFAULT_ROLES.items())
    string_length: int = 255
    # Larger files are skipped with a message: LibCST needs ~0.6 GB and 10 s per MB of models.
    max_file_bytes: int = 1_048_576
    schema_suffixes: tuple[str, ...] = ("Base", "Create", "Update", "Response", "InDB")
    service_suffix: str = "_service"
    session_parameters: tuple[str, ...] = ("db", "session", "db_session")
    allow_return_annotation: bool = False
    paging_parameters: tuple[str, ...] = ("skip", "offset", "limit", "page", "size", "page_size", "per_page", "cursor")
    plural_exceptions: tuple[str, ...] = ()
    test_helpers: tuple[str, ...] = ()
    config_modules: tuple[str, ...] = ("**/config.py", "**/settings.py", "**/core/config.py", "**/config/*.py")
    asyncio_mode: str = "strict"
    id_type: str = "uuid"
    db_base: tuple[str, ...] = ("**/db/base.py",)
    cache_dir: str = ".conventions_lint_cache"
    fix: bool = False
    unsafe_fixes: bool = False
    extend_safe_fixes: tuple[str, ...] = ()
    extend_unsafe_fixes: tuple[str, ...] = ()
    # A baseline file (relative to `root`): its findings are not reported.
    baseline: str | None = None

    @cached_property
    def enabled_codes(self) -> frozenset[str]:
        codes = self.selection.codes()
        # A team that keeps integer ids has no use for the rules that want UUIDs, however selected.
        return frozenset(c for c in codes if not c.startswith("CL2")) if self.id_type == "int" else codes

    def rules_for(self, relative_path: str) -> tuple[type[Rule], ...]:
        ignored = tuple(codes for pattern, codes in self.per_file_ignores if matches(pattern, relative_path))
        # Asked for every file, twice, and answered by which per-file-ignores match: most files share one answer.
        if ignored not in self._rules_by_ignored:
            self._rules_by_ignored[ignored] = tuple(
                rule
                for rule in ALL_RULES
                if rule.code in self.enabled_codes and not any(selects(codes, rule.code) for codes in ignored)
            )
        return self._rules_by_ignored[ignored]

    @cached_property
    def _rules_by_ignored(self) -> dict[tuple[tuple[str, ...], ...], tuple[type[Rule], ...]]:
        return {}

    def applicability(self, code: str, declared: FixSafety) -> FixSafety:
        """A fix's applicability after `extend-safe-fixes` / `extend-unsafe-fixes` (the more specific wins)."""
        safer, riskier = _specificity(self.extend_safe_fixes, code), _specificity(self.extend_unsafe_fixes, code)
        if safer > riskier:
            return FixSafety.SAFE
        if riskier > safer:
            return FixSafety.UNSAFE
        return declared

    def is_too_large(self, size: int) -> bool:
        return bool(self.max_file_bytes) and size > self.max_file_bytes

    def roles_of(self, relative_path: str) -> frozenset[str]:
        return frozenset(role for role, globs in self.roles if any(matches(g, relative_path) for g in globs))

    def is_excluded(self, relative_path: str) -> bool:
        """Whether this file or directory itself is excluded, as ruff decides it.

        A pattern with a `/` matches the whole path below the root, one without
        matches the last component only: the walk never enters an excluded
        directory, and the directories above the walk's start do not count.
        """
        whole_path, last_component = self._exclusion
        return bool(whole_path.match(relative_path) or last_component.match(relative_path.rsplit("/", 1)[-1]))

    @cached_property
    def _exclusion(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """The exclude globs as two regexes, for the whole path and for the last component:
        every file and directory of a walk asks."""
        patterns = [pattern.rstrip("/") for pattern in (*self.exclude, *self.extend_exclude)]

        def either(globs: list[str]) -> re.Pattern[str]:
            return re.compile("|".join(f"(?:{compile_glob(glob).pattern})" for glob in globs) or r"(?!)")

        return either([p for p in patterns if "/" in p]), either([p for p in patterns if "/" not in p])


# TOML key -> (Settings field, expected type). Lists become tuples.
_KEYS: dict[str, tuple[str, type]] = {
    "per-file-ignores": ("per_file_ignores", dict),
    "exclude": ("exclude", list),
    "extend-exclude": ("extend_exclude", list),
    "force-exclude": ("force_exclude", bool),
    "output-format": ("output_format", str),
    "roles": ("roles", dict),
    "string-length": ("string_length", int),
    "max-file-bytes": ("max_file_bytes", int),
    "schema-suffixes": ("schema_suffixes", list),
    "service-suffix": ("service_suffix", str),
    "session-parameters": ("session_parameters", list),
    "allow-return-annotation": ("allow_return_annotation", bool),
    "paging-parameters": ("paging_parameters", list),
    "plural-exceptions": ("plural_exceptions", list),
    "test-helpers": ("test_helpers", list),
    "config-modules": ("config_modules", list),
    "asyncio-mode": ("asyncio_mode", str),
    "id-type": ("id_type", str),
    "db-base": ("db_base", list),
    "cache-dir": ("cache_dir", str),
    "fix": ("fix", bool),
    "unsafe-fixes": ("unsafe_fixes", bool),
    "extend-safe-fixes": ("extend_safe_fixes", list),
    "extend-unsafe-fixes": ("extend_unsafe_fixes", list),
    "baseline": ("baseline", str),
}
_SELECTION_KEYS = ("select", "extend-select", "ignore")
# pytest-asyncio's modes: in "auto" every async test runs without a marker.
ASYNCIO_MODES = ("strict", "auto")
# What primary and foreign keys are: "int" turns the CL2 rules off.
ID_TYPES = ("uuid", "int")


def validate_codes(selectors, where: str) -> tuple[str, ...]:
    """Selectors are codes or code prefixes (`CL`, `CL5`, `CL502`) or `ALL`."""
    result = []
    for selector in selectors:
        if not isinstance(selector, str):
            raise ConfigError(f"{where}: expected rule codes, got {selector!r}")
        code = selector.strip().upper()
        if code != "ALL" and not (code and any(known.startswith(code) for known in RULES_BY_CODE)):
            raise ConfigError(f"{where}: unknown rule code {selector!r}{_suggest(code, list(RULES_BY_CODE))}")
        result.append(code)
    return tuple(result)


def _suggest(word: str, choices: list[str]) -> str:
    def likeness(choice: str) -> tuple[float, int]:
        # Equally similar choices are told apart by the characters in the same places: CL0O1 is CL001, not CL901.
        return difflib.SequenceMatcher(None, word, choice).ratio(), sum(a == b for a, b in zip(word, choice))

    best = max(choices, key=likeness, default=None)
    return f" (did you mean {best!r}?)" if best is not None and likeness(best)[0] >= 0.6 else ""


def read_section(path: Path) -> dict | None:
    """The `[tool.conventions-lint]` table of a pyproject.toml, or None when it has none."""
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read configuration: {error.strerror or error}") from None
    section = document.get("tool", {}).get(SECTION)
    if section is not None and not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.{SECTION}] must be a table")
    pytest_mode = document.get("tool", {}).get("pytest", {}).get("ini_options", {}).get("asyncio_mode")
    if section is not None and "asyncio-mode" not in section and pytest_mode in ASYNCIO_MODES:
        # The project's own pytest-asyncio setting is the best default (CL901).
        section = {**section, "asyncio-mode": pytest_mode}
    return section


def settings_from_section(section: dict, root: Path, where: str) -> Settings:
    values: dict[str, object] = {"root": root}
    selection = {}
    for key, value in section.items():
        if key in _SELECTION_KEYS:
            if not isinstance(value, list):
                raise ConfigError(f"{where}: `{key}` must be a list of rule codes")
            selection[key.replace("-", "_")] = validate_codes(value, f"{where}: `{key}`")
            continue
        if key not in _KEYS:
            raise ConfigError(f"{where}: unknown setting `{key}`{_suggest(key, [*_KEYS, *_SELECTION_KEYS])}")
        name, kind = _KEYS[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(f"{where}: `{key}` must be {_KIND_NAMES[kind]}, got {value!r}")
        values[name] = _convert(key, value, where)
    values["selection"] = Selection(**selection)
    return Settings(**values)


_KIND_NAMES = {dict: "a table", list: "a list", bool: "true or false", str: "a string", int: "an integer"}


def _convert(key: str, value, where: str):
    if key == "per-file-ignores":
        entries = []
        for glob, codes in value.items():
            place = f"{where}: `{key}` {glob!r}"
            entries.append((_checked_glob(glob, where, key), validate_codes(_listed(codes, place), place)))
        return tuple(entries)
    if key == "roles":
        unknown = [role for role in value if role not in DEFAULT_ROLES]
        if unknown:
            raise ConfigError(f"{where}: unknown role `{unknown[0]}`{_suggest(unknown[0], list(DEFAULT_ROLES))}")
        given = {
            role: tuple(_checked_glob(glob, where, key) for glob in _listed(globs, f"{where}: `roles.{role}`"))
            for role, globs in value.items()
        }
        return tuple({**DEFAULT_ROLES, **given}.items())
    if key == "output-format" and value not in OUTPUT_FORMATS:
        raise ConfigError(f"{where}: `output-format` must be one of {', '.join(OUTPUT_FORMATS)}")
    if key == "id-type" and value not in ID_TYPES:
        raise ConfigError(f"{where}: `id-type` must be one of {', '.join(ID_TYPES)}, got {value!r}")
    if key == "asyncio-mode" and value not in ASYNCIO_MODES:
        raise ConfigError(f"{where}: `asyncio-mode` must be one of {', '.join(ASYNCIO_MODES)}, got {value!r}")
    if key == "baseline" and not value.strip():
        raise ConfigError(f"{where}: `baseline` must be a file name, got {value!r}")
    if key == "string-length" and value < 1:
        raise ConfigError(f"{where}: `string-length` must be a positive integer")
    if key == "max-file-bytes" and value < 0:
        raise ConfigError(f"{where}: `max-file-bytes` must be a number of bytes, or 0 for no limit")
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{where}: `{key}` must be a list of strings")
        if key in ("exclude", "extend-exclude", "test-helpers", "config-modules", "db-base"):
            return tuple(_checked_glob(item, where, key) for item in value)
        if key in ("extend-safe-fixes", "extend-unsafe-fixes"):
            return validate_codes(value, f"{where}: `{key}`")
        return tuple(value)
    return value


def _listed(value, place: str) -> list:
    # A string where a list belongs would otherwise be read one character at a time.
    if not isinstance(value, list):
        raise ConfigError(f"{place} must be a list, got {value!r}")
    return value


def _checked_glob(pattern, where: str, key: str) -> str:
    if not isinstance(pattern, str):
        raise ConfigError(f"{where}: `{key}` must hold glob strings, got {pattern!r}")
    try:
        compile_glob(pattern)
    except GlobError as error:
        raise ConfigError(f"{where}: `{key}`: {error}") from None
    return pattern


class ConfigResolver:
    """Finds the settings for each file: the nearest pyproject.toml with our section, or `--config`."""

    def __init__(
        self, *, config_file: Path | None, isolated: bool, overrides: Selection, force_exclude: bool = False
    ) -> None:
        self.overrides = overrides
        self.force_exclude = force_exclude
        self._by_directory: dict[Path, Settings] = {}
        self._fixed: Settings | None = None
        if isolated:
            self._fixed = self._finish(Settings())
        elif config_file is not None:
            section = read_section(config_file)
            if section is None:
                raise ConfigError(f"{config_file}: no [tool.{SECTION}] section")
            self._fixed = self._finish(settings_from_section(section, config_file.resolve().parent, str(config_file)))

    def _finish(self, settings: Settings) -> Settings:
        return replace(
            settings,
            selection=settings.selection.then(self.overrides),
            force_exclude=settings.force_exclude or self.force_exclude,
        )

    def for_directory(self, directory: Path) -> Settings:
        if self._fixed is not None:
            return self._fixed
        directory = directory.resolve()
        if directory not in self._by_directory:
            self._by_directory[directory] = self._discover(directory)
        return self._by_directory[directory]

    def _discover(self, directory: Path) -> Settings:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            section = read_section(candidate)
            if section is not None:
                return self._finish(settings_from_section(section, directory, str(candidate)))
        if directory.parent == directory:
            return self._finish(Settings())
        return self.for_directory(directory.parent)

    def relative_path(self, settings: Settings, path: Path, located: Path | None = None) -> str:
        """Where `path` sits under the settings' root (or the working directory), in posix form.

        `located`: its real directory joined with its name, when the caller knows it already.
        """
        # A symbolic link is matched by globs where it is, not where its target is.
        if located is None:
            located = path.parent.resolve() / path.name if path.is_symlink() else path.resolve()
        for base in (settings.root, Path.cwd()):
            try:
                return located.relative_to(_real(base)).as_posix()
            except ValueError:
                continue
        return located.as_posix()


@lru_cache(maxsize=64)
def _real(directory: Path) -> Path:
    return directory.resolve()
