"""Colour for the formats people read, as ruff paints them: the path bold, the `:` separators cyan, the code
red and bold, `[*]` cyan, "All checks passed!" green. Formats for tools are never coloured.

Whether to colour: `--color always|never`, else (`auto`) FORCE_COLOR (non-empty: on, as in ruff), else
NO_COLOR (non-empty: off, https://no-color.org), else whether the stream is a terminal.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO

import click

COLOR_CHOICES = ("auto", "always", "never")
# The formats for people; the others are read by tools.
COLOURED_FORMATS = ("concise", "full", "grouped")


def wants_colour(choice: str, stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    if choice != "auto":
        return choice == "always"
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Palette:
    """Paints the parts of a report; with colour off every method returns its text unchanged."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _style(self, text: str, **style) -> str:
        return click.style(text, **style) if self.enabled else text

    def path(self, text: str) -> str:
        return self._style(text, bold=True)

    def separator(self, text: str = ":") -> str:
        return self._style(text, fg="cyan")

    def code(self, text: str) -> str:
        return self._style(text, fg="red", bold=True)

    def fixable(self, text: str = "[*]") -> str:
        return self._style(text, fg="cyan")

    def gutter(self, text: str) -> str:
        return self._style(text, fg="blue", bold=True)

    def success(self, text: str) -> str:
        return self._style(text, fg="green", bold=True)

    def error(self, text: str = "error") -> str:
        return self._style(text, fg="red", bold=True)

    def warning(self, text: str = "warning") -> str:
        return self._style(text, fg="yellow", bold=True)
