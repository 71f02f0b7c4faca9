"""A lint run: discover files, lint (and fix) each once, then the project phase over their facts.

With fixes, nothing is written until the end: fixed contents are kept in memory,
the project phase's fixes (which may edit several files) apply on top, and then
every changed file is written (or, for `--diff`, shown) once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from conventions_lint.cache import ResultCache, entry_key
from conventions_lint.config import ConfigResolver
from conventions_lint.diagnostic import Diagnostic
from conventions_lint.discovery import Problem, SourceFile, discover, is_skipped
from conventions_lint.display_paths import display_path
from conventions_lint.engine import INTERNAL_ERROR, FileResult, lint_source
from conventions_lint.file_processing import Processed, process_file
from conventions_lint.fixing import PROJECT_ROUNDS, apply_project_fixes, fix_source, is_applicable
from conventions_lint.gitignore import GitIgnore
from conventions_lint.indexing import index_rest_of_projects
from conventions_lint.project import IndexedFile, LintedFile, project_diagnostics
from conventions_lint.project_model.build import RunModels, build_model, build_run_models, summarize_source
from conventions_lint.project_model.vocabulary import Vocabulary
from conventions_lint.registry import REGISTRY, Registry
from conventions_lint.settings import Settings
from conventions_lint.workers import Item, Result, Task, Workers, interrupts_deferred, stop_if_interrupted
from conventions_lint.writing import FileChangedError, unified_diff, write_fixed


@dataclass(frozen=True)
class FixMode:
    """What the command line asks of fixes; None fields defer to each file's settings."""

    fix: bool | None = None
    unsafe: bool | None = None
    # --diff: compute the fixes and show them, write nothing.
    diff: bool = False
    # Standard input: only the one file may change.
    single_file: bool = False

    def fixes(self, settings: Settings) -> bool:
        return self.diff or (self.fix if self.fix is not None else settings.fix)

    def unsafe_for(self, settings: Settings) -> bool:
        return self.unsafe if self.unsafe is not None else settings.unsafe_fixes


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fixed: list[Diagnostic] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    # Contents after fixing, by display path (files that changed only).
    fixed_contents: dict[str, bytes] = field(default_factory=dict)
    # The encoding of each file linted (or changed by a fix), by display path: what reads it again decodes so.
    encodings: dict[str, str] = field(default_factory=dict)
    files_linted: int = 0

    @property
    def has_errors(self) -> bool:
        """Problems and internal errors make the exit code 2, whatever else was found."""
        return bool(self.problems) or any(d.code == INTERNAL_ERROR for d in self.diagnostics)


class _Run:
    def __init__(
        self,
        resolver: ConfigResolver,
        fix_mode: FixMode,
        verbose: bool,
        jobs: int | None = None,
        use_cache: bool = True,
    ) -> None:
        self.resolver, self.fix_mode, self.verbose = resolver, fix_mode, verbose
        self.jobs = jobs or os.cpu_count() or 1
        self.use_cache = use_cache
        self.caches: dict[Path, ResultCache] = {}
        self.outcome = RunResult()
        self.linted: dict[str, LintedFile] = {}
        self.sources: dict[str, SourceFile] = {}
        self.original: dict[str, bytes] = {}
        self.current: dict[str, bytes] = {}
        # Directories this run walked whole: a project root under one of them has no file left to index.
        self.walked: list[Path] = []
        self.models = RunModels()
        self._workers: Workers | None = None

    def cache_for(self, settings: Settings) -> ResultCache | None:
        if not self.use_cache:
            return None
        if settings.root not in self.caches:
            # A save from an editor neither prunes nor checks the project's other files.
            self.caches[settings.root] = ResultCache(
                settings.root / settings.cache_dir, settings.root, prune=not self.fix_mode.single_file
            )
        return self.caches[settings.root]

    def process(self, files: list[tuple[SourceFile, str, bytes]]) -> None:
        """Lint (or fix) every file: from the cache where it can, else in worker processes."""
        work: list[tuple[SourceFile, str, bytes]] = []
        self.models = build_run_models(
            ((source.settings, source.relative_path, data) for source, _, data in files),
            self.resolver,
            self.cache_for,
            self.walked,
            lambda sources: self._map(summarize_source, sources, len, lambda data: data),
        )
        for source, shown, data in files:
            self.sources[shown], self.original[shown], self.current[shown] = source, data, data
            settings = source.settings
            cache = self.cache_for(settings)
            # The key's digest of the file's vocabulary costs a third of building the model: only for a cache.
            key = entry_key(settings, shown, data, self.models.digest(settings, source.relative_path)) if cache else ""
            cached = cache.result(source.relative_path, key) if cache else None
            fixing = self.fix_mode.fixes(settings)
            if cached is not None and not (
                fixing and any(is_applicable(d.fix, self.fix_mode.unsafe_for(settings)) for d in cached.diagnostics)
            ):
                self._keep(shown, _linted(source.relative_path, settings, cached))
            else:
                work.append((source, shown, data))

        def task(item: tuple[SourceFile, str, bytes]) -> tuple:
            source, shown, data = item
            return (
                shown,
                source.relative_path,
                data,
                source.settings,
                REGISTRY.rules_for(source.settings, source.relative_path),
                self.fix_mode.fixes(source.settings),
                self.fix_mode.unsafe_for(source.settings),
                self.verbose,
                self._vocabulary(source),
            )

        for (source, shown, _), done in zip(work, self._map(process_file, work, lambda item: len(item[2]), task)):
            self._take(source, shown, done)

    def _vocabulary(self, file: SourceFile | LintedFile) -> Vocabulary:
        return self.models.vocabulary(file.settings, file.relative_path)

    def _uses_workers(self, count: int) -> bool:
        # A pool costs more than it saves for a handful of files (an editor's, a commit's).
        return self.jobs > 1 and count >= 2 * self.jobs

    @contextmanager
    def workers_for(self, count: int) -> Iterator[None]:
        """The worker processes for a run of `count` files, if it needs any, made now (see `Workers`)."""
        if not self._uses_workers(count):
            yield
            return
        # LibCST is not loaded first: each worker loads it (in parallel) when it parses, and a warm run, whose
        # files the cache answers, does not load it at all.
        self._workers = Workers(self.jobs)
        try:
            yield
        finally:
            self._workers.close()
            self._workers = None

    def _map(
        self,
        function: Callable[[Task], Result],
        items: Sequence[Item],
        size: Callable[[Item], int],
        make_task: Callable[[Item], Task],
    ) -> list[Result]:
        if self._workers is not None and self._uses_workers(len(items)):
            return self._workers.map(function, items, size, make_task)
        results: list[Result] = []
        for item in items:
            stop_if_interrupted()
            results.append(function(make_task(item)))
        return results

    def _take(self, source: SourceFile, shown: str, done: Processed | str) -> None:
        if isinstance(done, str):
            self.outcome.problems.append(Problem(shown, f"internal error while linting: {done}"))
            return
        self.current[shown] = done.source
        self.outcome.fixed += done.fixed
        self._report_dropped(shown, done.dropped)
        self._keep(shown, _linted(source.relative_path, source.settings, done.result))
        cache = self.cache_for(source.settings)
        if cache is not None:
            key = entry_key(
                source.settings, shown, done.source, self.models.digest(source.settings, source.relative_path)
            )
            cache.store_result(source.relative_path, key, done.result)

    def _keep(self, shown: str, file: LintedFile) -> None:
        self.linted[shown] = file
        self.outcome.encodings[shown] = file.result.encoding

    def finish(self) -> RunResult:
        indexed = index_rest_of_projects(
            list(self.linted.values()), self.resolver, display_path, self.cache_for, self.walked, self.models
        )
        diagnostics = project_diagnostics(list(self.linted.values()), indexed)
        if diagnostics and any(self.fix_mode.fixes(file.settings) for file in self.linted.values()):
            # In rounds, as a file's fixes are: a rename may free the name another rename waits for
            # (`get_user` -> `get_users`, then `read_user` -> `get_user`).
            for _ in range(PROJECT_ROUNDS):
                applied = len(self.outcome.fixed)
                indexed = self._apply_project_fixes(diagnostics, indexed)
                diagnostics = project_diagnostics(list(self.linted.values()), indexed)
                if len(self.outcome.fixed) == applied:
                    break
        # Ctrl-C before this point leaves every file as it was; from here the fixed files are written as a set.
        with interrupts_deferred():
            self._deliver()
            for cache in self.caches.values():
                cache.save()
        self.outcome.files_linted = len(self.linted)
        per_file = [d for file in self.linted.values() for d in file.result.diagnostics]
        self.outcome.diagnostics = sorted(per_file + diagnostics, key=lambda d: d.sort_key)
        return self.outcome

    def _apply_project_fixes(self, diagnostics: list[Diagnostic], indexed: list[IndexedFile]) -> list[IndexedFile]:
        """One round of whole-project fixes; touched files are linted again."""
        unsafe = any(self.fix_mode.unsafe_for(file.settings) for file in self.linted.values())
        # A run writes only the files it was asked to check (pre-commit passes the staged ones): a fix that
        # edits another file waits for a run that checks that file too; its message names the file.
        # On standard input, that is the one file.
        fixable = [
            d
            for d in diagnostics
            if self.fix_mode.fixes(self.linted[d.path].settings)
            and d.fix is not None
            and all((edit.filename or d.path) in self.linted for edit in d.fix.edits)
        ]
        targets = {path: file.settings.target_version for path, file in self.linted.items()}
        changed, applied, dropped = apply_project_fixes(
            fixable, self.current, self.outcome.encodings, unsafe=unsafe, targets=targets
        )
        self._report_dropped(None, dropped)
        self.outcome.fixed += applied
        for path, parsed in changed.items():
            file = self.linted[path]
            # What the project's edits call for in the file itself (a handler renamed `create_…` is a create
            # to CL302) is fixed in this run too, as its own rounds were: a second run has nothing left to do.
            fixed = fix_source(
                path,
                file.relative_path,
                parsed.source,
                file.settings,
                file.rules,
                unsafe=self.fix_mode.unsafe_for(file.settings),
                vocabulary=self._vocabulary(file),
                parsed=parsed,
            )
            self.current[path] = fixed.source
            self.outcome.fixed += fixed.fixed
            self._report_dropped(path, fixed.dropped)
            self.linted[path] = replace(file, result=fixed.result)
        return indexed

    def _report_dropped(self, shown: str | None, dropped: list[Diagnostic]) -> None:
        for d in dropped:
            self.outcome.problems.append(
                Problem(
                    shown or d.path,
                    f"the fix for {d.code} at {d.location.row}:{d.location.column} produced invalid "
                    "code and was not applied; please report this",
                )
            )

    def _deliver(self) -> None:
        for path, data in self.current.items():
            original = self.original[path]
            if data == original:
                continue
            if self.fix_mode.diff:
                encoding = self.outcome.encodings[path]
                self.outcome.diffs.append(unified_diff(path, original.decode(encoding), data.decode(encoding)))
                continue
            self.outcome.fixed_contents[path] = data
            if self.fix_mode.single_file:
                continue
            try:
                write_fixed(self.sources[path].path, original, data)
            except FileChangedError as error:
                self._unfix(path, str(error))
            except OSError as error:
                self._unfix(path, f"cannot write the fixed file: {error.strerror or error}")

    def _unfix(self, path: str, cause: str) -> None:
        """The fixed file could not be written: report it, and its findings as they stand on disk."""
        self.outcome.problems.append(Problem(path, cause))
        self.outcome.fixed = [d for d in self.outcome.fixed if d.path != path]
        if path in self.linted:
            file = self.linted[path]
            result = lint_source(
                path,
                file.relative_path,
                self.original[path],
                file.settings,
                file.rules,
                vocabulary=self._vocabulary(file),
            )
            self.linted[path] = replace(file, result=result)


def run(
    paths: list[Path],
    resolver: ConfigResolver,
    *,
    fix_mode: FixMode = FixMode(),
    verbose: bool = False,
    jobs: int | None = None,
    use_cache: bool = True,
) -> RunResult:
    state = _Run(resolver, fix_mode, verbose, jobs, use_cache)
    state.walked = [path.resolve() for path in paths if path.is_dir()]
    problems = state.outcome.problems
    # Each file with the number of problems the walk met before it: a file's own go after those, in walk order.
    found = [(source, len(problems)) for source in discover(paths, resolver, problems)]
    with state.workers_for(len(found)):
        files = []
        unreadable = 0
        for source, walk_problems in found:
            shown = display_path(source.path)
            try:
                too_large = _too_large(source.path.stat().st_size, source.settings)
                if too_large is None:
                    files.append((source, shown, source.path.read_bytes()))
                    continue
                problem = Problem(shown, too_large)
            except OSError as error:
                problem = Problem(shown, f"cannot read file: {error.strerror or error}")
            problems.insert(walk_problems + unreadable, problem)
            unreadable += 1
        state.process(files)
    return state.finish()


def _too_large(size: int, settings: Settings) -> str | None:
    if not settings.is_too_large(size):
        return None
    return (
        f"{size / 1e6:.1f} MB is over `max-file-bytes` ({settings.max_file_bytes / 1e6:.1f} MB); skipped: "
        "exclude the file, or raise `max-file-bytes` in [tool.conventions-lint]"
    )


def run_stdin(
    data: bytes,
    path: Path,
    resolver: ConfigResolver,
    *,
    fix_mode: FixMode = FixMode(),
    verbose: bool = False,
    use_cache: bool = True,
) -> tuple[RunResult, bytes]:
    """Lint (and fix) source read from standard input as if it were `path`; also returns the fixed source."""
    settings = resolver.for_directory(path.parent)
    state = _Run(
        resolver,
        FixMode(fix_mode.fix, fix_mode.unsafe, fix_mode.diff, single_file=True),
        verbose,
        jobs=1,
        use_cache=use_cache,
    )
    shown = display_path(path)
    too_large = _too_large(len(data), settings)
    if is_skipped(path, settings, resolver, GitIgnore()):
        pass  # excluded (with --force-exclude) or a stub: nothing to report, and the buffer goes back unchanged
    elif too_large is not None:
        state.outcome.problems.append(Problem(shown, too_large))
    else:
        state.process([(SourceFile(path, settings, resolver.relative_path(settings, path)), shown, data)])
    outcome = state.finish()
    return outcome, outcome.fixed_contents.get(shown, data)


def _linted(relative_path: str, settings: Settings, result: FileResult) -> LintedFile:
    return LintedFile(relative_path, settings, result, REGISTRY.rules_for(settings, relative_path))


def lint_sources(sources: Mapping[str, str], settings: Settings, registry: Registry = REGISTRY) -> list[Diagnostic]:
    """Both phases over in-memory files keyed by relative path, with the rules of `registry` the
    settings choose, and a project model of those files: what tests and examples use."""
    model = RunModels(
        models={settings.root: build_model({path: text.encode() for path, text in sources.items()}, settings)}
    )
    linted = []
    for path, text in sources.items():
        rules = registry.rules_for(settings, path)
        result = lint_source(path, path, text.encode(), settings, rules, vocabulary=model.vocabulary(settings, path))
        linted.append(LintedFile(path, settings, result, rules))
    diagnostics = [d for file in linted for d in file.result.diagnostics] + project_diagnostics(linted)
    return sorted(diagnostics, key=lambda d: d.sort_key)
