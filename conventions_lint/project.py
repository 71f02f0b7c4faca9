"""The whole-project phase: rules over the facts that every file's pass collected."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conventions_lint.config import Settings
from conventions_lint.diagnostic import Diagnostic
from conventions_lint.engine import FileResult, is_suppressed
from conventions_lint.rule import ProjectFile, ProjectRule
from conventions_lint.rules import ALL_RULES

PROJECT_RULES = tuple(rule for rule in ALL_RULES if issubclass(rule, ProjectRule))


@dataclass(frozen=True)
class LintedFile:
    relative_path: str
    settings: Settings
    result: FileResult


def project_diagnostics(files: Sequence[LintedFile]) -> list[Diagnostic]:
    by_path = {linted.result.path: linted for linted in files}
    enabled = {path: {rule.code for rule in linted.settings.rules_for(linted.relative_path)}
               for path, linted in by_path.items()}
    rules = [rule for rule in PROJECT_RULES if any(rule.code in codes for codes in enabled.values())]
    if not rules:
        return []
    project = [ProjectFile(linted.result.path, linted.result.facts) for linted in files]
    diagnostics = []
    for rule in rules:
        for finding in rule.check_project(project):
            if rule.code not in enabled[finding.path]:
                continue
            diagnostic = Diagnostic(finding.path, rule.code, finding.message, finding.span, finding.span.start.row)
            if not is_suppressed(by_path[finding.path].result, diagnostic, finding.statement_rows):
                diagnostics.append(diagnostic)
    return diagnostics
