"""Output formats: concise and full for people, json shaped like ruff's for tools."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from conventions_lint.diagnostic import Diagnostic, FixSafety

LineReader = Callable[[str], list[str]]


def read_lines(path: str) -> list[str]:
    """The file's lines for an excerpt; empty when it cannot be read any more."""
    try:
        return Path(path).read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []


@dataclass(frozen=True)
class ReportOptions:
    quiet: bool = False
    lines: LineReader = read_lines
    # Which fixes --fix would apply: decides the `[*]` marks and the hints.
    unsafe_fixes: bool = False
    # How many findings --fix repaired; None when not fixing.
    fixed: int | None = None


def _is_fixable(d: Diagnostic, options: ReportOptions) -> bool:
    return d.fix is not None and (d.fix.applicability is FixSafety.SAFE or options.unsafe_fixes)


def _header(d: Diagnostic, options: ReportOptions) -> str:
    mark = "[*] " if _is_fixable(d, options) else ""
    return f"{d.path}:{d.location.row}:{d.location.column}: {d.code} {mark}{d.message}\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 'es' if word.endswith('x') else 's'}"


def _summary(diagnostics: list[Diagnostic], options: ReportOptions) -> str:
    fixed = options.fixed or 0
    total = len(diagnostics) + fixed
    if total == 0:
        return "All checks passed!\n"
    text = f"Found {_plural(total, 'error')}"
    text += f" ({fixed} fixed, {len(diagnostics)} remaining).\n" if options.fixed is not None else ".\n"
    fixable = sum(_is_fixable(d, options) for d in diagnostics)
    hidden = sum(d.fix is not None and not _is_fixable(d, options) for d in diagnostics)
    hint = f" ({_plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option)" if hidden else ""
    if fixable:
        text += f"[*] {fixable} fixable with the `--fix` option{hint}.\n"
    elif hidden:
        text += f"No fixes available{hint}.\n"
    return text


def write_concise(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    for d in diagnostics:
        out.write(_header(d, options))
    if not options.quiet:
        out.write(_summary(diagnostics, options))


def write_full(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    cache: dict[str, list[str]] = {}
    for d in diagnostics:
        out.write(_header(d, options))
        source = cache.setdefault(d.path, options.lines(d.path))
        if d.location.row <= len(source):
            out.write(_excerpt(d, source) + "\n")
    if not options.quiet:
        out.write(_summary(diagnostics, options))


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
        "fix": d.fix.to_dict() if d.fix is not None else None,
        "location": {"column": d.location.column, "row": d.location.row},
        "message": d.message,
        "noqa_row": d.noqa_row,
        "url": None,
    }


def write_json(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    json.dump([json_record(d) for d in diagnostics], out, indent=2)
    out.write("\n")


WRITERS = {"concise": write_concise, "full": write_full, "json": write_json}
