"""Formats for people: concise, full, grouped, the --statistics table, and what --show-fixes lists."""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from conventions_lint.diagnostic import Diagnostic
from conventions_lint.registry import RULES_BY_CODE
from conventions_lint.reporters.common import LineCache, ReportOptions, excerpt, is_fixable, summary


def _mark(d: Diagnostic, options: ReportOptions) -> str:
    return options.palette.fixable() + " " if is_fixable(d, options) else ""


def _header(d: Diagnostic, options: ReportOptions) -> str:
    paint = options.palette
    colon = paint.separator()
    where = f"{paint.path(d.path)}{colon}{d.location.row}{colon}{d.location.column}{colon}"
    return f"{where} {paint.code(d.code)} {_mark(d, options)}{d.message}\n"


def write_concise(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    for d in diagnostics:
        out.write(_header(d, options))
    if not options.quiet:
        out.write(summary(diagnostics, options))


def write_full(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    lines = LineCache(options)
    for d in diagnostics:
        out.write(_header(d, options))
        source = lines(d.path)
        if d.location.row <= len(source):
            out.write(excerpt(d, source) + "\n")
    if not options.quiet:
        out.write(summary(diagnostics, options))


def write_grouped(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    """ruff's grouped format: `path:`, then `  row:col CODE [*] message` lines, a blank line after each file."""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_path.setdefault(d.path, []).append(d)
    for path, found in by_path.items():
        # As in ruff: rows right-aligned and columns left-aligned, so that the codes line up.
        row_width = len(str(max(d.location.row for d in found)))
        column_width = len(str(max(d.location.column for d in found)))
        paint = options.palette
        out.write(f"{paint.path(path)}{paint.separator()}\n")
        for d in found:
            where = f"{d.location.row:>{row_width}}{paint.separator()}{d.location.column:<{column_width}}"
            out.write(f"  {where} {paint.code(d.code)} {_mark(d, options)}{d.message}\n")
        out.write("\n")
    if not options.quiet:
        out.write(summary(diagnostics, options))


def statistics(diagnostics: list[Diagnostic], options: ReportOptions) -> list[dict]:
    """Counts per code, most frequent first, then by code; the fields of `ruff check --statistics` in JSON."""
    counts = Counter(d.code for d in diagnostics)
    fixable = Counter(d.code for d in diagnostics if is_fixable(d, options))
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        {
            "code": code,
            "name": RULES_BY_CODE[code].name if code in RULES_BY_CODE else code,
            "count": count,
            "fixable": fixable[code] > 0,
            "fixable_count": fixable[code],
        }
        for code, count in rows
    ]


def write_statistics(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    """ruff's layout: `count<TAB>code<TAB>[*] name`, counts right-aligned, `[*]`/`[ ]` only when some are fixable.

    As in ruff, nothing at all is printed when there are no findings.
    """
    rows = statistics(diagnostics, options)
    if not rows:
        return
    count_width = len(str(max(row["count"] for row in rows)))
    code_width = max(len(row["code"]) for row in rows)
    any_fixable = any(row["fixable"] for row in rows)
    for row in rows:
        mark = (options.palette.fixable() + " " if row["fixable"] else "[ ] ") if any_fixable else ""
        code = options.palette.code(f"{row['code']:<{code_width}}")
        out.write(f"{row['count']:>{count_width}}\t{code}\t{mark}{row['name']}\n")
    if not options.quiet:
        out.write(summary(diagnostics, options))


def write_statistics_json(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    """`--statistics --output-format json`: an array of {code, name, count, fixable, fixable_count}."""
    json.dump(statistics(diagnostics, options), out, indent=2)
    out.write("\n")


def write_statistics_json_lines(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    """`--statistics --output-format json-lines`: the same objects, one a line."""
    for row in statistics(diagnostics, options):
        out.write(json.dumps(row, separators=(",", ":")) + "\n")


def fixed_listing(fixed: list[Diagnostic]) -> str:
    """--show-fixes: the fixes applied, per file and code."""
    counts = Counter((d.path, d.code) for d in fixed)
    text = f"Fixed {len(fixed)} error{'s' if len(fixed) != 1 else ''}:\n"
    for path in sorted({path for path, _ in counts}):
        text += f"- {path}:\n"
        for (where, code), count in sorted(counts.items()):
            if where == path:
                text += f"    {count} × {code} ({RULES_BY_CODE[code].name})\n"
    return text + "\n"
