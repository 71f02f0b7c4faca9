"""`[tool.conventions-lint]`: finding it, reading it and checking it into `Settings` (settings.py)."""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from conventions_lint.globs import GlobError, compile_glob
from conventions_lint.pytest_config import pytest_asyncio_mode
from conventions_lint.registry import REGISTRY, Registry
from conventions_lint.settings import (
    ASYNCIO_MODES,
    DEFAULT_ROLES,
    ID_TYPES,
    OUTPUT_FORMATS,
    CommandLineSettings,
    Selection,
    Settings,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

SECTION = "conventions-lint"


class ConfigError(Exception):
    """A configuration or usage problem: reported in one line, exit code 2."""


# TOML key -> (Settings field, expected type). Lists become tuples.
_KEYS: dict[str, tuple[str, type]] = {
    "per-file-ignores": ("per_file_ignores", dict),
    "exclude": ("exclude", list),
    "extend-exclude": ("extend_exclude", list),
    "force-exclude": ("force_exclude", bool),
    "respect-gitignore": ("respect_gitignore", bool),
    "output-format": ("output_format", str),
    "roles": ("roles", dict),
    "string-length": ("string_length", int),
    "max-file-bytes": ("max_file_bytes", int),
    "schema-suffixes": ("schema_suffixes", list),
    "suffix-every-schema": ("suffix_every_schema", bool),
    "service-suffix": ("service_suffix", str),
    "session-parameters": ("session_parameters", list),
    "allow-return-annotation": ("allow_return_annotation", bool),
    "paging-parameters": ("paging_parameters", list),
    "plural-exceptions": ("plural_exceptions", list),
    "test-helpers": ("test_helpers", list),
    "config-modules": ("config_modules", list),
    "tool-env-variables": ("tool_env_variables", list),
    "extend-tool-env-variables": ("extend_tool_env_variables", list),
    "asyncio-mode": ("asyncio_mode", str),
    "data-migrations-need-downgrade": ("data_migrations_need_downgrade", bool),
    "id-type": ("id_type", str),
    "db-base": ("db_base", list),
    "router-classes": ("router_classes", list),
    "schema-bases": ("schema_bases", list),
    "model-bases": ("model_bases", list),
    "sync-session-types": ("sync_session_types", list),
    "async-session-types": ("async_session_types", list),
    "cache-dir": ("cache_dir", str),
    "fix": ("fix", bool),
    "unsafe-fixes": ("unsafe_fixes", bool),
    "extend-safe-fixes": ("extend_safe_fixes", list),
    "extend-unsafe-fixes": ("extend_unsafe_fixes", list),
    "fixable": ("fixable", list),
    "unfixable": ("unfixable", list),
    "baseline": ("baseline", str),
    "target-version": ("target_version", str),
}
_SELECTION_KEYS = ("select", "extend-select", "ignore")
_QUALIFIED_NAME_KEYS = ("router-classes", "schema-bases", "model-bases", "sync-session-types", "async-session-types")


def validate_codes(selectors, where: str, registry: Registry = REGISTRY) -> tuple[str, ...]:
    """Selectors are codes or code prefixes (`CL`, `CL5`, `CL502`) of `registry`'s rules, or `ALL`."""
    known = registry.by_code
    result = []
    for selector in selectors:
        if not isinstance(selector, str):
            raise ConfigError(f"{where}: expected rule codes, got {selector!r}")
        code = selector.strip().upper()
        if code != "ALL" and not (code and any(rule_code.startswith(code) for rule_code in known)):
            raise ConfigError(f"{where}: unknown rule code {selector!r}{_suggest(code, list(known))}")
        result.append(code)
    return tuple(result)


def _suggest(word: str, choices: list[str]) -> str:
    def likeness(choice: str) -> tuple[float, int]:
        # Equally similar choices are told apart by the characters in the same places: CL0O1 is CL001, not CL901.
        return difflib.SequenceMatcher(None, word, choice).ratio(), sum(a == b for a, b in zip(word, choice))

    best = max(choices, key=likeness, default=None)
    return f" (did you mean {best!r}?)" if best is not None and likeness(best)[0] >= 0.6 else ""


# In one directory the first of these that configures conventions-lint is its configuration file (as ruff
# prefers .ruff.toml, then ruff.toml, then pyproject.toml). The standalone files hold the same keys at top level.
CONFIG_FILE_NAMES = (".conventions-lint.toml", "conventions-lint.toml", "pyproject.toml")


def is_project_root(directory: Path) -> bool:
    """Whether a configuration file makes `directory` a project, whose every file the whole-project rules see."""
    return any((directory / name).is_file() for name in CONFIG_FILE_NAMES)


def read_section(path: Path) -> dict | None:
    """The settings table of a configuration file: a standalone file's top level (conventions-lint.toml), or the
    `[tool.conventions-lint]` table of a pyproject.toml (None when it has none)."""
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read configuration: {error.strerror or error}") from None
    if path.name != "pyproject.toml" and "tool" not in document:
        return document  # a standalone file; one with a [tool] table (a pyproject.toml by another name) is read as one
    section = document.get("tool", {}).get(SECTION)
    if section is not None and not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.{SECTION}] must be a table")
    if section is not None and "target-version" not in section:
        # As ruff: the oldest Python `requires-python` allows is the target.
        oldest = _oldest_python(document.get("project", {}).get("requires-python"))
        if oldest is not None:
            section = {**section, "target-version": f"py3{oldest[1]}"}
    return section


def load_settings(path: Path, root: Path, overrides: dict | None = None) -> tuple[Settings, frozenset[str]]:
    """The settings of a configuration file, over those of the file its `extend` names (and so on), with the
    command line's `--config KEY=VALUE` pairs on top; and every key that any of them sets."""
    return _load(path, root, (), overrides or {})


def _load(path: Path, root: Path, chain: tuple[Path, ...], overrides: dict) -> tuple[Settings, frozenset[str]]:
    section = read_section(path)
    if section is None:
        raise ConfigError(f"{path}: no [tool.{SECTION}] section")
    base, keys = None, frozenset(overrides)
    if "extend" in section:
        extend = section.pop("extend")
        if not isinstance(extend, str) or not extend.strip():
            raise ConfigError(f"{path}: `extend` must be the path of a configuration file, got {extend!r}")
        target = path.parent / Path(extend).expanduser()
        if target.resolve() in {*(link.resolve() for link in chain), path.resolve()}:
            raise ConfigError(f"{path}: `extend` makes a cycle: {' -> '.join(map(str, (*chain, path, target)))}")
        if not target.is_file():
            raise ConfigError(f"{path}: `extend`: no such file {extend!r}")
        base, extended_keys = _load(target, root, (*chain, path), {})
        keys |= extended_keys
    settings = settings_from_section({**section, **overrides}, root, str(path), base)
    return settings, keys | frozenset(section)


def settings_from_section(section: dict, root: Path, where: str, base: Settings | None = None) -> Settings:
    """`base`: the settings of the file this one extends; the section's keys replace its values, its selection
    applies on top of the base's (as the command line's does), and `extend-exclude` adds to the base's."""
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
    if base is None:
        return Settings(**values)
    values["selection"] = base.selection.then(values["selection"])
    values["extend_exclude"] = base.extend_exclude + values.get("extend_exclude", ())
    if "roles" in section:  # each role given replaces the base's, the others stay the base's
        given = {role: globs for role, globs in values["roles"] if role in section["roles"]}
        values["roles"] = tuple({**dict(base.roles), **given}.items())
    return replace(base, **values)


_KIND_NAMES = {dict: "a table", list: "a list", bool: "true or false", str: "a string", int: "an integer"}


def _convert(key: str, value, where: str):
    if key == "per-file-ignores":
        entries = []
        for glob, codes in value.items():
            place = f"{where}: `{key}` {glob!r}"
            entries.append((checked_glob(glob, where, key), validate_codes(_listed(codes, place), place)))
        return tuple(entries)
    if key == "roles":
        unknown = [role for role in value if role not in DEFAULT_ROLES]
        if unknown:
            raise ConfigError(f"{where}: unknown role `{unknown[0]}`{_suggest(unknown[0], list(DEFAULT_ROLES))}")
        given = {
            role: tuple(checked_glob(glob, where, key) for glob in _listed(globs, f"{where}: `roles.{role}`"))
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
    if key == "target-version":
        return _target_version(value, where)
    if key == "max-file-bytes" and value < 0:
        raise ConfigError(f"{where}: `max-file-bytes` must be a number of bytes, or 0 for no limit")
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{where}: `{key}` must be a list of strings")
        if key in ("exclude", "extend-exclude", "test-helpers", "config-modules", "db-base"):
            return tuple(checked_glob(item, where, key) for item in value)
        if key in ("extend-safe-fixes", "extend-unsafe-fixes", "fixable", "unfixable"):
            return validate_codes(value, f"{where}: `{key}`")
        if key in _QUALIFIED_NAME_KEYS:
            wrong = next((item for item in value if not all(part.isidentifier() for part in item.split("."))), None)
            if wrong is not None:
                raise ConfigError(f"{where}: `{key}` holds qualified names like `app.routing.APIRouter`, got {wrong!r}")
        return tuple(value)
    return value


_TARGET_VERSION = re.compile(r"py3(\d{1,2})")
# `>=3.12`, `~=3.12`, `==3.12.*`, `>3.11`: the lower bounds of a `requires-python` specifier.
_LOWER_BOUND = re.compile(r"^\s*(?:>=|~=|==|===|>)\s*3\.(\d+)")


def _target_version(value: str, where: str) -> tuple[int, int]:
    found = _TARGET_VERSION.fullmatch(value.strip().lower())
    if found is None or not 7 <= int(found.group(1)) <= 20:
        raise ConfigError(
            f"{where}: `target-version` must name a Python as ruff does (py38, py312, ...), got {value!r}"
        )
    return 3, int(found.group(1))


def _oldest_python(requires: object) -> tuple[int, int] | None:
    """The oldest Python 3 a `requires-python` specifier allows, when it says (None otherwise)."""
    if not isinstance(requires, str):
        return None
    minors = [int(found.group(1)) for part in requires.split(",") if (found := _LOWER_BOUND.match(part))]
    return (3, max(minors)) if minors else None


def _listed(value, place: str) -> list:
    # A string where a list belongs would otherwise be read one character at a time.
    if not isinstance(value, list):
        raise ConfigError(f"{place} must be a list, got {value!r}")
    return value


def checked_glob(pattern, where: str, key: str | None = None) -> str:
    """`pattern` if it is a valid glob; `where` (and the `key`) name its place in the error."""
    place = f"{where}: `{key}`" if key is not None else where
    if not isinstance(pattern, str):
        raise ConfigError(f"{place} must hold glob strings, got {pattern!r}")
    try:
        compile_glob(pattern)
    except GlobError as error:
        raise ConfigError(f"{place}: {error}") from None
    return pattern


class ConfigResolver:
    """Finds the settings for each file: the nearest configuration file (CONFIG_FILE_NAMES), or `--config PATH`;
    `--config KEY=VALUE` pairs (`config_overrides`) apply on top of each, as in ruff."""

    def __init__(
        self,
        *,
        config_file: Path | None,
        isolated: bool,
        overrides: Selection,
        force_exclude: bool = False,
        default_root: Path | None = None,
        command_line: CommandLineSettings | None = None,
        config_overrides: dict | None = None,
    ) -> None:
        """`default_root`: where a file without a configuration file has its root (the working directory by
        default; an editor's workspace folder for the language server, whatever directory it was started in)."""
        self.overrides = overrides
        self.default_root = default_root
        self.force_exclude = force_exclude
        self.command_line = command_line or CommandLineSettings()
        self.config_overrides = config_overrides or {}
        # Checked once, so that a bad pair is reported as the command line's, not as each file's.
        defaults = settings_from_section(self.config_overrides, default_root or Path.cwd(), "--config")
        self._by_directory: dict[Path, Settings] = {}
        # The configuration file each settings root comes from (None: defaults), and the keys it sets.
        self.sources: dict[Path, Path | None] = {}
        self._keys: dict[Path, frozenset[str]] = {}
        self._fixed: Settings | None = None
        if isolated:
            self._fixed = self._finish(defaults)
        elif config_file is not None:
            settings, self._keys[config_file] = load_settings(
                config_file, config_file.resolve().parent, self.config_overrides
            )
            self.sources[settings.root] = config_file.resolve()
            self._fixed = self._finish(settings)

    def _finish(self, settings: Settings) -> Settings:
        settings = self.command_line.apply(settings)
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
            self._by_directory[directory] = self._with_pytest_mode(directory, self._discover(directory))
        return self._by_directory[directory]

    def _discover(self, directory: Path) -> Settings:
        for name in CONFIG_FILE_NAMES:
            candidate = directory / name
            if candidate.is_file() and read_section(candidate) is not None:
                settings, keys = load_settings(candidate, directory, self.config_overrides)
                self.sources[directory], self._keys[directory] = candidate, keys
                return self._finish(settings)
        if directory.parent == directory:
            root = self.default_root or Path.cwd()
            self.sources[root], self._keys[root] = None, frozenset(self.config_overrides)
            return self._finish(settings_from_section(self.config_overrides, root, "--config"))
        return self.for_directory(directory.parent)

    def _with_pytest_mode(self, directory: Path, settings: Settings) -> Settings:
        """CL901's default: the asyncio_mode of the pytest configuration file in this directory, unless the
        conventions-lint configuration (or `--config`) sets `asyncio-mode` itself."""
        if "asyncio-mode" in self._keys.get(settings.root, frozenset()):
            return settings
        mode = pytest_asyncio_mode(directory)
        return settings if mode is None or mode == settings.asyncio_mode else replace(settings, asyncio_mode=mode)

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
