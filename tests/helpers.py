"""Linting snippets and project trees in tests, the way the command line lints files.

Shorthands for one family's snippets are in tests/snippets.py, readers of the CI output formats in
tests/output_readers.py, the bad-input project in tests/bad_input.py.
"""

from __future__ import annotations

import json
import os
import tempfile
import textwrap
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

import conventions_lint.file_processing as file_processing
import conventions_lint.runner as runner
from conventions_lint.config import ConfigResolver, settings_from_section
from conventions_lint.diagnostic import Diagnostic
from conventions_lint.fixing import fix_source
from conventions_lint.registry import REGISTRY
from conventions_lint.runner import FixMode, lint_sources, run
from conventions_lint.settings import Selection


def lint(
    source: str, *, path: str = "app/module.py", select: tuple[str, ...] = ("CL",), **settings
) -> list[Diagnostic]:
    section = {"select": list(select), **{key.replace("_", "-"): value for key, value in settings.items()}}
    configured = settings_from_section(section, Path("/project"), "test settings")
    code = dedent_source(source)
    return lint_sources({path: code}, configured)


def found(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.start.row, d.span.start.column) for d in diagnostics]


def fix(
    source: str, *, path: str = "app/module.py", select: tuple[str, ...] = ("CL",), unsafe: bool = False, **settings
) -> str:
    """The source after `--fix` (and `--unsafe-fixes` when `unsafe`), with only `select`ed rules."""
    section = {"select": list(select), **{key.replace("_", "-"): value for key, value in settings.items()}}
    configured = settings_from_section(section, Path("/project"), "test settings")
    code = dedent_source(source)
    rules = REGISTRY.rules_for(configured, path)
    return fix_source(path, path, code.encode(), configured, rules, unsafe=unsafe).source.decode()


def dedent_source(code: str) -> str:
    """A triple-quoted snippet as `lint` and `fix` see it: dedented, without its leading newlines."""
    return textwrap.dedent(code).lstrip("\n")


def crlf_source(code: str) -> str:
    """`dedent_source(code)` with CRLF line endings."""
    return dedent_source(code).replace("\n", "\r\n")


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
            "[tool.conventions-lint]\n" + "".join(f"{key} = {_toml(value)}\n" for key, value in section.items())
        )
        for path, code in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(dedent_source(code))
        previous = os.getcwd()
        os.chdir(root)
        try:
            yield root
        finally:
            os.chdir(previous)


def run_tree(root: Path, paths: list[str] | None = None, jobs: int | None = None, **fix_mode):
    """`conventions-lint check` (with `FixMode` options) over a project_tree; `jobs=1`: in this process."""
    resolver = ConfigResolver(config_file=None, isolated=False, overrides=Selection())
    return run([Path(p) for p in paths or ["."]], resolver, fix_mode=FixMode(**fix_mode), jobs=jobs)


def fix_project(
    source: str,
    *,
    path: str = "app/module.py",
    select: tuple[str, ...] = ("CL",),
    unsafe: bool = False,
    others: dict[str, str] | None = None,
    **settings,
) -> str:
    """The source after `check --fix` over a project of this file (and `others`): as `fix`, with the project
    phase, which completes the fixes that follow a name into other files (the renames of CL601, CL603)."""
    with project_tree({path: source, **(others or {})}, select=select, **settings) as root:
        run_tree(root, fix=True, unsafe=unsafe)
        return (root / path).read_bytes().decode()


def read_tree(root: Path, paths) -> dict[str, str]:
    return {path: (root / path).read_text() for path in paths}


def cli_runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout, as the tests read them apart: click 8.2 always
    does, click 8.1 (which Fixit, of the `bench` extra, holds the environment at) only when asked."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click 8.2 removed the option
        return CliRunner()


def lint_messages(source: str, code: str, **options) -> list[str]:
    """The messages of `code`'s findings in `source` (linted with `lint`'s `options`)."""
    return [d.message for d in lint(source, select=(code,), **options)]


def count_lints(monkeypatch) -> list[str]:
    """The paths a run lints (parses and walks) in this process, in order, as it lints them."""
    linted: list[str] = []
    real = runner.lint_source

    def counting(path, *args, **kwargs):
        linted.append(path)
        return real(path, *args, **kwargs)

    # Each file in file_processing.py, and in the runner again one whose fixed version could not be written.
    for module in (file_processing, runner):
        monkeypatch.setattr(module, "lint_source", counting)
    return linted
