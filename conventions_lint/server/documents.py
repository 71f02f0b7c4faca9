"""The server's life and its documents: initialize, open, change, save, close, pull diagnostics, fix on save."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from conventions_lint.config import CONFIG_FILE_NAMES
from conventions_lint.server.convert import text_edits
from conventions_lint.server.features import ConventionsLintServer
from conventions_lint.server.linting import encode, is_configuration


def initialize(ls: ConventionsLintServer, params: types.InitializeParams) -> None:
    ls.configure(params)
    if ls.pull:
        # Registered only for clients that can be told to pull again: the project's findings come
        # after the first answer, and a client that cannot be told would never see them.
        ls.feature(
            types.TEXT_DOCUMENT_DIAGNOSTIC,
            types.DiagnosticOptions(
                identifier="conventions-lint", inter_file_dependencies=True, workspace_diagnostics=False
            ),
        )(pull_diagnostics)


def shutdown(ls: ConventionsLintServer, params: None) -> None:
    ls.indexes.close()


def did_open(ls: ConventionsLintServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.lint_soon(params.text_document.uri)


def did_change(ls: ConventionsLintServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.lint_soon(params.text_document.uri, changed=True)


def did_save(ls: ConventionsLintServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    if is_configuration(uri):
        ls.settings_changed()
    elif uri in ls.documents:
        ls.lint_soon(uri)
        ls.saved(uri, params.text)


def initialized(ls: ConventionsLintServer, params: types.InitializedParams) -> None:
    """Ask to be told of files changed on disk (by git, another editor, a formatter), where the client can."""
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if watched and watched.dynamic_registration:
        globs = ("**/*.py", *(f"**/{name}" for name in CONFIG_FILE_NAMES))
        watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in globs]
        registration = types.Registration(
            id="conventions-lint/watched-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        ls.client_register_capability(types.RegistrationParams(registrations=[registration]))


def did_change_watched_files(ls: ConventionsLintServer, params: types.DidChangeWatchedFilesParams) -> None:
    for change in params.changes:
        ls.changed_on_disk(change.uri)


def did_close(ls: ConventionsLintServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.closed(params.text_document.uri)


async def pull_diagnostics(
    ls: ConventionsLintServer, params: types.DocumentDiagnosticParams
) -> types.RelatedFullDocumentDiagnosticReport:
    document = await ls.settled(params.text_document.uri)
    return types.RelatedFullDocumentDiagnosticReport(items=ls.diagnostics_of(document))


async def will_save_wait_until(
    ls: ConventionsLintServer, params: types.WillSaveTextDocumentParams
) -> list[types.TextEdit]:
    """With `fix-on-save`: what `check --fix` would do to the file, done to the buffer before it is written."""
    uri = params.text_document.uri
    if not ls.linter.options.fix_on_save:
        return []
    document = await ls.settled(uri)
    if document.target is None or document.target.excluded:
        return []
    text = ls.workspace.get_text_document(uri).source
    target = document.target
    fixed = await asyncio.to_thread(
        ls.linter.fix_all, target, text, ls.indexes.get(target), ls.indexes.vocabulary(target, encode(text))
    )
    return text_edits(ls.workspace.position_codec, text, fixed)
