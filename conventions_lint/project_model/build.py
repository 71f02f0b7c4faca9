"""A run's project models: each project's files summarised (from the cache when unchanged), then resolved.

A project is the files under one configuration root. Its model is built from all of
them, also those a run does not lint (a pre-commit run names a few changed files): a
file is judged by what its imports stand for wherever they are defined, so the same
file gets the same findings in a run over the whole project and in a run over itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from conventions_lint.project_model.options import IMPLIED_BY_SETTING
from conventions_lint.project_model.resolver import ProjectModel
from conventions_lint.project_model.summary import ModuleSummary, summarize
from conventions_lint.project_model.vocabulary import NO_VOCABULARY, Vocabulary

if TYPE_CHECKING:
    from conventions_lint.cache import ResultCache
    from conventions_lint.config import ConfigResolver, Settings


def implied_types(settings: Settings) -> dict[str, str]:
    """Qualified name -> the framework class a setting says it is."""
    return {name: implied for key, implied in IMPLIED_BY_SETTING for name in getattr(settings, key)}


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def summarize_source(data: bytes) -> ModuleSummary:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # a summary needs only the ASCII names; the file's own pass reports the bytes
    return summarize(text.replace("\r\n", "\n").replace("\r", "\n"))


def build_model(files: Mapping[str, bytes], settings: Settings, cache: ResultCache | None = None) -> ProjectModel:
    """The model of one project from its files' bytes by relative path; summaries come from `cache` when it has them."""
    summaries = {}
    for relative_path, data in files.items():
        if not relative_path.endswith((".py", ".pyi")):
            continue
        digest = content_digest(data)
        cached = cache.summary(relative_path, digest) if cache is not None else None
        if cached is not None:
            summaries[relative_path] = cached
            continue
        summary = summarize_source(data)
        summaries[relative_path] = summary
        if cache is not None:
            cache.store_summary(relative_path, digest, summary)
    return ProjectModel(summaries, implied_types(settings))


class RunModels:
    """The models of the projects a run touches, and each file's vocabulary from them."""

    def __init__(self, models: Mapping[Path, ProjectModel] | None = None) -> None:
        self.models = dict(models or {})
        self._vocabularies: dict[tuple[Path, str], Vocabulary] = {}

    def vocabulary(self, settings: Settings, relative_path: str) -> Vocabulary:
        model = self.models.get(settings.root)
        if model is None:
            return NO_VOCABULARY
        key = (settings.root, relative_path)
        if key not in self._vocabularies:
            self._vocabularies[key] = model.vocabulary(relative_path)
        return self._vocabularies[key]


def build_run_models(
    linted: Iterable[tuple[Settings, str, bytes]],
    resolver: ConfigResolver,
    cache_for: Callable[[Settings], ResultCache | None],
    walked: Iterable[Path] = (),
) -> RunModels:
    """Models for the projects of the `linted` files (settings, relative path, bytes), with the rest of each project.

    `walked`: resolved directories the run lints whole, whose projects it already holds entire.
    """
    from conventions_lint.discovery import Problem, discover

    projects: dict[Path, tuple[Settings, dict[str, bytes]]] = {}
    for settings, relative_path, data in linted:
        projects.setdefault(settings.root, (settings, {}))[1][relative_path] = data
    walked = list(walked)
    models = {}
    for root, (settings, files) in projects.items():
        whole = any(directory == root or directory in root.parents for directory in walked)
        if not whole and (root / "pyproject.toml").is_file():
            ignored: list[Problem] = []  # unreadable files are the business of the run that lints them
            for source in discover([root], resolver, ignored):
                if source.settings.root != root or source.relative_path in files:
                    continue
                try:
                    if not source.settings.is_too_large(source.path.stat().st_size):
                        files[source.relative_path] = source.path.read_bytes()
                except OSError:
                    continue
        models[root] = build_model(files, settings, cache_for(settings))
    return RunModels(models)
