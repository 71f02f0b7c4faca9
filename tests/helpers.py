"""Linting snippets in tests, the same way the CLI lints files."""

from __future__ import annotations

import json
import os
import tempfile
import textwrap
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from conventions_lint.config import ConfigResolver, Selection, settings_from_section
from conventions_lint.diagnostic import Diagnostic
from conventions_lint.fixes.apply import fix_source
from conventions_lint.runner import FixMode, lint_sources, run


def lint(source: str, *, path: str = "app/module.py", select: tuple[str, ...] = ("CL",), **settings) -> list[Diagnostic]:
    section = {"select": list(select), **{key.replace("_", "-"): value for key, value in settings.items()}}
    configured = settings_from_section(section, Path("/project"), "test settings")
    code = textwrap.dedent(source).lstrip("\n")
    return lint_sources({path: code}, configured)


def found(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.start.row, d.span.start.column) for d in diagnostics]


def fix(source: str, *, path: str = "app/module.py", select: tuple[str, ...] = ("CL",), unsafe: bool = False,
        **settings) -> str:
    """The source after `--fix` (and `--unsafe-fixes` when `unsafe`), with only `select`ed rules."""
    section = {"select": list(select), **{key.replace("_", "-"): value for key, value in settings.items()}}
    configured = settings_from_section(section, Path("/project"), "test settings")
    code = textwrap.dedent(source).lstrip("\n")
    return fix_source(path, path, code.encode(), configured, unsafe=unsafe).source.decode()


def _toml(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(key)} = {_toml(item)}" for key, item in value.items()) + " }"
    return json.dumps(value)


@contextmanager
def project_tree(files: dict[str, str], *, select: tuple[str, ...] = ("CL",), **settings):
    """A project on disk with `files` and its pyproject.toml; the working directory is its root."""
    section = {"select": list(select), **{key.replace("_", "-"): value for key, value in settings.items()}}
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "pyproject.toml").write_text(
            "[tool.conventions-lint]\n" + "".join(f"{key} = {_toml(value)}\n" for key, value in section.items()))
        for path, code in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(textwrap.dedent(code).lstrip("\n"))
        previous = os.getcwd()
        os.chdir(root)
        try:
            yield root
        finally:
            os.chdir(previous)


def run_tree(root: Path, paths: list[str] | None = None, **fix_mode):
    """`conventions-lint check` (with `FixMode` options) over a project_tree."""
    resolver = ConfigResolver(config_file=None, isolated=False, overrides=Selection())
    return run([Path(p) for p in paths or ["."]], resolver, fix_mode=FixMode(**fix_mode))


def read_tree(root: Path, paths) -> dict[str, str]:
    return {path: (root / path).read_text() for path in paths}


def cli_runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout, as the tests read them apart: click 8.2 always
    does, click 8.1 (which Fixit, of the `bench` extra, holds the environment at) only when asked."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click 8.2 removed the option
        return CliRunner()
