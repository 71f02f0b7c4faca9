"""Every call the language server makes into the engine, in one place.

A document is linted as the file its URI names, with that file's configuration, and its
findings come in two steps: the file alone (`lint`), at once, and with its project's facts
(`findings` given the project's index) once the index is there. Paths in messages are
relative to the workspace folder that holds the file, wherever the editor started the server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from pygls.uris import to_fs_path

from conventions_lint.add_noqa import with_noqa
from conventions_lint.cache import ResultCache
from conventions_lint.config import CONFIG_FILE_NAMES, ConfigResolver, is_project_root
from conventions_lint.diagnostic import Diagnostic
from conventions_lint.discovery import gitignore_below, is_left_out
from conventions_lint.engine import FileResult, collect_facts, lint_source
from conventions_lint.facts import FileFacts
from conventions_lint.fixing import apply_project_fixes, fix_source, is_applicable
from conventions_lint.indexing import index_projects
from conventions_lint.project import IndexedFile, LintedFile, project_diagnostics
from conventions_lint.project_model.build import RunModels, build_project_models
from conventions_lint.project_model.vocabulary import NO_VOCABULARY, Vocabulary
from conventions_lint.registry import REGISTRY
from conventions_lint.rule import Rule
from conventions_lint.server.options import Options
from conventions_lint.settings import Settings

# The facts of a project's files by their shown path.
Index = Mapping[str, IndexedFile]


@dataclass(frozen=True)
class Target:
    """What a document is linted as."""

    uri: str
    # Its file (a bare name for documents that are not files, such as `untitled:` ones).
    path: Path
    # Its path in messages: relative to its workspace folder.
    shown: str
    relative_path: str
    settings: Settings
    # Excluded by the configuration: no diagnostics, as ruff's server does.
    excluded: bool
    # The directory whose files are its project (their facts count), or None: not a file, or in no project.
    project: Path | None
    # The workspace folder that holds it (messages are relative to it), if any.
    folder: Path | None


def shown_path(folder: Path | None, path: Path) -> str:
    """A path as messages show it: relative to the workspace folder when below it."""
    if folder is not None:
        try:
            return path.relative_to(folder).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def is_configuration(uri: str) -> bool:
    """Whether the document is a configuration file (pyproject.toml, conventions-lint.toml, .conventions-lint.toml)."""
    return PurePosixPath(urlparse(uri).path).name in CONFIG_FILE_NAMES


class Linter:
    def __init__(self, folders: Sequence[Path], options: Options) -> None:
        # The innermost folder first, for documents in nested folders.
        self.folders = sorted({folder.resolve() for folder in folders}, key=lambda f: len(f.parts), reverse=True)
        self.options = options

    def resolver(self, folder: Path | None, *, isolated: bool = False) -> ConfigResolver:
        # A new one each time: an edited pyproject.toml counts at once.
        return ConfigResolver(
            config_file=None, isolated=isolated, overrides=self.options.selection, default_root=folder
        )

    def target(self, uri: str) -> Target:
        """Raises ConfigError for a configuration that cannot be read."""
        path = to_fs_path(uri)
        if path is None:  # `untitled:` and the like: the defaults, no project
            name = PurePosixPath(urlparse(uri).path).name or "untitled"
            settings = self.resolver(None, isolated=True).for_directory(Path.cwd())
            return Target(uri, Path(name), name, name, settings, False, None, None)
        file = Path(path).absolute()
        file = file.parent.resolve() / file.name  # as the index walks it: from the project's real root
        folder = next((f for f in self.folders if f == file.parent or f in file.parents), None)
        resolver = self.resolver(folder)
        settings = resolver.for_directory(file.parent)
        relative_path = resolver.relative_path(settings, file)
        in_project = settings.root == folder or is_project_root(settings.root)
        return Target(
            uri,
            file,
            shown_path(folder, file),
            relative_path,
            settings,
            # The workspace is walked from its folder, as a directory named on the command line is.
            is_left_out(file, settings, resolver, gitignore_below(folder) if folder is not None else None),
            settings.root if in_project else None,
            folder,
        )

    def lint(self, target: Target, text: str, vocabulary: Vocabulary = NO_VOCABULARY) -> FileResult:
        """The findings of the document alone; `vocabulary`, what its names stand for once its project's model is built."""
        return lint_source(
            target.shown, target.relative_path, encode(text), target.settings, rules_of(target), vocabulary=vocabulary
        )

    def findings(self, target: Target, result: FileResult, index: Index | None) -> list[Diagnostic]:
        """The document's findings: with its project's when `index` holds the project's facts; without, the
        per-file findings only, those whose fix needs the project reported without it."""
        if index is None:
            alone = result.diagnostics + [replace(d, deferred=None) for d in result.deferred]
            return sorted(alone, key=lambda d: d.sort_key)
        linted = LintedFile(target.relative_path, target.settings, result, rules_of(target))
        others = [file for path, file in index.items() if path != target.shown]
        return sorted(result.diagnostics + project_diagnostics([linted], others), key=lambda d: d.sort_key)

    def unsafe(self, target: Target) -> bool:
        return self.options.unsafe_fixes if self.options.unsafe_fixes is not None else target.settings.unsafe_fixes

    def fix_all(self, target: Target, text: str, index: Index | None, vocabulary: Vocabulary = NO_VOCABULARY) -> str:
        """What `check --fix --stdin-filename` would make of the document: the fixes within this file."""
        unsafe = self.unsafe(target)
        data = encode(text)
        outcome = fix_source(
            target.shown,
            target.relative_path,
            data,
            target.settings,
            rules_of(target),
            unsafe=unsafe,
            vocabulary=vocabulary,
        )
        fixed = outcome.source
        if index is not None:
            # The fixes the project completes (a class defined in another file), those that stay in this file.
            within = [
                d
                for d in self.findings(target, outcome.result, index)
                if is_applicable(d.fix, unsafe) and all(edit.filename in (None, d.path) for edit in d.fix.edits)
            ]
            encodings = {target.shown: outcome.result.encoding}
            targets = {target.shown: target.settings.target_version}
            changed, _, _ = apply_project_fixes(
                within, {target.shown: fixed}, encodings, unsafe=unsafe, targets=targets
            )
            fixed = changed[target.shown].source if target.shown in changed else fixed
        return fixed.decode("utf-8", "surrogatepass") if fixed != data else text

    def disable_for_line(self, text: str, finding: Diagnostic) -> str:
        """The document with `# noqa: CODE` for the finding, as `--add-noqa` writes it (extending a `# noqa` there)."""
        data = encode(text)
        silenced, _ = with_noqa(data, [finding], "utf-8")  # the editor's text, encoded as `encode` does
        return silenced.decode("utf-8", "surrogatepass")

    def facts_of_file(
        self,
        target: Target,
        data: bytes | None,
        vocabulary_of: Callable[[bytes], Vocabulary] = lambda data: NO_VOCABULARY,
    ) -> IndexedFile | None:
        """The facts of the document's file as it is on disk (`data`, after the buffer is closed unsaved, say;
        None: gone), with the vocabulary `vocabulary_of` its bytes."""
        if data is None:
            return None
        vocabulary = vocabulary_of(data)
        facts = collect_facts(target.shown, target.relative_path, data, target.settings, vocabulary=vocabulary)
        return self.indexed(target, facts) if facts is not None else None

    @staticmethod
    def indexed(target: Target, facts: FileFacts) -> IndexedFile:
        return IndexedFile(target.shown, target.relative_path, target.settings, facts)


def in_new_meanings(
    files: Iterable[IndexedFile], before: RunModels, after: RunModels
) -> list[tuple[IndexedFile, IndexedFile | None]]:
    """The files whose vocabulary differs in the project's new model (their `Base` became a declarative base,
    say), each with its facts collected again from disk with the new one (None: gone, or it does not parse).
    Those whose vocabulary `after` took from `before` are not compared (`RunModels.changed_from`)."""
    again = []
    for file in files:
        if not after.changed_from(before, file.settings, file.relative_path):
            continue
        vocabulary = after.vocabulary(file.settings, file.relative_path)
        data = read_file(file.settings.root / file.relative_path)
        facts = None
        if data is not None:
            facts = collect_facts(file.path, file.relative_path, data, file.settings, vocabulary=vocabulary)
        again.append((file, replace(file, facts=facts) if facts is not None else None))
    return again


def read_file(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def rules_of(target: Target) -> tuple[type[Rule], ...]:
    return REGISTRY.rules_for(target.settings, target.relative_path)


def encode(text: str) -> bytes:
    # A lone surrogate (which JSON can carry) becomes bytes that are reported as not UTF-8, not a crash.
    return text.encode("utf-8", "surrogatepass")


def build_index(project: Path, folder: Path | None, options: Options) -> tuple[dict[str, IndexedFile], RunModels]:
    """The facts of every file of the project and its model (what each file's names stand for), as a run
    over the whole project builds them: in a process of its own, so that the server answers meanwhile.
    Facts and summaries come from the project's cache where it has them, and are stored there."""
    linter = Linter([folder] if folder is not None else [], options)
    resolver = linter.resolver(folder)
    caches: dict[Path, ResultCache] = {}

    def cache_for(settings: Settings) -> ResultCache:
        if settings.root not in caches:
            caches[settings.root] = ResultCache(settings.root / settings.cache_dir, settings.root)
        return caches[settings.root]

    summaries = build_project_models(resolver.for_directory(project), resolver, cache_for)
    indexed = index_projects(
        [project], resolver, lambda path: shown_path(folder, path.absolute()), cache_for, models=summaries
    )
    for cache in caches.values():
        cache.save()
    # Only the built model crosses to the server: the summaries' cache stays in this process.
    model = summaries.model(project)
    return {file.path: file for file in indexed}, RunModels(models={project: model} if model is not None else {})
