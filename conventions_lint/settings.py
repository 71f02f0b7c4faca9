"""The effective settings for the files under one configuration root: plain data and what it
answers alone (roles, excludes, fix applicability). Reading and checking `[tool.conventions-lint]`
is config.py's business, choosing rules registry.py's: this module knows neither."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from conventions_lint.diagnostic import Applicability, Fix
from conventions_lint.globs import compile_glob, matches

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
    # Third-party code copied into the project: it keeps its upstream names (CL604, CL605).
    "vendored": ("**/vendor/**", "**/_vendor/**", "**/vendored/**", "**/_vendored/**", "**/third_party/**"),
}

# CL703: variables of the operating system, the terminal, the Python interpreter and OpenTelemetry's SDK,
# which those tools define and read themselves: reading one is no application setting (fnmatch patterns).
DEFAULT_TOOL_ENV_VARIABLES = (
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "PWD",
    "TMPDIR",
    "TEMP",
    "TMP",
    "LANG",
    "LANGUAGE",
    "LC_*",
    "TZ",
    "LD_LIBRARY_PATH",
    "XDG_*",
    "TERM",
    "COLUMNS",
    "LINES",
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "DO_NOT_TRACK",
    "PYTHON[A-Z]*",
    "VIRTUAL_ENV",
    # OpenTelemetry's, as its specification and Python SDK name them: an application's own `OTEL_`-prefixed
    # settings (open-webui's `OTEL_BASIC_AUTH_USERNAME`) are no SDK's.
    "OTEL_SDK_DISABLED",
    "OTEL_SERVICE_NAME",
    "OTEL_RESOURCE_ATTRIBUTES",
    "OTEL_LOG_LEVEL",
    "OTEL_PROPAGATORS",
    "OTEL_TRACES_SAMPLER",
    "OTEL_TRACES_SAMPLER_ARG",
    "OTEL_TRACES_EXPORTER",
    "OTEL_METRICS_EXPORTER",
    "OTEL_LOGS_EXPORTER",
    "OTEL_METRIC_EXPORT_INTERVAL",
    "OTEL_METRIC_EXPORT_TIMEOUT",
    "OTEL_METRICS_EXEMPLAR_FILTER",
    "OTEL_BSP_*",
    "OTEL_BLRP_*",
    "OTEL_ATTRIBUTE_*",
    "OTEL_SPAN_*",
    "OTEL_EVENT_*",
    "OTEL_LINK_*",
    "OTEL_LOGRECORD_*",
    "OTEL_EXPORTER_OTLP_*",
    "OTEL_EXPORTER_ZIPKIN_*",
    "OTEL_EXPORTER_PROMETHEUS_*",
    "OTEL_EXPORTER_JAEGER_*",
    "OTEL_PYTHON_*",
)

# The values some settings may take.
OUTPUT_FORMATS = ("concise", "full", "json", "json-lines", "grouped", "github", "gitlab", "junit", "sarif")
# pytest-asyncio's modes: in "auto" every async test runs without a marker.
ASYNCIO_MODES = ("strict", "auto")
# What primary and foreign keys are: "int" turns the CL2 rules off.
ID_TYPES = ("uuid", "int")


@dataclass(frozen=True)
class Selection:
    """One layer of code selectors (the configuration file, then the command line), ruff's way.
    Which codes it selects depends on the rules there are: `Registry.codes` answers."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    earlier: Selection | None = None

    def then(self, later: Selection) -> Selection:
        """`later` (the command line) applies on top; a `select` in it starts again from nothing."""
        return replace(later, earlier=self)


def specificity(selectors: tuple[str, ...], code: str) -> int:
    """How closely the best of `selectors` names `code`: -1 none, 0 `ALL`, else the prefix length."""
    return max((0 if s == "ALL" else len(s) for s in selectors if s == "ALL" or code.startswith(s)), default=-1)


def selects(selectors: tuple[str, ...], code: str) -> bool:
    return specificity(selectors, code) >= 0


@dataclass(frozen=True)
class Settings:
    """The effective settings for the files under one configuration root."""

    root: Path = field(default_factory=Path.cwd)
    selection: Selection = Selection()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    # Skip what git ignores (.gitignore files, .git/info/exclude), as ruff does.
    respect_gitignore: bool = True
    output_format: str = "concise"
    roles: tuple[tuple[str, tuple[str, ...]], ...] = tuple(DEFAULT_ROLES.items())
    string_length: int = 255
    # Larger files are skipped with a message: LibCST needs ~0.6 GB and 10 s per MB of models.
    max_file_bytes: int = 1_048_576
    schema_suffixes: tuple[str, ...] = ("Base", "Create", "Update", "Response", "InDB")
    # CL602: every Pydantic model of a schemas module, not only those the project's routes exchange.
    suffix_every_schema: bool = False
    service_suffix: str = "_service"
    session_parameters: tuple[str, ...] = ("db", "session", "db_session")
    allow_return_annotation: bool = False
    paging_parameters: tuple[str, ...] = ("skip", "offset", "limit", "page", "size", "page_size", "per_page", "cursor")
    plural_exceptions: tuple[str, ...] = ()
    test_helpers: tuple[str, ...] = ()
    config_modules: tuple[str, ...] = (
        "**/config.py",
        "**/settings.py",
        "**/core/config.py",
        "**/config/*.py",
        "**/configuration.py",
        "**/configuration/*.py",
    )
    tool_env_variables: tuple[str, ...] = DEFAULT_TOOL_ENV_VARIABLES
    extend_tool_env_variables: tuple[str, ...] = ()
    asyncio_mode: str = "strict"
    # CL803: a revision that only changes data needs a downgrade too (or a word on why it has none).
    data_migrations_need_downgrade: bool = False
    id_type: str = "uuid"
    db_base: tuple[str, ...] = ("**/db/base.py",)
    # What the project model cannot resolve statically (a class made by a function at import time, a base
    # from a package outside the project): qualified names, matched by their trailing parts.
    router_classes: tuple[str, ...] = ()
    schema_bases: tuple[str, ...] = ()
    model_bases: tuple[str, ...] = ()
    sync_session_types: tuple[str, ...] = ()
    async_session_types: tuple[str, ...] = ()
    cache_dir: str = ".conventions_lint_cache"
    fix: bool = False
    unsafe_fixes: bool = False
    extend_safe_fixes: tuple[str, ...] = ()
    extend_unsafe_fixes: tuple[str, ...] = ()
    # Which rules' fixes are offered at all, as ruff's `fixable` / `unfixable` (the more specific wins).
    fixable: tuple[str, ...] = ("ALL",)
    unfixable: tuple[str, ...] = ()
    # A baseline file (relative to `root`): its findings are not reported.
    baseline: str | None = None
    # The oldest Python the project runs on, (3, 12): `target-version`, else `requires-python`. Syntax
    # newer than the interpreter running the linter is judged by LibCST's parser alone (engine.py).
    target_version: tuple[int, int] | None = None

    def ignored_here(self, relative_path: str) -> tuple[tuple[str, ...], ...]:
        """The selectors of each `per-file-ignores` entry that matches this file."""
        return tuple(codes for pattern, codes in self.per_file_ignores if matches(pattern, relative_path))

    def can_fix(self, code: str) -> bool:
        """Whether `fixable` / `unfixable` let this rule's fixes be offered."""
        wanted, unwanted = specificity(self.fixable, code), specificity(self.unfixable, code)
        return wanted >= 0 and not (unwanted >= 0 and unwanted >= wanted)

    def settled(self, code: str, fix: Fix | None) -> Fix | None:
        """A fix as these settings offer it: none for an unfixable rule, else as safe as they make it."""
        if fix is None or not self.can_fix(code):
            return None
        return replace(fix, applicability=self.applicability(code, fix.applicability))

    def applicability(self, code: str, declared: Applicability) -> Applicability:
        """A fix's applicability after `extend-safe-fixes` / `extend-unsafe-fixes` (the more specific wins)."""
        safer, riskier = specificity(self.extend_safe_fixes, code), specificity(self.extend_unsafe_fixes, code)
        if safer > riskier:
            return Applicability.SAFE
        if riskier > safer:
            return Applicability.UNSAFE
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


PerFileIgnores = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class CommandLineSettings:
    """Settings the command line gives for every file (`--exclude`, `--extend-exclude`, `--per-file-ignores`,
    `--extend-per-file-ignores`, `--respect-gitignore`, `--cache-dir`), applied on top of each configuration file found, as in
    ruff: `--exclude` and `--per-file-ignores` replace the file's lists, the `--extend-` forms add to them."""

    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: PerFileIgnores | None = None
    extend_per_file_ignores: PerFileIgnores = ()
    respect_gitignore: bool | None = None
    cache_dir: str | None = None  # absolute: relative to the working directory, not to each project, as in ruff

    def apply(self, settings: Settings) -> Settings:
        return replace(
            settings,
            exclude=settings.exclude if self.exclude is None else self.exclude,
            extend_exclude=settings.extend_exclude + self.extend_exclude,
            per_file_ignores=(settings.per_file_ignores if self.per_file_ignores is None else self.per_file_ignores)
            + self.extend_per_file_ignores,
            respect_gitignore=settings.respect_gitignore if self.respect_gitignore is None else self.respect_gitignore,
            cache_dir=settings.cache_dir if self.cache_dir is None else self.cache_dir,
        )
