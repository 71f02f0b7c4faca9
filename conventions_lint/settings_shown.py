"""The command line's view of configuration: `--config PATH | KEY=VALUE`, `--show-files`, `--show-settings`."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from conventions_lint.config import ConfigError, ConfigResolver
from conventions_lint.discovery import Problem, discover
from conventions_lint.display_paths import display_path
from conventions_lint.registry import REGISTRY
from conventions_lint.settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


def config_arguments(values: tuple[str, ...]) -> tuple[Path | None, dict]:
    """`--config` values, as ruff reads them: a configuration file (at most one), or TOML `KEY = VALUE` pairs
    (a value with `=` that is not an existing file) that override a setting of every configuration."""
    config_file, pairs = None, {}
    for value in values:
        if "=" not in value or Path(value).is_file():
            if config_file is not None:
                raise ConfigError("--config: give one configuration file (and any number of KEY = VALUE pairs)")
            config_file = Path(value)
            continue
        try:
            pairs.update(tomllib.loads(value))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(
                f"--config: {value!r} is neither a configuration file nor a TOML `KEY = VALUE` pair ({error})"
            ) from None
    return config_file, pairs


def show_files_of(paths: list[Path], resolver: ConfigResolver) -> list[Problem]:
    """--show-files: every file the run would lint, one a line, relative to the working directory."""
    problems: list[Problem] = []
    for shown in sorted(display_path(source.path) for source in discover(paths, resolver, problems)):
        click.echo(shown)
    return problems


def show_settings_of(paths: list[Path], resolver: ConfigResolver) -> list[Problem]:
    """--show-settings: the settings of the first file the paths select, as TOML keys, and where they come from."""
    problems: list[Problem] = []
    first = next(iter(discover(paths, resolver, problems)), None)
    if first is None:
        return problems or [Problem(" ".join(map(str, paths)), "no Python file to show the settings of")]
    settings = first.settings
    source = resolver.sources.get(settings.root)
    rules = [rule.code for rule in REGISTRY.rules_for(settings, first.relative_path)]
    click.echo(f"Resolved settings for: {display_path(first.path.absolute())}")
    click.echo(f"Settings path: {display_path(source) if source is not None else 'none (the defaults)'}")
    click.echo(f"Rules that run on it ({len(rules)}): {', '.join(rules) or 'none'}")
    click.echo("")
    for line in settings_as_toml(settings):
        click.echo(line)
    return problems


def settings_as_toml(settings: Settings) -> list[str]:
    """Every setting as `key = value` in TOML (the selection as the enabled codes it makes)."""
    lines = [f"enabled-codes = {_toml(sorted(REGISTRY.enabled_codes(settings)))}"]
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        if field.name == "selection" or value is None:
            continue
        if field.name in ("roles", "per_file_ignores"):
            value = {pattern: list(globs) for pattern, globs in value}
        lines.append(f"{field.name.replace('_', '-')} = {_toml(value)}")
    return lines


def _toml(value) -> str:
    if isinstance(value, Path):
        return json.dumps(value.as_posix())
    if isinstance(value, dict):
        pairs = ", ".join(f"{json.dumps(key)} = {_toml(item)}" for key, item in value.items())
        return "{ " + pairs + " }" if pairs else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value)
