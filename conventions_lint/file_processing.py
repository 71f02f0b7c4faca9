"""One file's lint (or fix) within a run: the work a worker process is handed.

Apart from the run (runner.py) because it must not reach the run's state: a worker has only the task it
is sent (the file's bytes, settings, rules and vocabulary), and what it returns is pickled to the parent.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from conventions_lint.diagnostic import Diagnostic
from conventions_lint.engine import FileResult, lint_source
from conventions_lint.fixing import fix_source


@dataclass(frozen=True)
class Processed:
    """What a worker hands back for one file."""

    result: FileResult
    source: bytes
    fixed: list[Diagnostic]
    dropped: list[Diagnostic]


def process_file(task: tuple) -> Processed | str:
    """Lint or fix one file: a pure function of its arguments, run in a worker process.
    An unexpected failure comes back as its description, not as an exception."""
    shown, relative_path, data, settings, rules, fixing, unsafe, verbose, vocabulary = task
    try:
        if not fixing:
            return Processed(
                lint_source(shown, relative_path, data, settings, rules, vocabulary=vocabulary), data, [], []
            )
        outcome = fix_source(shown, relative_path, data, settings, rules, unsafe=unsafe, vocabulary=vocabulary)
        return Processed(outcome.result, outcome.source, outcome.fixed, outcome.dropped)
    except Exception as error:
        return traceback.format_exc() if verbose else f"{type(error).__name__}: {error}"
