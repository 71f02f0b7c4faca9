"""The language server, `conventions-lint server`: LSP over standard input and output, with pygls.

Each open document's text (never the file on disk) is linted as if it were its file, as
`check --stdin-filename` does. Its first diagnostics come from the file alone, at once; its
project's findings follow when the project's index is built (in the background, from the cache
where it has the facts). The index then takes each document's facts as it is linted, and each
file's from disk as it changes there; the project's model (what names stand for across files)
follows each file saved or changed on disk, and the open documents are linted again when it
changes (server/index.py). A changed document waits `debounce-ms` for the next change, and one changed
while it is being linted is linted once more: in its latest version only, however many changes came. Diagnostics are pushed, or pulled
(`textDocument/diagnostic`) by clients that can also be told to pull again when the project's
findings arrive. Settings are resolved afresh on every lint, so edits to a configuration file count at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from conventions_lint import __version__
from conventions_lint.config import ConfigError
from conventions_lint.diagnostic import Diagnostic
from conventions_lint.engine import FileResult
from conventions_lint.fixes.text import split_lines
from conventions_lint.registry import RULES_BY_CODE
from conventions_lint.server.convert import SOURCE, lsp_diagnostic
from conventions_lint.server.index import Indexes
from conventions_lint.server.linting import Linter, Target, encode, is_configuration, read_file
from conventions_lint.server.options import Options, read_options

INDEXING_TOKEN = "conventions-lint/indexing"


@dataclass
class Document:
    """What the server knows of one open document: its last lint, and whether one is under way."""

    target: Target | None = None
    text: str | None = None
    version: int | None = None
    result: FileResult | None = None
    findings: list[Diagnostic] = field(default_factory=list)
    running: bool = False
    stale: bool = False  # changed since the lint under way began
    due: float = 0.0  # the event loop's time before which it is not linted: more changes may follow
    settled: asyncio.Event = field(default_factory=asyncio.Event)


class ConventionsLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.linter = Linter([], Options())
        self.indexes = Indexes(Options(), self._index_ready, self._index_failed, self._opened)
        self.documents: dict[str, Document] = {}
        self.pull = False  # the client pulls diagnostics, and can be told to pull again
        self.last_error: str | None = None
        self._reporting = False

    def report_server_error(self, error: Exception, source) -> None:
        # pygls reports a failure to send by sending a message, which fails too once the client has closed the
        # connection (a lint finishing after `exit`): each failure logged its traceback and reported again, a
        # thousand deep, which held an exiting server past the tests' 30 s. A report that fails is only logged.
        if self._reporting:
            return
        self._reporting = True
        try:
            super().report_server_error(error, source)
        finally:
            self._reporting = False

    # What the features module's handlers use.

    def lint_soon(self, uri: str, *, changed: bool = False) -> None:
        document = self.documents.setdefault(uri, Document())
        if changed:
            document.due = asyncio.get_running_loop().time() + self.linter.options.debounce_seconds
        document.stale = True
        document.settled.clear()
        if not document.running:
            document.running = True
            asyncio.get_running_loop().create_task(self._lint_until_current(uri, document))

    async def settled(self, uri: str) -> Document:
        """The document once its latest version is linted."""
        if uri not in self.documents:
            self.lint_soon(uri)
        document = self.documents[uri]
        await document.settled.wait()
        return document

    def saved(self, uri: str, text: str | None) -> None:
        """An open document was saved (`text`: as the client sent it, else its buffer): the project's model
        follows it, and what its names stand for counts in the other documents."""
        try:
            target = self.linter.target(uri)
        except ConfigError:
            return  # said when the document is linted
        if not target.excluded:
            source = text if text is not None else self.workspace.get_text_document(uri).source
            self.indexes.file_changed(target, encode(source))

    def closed(self, uri: str) -> None:
        document = self.documents.pop(uri, None)
        if document is not None:
            document.settled.set()  # nothing waits for a lint of a closed document: none is coming
        if document is not None and document.target is not None and document.target.project is not None:
            # Its unsaved text no longer counts for the project: the file on disk does.
            target = document.target
            asyncio.get_running_loop().create_task(self._reindex_from_disk(target))
        if not self.pull:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def tell(self, errors: list[str]) -> None:
        """Show errors in the editor, but not again on every keystroke."""
        message = "\n".join(f"{SOURCE}: {error}" for error in errors) or None
        if message is not None and message != self.last_error:
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))
        self.last_error = message

    def diagnostics_of(self, document: Document) -> list[types.Diagnostic]:
        lines = split_lines(document.text or "")
        return [self.lsp_diagnostic(lines, finding) for finding in document.findings]

    def lsp_diagnostic(self, lines: list[str], finding: Diagnostic) -> types.Diagnostic:
        rule = RULES_BY_CODE.get(finding.code)
        url = self.linter.options.rule_url(finding.code, rule.name if rule else finding.code)
        return lsp_diagnostic(self.workspace.position_codec, lines, finding, url)

    def configure(self, params: types.InitializeParams) -> None:
        options, errors = read_options(params.initialization_options)
        folders = [Path(path) for path in (to_fs_path(f.uri) for f in params.workspace_folders or []) if path]
        if not folders and params.root_uri and (root := to_fs_path(params.root_uri)):
            folders = [Path(root)]
        self.linter = Linter(folders, options)
        self.indexes = Indexes(options, self._index_ready, self._index_failed, self._opened)
        capabilities = params.capabilities
        self.pull = bool(
            capabilities.text_document
            and capabilities.text_document.diagnostic
            and capabilities.workspace
            and capabilities.workspace.diagnostics
            and capabilities.workspace.diagnostics.refresh_support
        )
        self.progress = bool(capabilities.window and capabilities.window.work_done_progress)
        if errors:
            self.tell(errors)

    # Linting.

    async def _lint_until_current(self, uri: str, document: Document) -> None:
        try:
            loop = asyncio.get_running_loop()
            while document.stale and uri in self.documents:
                while (wait := document.due - loop.time()) > 0:
                    await asyncio.sleep(wait)
                document.stale = False
                current = self.workspace.get_text_document(uri)
                text, version = current.source, current.version
                try:
                    target = self.linter.target(uri)
                except ConfigError as error:  # e.g. a typo in pyproject.toml: say so, once, instead of linting
                    self.tell([str(error)])
                    document.target, document.text, document.version, document.findings = None, text, version, []
                    continue
                if target.excluded:
                    result = FileResult(target.shown, [])
                else:
                    self.indexes.get(target)  # the project's index is built meanwhile, if it is not there yet
                    self._start_progress()
                    vocabulary = self.indexes.vocabulary(target, encode(text))
                    result = await asyncio.to_thread(self.linter.lint, target, text, vocabulary)
                if document.stale:
                    continue  # a newer version came meanwhile: lint that one instead
                self.tell([])
                document.target, document.text, document.version, document.result = target, text, version, result
                index = self.indexes.get(target) if not target.excluded else None
                document.findings = self.linter.findings(target, result, index)
                if not target.excluded and self.indexes.update(target, self.linter.indexed(target, result.facts)):
                    self._project_changed(target.project, but=uri)
        finally:
            document.running = False
        if uri in self.documents:
            document.settled.set()
            self._deliver(uri, document)

    def _deliver(self, uri: str, document: Document) -> None:
        if not self.pull:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri, version=document.version, diagnostics=self.diagnostics_of(document)
                )
            )

    def _project_changed(self, project: Path | None, but: str | None = None) -> None:
        """New facts of the project: its open documents' findings again (without linting them again)."""
        for uri, document in self.documents.items():
            target = document.target
            if uri == but or target is None or target.project != project or document.result is None:
                continue
            document.findings = self.linter.findings(target, document.result, self.indexes.get(target))
            if not document.running:
                self._deliver(uri, document)
        if self.pull:
            self.workspace_diagnostic_refresh(None)

    def _opened(self, project: Path) -> set[str]:
        return {d.target.shown for d in self.documents.values() if d.target is not None and d.target.project == project}

    def _index_ready(self, project: Path) -> None:
        """The project's index and model are built, or its model was built again after a file changed."""
        asyncio.get_running_loop().create_task(self._lint_with_the_model(project))

    async def _lint_with_the_model(self, project: Path) -> None:
        # The project's model is new: what the open documents' names stand for (the app's own router class,
        # a schema base elsewhere) may differ from what the files alone, or the model before, said.
        opened = [uri for uri, d in self.documents.items() if d.target is not None and d.target.project == project]
        for uri in opened:
            self.lint_soon(uri)
        for uri in opened:
            if uri in self.documents:
                await self.documents[uri].settled.wait()
        self._project_changed(project)
        self._end_progress()

    def _index_failed(self, project: Path, error: str) -> None:
        self.tell([f"{project}: cannot index the project, so its whole-project rules are off: {error}"])
        self._end_progress()

    def changed_on_disk(self, uri: str) -> None:
        """A file of the workspace changed, appeared or went (`workspace/didChangeWatchedFiles`)."""
        if is_configuration(uri):
            self.settings_changed()
            return
        if uri in self.documents:
            return  # its buffer is what counts while it is open
        try:
            target = self.linter.target(uri)
        except ConfigError:
            return  # said when an open document is linted
        if target.project is not None and not target.excluded:
            asyncio.get_running_loop().create_task(self._reindex_from_disk(target))

    def settings_changed(self) -> None:
        # Settings are read afresh on every lint; the facts indexed with the old ones are not.
        self.indexes.forget()
        for uri in list(self.documents):
            self.lint_soon(uri)

    async def _reindex_from_disk(self, target: Target) -> None:
        source = await asyncio.to_thread(read_file, target.path)
        # The file's facts are collected with what its names stand for once the model has it.
        await self.indexes.file_changed(target, source)
        vocabulary_of = partial(self.indexes.vocabulary, target)
        indexed = await asyncio.to_thread(self.linter.facts_of_file, target, source, vocabulary_of)
        changed = self.indexes.update(target, indexed) if indexed is not None else self.indexes.remove(target)
        if changed:
            self._project_changed(target.project)

    # Progress while indexing, for clients that show it.

    progress = False
    _progress: asyncio.Task | None = None
    _progress_count = 0

    def _start_progress(self) -> None:
        if self.progress and self.indexes.building() and self._progress is None:
            self._progress = asyncio.get_running_loop().create_task(self._begin_progress())

    async def _begin_progress(self) -> str:
        self._progress_count += 1
        token = f"{INDEXING_TOKEN}/{self._progress_count}"
        await self.work_done_progress.create_async(token)
        self.work_done_progress.begin(
            token, types.WorkDoneProgressBegin(title="conventions-lint: indexing the project")
        )
        return token

    def _end_progress(self) -> None:
        if self._progress is None or self.indexes.building():
            return
        begun, self._progress = self._progress, None

        def end(task: asyncio.Task) -> None:
            if not task.cancelled() and task.exception() is None:
                self.work_done_progress.end(task.result(), types.WorkDoneProgressEnd(message="project indexed"))

        begun.add_done_callback(end)
