"""Linting a small project held in memory, as a run over its directory does."""

from __future__ import annotations

from pathlib import Path

from conventions_lint.config import settings_from_section
from conventions_lint.runner import lint_sources
from tests.helpers import dedent_source


def lint_project(files: dict[str, str], *, select: tuple[str, ...] = ("CL",), **settings) -> list[tuple[str, str, int]]:
    """(path, code, line) of every finding in the project `files` (relative path -> source)."""
    section = {"select": list(select), **{key.replace("_", "-"): value for key, value in settings.items()}}
    configured = settings_from_section(section, Path("/project"), "test settings")
    diagnostics = lint_sources({path: dedent_source(code) for path, code in files.items()}, configured)
    return [(d.path, d.code, d.span.start.row) for d in diagnostics]
