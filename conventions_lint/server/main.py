"""The language server put together: each LSP method and the handler that answers it."""

from __future__ import annotations

import gc

from lsprotocol import types

from conventions_lint.lazy_libcst import load_libcst
from conventions_lint.server import actions, documents, hover
from conventions_lint.server.features import ConventionsLintServer


def build() -> ConventionsLintServer:
    server = ConventionsLintServer()
    for method, handler in (
        (types.INITIALIZE, documents.initialize),
        (types.INITIALIZED, documents.initialized),
        (types.SHUTDOWN, documents.shutdown),
        (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, documents.did_change_watched_files),
        (types.TEXT_DOCUMENT_DID_OPEN, documents.did_open),
        (types.TEXT_DOCUMENT_DID_CHANGE, documents.did_change),
        (types.TEXT_DOCUMENT_DID_SAVE, documents.did_save),
        (types.TEXT_DOCUMENT_DID_CLOSE, documents.did_close),
        (types.TEXT_DOCUMENT_WILL_SAVE_WAIT_UNTIL, documents.will_save_wait_until),
        (types.TEXT_DOCUMENT_HOVER, hover.hover),
    ):
        server.feature(method)(handler)
    kinds = [types.CodeActionKind.QuickFix, actions.FIX_ALL]
    server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=kinds))(
        actions.code_action
    )
    server.command(actions.APPLY_AUTOFIX)(actions.apply_autofix)
    # textDocument/diagnostic is registered at `initialize`, for the clients that pull (documents.initialize).
    return server


def serve() -> None:
    load_libcst()  # before any request: documents are linted in a worker thread
    server = build()
    gc.freeze()  # what is loaded by now lives as long as the server: no full collection need walk it again
    try:
        server.start_io()
    finally:
        server.indexes.close()
