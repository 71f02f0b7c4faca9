"""The language server, driven as editors drive it: a subprocess spoken to with pygls's client."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from contextlib import asynccontextmanager
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import BaseLanguageClient

STEP_TIMEOUT = 30  # seconds: a hung server fails the test instead of hanging CI
FIX_ALL = "source.fixAll.conventions-lint"

PYPROJECT = """\
[tool.conventions-lint]
select = ["CL102", "CL401"]
string-length = 100
"""

# The emoji counts 2 in LSP's UTF-16 columns, 1 in ours.
ONE_FINDING = textwrap.dedent("""\
    from sqlalchemy import Column, String

    from app.db.base_class import Base


    class User(Base):
        __tablename__ = "users"

        icon = Column(String(8), comment="😀"); name = Column(String)
""")

TWO_FINDINGS = textwrap.dedent("""\
    from sqlalchemy import Column, String
    from sqlalchemy.orm import relationship

    from app.db.base_class import Base


    class User(Base):
        __tablename__ = "users"

        name = Column(String)
        addresses = relationship(Address, back_populates="user")
""")


def _project(tmp_path: Path) -> Path:
    """A project whose pyproject.toml the server must find from the document's path; the file on
    disk holds something else, as an unsaved buffer would."""
    (tmp_path / "project" / "app" / "models").mkdir(parents=True)
    (tmp_path / "project" / "pyproject.toml").write_text(PYPROJECT)
    path = tmp_path / "project" / "app" / "models" / "user.py"
    path.write_text("")
    return path


async def _step(awaitable):
    return await asyncio.wait_for(awaitable, STEP_TIMEOUT)


@asynccontextmanager
async def _server(cwd: Path):
    client = BaseLanguageClient("test-client", "1")
    published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait(params)

    await client.start_io(sys.executable, "-m", "conventions_lint", "server", cwd=cwd)
    try:
        await _step(client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities())))
        client.initialized(types.InitializedParams())
        yield client, published
        await _step(client.shutdown_async(None))
        client.exit(None)
    finally:
        if client._server.returncode is None:
            try:
                await asyncio.wait_for(client._server.wait(), 5)
            except asyncio.TimeoutError:
                client._server.kill()
        await _step(client.stop())
        sys.stderr.write((await client._server.stderr.read()).decode())  # shown when the test fails


def _open(client: BaseLanguageClient, uri: str, text: str) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
    )


def _change(client: BaseLanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def _code_actions(
    client: BaseLanguageClient, uri: str, where: types.Range, diagnostics: list[types.Diagnostic], only: list[str]
) -> list[types.CodeAction]:
    return await _step(
        client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri), where, types.CodeActionContext(diagnostics=diagnostics, only=only)
            )
        )
    )


def _offset(text: str, position: types.Position) -> int:
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


def _apply(text: str, edit: types.WorkspaceEdit, uri: str) -> str:
    assert list(edit.changes) == [uri]
    for change in sorted(edit.changes[uri], key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: _offset(text, change.range.start)] + change.new_text + text[_offset(text, change.range.end) :]
    return text


def _range(line: int, start: int, end: int) -> types.Range:
    return types.Range(types.Position(line, start), types.Position(line, end))


def test_diagnostics_quick_fix_and_the_diagnostic_going(tmp_path: Path) -> None:
    uri = _project(tmp_path).as_uri()

    async def scenario() -> None:
        async with _server(cwd=tmp_path) as (client, published):
            _open(client, uri, ONE_FINDING)
            opened = await _step(published.get())
            assert opened.uri == uri
            # The project's string-length is in the message: its configuration was found.
            assert list(opened.diagnostics) == [
                types.Diagnostic(
                    range=_range(8, 58, 64),
                    message="Give `String` a length: `String(100)`",
                    severity=types.DiagnosticSeverity.Warning,
                    code="CL401",
                    source="conventions-lint",
                )
            ]

            elsewhere = await _code_actions(client, uri, _range(0, 0, 4), [], [types.CodeActionKind.QuickFix])
            assert list(elsewhere) == []
            (action,) = await _code_actions(
                client, uri, opened.diagnostics[0].range, opened.diagnostics, [types.CodeActionKind.QuickFix]
            )
            assert action.title == "Give `String` a length of 100 (CL401) (unsafe)"
            assert action.kind == types.CodeActionKind.QuickFix
            assert not action.is_preferred
            assert list(action.diagnostics) == list(opened.diagnostics)
            fixed = _apply(ONE_FINDING, action.edit, uri)
            assert fixed == ONE_FINDING.replace("name = Column(String)", "name = Column(String(100))")

            _change(client, uri, 2, fixed)
            changed = await _step(published.get())
            assert (changed.uri, changed.version, list(changed.diagnostics)) == (uri, 2, [])

    asyncio.run(scenario())


def test_fix_all_applies_the_safe_fixes_and_untitled_documents_get_the_defaults(tmp_path: Path) -> None:
    uri = _project(tmp_path).as_uri()

    async def scenario() -> None:
        async with _server(cwd=tmp_path) as (client, published):
            _open(client, uri, TWO_FINDINGS)
            opened = await _step(published.get())
            assert [(d.code, d.range) for d in opened.diagnostics] == [
                ("CL401", _range(9, 18, 24)),
                ("CL102", _range(10, 29, 36)),
            ]

            everything = types.Range(types.Position(0, 0), types.Position(11, 0))
            quick_fixes = await _code_actions(client, uri, everything, [], [types.CodeActionKind.QuickFix])
            assert [(a.title, a.is_preferred) for a in quick_fixes] == [
                ("Give `String` a length of 100 (CL401) (unsafe)", False),
                ('Replace `Address` with `"Address"` (CL102)', True),
            ]

            (fix_all,) = await _code_actions(client, uri, everything, [], ["source.fixAll"])
            assert fix_all.kind == FIX_ALL
            fixed = _apply(TWO_FINDINGS, fix_all.edit, uri)
            assert fixed == TWO_FINDINGS.replace("relationship(Address,", 'relationship("Address",')

            _change(client, uri, 2, fixed)
            changed = await _step(published.get())
            assert [d.code for d in changed.diagnostics] == ["CL401"]
            assert list(await _code_actions(client, uri, everything, [], ["source.fixAll"])) == []

            # Not a file: no project to take settings from, so the default string-length.
            _open(client, "untitled:Untitled-1", TWO_FINDINGS)
            untitled = await _step(published.get())
            assert untitled.uri == "untitled:Untitled-1"
            assert "Give `String` a length: `String(255)`" in [d.message for d in untitled.diagnostics]

    asyncio.run(scenario())
