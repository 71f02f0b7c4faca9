"""The language server, `conventions-lint server`: LSP over standard input and output, with pygls.

Each open document's text (never the file on disk) is linted as if it were its
file, as `check --stdin-filename` does, on open, change and save. Every fix is
offered as a quick fix, and `source.fixAll.conventions-lint` applies what `--fix`
would. Settings are resolved afresh on every lint, so edits to pyproject.toml
count at once; documents that are not files get the default settings.
"""

from __future__ import annotations

import tokenize
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from conventions_lint import __version__
from conventions_lint.config import ConfigError, ConfigResolver
from conventions_lint.diagnostic import Diagnostic, FixSafety, Location
from conventions_lint.engine import INTERNAL_ERROR, SYNTAX_ERROR
from conventions_lint.fixes.text import split_lines
from conventions_lint.lazy_libcst import load_libcst
from conventions_lint.runner import FixMode, RunResult, run_stdin
from conventions_lint.settings import Selection

SOURCE = "conventions-lint"
FIX_ALL = "source.fixAll.conventions-lint"


class ConventionsLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        # uri -> (the text linted, its findings): code actions come without the text changing.
        self.linted: dict[str, tuple[str, list[Diagnostic]]] = {}
        self.last_error: str | None = None


server = ConventionsLintServer()


def serve() -> None:
    load_libcst()  # before any request: pygls may answer on several threads
    server.start_io()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: ConventionsLintServer, params: types.DidOpenTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: ConventionsLintServer, params: types.DidChangeTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: ConventionsLintServer, params: types.DidSaveTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: ConventionsLintServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.linted.pop(params.text_document.uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL])
)
def code_action(ls: ConventionsLintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    text = ls.workspace.get_text_document(uri).source
    linted_text, findings = ls.linted.get(uri, (None, []))
    if linted_text != text:
        findings = _lint(ls, uri, text)
    lines = split_lines(text)
    actions = []
    if _wanted(params.context.only, types.CodeActionKind.QuickFix):
        for finding in findings:
            diagnostic = _lsp_diagnostic(ls, lines, finding)
            edit = _fix_edit(ls, uri, lines, finding) if finding.fix is not None else None
            if edit is None or not _overlap(diagnostic.range, params.range):
                continue
            safe = finding.fix.applicability is FixSafety.SAFE
            actions.append(
                types.CodeAction(
                    title=f"{finding.fix.message} ({finding.code})" + ("" if safe else " (unsafe)"),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=edit,
                    is_preferred=safe,
                )
            )
    if _wanted(params.context.only, FIX_ALL) and any(finding.fix is not None for finding in findings):
        # What `check --fix --stdin-filename` would print: safe fixes (or all, with `unsafe-fixes = true`).
        _, fixed = _run(uri, text, FixMode(fix=True))
        if fixed != _encode(text):
            whole = types.Range(types.Position(0, 0), _end(ls, lines))
            edit = types.WorkspaceEdit(changes={uri: [types.TextEdit(range=whole, new_text=fixed.decode())]})
            actions.append(types.CodeAction(title="Fix all auto-fixable problems", kind=FIX_ALL, edit=edit))
    return actions


def _publish(ls: ConventionsLintServer, uri: str) -> None:
    document = ls.workspace.get_text_document(uri)
    lines = split_lines(document.source)
    diagnostics = [_lsp_diagnostic(ls, lines, finding) for finding in _lint(ls, uri, document.source)]
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, version=document.version, diagnostics=diagnostics)
    )


def _lint(ls: ConventionsLintServer, uri: str, text: str) -> list[Diagnostic]:
    try:
        outcome, _ = _run(uri, text, FixMode(fix=False))
    except ConfigError as error:  # e.g. a typo in pyproject.toml: say so, once, instead of linting
        _tell(ls, [str(error)])
        return []
    _tell(ls, [str(problem) for problem in outcome.problems])
    ls.linted[uri] = (text, outcome.diagnostics)
    return outcome.diagnostics


def _run(uri: str, text: str, fix_mode: FixMode) -> tuple[RunResult, bytes]:
    """`check --stdin-filename` with the document's path, or a bare name and default settings for `untitled:` & co."""
    path = to_fs_path(uri)
    isolated = path is None
    if isolated:
        path = PurePosixPath(urlparse(uri).path).name or "untitled"
    resolver = ConfigResolver(config_file=None, isolated=isolated, overrides=Selection())
    # In a project, the cache spares reading the rest of it for its facts on every keystroke; entries
    # are keyed by content, so an unsaved buffer's can only ever match the same text again. Outside
    # a project it would leave a cache folder wherever the editor started the server.
    in_project = not isolated and (resolver.for_directory(Path(path).parent).root / "pyproject.toml").is_file()
    return run_stdin(_encode(text), Path(path), resolver, fix_mode=fix_mode, use_cache=in_project)


def _encode(text: str) -> bytes:
    # A lone surrogate (which JSON can carry) becomes bytes that are reported as not UTF-8, not a crash.
    return text.encode("utf-8", "surrogatepass")


def _tell(ls: ConventionsLintServer, errors: list[str]) -> None:
    """Show errors in the editor, but not again on every keystroke."""
    message = "\n".join(f"{SOURCE}: {error}" for error in errors) or None
    if message is not None and message != ls.last_error:
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))
    ls.last_error = message


def _lsp_diagnostic(ls: ConventionsLintServer, lines: list[str], finding: Diagnostic) -> types.Diagnostic:
    serious = finding.code in (SYNTAX_ERROR, INTERNAL_ERROR)
    return types.Diagnostic(
        range=_range(ls, lines, finding.span.start, finding.span.end),
        severity=types.DiagnosticSeverity.Error if serious else types.DiagnosticSeverity.Warning,
        code=finding.code,
        source=SOURCE,
        message=finding.message,
    )


def _fix_edit(ls: ConventionsLintServer, uri: str, lines: list[str], finding: Diagnostic) -> types.WorkspaceEdit | None:
    """The fix's edits; those in another file (the project phase's) against that file as it is on disk."""
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in finding.fix.edits:
        target, target_lines = uri, lines
        if edit.filename is not None:
            other = Path(edit.filename).absolute()  # a display path, relative to our working directory
            try:
                with tokenize.open(other) as handle:
                    target, target_lines = from_fs_path(str(other)), split_lines(handle.read())
            except (OSError, SyntaxError, UnicodeDecodeError):
                return None
        changes.setdefault(target, []).append(
            types.TextEdit(range=_range(ls, target_lines, edit.location, edit.end_location), new_text=edit.content)
        )
    return types.WorkspaceEdit(changes=changes)


def _range(ls: ConventionsLintServer, lines: list[str], start: Location, end: Location) -> types.Range:
    """1-based rows and code point columns to 0-based positions in the client's units (UTF-16 by default)."""
    zero_based = types.Range(
        types.Position(max(start.row - 1, 0), max(start.column - 1, 0)),
        types.Position(max(end.row - 1, 0), max(end.column - 1, 0)),
    )
    return ls.workspace.position_codec.range_to_client_units(lines, zero_based)


def _end(ls: ConventionsLintServer, lines: list[str]) -> types.Position:
    if not lines:
        return types.Position(0, 0)
    if lines[-1].endswith(("\n", "\r")):
        return types.Position(len(lines), 0)
    return types.Position(len(lines) - 1, ls.workspace.position_codec.client_num_units(lines[-1]))


def _wanted(only: list[str] | None, kind: str) -> bool:
    """Whether a request limited to the kinds `only` (e.g. `source`, `quickfix`) wants actions of `kind`."""
    return only is None or any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def _overlap(a: types.Range, b: types.Range) -> bool:
    def key(position: types.Position) -> tuple[int, int]:
        return position.line, position.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)
