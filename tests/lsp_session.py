"""The language server driven as editors drive it: a subprocess spoken to with pygls's client."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import BaseLanguageClient

STEP_TIMEOUT = 30  # seconds: a hung server fails the test instead of hanging CI
FIX_ALL = "source.fixAll.conventions-lint"


async def step(awaitable):
    return await asyncio.wait_for(awaitable, STEP_TIMEOUT)


class Session:
    """A client that records what the server sends: diagnostics, messages, the end of indexing, refreshes."""

    def __init__(self, *, pull: bool = False, progress: bool = True, watch: bool = False) -> None:
        self.client = BaseLanguageClient("test-client", "1")
        self.published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()
        self.messages: list[str] = []
        self.indexed = asyncio.Event()
        self.refreshes = 0
        self.refreshed = asyncio.Event()
        self.pull, self.progress, self.watch = pull, progress, watch
        self.registered: list[types.Registration] = []
        self.applied: list[types.WorkspaceEdit] = []  # what the server asked the editor to apply
        client = self.client

        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            self.registered += params.registrations

        @client.feature(types.WORKSPACE_APPLY_EDIT)
        def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
            self.applied.append(params.edit)
            return types.ApplyWorkspaceEditResult(applied=True)

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.published.put_nowait(params)

        @client.feature(types.WINDOW_SHOW_MESSAGE)
        def message(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

        @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
        def create_progress(params: types.WorkDoneProgressCreateParams) -> None:
            return None

        @client.feature(types.PROGRESS)
        def progress(params: types.ProgressParams) -> None:
            value = params.value  # LSPAny: pygls gives it as an object or a dict
            if (value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)) == "end":
                self.indexed.set()

        @client.feature(types.WORKSPACE_DIAGNOSTIC_REFRESH)
        def refresh(params: None) -> None:
            self.refreshes += 1
            self.refreshed.set()

    def capabilities(self) -> types.ClientCapabilities:
        return types.ClientCapabilities(
            text_document=types.TextDocumentClientCapabilities(diagnostic=types.DiagnosticClientCapabilities())
            if self.pull
            else None,
            workspace=types.WorkspaceClientCapabilities(
                diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True) if self.pull else None,
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
                if self.watch
                else None,
            ),
            window=types.WindowClientCapabilities(work_done_progress=self.progress),
        )

    def open(self, uri: str, text: str) -> None:
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
        )

    def change(self, uri: str, version: int, text: str) -> None:
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def changed_on_disk(self, uri: str) -> None:
        """What a client that watches the workspace's files sends when one changes on disk."""
        changed = types.FileEvent(uri, types.FileChangeType.Changed)
        self.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([changed]))

    async def diagnostics(self) -> types.PublishDiagnosticsParams:
        return await step(self.published.get())

    async def settled(self, uri: str) -> types.PublishDiagnosticsParams:
        """The last diagnostics published for `uri` once its project is indexed."""
        await step(self.indexed.wait())
        last = None
        while last is None or not self.published.empty():
            params = await self.diagnostics()
            if params.uri == uri:
                last = params
        return last

    async def code_actions(
        self, uri: str, where: types.Range, only: list[str], diagnostics: list[types.Diagnostic] = ()
    ) -> list[types.CodeAction]:
        context = types.CodeActionContext(diagnostics=list(diagnostics), only=only)
        params = types.CodeActionParams(types.TextDocumentIdentifier(uri), where, context)
        return list(await step(self.client.text_document_code_action_async(params)) or [])

    async def hover(self, uri: str, line: int, character: int) -> types.Hover | None:
        params = types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
        return await step(self.client.text_document_hover_async(params))


@asynccontextmanager
async def server(cwd: Path, *, workspace: Path | None = None, options: object = None, **session_options):
    session = Session(**session_options)
    client = session.client
    # Its own process group, and faulthandler on: a server that stops answering, or does not exit, is aborted
    # with its index builder, and both write where their threads stood to the stderr a failing test shows
    # (rare timeouts of these tests on a loaded CI machine, not yet explained).
    environment = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    await client.start_io(
        sys.executable, "-m", "conventions_lint", "server", cwd=cwd, env=environment, start_new_session=True
    )
    hung = False
    try:
        folders = [types.WorkspaceFolder(workspace.as_uri(), workspace.name)] if workspace else None
        params = types.InitializeParams(
            capabilities=session.capabilities(), workspace_folders=folders, initialization_options=options
        )
        session.initialized = await step(client.initialize_async(params))
        client.initialized(types.InitializedParams())
        try:
            yield session
        except asyncio.TimeoutError:
            hung = True
            raise
        await step(client.shutdown_async(None))
        client.exit(None)
        try:
            await asyncio.wait_for(client._server.wait(), STEP_TIMEOUT)
        except asyncio.TimeoutError:
            hung = True
            raise AssertionError(f"the server did not exit within {STEP_TIMEOUT} s of `exit`") from None
    finally:
        if hung or client._server.returncode is None:
            # The whole group: an index builder left running would hold stderr, which `stop()` waits on.
            with suppress(ProcessLookupError):
                os.killpg(client._server.pid, signal.SIGABRT if hung else signal.SIGKILL)
        # Read before `stop()`, which can itself wait out its timeout when the server hung: what it wrote
        # (its threads' stacks then) is shown when the test fails.
        sys.stderr.write(await _written(client._server.stderr))
        await step(client.stop())


async def _written(stream: asyncio.StreamReader) -> str:
    """What `stream` holds until it ends, or until nothing more comes for 5 s."""
    chunks = []
    with suppress(asyncio.TimeoutError):
        while chunk := await asyncio.wait_for(stream.read(65536), 5):
            chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


def offset(text: str, position: types.Position) -> int:
    """A 0-based line and UTF-16 column as an index into `text`."""
    lines = text.splitlines(keepends=True)
    index = sum(len(line) for line in lines[: position.line])
    units = 0
    for char in lines[position.line] if position.line < len(lines) else "":
        if units >= position.character:
            break
        units += 2 if ord(char) > 0xFFFF else 1
        index += 1
    return index


def apply(text: str, edit: types.WorkspaceEdit, uri: str) -> str:
    assert list(edit.changes) == [uri]
    return apply_edits(text, edit.changes[uri])


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    for change in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(text, change.range.start)] + change.new_text + text[offset(text, change.range.end) :]
    return text


def lsp_range(line: int, start: int, end: int) -> types.Range:
    return types.Range(types.Position(line, start), types.Position(line, end))
