"""A run's project models: each project's files summarised (from the cache when unchanged), then resolved.

A project is the files under one configuration root. Its model is built from all of
them, also those a run does not lint (a pre-commit run names a few changed files): a
file is judged by what its imports stand for wherever they are defined, so the same
file gets the same findings in a run over the whole project and in a run over itself.

A warm run resolves nothing when no summary changed: the digests of the files'
vocabularies (what their cache keys need) are kept in the cache under a digest of all
the project's summaries, and the model is built only for a file that must be linted.
An edit that changes no summary (a function body, a comment) changes no vocabulary.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from conventions_lint.project_model.importers import Importers
from conventions_lint.project_model.module_summary import ModuleSummary
from conventions_lint.project_model.options import IMPLIED_BY_SETTING
from conventions_lint.project_model.renamable import RenameHomes
from conventions_lint.project_model.resolver import ProjectModel
from conventions_lint.project_model.schema_roles import schema_flags
from conventions_lint.project_model.summary import summarize
from conventions_lint.project_model.vocabulary import NO_VOCABULARY, Vocabulary

if TYPE_CHECKING:
    from conventions_lint.cache import ResultCache
    from conventions_lint.config import ConfigResolver
    from conventions_lint.settings import Settings


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


def summarize_each(sources: Sequence[bytes]) -> list[ModuleSummary]:
    return [summarize_source(data) for data in sources]


class ProjectSummaries:
    """The summaries of one project's files, read from the cache when a file's bytes are unchanged
    (deserialised only if the model is built), with the digest of them all.

    `summarize_all` makes the summaries the cache lacks (a run's worker processes, on a cold cache)."""

    def __init__(
        self,
        files: Mapping[str, bytes],
        settings: Settings,
        cache: ResultCache | None,
        summarize_all: Callable[[Sequence[bytes]], list[ModuleSummary]] = summarize_each,
    ) -> None:
        self.settings, self.cache = settings, cache
        # The cached summaries as the cache keeps them: JSON text, decoded when the model is built.
        self._cached: dict[str, str] = {}
        self._fresh: dict[str, ModuleSummary] = {}
        digests = []
        missing: list[tuple[str, str, bytes]] = []
        for relative_path, data in files.items():
            if not relative_path.endswith((".py", ".pyi")):
                continue
            digest = content_digest(data)
            entry = cache.summary_entry(relative_path, digest) if cache is not None else None
            if entry is not None:
                self._cached[relative_path], summary_digest = entry
                digests.append((relative_path, summary_digest))
            else:
                missing.append((relative_path, digest, data))
        for (relative_path, digest, _), summary in zip(missing, summarize_all([data for *_, data in missing])):
            self._fresh[relative_path] = summary
            summary_digest = _summary_digest(summary)
            if cache is not None:
                cache.store_summary(relative_path, digest, json.dumps(summary.to_dict()), summary_digest)
            digests.append((relative_path, summary_digest))
        implied = sorted(implied_types(settings).items())
        # Which modules are services says whose functions a rename may rename, so which files follow names.
        services = [globs for role, globs in settings.roles if role == "services"]
        text = json.dumps([implied, sorted(digests), services])
        self.digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    @cached_property
    def model(self) -> ProjectModel:
        summaries = {path: ModuleSummary.from_dict(json.loads(text)) for path, text in self._cached.items()}
        return ProjectModel({**summaries, **self._fresh}, implied_types(self.settings))


def _summary_digest(summary: ModuleSummary) -> str:
    return hashlib.blake2b(json.dumps(summary.to_dict(), sort_keys=True).encode(), digest_size=16).hexdigest()


def build_model(files: Mapping[str, bytes], settings: Settings, cache: ResultCache | None = None) -> ProjectModel:
    """The model of one project from its files' bytes by relative path; summaries come from `cache` when it has them."""
    return ProjectSummaries(files, settings, cache).model


class _WholeProject:
    """What a file's vocabulary reads from the whole project beside its model's meanings: the functions a
    rename may follow (renamable.py), which names other files import (importers.py), what each Pydantic
    model is for (schema_roles.py)."""

    def __init__(self, model: ProjectModel, settings: Settings) -> None:
        self.homes = RenameHomes(model, settings)
        self.importers = Importers(model)
        self.schema_flags = schema_flags(model)

    def of(self, path: str) -> tuple[frozenset[str], frozenset[str] | None, frozenset[str]]:
        """What it says of the file's module: the names other files import, the functions a rename may
        rename that its imports may lead to, those of its own that it exposes."""
        return self.importers.of(path), self.homes.renamable(path), frozenset(self.homes.exposed.get(path, ()))

    def says_the_same(self, other: _WholeProject) -> bool:
        """Whether `of` answers the same in both for every file whose summary is the same in both."""
        return self.importers.same_as(other.importers) and self.homes.same_as(other.homes)

    def flagged_apart(self, other: _WholeProject) -> set[str]:
        """The files of the classes whose flags differ in the two."""
        mine, theirs = self.schema_flags, other.schema_flags
        return {target.path for target in mine.keys() | theirs.keys() if mine.get(target) != theirs.get(target)}


class RunModels:
    """The models of the projects a run touches, and each file's vocabulary (and its digest) from them."""

    def __init__(
        self,
        projects: Mapping[Path, ProjectSummaries] | None = None,
        models: Mapping[Path, ProjectModel] | None = None,
    ) -> None:
        """`projects`: summaries to build models from when a vocabulary is asked; `models`: models built already."""
        self.projects = dict(projects or {})
        self._models = dict(models or {})
        self._vocabularies: dict[tuple[Path, str], Vocabulary] = {}
        self._whole: dict[Path, _WholeProject] = {}
        self._digests: dict[Path, dict[str, str]] = {}

    def model(self, root: Path) -> ProjectModel | None:
        if root not in self._models and root in self.projects:
            self._models[root] = self.projects[root].model
        return self._models.get(root)

    def vocabulary(self, settings: Settings, relative_path: str) -> Vocabulary:
        key = (settings.root, relative_path)
        if key not in self._vocabularies and settings.root not in self._models:
            stored = self._stored(settings, relative_path)
            if stored is not None:
                self._vocabularies[key] = stored
        if key not in self._vocabularies:
            model = self.model(settings.root)
            if model is None:
                return NO_VOCABULARY
            with model.uses.lock:
                if settings.root not in self._whole:
                    self._whole[settings.root] = _WholeProject(model, settings)
                whole = self._whole[settings.root]
                imported_elsewhere, renamable, exposed = whole.of(relative_path)
                self._vocabularies[key] = dataclasses.replace(
                    model.vocabulary(relative_path, whole.schema_flags),
                    imported_elsewhere=imported_elsewhere,
                    renamable=renamable,
                    exposed=exposed,
                )
        return self._vocabularies[key]

    def vocabulary_now(self, settings: Settings, relative_path: str, source: bytes) -> Vocabulary:
        """The vocabulary of a file whose text may differ from the one the model was built from (the language
        server's unsaved buffer: its model follows saved files only): the names its imports now lead to are
        followed, of the functions the model's homes expose (a rename withholds its fix for any other: `exposes`)."""
        vocabulary = self.vocabulary(settings, relative_path)
        whole = self._whole.get(settings.root)
        if whole is None:
            return vocabulary
        return dataclasses.replace(vocabulary, renamable=whole.homes.renamable(relative_path, summarize_source(source)))

    def with_files(self, settings: Settings, sources: Mapping[str, bytes | None]) -> RunModels | None:
        """The model of the project under `settings.root` built afresh with these files as they are now (None:
        gone), from the summaries it has of the others; None when no summary changed (a function body, a
        comment). What the whole project says of names is worked out here (the slow part), not when asked."""
        model = self.model(settings.root)
        if model is None:
            return None
        summaries = dict(model.summaries)
        for relative_path, source in sources.items():
            if source is None or settings.is_too_large(len(source)):  # as the walk leaves it out
                summaries.pop(relative_path, None)
            elif relative_path.endswith((".py", ".pyi")):
                summaries[relative_path] = summarize_source(source)
        if all(summaries.get(path) == model.summaries.get(path) for path in sources):
            return None
        new_model, affected = model.with_summaries(summaries)
        rebuilt = RunModels(models={settings.root: new_model})
        for relative_path in sources:
            rebuilt.vocabulary(settings, relative_path)
        if affected is not None:
            rebuilt._keep_vocabularies(self, settings, affected)
        return rebuilt

    def _keep_vocabularies(self, before: RunModels, settings: Settings, affected: set[str]) -> None:
        """Take from `before`, the models this was built from, the vocabularies this would work out the same:
        the files whose answers were carried over (their model's uses reach no changed summary), whose
        names reach no class whose flags differ, and of which the whole project says the same."""
        old, new = before._whole.get(settings.root), self._whole.get(settings.root)
        old_model = before._models.get(settings.root)
        if old is None or new is None or old_model is None:
            return
        with old_model.uses.lock:
            affected = affected | old_model.uses.reaching(new.flagged_apart(old))
            computed = old_model.uses.vocabularies - affected
        same = new.says_the_same(old)
        for (root, path), vocabulary in list(before._vocabularies.items()):
            if root == settings.root and path in computed and (same or old.of(path) == new.of(path)):
                self._vocabularies.setdefault((root, path), vocabulary)

    def changed_from(self, before: RunModels, settings: Settings, relative_path: str) -> bool:
        """Whether the file's vocabulary differs under `before`: not when this one took it from there."""
        key = (settings.root, relative_path)
        mine, theirs = self._vocabularies.get(key), before._vocabularies.get(key)
        if mine is not None and mine is theirs:
            return False
        return self.vocabulary(settings, relative_path).digest != before.vocabulary(settings, relative_path).digest

    def digest(self, settings: Settings, relative_path: str) -> str:
        """The digest of the file's vocabulary (its cache key's part): from the cache when no summary of the
        project changed since it was computed, so that a warm run builds no model."""
        project = self.projects.get(settings.root)
        if project is None or project.cache is None:
            return self.vocabulary(settings, relative_path).digest
        stored = project.digest
        if settings.root not in self._digests:
            self._digests[settings.root] = project.cache.vocabulary_digests(stored) or {}
        known = self._digests[settings.root]
        if relative_path not in known:
            vocabulary = self.vocabulary(settings, relative_path)
            known[relative_path] = vocabulary.digest
            project.cache.store_vocabulary_digests(stored, known)
            project.cache.store_vocabulary_text(stored, relative_path, vocabulary.to_text(), vocabulary.packages)
        return known[relative_path]

    def _stored(self, settings: Settings, relative_path: str) -> Vocabulary | None:
        """The file's vocabulary as the cache keeps it, when made from the project's summaries as they are:
        a run that lints one changed file of a warm project does not build the model (0.4 s on the corpus)."""
        project = self.projects.get(settings.root)
        if project is None or project.cache is None:
            return None
        texts, packages = project.cache.vocabulary_texts(project.digest)
        text = texts.get(relative_path)
        return Vocabulary.from_text(text, frozenset(packages)) if text is not None else None


def build_run_models(
    linted: Iterable[tuple[Settings, str, bytes]],
    resolver: ConfigResolver,
    cache_for: Callable[[Settings], ResultCache | None],
    walked: Iterable[Path] = (),
    summarize_all: Callable[[Sequence[bytes]], list[ModuleSummary]] = summarize_each,
) -> RunModels:
    """Models for the projects of the `linted` files (settings, relative path, bytes), with the rest of each project.

    `walked`: resolved directories the run lints whole, whose projects it already holds entire.
    """
    projects: dict[Path, tuple[Settings, dict[str, bytes]]] = {}
    for settings, relative_path, data in linted:
        projects.setdefault(settings.root, (settings, {}))[1][relative_path] = data
    return _models_of(projects, resolver, cache_for, list(walked), summarize_all=summarize_all)


def build_project_models(
    settings: Settings, resolver: ConfigResolver, cache_for: Callable[[Settings], ResultCache | None]
) -> RunModels:
    """The model of the whole project under `settings.root` (the language server's, built with its index)."""
    return _models_of({settings.root: (settings, {})}, resolver, cache_for, [], whole_project=True)


def _models_of(
    projects: Mapping[Path, tuple[Settings, dict[str, bytes]]],
    resolver: ConfigResolver,
    cache_for: Callable[[Settings], ResultCache | None],
    walked: list[Path],
    *,
    whole_project: bool = False,
    summarize_all: Callable[[Sequence[bytes]], list[ModuleSummary]] = summarize_each,
) -> RunModels:
    """Each project's summaries: its `files` and, unless the run walked it whole, the rest of it read from disk."""
    from conventions_lint.config import is_project_root
    from conventions_lint.discovery import Problem, discover

    summaries = {}
    for root, (settings, files) in projects.items():
        whole = any(directory == root or directory in root.parents for directory in walked)
        if not whole and (whole_project or is_project_root(root)):
            ignored: list[Problem] = []  # unreadable files are the business of the run that lints them
            for source in discover([root], resolver, ignored):
                if source.settings.root != root or source.relative_path in files:
                    continue
                try:
                    if not source.settings.is_too_large(source.path.stat().st_size):
                        files[source.relative_path] = source.path.read_bytes()
                except OSError:
                    continue
        summaries[root] = ProjectSummaries(files, settings, cache_for(settings), summarize_all)
    return RunModels(summaries)
