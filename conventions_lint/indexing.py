"""Facts of the project files a run does not lint, so whole-project rules see the whole project.

A pre-commit run passes only the changed files. To judge them against the rest of
the project (the directory of its pyproject.toml), the other Python files there are
read for their facts and never reported on. The cost is kept small: a file is
parsed only when its bytes mention something facts are made of (a relationship, a
table, a mapped column, or it is the `db-base` file); the rest are read and skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from conventions_lint.config import ConfigResolver
from conventions_lint.discovery import Problem, discover
from conventions_lint.engine import collect_facts
from conventions_lint.globs import matches
from conventions_lint.project import IndexedFile, LintedFile

_FACT_MARKERS = (b"relationship", b"__tablename__", b"mapped_column", b"Column(")


def index_rest_of_projects(linted: Sequence[LintedFile], resolver: ConfigResolver,
                           display: Callable[[Path], str]) -> list[IndexedFile]:
    done = {(file.settings.root / file.relative_path).resolve() for file in linted}
    # Only real projects: a run outside any pyproject.toml must not walk the working directory's tree.
    roots = sorted({file.settings.root for file in linted if (file.settings.root / "pyproject.toml").is_file()})
    indexed: list[IndexedFile] = []
    ignored: list[Problem] = []  # unreadable files are the business of the run that lints them
    for source in discover([Path(root) for root in roots], resolver, ignored):
        if source.path.resolve() in done:
            continue
        try:
            data = source.path.read_bytes()
        except OSError:
            continue
        is_base = any(matches(glob, source.relative_path) for glob in source.settings.db_base)
        if not is_base and not any(marker in data for marker in _FACT_MARKERS):
            continue
        facts = collect_facts(display(source.path), source.relative_path, data, source.settings)
        if facts is not None:
            indexed.append(IndexedFile(display(source.path), source.relative_path, source.settings, facts))
    return indexed
