"""Output formats.

For people: concise, full, grouped. For tools: json (shaped like ruff's) and json-lines.
For CI services: github (workflow-command annotations), gitlab (a Code Quality report),
junit (JUnit XML) and sarif (SARIF 2.1.0, for GitHub code scanning). `--statistics`
replaces the findings by counts per code.
"""

from __future__ import annotations

from typing import TextIO

from conventions_lint.diagnostic import Diagnostic
from conventions_lint.reporters.ci import write_github, write_gitlab, write_junit
from conventions_lint.reporters.common import LineReader, ReportOptions, Writer, read_lines
from conventions_lint.reporters.output_file import write_atomically
from conventions_lint.reporters.sarif import write_sarif
from conventions_lint.reporters.structured import json_record, write_json, write_json_lines
from conventions_lint.reporters.text import (
    fixed_listing,
    write_concise,
    write_full,
    write_grouped,
    write_statistics_json,
    write_statistics_json_lines,
)
from conventions_lint.reporters.text import (
    write_statistics as _write_statistics_text,
)

WRITERS: dict[str, Writer] = {
    "concise": write_concise,
    "full": write_full,
    "json": write_json,
    "json-lines": write_json_lines,
    "grouped": write_grouped,
    "github": write_github,
    "gitlab": write_gitlab,
    "junit": write_junit,
    "sarif": write_sarif,
}


def write_statistics(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions, output_format: str) -> None:
    """`--statistics`: JSON with `--output-format json` or `json-lines`, ruff's text table with the others."""
    if output_format == "json":
        write_statistics_json(diagnostics, out, options)
    elif output_format == "json-lines":
        write_statistics_json_lines(diagnostics, out, options)
    else:
        _write_statistics_text(diagnostics, out, options)


__all__ = [
    "WRITERS",
    "LineReader",
    "ReportOptions",
    "Writer",
    "fixed_listing",
    "json_record",
    "read_lines",
    "write_atomically",
    "write_statistics",
]
