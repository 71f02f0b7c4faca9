"""Output formats: concise and full for people, json shaped like ruff's for tools."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from conventions_lint.diagnostic import Diagnostic

LineReader = Callable[[str], list[str]]


def read_lines(path: str) -> list[str]:
    """The file's lines for an excerpt; empty when it cannot be read any more."""
    try:
        return Path(path).read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _summary(count: int) -> str:
    return "All checks passed!" if count == 0 else f"Found {count} error{'s' if count != 1 else ''}."


def write_concise(diagnostics: list[Diagnostic], out: TextIO, *, quiet: bool, lines: LineReader) -> None:
    for d in diagnostics:
        out.write(f"{d.path}:{d.location.row}:{d.location.column}: {d.code} {d.message}\n")
    if not quiet:
        out.write(_summary(len(diagnostics)) + "\n")


def write_full(diagnostics: list[Diagnostic], out: TextIO, *, quiet: bool, lines: LineReader) -> None:
    cache: dict[str, list[str]] = {}
    for d in diagnostics:
        out.write(f"{d.path}:{d.location.row}:{d.location.column}: {d.code} {d.message}\n")
        source = cache.setdefault(d.path, lines(d.path))
        if d.location.row <= len(source):
            out.write(_excerpt(d, source) + "\n")
    if not quiet:
        out.write(_summary(len(diagnostics)) + "\n")


def _excerpt(d: Diagnostic, source: list[str]) -> str:
    row = d.location.row
    first, last = max(1, row - 1), min(len(source), row + 1)
    width = len(str(last))
    gutter = " " * width + " |"
    shown = [gutter]
    for number in range(first, last + 1):
        shown.append(f"{number:>{width}} | {source[number - 1]}".rstrip())
        if number == row:
            line = source[row - 1]
            end = d.span.end.column if d.span.end.row == row else len(line) + 1
            carets = "^" * max(1, end - d.location.column)
            # Tabs are kept so that the carets line up with the line above however the terminal shows them.
            indent = "".join(char if char == "\t" else " " for char in line[: d.location.column - 1])
            shown.append(f"{gutter} {indent}{carets} {d.code}")
    shown.append(gutter)
    return "\n".join(shown) + "\n"


def json_record(d: Diagnostic) -> dict:
    """One finding with ruff's JSON field names, so tools that read ruff's output read ours."""
    return {
        "cell": None,
        "code": d.code,
        "end_location": {"column": d.span.end.column, "row": d.span.end.row},
        "filename": str(Path(d.path).absolute()),
        "fix": None,
        "location": {"column": d.location.column, "row": d.location.row},
        "message": d.message,
        "noqa_row": d.noqa_row,
        "url": None,
    }


def write_json(diagnostics: list[Diagnostic], out: TextIO, *, quiet: bool, lines: LineReader) -> None:
    json.dump([json_record(d) for d in diagnostics], out, indent=2)
    out.write("\n")


WRITERS = {"concise": write_concise, "full": write_full, "json": write_json}
