"""Facts of the project files a run does not lint, so whole-project rules see the whole project.

A pre-commit run passes only the changed files. To judge them against the rest of
the project (the directory of its configuration file), the other Python files there are
read for their facts and never reported on. The cost is kept small: a file is
parsed only when its bytes mention something facts are made of (a relationship, a
table, a mapped column, or it is the `db-base` file) or the project model says its
imports may lead to a function a rename may rename (renamable.py); the rest are read
and skipped; and facts are cached like results.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from conventions_lint.cache import ResultCache, entry_key
from conventions_lint.config import ConfigResolver, is_project_root
from conventions_lint.discovery import Problem, discover
from conventions_lint.engine import collect_facts, no_facts
from conventions_lint.fact_collector import may_have_facts
from conventions_lint.name_use_collector import follows_names
from conventions_lint.project import IndexedFile, LintedFile
from conventions_lint.project_model.build import RunModels
from conventions_lint.project_model.vocabulary import NO_VOCABULARY
from conventions_lint.settings import Settings


def index_rest_of_projects(
    linted: Sequence[LintedFile],
    resolver: ConfigResolver,
    display: Callable[[Path], str],
    cache_for: Callable[[Settings], ResultCache | None],
    walked: Sequence[Path] = (),
    models: RunModels | None = None,
) -> list[IndexedFile]:
    """`walked`: resolved directories the run linted whole, so the project roots under them are done."""
    # Only real projects: a run outside any configuration file must not walk the working directory's tree.
    roots = sorted(
        root
        for root in {file.settings.root for file in linted}
        if is_project_root(root) and not any(directory == root or directory in root.parents for directory in walked)
    )
    if not roots:
        return []  # before resolving every linted path: a warm run of a whole tree spent a tenth of its time there
    done = {(file.settings.root / file.relative_path).resolve() for file in linted}
    return index_projects(roots, resolver, display, cache_for, done, models)


def index_projects(
    roots: Sequence[Path],
    resolver: ConfigResolver,
    display: Callable[[Path], str],
    cache_for: Callable[[Settings], ResultCache | None],
    done: Collection[Path] = (),
    models: RunModels | None = None,
) -> list[IndexedFile]:
    """The facts of every file under `roots` but those in `done` (resolved paths): from the cache where it has them."""
    if not roots:
        return []
    indexed: list[IndexedFile] = []
    ignored: list[Problem] = []  # unreadable files are the business of the run that lints them
    for source in discover([Path(root) for root in roots], resolver, ignored):
        if source.path.resolve() in done:
            continue
        try:
            if source.settings.is_too_large(source.path.stat().st_size):
                continue
            data = source.path.read_bytes()
        except OSError:
            continue
        has_facts = may_have_facts(data, source.relative_path, source.settings)
        if not has_facts and not follows_names(data, source.relative_path, source.settings):
            continue
        shown, cache = display(source.path), cache_for(source.settings)
        # Facts say which classes are models and schemas: what the file's bases stand for decides it.
        digest = models.digest(source.settings, source.relative_path) if models is not None else ""
        key = entry_key(source.settings, shown, data, digest)
        facts = cache.facts(source.relative_path, key) if cache is not None else None
        if facts is None:
            vocabulary = models.vocabulary(source.settings, source.relative_path) if models else NO_VOCABULARY
            if has_facts or follows_names(data, source.relative_path, source.settings, vocabulary):
                facts = collect_facts(shown, source.relative_path, data, source.settings, vocabulary=vocabulary)
            else:
                # Its imports lead to no function a rename may rename: nothing to parse it for (cached so).
                facts = no_facts(data)
            if facts is not None and cache is not None:
                cache.store_facts(source.relative_path, key, facts)
        if facts is not None:
            indexed.append(IndexedFile(shown, source.relative_path, source.settings, facts))
    return indexed
