"""What every output format shares: the options, the source lines, fixability and the summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from conventions_lint.colour import Palette
from conventions_lint.diagnostic import Applicability, Diagnostic

LineReader = Callable[[str], list[str]]
Writer = Callable[[list[Diagnostic], TextIO, "ReportOptions"], None]


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
    # Standard input: only fixes that stay in the buffer can apply, so only they count as fixable.
    buffer_only: bool = False
    color: bool = False

    @property
    def palette(self) -> Palette:
        return Palette(self.color)


class LineCache:
    """Each file's lines, read once per report."""

    def __init__(self, options: ReportOptions) -> None:
        self._read, self._lines = options.lines, {}

    def __call__(self, path: str) -> list[str]:
        if path not in self._lines:
            self._lines[path] = self._read(path)
        return self._lines[path]

    def line(self, path: str, row: int) -> str | None:
        lines = self(path)
        return lines[row - 1] if 1 <= row <= len(lines) else None


def can_apply(d: Diagnostic, options: ReportOptions) -> bool:
    """Whether --fix (with --unsafe-fixes or not) could apply the finding's fix here."""
    if d.fix is None:
        return False
    return not options.buffer_only or all(edit.filename in (None, d.path) for edit in d.fix.edits)


def is_fixable(d: Diagnostic, options: ReportOptions) -> bool:
    return can_apply(d, options) and (d.fix.applicability is Applicability.SAFE or options.unsafe_fixes)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 'es' if word.endswith('x') else 's'}"


def summary(diagnostics: list[Diagnostic], options: ReportOptions) -> str:
    fixed = options.fixed or 0
    total = len(diagnostics) + fixed
    paint = options.palette
    if total == 0:
        return paint.success("All checks passed!") + "\n"
    text = f"Found {plural(total, 'error')}"
    text += f" ({fixed} fixed, {len(diagnostics)} remaining).\n" if options.fixed is not None else ".\n"
    fixable = sum(is_fixable(d, options) for d in diagnostics)
    hidden = sum(can_apply(d, options) and not is_fixable(d, options) for d in diagnostics)
    hint = f" ({plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option)" if hidden else ""
    if fixable:
        text += f"{paint.fixable()} {fixable} fixable with the `--fix` option{hint}.\n"
    elif hidden:
        text += f"No fixes available{hint}.\n"
    return text


def excerpt(d: Diagnostic, source: list[str]) -> str:
    """The finding's line between its neighbours, with carets under the finding."""
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
