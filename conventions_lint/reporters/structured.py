"""Formats for tools: json shaped like ruff's, and json-lines (the same objects, one a line)."""

from __future__ import annotations

import json
import os
from typing import TextIO

from conventions_lint.diagnostic import Diagnostic
from conventions_lint.reporters.common import ReportOptions


def json_record(d: Diagnostic) -> dict:
    """One finding with ruff's JSON field names, so tools that read ruff's output read ours.

    Every path is absolute, as in ruff: the finding's `filename`, and the `filename` of an edit in
    another file (a cross-file fix, which ruff does not have); an edit without one is in the finding's file.
    """
    return {
        "cell": None,
        "code": d.code,
        "end_location": {"column": d.span.end.column, "row": d.span.end.row},
        "filename": _absolute(d.path),
        "fix": _fix_record(d) if d.fix is not None else None,
        "location": {"column": d.location.column, "row": d.location.row},
        "message": d.message,
        "noqa_row": d.noqa_row,
        "url": None,
    }


def _absolute(path: str) -> str:
    return os.path.abspath(path)


def _fix_record(d: Diagnostic) -> dict:
    record = d.fix.to_dict()
    for edit in record["edits"]:
        if "filename" in edit:
            if edit["filename"] == d.path:
                del edit["filename"]
            else:
                edit["filename"] = _absolute(edit["filename"])
    return record


def write_json(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    json.dump([json_record(d) for d in diagnostics], out, indent=2)
    out.write("\n")


def write_json_lines(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    """One compact JSON object a line (the `json` format's objects); nothing at all without findings."""
    for d in diagnostics:
        out.write(json.dumps(json_record(d), separators=(",", ":")) + "\n")
