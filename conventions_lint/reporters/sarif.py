"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from conventions_lint import __version__
from conventions_lint.diagnostic import Diagnostic, Edit, FixAvailability, Location
from conventions_lint.registry import ALL_RULES
from conventions_lint.reporters.common import ReportOptions

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# Relative artifact URIs are relative to this base: the working directory, where the paths are relative to.
SRCROOT = "%SRCROOT%"


def _short_description(documentation: str) -> str:
    """The rule's *What it does* paragraph, on one line."""
    what = documentation.partition("## What it does")[2].strip().split("\n\n")[0]
    return " ".join(what.split())


def rule_descriptor(rule) -> dict:
    """A rule's entry in `tool.driver.rules`.

    There is no hosted documentation site, so there is no `helpUri` (SARIF makes it
    optional, and GitHub shows `help` instead): the rule's whole documentation, the text
    of `conventions-lint rule CODE`, goes into `fullDescription` and into `help` (as text
    and as Markdown, which GitHub renders).
    """
    documentation = rule.documentation()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _short_description(inspect.cleandoc(rule.__doc__ or "")) or rule.name},
        "fullDescription": {"text": documentation},
        "help": {"text": documentation, "markdown": documentation},
        "defaultConfiguration": {"level": "error", "enabled": bool(rule.default_enabled)},
        "properties": _fix_properties(rule),
    }


def _fix_properties(rule) -> dict[str, str]:
    """Whether the rule's findings carry fixes, and apart from that how safe they are (each fix says its own)."""
    if rule.fix_availability is FixAvailability.NONE:
        return {"fixAvailability": "none"}
    applicability = rule.fix_applicability.value if rule.fix_applicability is not None else "varies"
    return {"fixAvailability": rule.fix_availability.value, "fixApplicability": applicability}


def artifact_location(path: str) -> dict:
    """Relative paths become relative URIs under %SRCROOT%; others (outside the working directory) file URIs."""
    as_path = Path(path)
    if as_path.is_absolute():
        return {"uri": as_path.as_uri()}
    return {"uri": quote(as_path.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _directory_uri(directory: Path) -> str:
    uri = directory.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _region(start: Location, end: Location) -> dict:
    # SARIF regions are 1-based with an exclusive end column, like our spans; an empty one is a point.
    return {"startLine": start.row, "startColumn": start.column, "endLine": end.row, "endColumn": end.column}


def _fix(d: Diagnostic) -> dict:
    by_file: dict[str, list[Edit]] = {}
    for edit in d.fix.edits:
        by_file.setdefault(edit.filename or d.path, []).append(edit)
    return {
        "description": {"text": d.fix.message},
        "artifactChanges": [
            {
                "artifactLocation": artifact_location(path),
                "replacements": [
                    {
                        "deletedRegion": _region(edit.location, edit.end_location),
                        "insertedContent": {"text": edit.content},
                    }
                    for edit in edits
                ],
            }
            for path, edits in by_file.items()
        ],
        "properties": {"applicability": d.fix.applicability.value},
    }


def sarif_log(diagnostics: list[Diagnostic], options: ReportOptions) -> dict:
    index = {rule.code: position for position, rule in enumerate(ALL_RULES)}
    results = []
    for d in diagnostics:
        result: dict = {"ruleId": d.code}
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        result["level"] = "error"
        result["message"] = {"text": d.message}
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(d.path),
                    "region": _region(d.span.start, d.span.end),
                },
            }
        ]
        if d.fix is not None:
            result["fixes"] = [_fix(d)]
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "conventions-lint",
                        "version": __version__,
                        "rules": [rule_descriptor(rule) for rule in ALL_RULES],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(Path.cwd())}},
                # Our columns count characters (code points), not SARIF's default UTF-16 code units.
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def write_sarif(diagnostics: list[Diagnostic], out: TextIO, options: ReportOptions) -> None:
    json.dump(sarif_log(diagnostics, options), out, indent=2)
    out.write("\n")
