"""Project facts for the language server: each project's index (the facts of its files) and its model
(what each file's names stand for: the app's own router class, a schema base defined elsewhere) are built
once, in a process of their own in the background (from the project's cache where it has them), then kept
in step file by file.

The index takes each open document's facts as it is linted, and a file's facts from disk when it changes
there or its document is closed. The model follows the files as saved: when a saved document or a file
changed on disk summarises differently, the project's model is built again from the summaries (off the
event loop, one build at a time per project), and `on_ready` says so, for the open documents to be linted
again. Before it does, the files that are not open whose vocabulary the new model changes (what their `Base`
stands for, say) have their facts collected again from disk in the same thread, so that the project's findings
follow them too. Only the files whose answers used a changed file are compared (project_model/uses.py): the new
model keeps the others' vocabularies. An unsaved buffer changes no other file's vocabulary
(`RunModels.vocabulary_now`).

The first diagnostics of a document never wait for it: they come from the file alone, and the
project's findings follow when its index is there.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from conventions_lint.project import IndexedFile
from conventions_lint.project_model.build import RunModels
from conventions_lint.project_model.vocabulary import NO_VOCABULARY, Vocabulary
from conventions_lint.server.linting import Index, Target, build_index, in_new_meanings
from conventions_lint.server.options import Options
from conventions_lint.settings import Settings


@dataclass
class _Changes:
    """The files of a project saved or changed on disk since its model was last brought up to date."""

    settings: Settings
    done: asyncio.Future[None]
    # Their bytes now by relative path; None: gone.
    sources: dict[str, bytes | None] = field(default_factory=dict)


class Indexes:
    def __init__(
        self,
        options: Options,
        on_ready: Callable[[Path], None],
        on_failure: Callable[[Path, str], None],
        opened: Callable[[Path], Collection[str]] = lambda project: (),
    ) -> None:
        """`opened`: the shown paths of a project's open documents, whose facts come from their buffers."""
        self.options = options
        self.on_ready, self.on_failure, self.opened = on_ready, on_failure, opened
        self._ready: dict[Path, dict[str, IndexedFile]] = {}
        # Each built project's model: what its files' names stand for (the app's own router class, say).
        self._models: dict[Path, RunModels] = {}
        # While a project's index is being built: the files known better meanwhile (open buffers).
        self._newer: dict[Path, dict[str, IndexedFile]] = {}
        self._failed: set[Path] = set()
        self._builders: set[BaseProcess] = set()
        # Counts `forget`s: an index begun before the last one was built with settings since changed.
        self._generation = 0
        self._changed: dict[Path, _Changes] = {}
        # The projects whose model is being built again, with the generation it was begun in.
        self._rebuilding: dict[Path, int] = {}
        self.rebuilds = 0  # models built again since the server started
        self.recollected = 0  # files whose facts were collected again for a new model's meanings

    def get(self, target: Target) -> Index | None:
        """The index of the document's project; None until it is built (which this starts)."""
        project = target.project
        if project is None or project in self._failed:
            return None
        if project not in self._ready and project not in self._newer:
            self._start(project, target.folder)
        return self._ready.get(project)

    def vocabulary(self, target: Target, source: bytes) -> Vocabulary:
        """What the document's names stand for in its project (`source`: its text now, which may differ from
        the model's); nothing until the project's model is built."""
        models = self._models.get(target.project) if target.project is not None else None
        if models is None:
            return NO_VOCABULARY
        return models.vocabulary_now(target.settings, target.relative_path, source)

    def building(self) -> bool:
        return bool(self._newer)

    def update(self, target: Target, file: IndexedFile) -> bool:
        """Put what is known of one file (its buffer's facts, say) in its project's index; whether it changed."""
        project = target.project
        if project is None:
            return False
        if project in self._newer:
            self._newer[project][file.path] = file
            return False
        index = self._ready.get(project)
        if index is None or index.get(file.path) == file:
            return False
        index[file.path] = file
        return True

    def remove(self, target: Target) -> bool:
        """The document's file is gone (or no longer has facts); whether the index changed."""
        project = target.project
        if project in self._newer:
            self._newer[project].pop(target.shown, None)
        index = self._ready.get(project) if project is not None else None
        return index is not None and index.pop(target.shown, None) is not None

    def file_changed(self, target: Target, source: bytes | None) -> asyncio.Future[None]:
        """A file of the project was saved, or changed on disk (`source`: its bytes now; None: it is gone). If
        its summary changed, the project's model is built again and `on_ready` says so; done once the model
        has the change (or never will: the settings changed meanwhile)."""
        project = target.project
        if project is None or (project not in self._models and project not in self._newer):
            done = asyncio.get_running_loop().create_future()
            done.set_result(None)
            return done  # no model yet: the one being built reads the file from disk
        if project not in self._changed:
            self._changed[project] = _Changes(target.settings, asyncio.get_running_loop().create_future())
        changes = self._changed[project]
        changes.settings = target.settings
        changes.sources[target.relative_path] = source
        if project in self._models:
            self._rebuild_soon(project)
        return changes.done

    def forget(self) -> None:
        """The configuration changed: every index is built again when next asked for."""
        self._ready.clear()
        self._models.clear()
        self._failed.clear()
        self._newer.clear()
        self._generation += 1
        for project in list(self._changed):
            self._changed.pop(project).done.set_result(None)

    def close(self) -> None:
        for builder in self._builders:
            builder.terminate()  # a build still running is of no use any more

    def _rebuild_soon(self, project: Path) -> None:
        if self._rebuilding.get(project) != self._generation:
            self._rebuilding[project] = self._generation
            asyncio.get_running_loop().create_task(self._rebuild_until_current(project))

    async def _rebuild_until_current(self, project: Path) -> None:
        """The project's model built again until it has every change: one build at a time, with all the
        changes that came while the last one ran (rapid saves build it twice at most)."""
        generation = self._generation
        try:
            while generation == self._generation and (changes := self._changed.pop(project, None)) is not None:
                try:
                    models, index = self._models[project], self._ready[project]
                    # The open documents' facts follow from their buffers as they are linted again; the
                    # changed files' own, from disk once the model has them (`file_changed`'s callers).
                    opened = self.opened(project)
                    from_disk = [
                        file
                        for path, file in index.items()
                        if path not in opened and file.relative_path not in changes.sources
                    ]
                    rebuilt, again = await asyncio.to_thread(_rebuilt, models, changes, from_disk)
                    if rebuilt is not None and generation == self._generation:
                        self._models[project] = rebuilt
                        self._take(index, again)
                        self.rebuilds += 1
                        self.on_ready(project)
                finally:
                    changes.done.set_result(None)
        finally:
            if self._rebuilding.get(project) == generation:
                del self._rebuilding[project]

    def _take(self, index: dict[str, IndexedFile], again: list[tuple[IndexedFile, IndexedFile | None]]) -> None:
        """Put the facts collected again for a new model in the index, but for files known better meanwhile
        (a document opened and linted, a file changed on disk and read again)."""
        for old, new in again:
            if index.get(old.path) is not old:
                continue
            if new is None:
                del index[old.path]
            else:
                index[old.path] = new
            self.recollected += 1

    def _start(self, project: Path, folder: Path | None) -> None:
        self._newer[project] = {}
        receiving, sending = multiprocessing.Pipe(duplex=False)
        # `spawn`: the server runs threads, and a forked copy of them could hold a lock forever.
        builder = multiprocessing.get_context("spawn").Process(
            target=_build_and_send, args=(sending, project, folder, self.options), daemon=True
        )
        builder.start()
        sending.close()
        self._builders.add(builder)
        asyncio.get_running_loop().create_task(self._receive(project, receiving, builder))

    async def _receive(self, project: Path, receiving: Connection, builder: BaseProcess) -> None:
        generation = self._generation
        try:
            built, error = await asyncio.to_thread(_received, receiving)
        finally:
            receiving.close()
            self._builders.discard(builder)
            await asyncio.to_thread(builder.join)
        if generation != self._generation:
            return  # the next document that asks starts a build with the settings as they are now
        if built is not None:
            self._built(project, *built)
        else:
            self._failed_to_build(project, error)

    def _built(self, project: Path, index: dict[str, IndexedFile], models: RunModels) -> None:
        index.update(self._newer.pop(project, {}))
        self._ready[project] = index
        self._models[project] = models
        # The index lives as long as the server: kept out of the collector's full passes, which would
        # otherwise walk every fact of the project during some later keystroke's lint.
        gc.freeze()
        self.on_ready(project)
        if project in self._changed:  # saved while the model was being built, maybe after the file was read
            self._rebuild_soon(project)

    def _failed_to_build(self, project: Path, error: str) -> None:
        # Without the project's facts its rules would judge the document alone: they stay silent instead.
        self._newer.pop(project, None)
        self._failed.add(project)
        if project in self._changed:
            self._changed.pop(project).done.set_result(None)
        self.on_failure(project, error)


def _rebuilt(
    models: RunModels, changes: _Changes, files: Sequence[IndexedFile]
) -> tuple[RunModels | None, list[tuple[IndexedFile, IndexedFile | None]]]:
    """In a thread: the project's model with the changes (None: no summary changed), and the `files` whose
    vocabulary it changes, with their facts collected again (a model of another file's class that its
    `Base`, redefined, makes mapped)."""
    rebuilt = models.with_files(changes.settings, changes.sources)
    return (rebuilt, in_new_meanings(files, models, rebuilt)) if rebuilt is not None else (None, [])


def _build_and_send(sending: Connection, project: Path, folder: Path | None, options: Options) -> None:
    """In the builder process: the index, or what went wrong."""
    try:
        outcome = (build_index(project, folder, options), "")
    except Exception as error:
        outcome = (None, f"{type(error).__name__}: {error}")
    sending.send(outcome)
    sending.close()


def _received(receiving: Connection) -> tuple[tuple[dict[str, IndexedFile], RunModels] | None, str]:
    try:
        return receiving.recv()
    except (EOFError, OSError):
        return None, "the indexing process ended without an answer"
