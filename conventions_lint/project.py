"""The whole-project phase: rules over the facts that every file's pass collected.

A project is the files under one configuration root. Its rules see every file of
it that was linted, and the facts of the rest (indexed, never reported on), so a
pre-commit run over two changed files still judges them against the whole tree.
The fixes that per-file rules deferred (they need a class defined in another file)
are completed here the same way, from the same facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import groupby

from conventions_lint.diagnostic import Diagnostic
from conventions_lint.engine import FileResult, is_suppressed
from conventions_lint.facts import FileFacts
from conventions_lint.rule import Project, ProjectFile, ProjectRule, Rule
from conventions_lint.settings import Settings


@dataclass(frozen=True)
class LintedFile:
    relative_path: str
    settings: Settings
    result: FileResult
    # The rules chosen for this file (`Registry.rules_for`): its project findings are theirs.
    rules: tuple[type[Rule], ...]


@dataclass(frozen=True)
class IndexedFile:
    """A project file that was not linted, known by its facts only."""

    path: str
    relative_path: str
    settings: Settings
    facts: FileFacts


def project_diagnostics(linted: Sequence[LintedFile], indexed: Sequence[IndexedFile] = ()) -> list[Diagnostic]:
    """The project rules' findings, and the findings whose fix waited for the project (`FileResult.deferred`)."""
    by_path = {file.result.path: file for file in linted}
    enabled = {path: {rule.code for rule in file.rules} for path, file in by_path.items()}
    chosen = {rule for file in linted for rule in file.rules}
    rules = sorted((rule for rule in chosen if issubclass(rule, ProjectRule)), key=lambda rule: rule.code)
    if not rules and not any(file.result.deferred for file in linted):
        return []
    everything = [ProjectFile(f.result.path, f.relative_path, f.result.facts, f.settings) for f in linted]
    everything += [ProjectFile(f.path, f.relative_path, f.facts, f.settings, reported=False) for f in indexed]
    diagnostics = []
    for _, files in groupby(sorted(everything, key=_root_and_path), key=lambda file: str(file.settings.root)):
        project = Project(files)
        for rule in rules:
            for finding in rule.check_project(project):
                if finding.path not in by_path or rule.code not in enabled[finding.path]:
                    continue
                settings = by_path[finding.path].settings
                fix = settings.settled(rule.code, finding.fix)
                diagnostic = Diagnostic(
                    finding.path, rule.code, finding.message, finding.span, finding.span.start.row, fix
                )
                if not is_suppressed(by_path[finding.path].result, diagnostic, finding.statement_rows):
                    diagnostics.append(diagnostic)
        diagnostics += [
            _completed(diagnostic, by_path[file.path], project)
            for file in project
            if file.reported
            for diagnostic in by_path[file.path].result.deferred
        ]
    return diagnostics


def _completed(diagnostic: Diagnostic, file: LintedFile, project: Project) -> Diagnostic:
    """The finding with the fix its rule completes from the project's facts (its pass already applied noqa)."""
    rule = next(rule for rule in file.rules if rule.code == diagnostic.code)
    # As for the fixes of the file's own pass, the settings may withhold it or make it safer or riskier.
    fix = file.settings.settled(diagnostic.code, rule.complete_fix(diagnostic, project))
    return replace(diagnostic, fix=fix, deferred=None)


def _root_and_path(file: ProjectFile) -> tuple[str, str]:
    return str(file.settings.root), file.path
