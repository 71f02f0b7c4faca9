"""Formats for CI services: GitHub Actions annotations, a GitLab Code Quality report, JUnit XML."""

from __future__ import annotations

import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import TextIO

from conventions_lint.diagnostic import Diagnostic
from conventions_lint.registry import RULES_BY_CODE
from conventions_lint.reporters.common import LineCache, ReportOptions, excerpt

TOOL = "conventions-lint"
# Findings that are not about the code's conventions: the file does not parse, or a rule crashed.
_BROKEN = frozenset({"CL001", "CL002"})


# GitHub Actions -------------------------------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    """A workflow command's message, escaped as @actions/core escapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    """`::error title=conventions-lint (CODE),file=…,line=…,col=…,endLine=…,endColumn=…::CODE message`, as ruff does.

    Paths are as reported (relative to the working directory, which in a workflow is the
    checkout), so GitHub places the annotations on the pull request's files.
    """
    for d in diagnostics:
        properties = {
            "title": f"{TOOL} ({d.code})",
            "file": d.path,
            "line": d.span.start.row,
            "col": d.span.start.column,
            "endLine": d.span.end.row,
            "endColumn": d.span.end.column,
        }
        fields = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
        out.write(f"::error {fields}::{_escape_data(f'{d.code} {d.message}')}\n")


# GitLab Code Quality ----------------------------------------------------------------------------------------------


def _gitlab_path(path: str) -> str:
    """Relative to the project's root: `CI_PROJECT_DIR` in a GitLab job (as ruff does), else as reported."""
    project = os.environ.get("CI_PROJECT_DIR")
    if project:
        try:
            return Path(path).absolute().relative_to(Path(project).absolute()).as_posix()
        except ValueError:
            pass
    return Path(path).as_posix()


def gitlab_fingerprint(code: str, path: str, content: str, occurrence: int) -> str:
    """Stable across runs and line moves: the code, the path, and the line's text (not its number).

    `occurrence` tells apart findings whose three are the same (two on one line, or on
    identical lines of one file): GitLab merges findings that share a fingerprint.
    """
    key = "\0".join((code, path, content, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _last_row(d: Diagnostic) -> int:
    """The last line the finding covers: a span that ends at the start of a line stops on the line before."""
    end = d.span.end
    return max(d.span.start.row, end.row - 1 if end.column == 1 and end.row > d.span.start.row else end.row)


def gitlab_records(diagnostics: list[Diagnostic], options: ReportOptions) -> list[dict]:
    lines = LineCache(options)
    seen: Counter[tuple[str, str, str]] = Counter()
    records = []
    for d in diagnostics:
        path = _gitlab_path(d.path)
        line = lines.line(d.path, d.location.row)
        # Without the line (past the end of the file, or the file is gone) the message stands in for it.
        content = " ".join(line.split()) if line is not None and line.strip() else d.message
        occurrence = seen[(d.code, path, content)]
        seen[(d.code, path, content)] += 1
        records.append(
            {
                "description": f"{d.code} {d.message}",
                "check_name": d.code,
                "fingerprint": gitlab_fingerprint(d.code, path, content, occurrence),
                "severity": "critical" if d.code in _BROKEN else "major",
                "location": {"path": path, "lines": {"begin": d.span.start.row, "end": _last_row(d)}},
            }
        )
    return records


def write_gitlab(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    """A GitLab Code Quality report (a Code Climate subset): a JSON array, `[]` without findings."""
    json.dump(gitlab_records(diagnostics, options), out, indent=2)
    out.write("\n")


# JUnit XML ----------------------------------------------------------------------------------------------------------

# Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def write_junit(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    """One testsuite with a failing testcase per finding (`error` for CL002, a crash of ours).

    The testcase's classname is the file's path and its name the code, rule name and
    position; the failure holds the message, and the source excerpt of the `full` format.
    Without findings the suite holds one passing testcase, so that CI shows a passed run.
    """
    lines = LineCache(options)
    errors = sum(d.code == "CL002" for d in diagnostics)
    failures = len(diagnostics) - errors
    tests = max(1, len(diagnostics))
    counts = {"tests": str(tests), "failures": str(failures), "errors": str(errors), "skipped": "0"}
    suites = ET.Element("testsuites", {"name": TOOL, **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": TOOL, **counts})
    if not diagnostics:
        ET.SubElement(suite, "testcase", {"classname": TOOL, "name": "No errors found"})
    for d in diagnostics:
        rule = RULES_BY_CODE.get(d.code)
        name = f"{d.code} {rule.name}" if rule is not None else d.code
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": _xml_text(d.path),
                "name": _xml_text(f"{name} at {d.location.row}:{d.location.column}"),
                "file": _xml_text(d.path),
                "line": str(d.location.row),
            },
        )
        body = f"{d.path}:{d.location.row}:{d.location.column}: {d.code} {d.message}\n"
        source = lines(d.path)
        if d.location.row <= len(source):
            body += excerpt(d, source)
        result = ET.SubElement(
            case, "error" if d.code == "CL002" else "failure", {"message": _xml_text(d.message), "type": d.code}
        )
        result.text = _xml_text(body)
    ET.indent(suites, space="  ")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")
