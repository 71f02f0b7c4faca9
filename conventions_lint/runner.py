"""A lint run: discover files, lint each once, then the project phase over their facts."""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from conventions_lint.config import ConfigResolver, Settings
from conventions_lint.diagnostic import Diagnostic
from conventions_lint.discovery import Problem, discover
from conventions_lint.engine import INTERNAL_ERROR, lint_source
from conventions_lint.project import LintedFile, project_diagnostics


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_linted: int = 0

    @property
    def has_errors(self) -> bool:
        """Problems and internal errors make the exit code 2, whatever else was found."""
        return bool(self.problems) or any(d.code == INTERNAL_ERROR for d in self.diagnostics)


def display_path(path: Path) -> str:
    """Paths as the user would type them: relative to the working directory when below it."""
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def run(paths: list[Path], resolver: ConfigResolver, *, verbose: bool = False) -> RunResult:
    outcome = RunResult()
    linted: list[LintedFile] = []
    for source in discover(paths, resolver, outcome.problems):
        shown = display_path(source.path)
        try:
            data = source.path.read_bytes()
        except OSError as error:
            outcome.problems.append(Problem(shown, f"cannot read file: {error.strerror or error}"))
            continue
        try:
            result = lint_source(shown, source.relative_path, data, source.settings)
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the run
            cause = traceback.format_exc() if verbose else f"{type(error).__name__}: {error}"
            outcome.problems.append(Problem(shown, f"internal error while linting: {cause}"))
            continue
        linted.append(LintedFile(source.relative_path, source.settings, result))
    outcome.files_linted = len(linted)
    outcome.diagnostics = _merge(linted)
    return outcome


def lint_sources(sources: Mapping[str, str], settings: Settings) -> list[Diagnostic]:
    """Both phases over in-memory files keyed by relative path: what tests and examples use."""
    linted = [LintedFile(path, settings, lint_source(path, path, text.encode(), settings))
              for path, text in sources.items()]
    return _merge(linted)


def _merge(linted: list[LintedFile]) -> list[Diagnostic]:
    diagnostics = [d for file in linted for d in file.result.diagnostics]
    diagnostics += project_diagnostics(linted)
    return sorted(diagnostics, key=lambda d: d.sort_key)
