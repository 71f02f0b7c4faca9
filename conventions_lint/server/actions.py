"""Code actions: each fix as a quick fix, "disable CLxxx for this line", and fix all (`source.fixAll`), which is
also a command (`conventions-lint.applyAutofix`, as ruff's `ruff.applyAutofix`) for a key binding to run."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from conventions_lint.add_noqa import UNSILENCEABLE
from conventions_lint.diagnostic import Applicability
from conventions_lint.fixes.text import split_lines
from conventions_lint.server.convert import SOURCE, fix_edit, text_edits
from conventions_lint.server.features import ConventionsLintServer
from conventions_lint.server.linting import encode

FIX_ALL = "source.fixAll.conventions-lint"
APPLY_AUTOFIX = "conventions-lint.applyAutofix"


async def code_action(ls: ConventionsLintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    document = await ls.settled(uri)
    target, text = document.target, document.text
    if target is None or target.excluded or text is None:
        return []
    codec, lines = ls.workspace.position_codec, split_lines(text)
    actions = []
    if _wanted(params.context.only, types.CodeActionKind.QuickFix):
        fixes, disables = [], []
        silenced: set[tuple[str, int]] = set()
        for finding in document.findings:
            diagnostic = ls.lsp_diagnostic(lines, finding)
            if not _overlap(_first_line(diagnostic.range), params.range) and not _among(
                diagnostic, params.context.diagnostics
            ):
                continue
            edit = fix_edit(codec, uri, lines, finding, target.folder) if finding.fix is not None else None
            if edit is not None:
                safe = finding.fix.applicability is Applicability.SAFE
                title = f"{finding.fix.message} ({finding.code})" + ("" if safe else " (unsafe)")
                fixes.append(
                    types.CodeAction(
                        title=title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        edit=edit,
                        is_preferred=safe,
                    )
                )
            if finding.code not in UNSILENCEABLE and (finding.code, finding.noqa_row) not in silenced:
                silenced.add((finding.code, finding.noqa_row))
                silenced_text = ls.linter.disable_for_line(text, finding)
                disables.append(
                    types.CodeAction(
                        title=f"Disable {finding.code} for this line",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        edit=types.WorkspaceEdit(changes={uri: text_edits(codec, text, silenced_text)}),
                    )
                )
        actions += fixes + disables  # the fixes first: editors offer the first action first
    if _wanted(params.context.only, FIX_ALL):
        edit = await _fix_all(ls, uri)
        if edit is not None:
            actions.append(types.CodeAction(title="Fix all auto-fixable problems", kind=FIX_ALL, edit=edit))
    return actions


async def apply_autofix(ls: ConventionsLintServer, *arguments: object) -> None:
    """The command: its arguments are documents, `{"uri": ..., "version": ...}` as ruff's are."""
    for argument in arguments:
        uri = argument.get("uri") if isinstance(argument, dict) else getattr(argument, "uri", None)
        edit = await _fix_all(ls, uri) if isinstance(uri, str) and uri in ls.documents else None
        if edit is not None:
            await ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit, label="conventions-lint: fix all"))


async def _fix_all(ls: ConventionsLintServer, uri: str) -> types.WorkspaceEdit | None:
    """What `check --fix --stdin-filename` would print, as an edit: safe fixes (or all, with `unsafe-fixes`)."""
    document = await ls.settled(uri)
    target, text = document.target, document.text
    if target is None or target.excluded or text is None or all(f.fix is None for f in document.findings):
        return None
    fixed = await asyncio.to_thread(
        ls.linter.fix_all, target, text, ls.indexes.get(target), ls.indexes.vocabulary(target, encode(text))
    )
    if fixed == text:
        return None
    return types.WorkspaceEdit(changes={uri: text_edits(ls.workspace.position_codec, text, fixed)})


def _wanted(only: list[str] | None, kind: str) -> bool:
    """Whether a request limited to the kinds `only` (e.g. `source`, `quickfix`) wants actions of `kind`."""
    return only is None or any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def _among(diagnostic: types.Diagnostic, context: list[types.Diagnostic]) -> bool:
    """Whether the client asks about this finding: Neovim sends those of the cursor's line, wherever the cursor is."""
    return any(d.code == diagnostic.code and d.range == diagnostic.range and d.source == SOURCE for d in context)


def _first_line(where: types.Range) -> types.Range:
    """A finding is acted on from its first line: one that spans the module (its file name) is not on every line."""
    if where.end.line == where.start.line:
        return where
    return types.Range(where.start, types.Position(where.start.line + 1, 0))


def _overlap(a: types.Range, b: types.Range) -> bool:
    def key(position: types.Position) -> tuple[int, int]:
        return position.line, position.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)
