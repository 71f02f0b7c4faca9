"""The language server through pygls's client: diagnostics, quick fixes, fix all, disable for a line."""

from __future__ import annotations

import asyncio
import logging
import textwrap
from pathlib import Path

from lsprotocol import types

from conventions_lint.server.features import ConventionsLintServer
from tests.lsp_session import FIX_ALL, apply, lsp_range, server, step

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

APPLY_AUTOFIX = "conventions-lint.applyAutofix"
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


def test_diagnostics_quick_fix_and_the_diagnostic_going(tmp_path: Path) -> None:
    uri = _project(tmp_path).as_uri()

    async def scenario() -> None:
        async with server(cwd=tmp_path) as session:
            session.open(uri, ONE_FINDING)
            opened = await session.diagnostics()
            assert opened.uri == uri
            # The project's string-length is in the message: its configuration was found.
            assert list(opened.diagnostics) == [
                types.Diagnostic(
                    range=lsp_range(8, 58, 64),
                    message="Give `String` a length: `String(100)`",
                    severity=types.DiagnosticSeverity.Warning,
                    code="CL401",
                    source="conventions-lint",
                )
            ]

            # Once the project is indexed, the same: it has no finding of the project's rules.
            assert (await session.settled(uri)).diagnostics == opened.diagnostics

            elsewhere = await session.code_actions(uri, lsp_range(0, 0, 4), [types.CodeActionKind.QuickFix])
            assert list(elsewhere) == []
            action, disable = await session.code_actions(
                uri, opened.diagnostics[0].range, [types.CodeActionKind.QuickFix], opened.diagnostics
            )
            assert disable.title == "Disable CL401 for this line"
            assert apply(ONE_FINDING, disable.edit, uri) == ONE_FINDING.replace(
                "name = Column(String)\n", "name = Column(String)  # noqa: CL401\n"
            )
            assert action.title == "Give `String` a length of 100 (CL401) (unsafe)"
            assert action.kind == types.CodeActionKind.QuickFix
            assert not action.is_preferred
            assert list(action.diagnostics) == list(opened.diagnostics)
            fixed = apply(ONE_FINDING, action.edit, uri)
            assert fixed == ONE_FINDING.replace("name = Column(String)", "name = Column(String(100))")

            session.change(uri, 2, fixed)
            changed = await session.diagnostics()
            assert (changed.uri, changed.version, list(changed.diagnostics)) == (uri, 2, [])

    asyncio.run(scenario())


def test_fix_all_applies_the_safe_fixes_and_untitled_documents_get_the_defaults(tmp_path: Path) -> None:
    uri = _project(tmp_path).as_uri()

    async def scenario() -> None:
        async with server(cwd=tmp_path) as session:
            session.open(uri, TWO_FINDINGS)
            opened = await session.settled(uri)
            assert [(d.code, d.range) for d in opened.diagnostics] == [
                ("CL401", lsp_range(9, 18, 24)),
                ("CL102", lsp_range(10, 29, 36)),
            ]

            everything = types.Range(types.Position(0, 0), types.Position(11, 0))
            quick_fixes = await session.code_actions(uri, everything, [types.CodeActionKind.QuickFix])
            assert [(a.title, a.is_preferred) for a in quick_fixes] == [
                ("Give `String` a length of 100 (CL401) (unsafe)", False),
                ('Replace `Address` with `"Address"` (CL102)', True),
                ("Disable CL401 for this line", None),
                ("Disable CL102 for this line", None),
            ]

            (fix_all,) = await session.code_actions(uri, everything, ["source.fixAll"])
            assert fix_all.kind == FIX_ALL
            fixed = apply(TWO_FINDINGS, fix_all.edit, uri)
            assert fixed == TWO_FINDINGS.replace("relationship(Address,", 'relationship("Address",')

            # The same as a command, as ruff's `ruff.applyAutofix`: for a key binding, the server applies it.
            assert list(session.initialized.capabilities.execute_command_provider.commands) == [APPLY_AUTOFIX]
            command = types.ExecuteCommandParams(APPLY_AUTOFIX, [{"uri": uri, "version": 1}])
            await step(session.client.workspace_execute_command_async(command))
            (applied,) = session.applied
            assert apply(TWO_FINDINGS, applied, uri) == fixed

            session.change(uri, 2, fixed)
            changed = await session.diagnostics()
            assert [d.code for d in changed.diagnostics] == ["CL401"]
            assert list(await session.code_actions(uri, everything, ["source.fixAll"])) == []

            # Not a file: no project to take settings from, so the default string-length.
            session.open("untitled:Untitled-1", TWO_FINDINGS)
            untitled = await session.diagnostics()
            assert untitled.uri == "untitled:Untitled-1"
            assert "Give `String` a length: `String(255)`" in [d.message for d in untitled.diagnostics]

    asyncio.run(scenario())


def test_disable_for_this_line_extends_the_noqa_comment_already_there(tmp_path: Path) -> None:
    # As ruff's action and --add-noqa: the code joins the comment's, nothing else on the line changes.
    uri = _project(tmp_path).as_uri()
    text = ONE_FINDING.replace("name = Column(String)\n", "name = Column(String)  # noqa: E501 -- legacy table\n")

    async def scenario() -> None:
        async with server(cwd=tmp_path) as session:
            session.open(uri, text)
            (finding,) = (await session.diagnostics()).diagnostics
            actions = await session.code_actions(uri, finding.range, [types.CodeActionKind.QuickFix], [finding])
            (disable,) = [a for a in actions if a.title == "Disable CL401 for this line"]
            assert apply(text, disable.edit, uri) == text.replace("# noqa: E501", "# noqa: CL401, E501")

    asyncio.run(scenario())


def test_findings_about_deprecated_apis_are_tagged_deprecated(tmp_path: Path) -> None:
    # E4: ruff's server tags its diagnostics; editors strike these through.
    pydantic_v1 = "from pydantic import BaseModel\n\n\nclass UserResponse(BaseModel):\n    class Config:\n        orm_mode = True\n"

    async def scenario() -> None:
        async with server(cwd=tmp_path) as session:
            session.open("untitled:Untitled-1", pydantic_v1)
            published = await session.diagnostics()
            assert [(d.code, list(d.tags or [])) for d in published.diagnostics] == [
                ("CL404", [types.DiagnosticTag.Deprecated])
            ]

    asyncio.run(scenario())


class _ClosedPipe:
    def __init__(self) -> None:
        self.writes = 0

    def write(self, data: bytes) -> None:
        self.writes += 1
        raise ValueError("I/O operation on closed file.")


def test_a_failure_to_send_is_reported_once_and_not_about_itself(caplog) -> None:
    caplog.set_level(logging.CRITICAL)  # pygls logs each failure's traceback
    server = ConventionsLintServer()
    pipe = _ClosedPipe()
    server.protocol.set_writer(pipe)
    server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri="file:///a.py", diagnostics=[]))
    # The diagnostics, then the message reporting that they could not be sent: not a report of that report.
    assert pipe.writes == 2
