"""Linting snippets in tests, the same way the CLI lints files."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conventions_lint.config import settings_from_section
from conventions_lint.diagnostic import Diagnostic
from conventions_lint.runner import lint_sources


def lint(source: str, *, path: str = "app/module.py", select: tuple[str, ...] = ("CL",), **settings) -> list[Diagnostic]:
    section = {"select": list(select), **{key.replace("_", "-"): value for key, value in settings.items()}}
    configured = settings_from_section(section, Path("/project"), "test settings")
    code = textwrap.dedent(source).lstrip("\n")
    return lint_sources({path: code}, configured)


def found(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.start.row, d.span.start.column) for d in diagnostics]
