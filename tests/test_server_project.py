"""The language server on a project (the example one): the file's findings first, the project's after,
paths relative to the workspace, excluded files, coalesced changes, hover, pull diagnostics, settings."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from lsprotocol import types

from tests.lsp_session import apply_edits, server, step

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "violating"


def _example(tmp_path: Path) -> tuple[Path, Path]:
    """The example project, and a directory elsewhere to start the server in."""
    project = tmp_path / "blog"
    shutil.copytree(EXAMPLE, project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return project, elsewhere


def _item_codes(diagnostics) -> list[str]:
    return [f"{d.range.start.line + 1}:{d.range.start.character + 1} {d.code}" for d in diagnostics]


def _codes(params: types.PublishDiagnosticsParams) -> list[str]:
    return _item_codes(params.diagnostics)


POSTS_ALONE = ["1:1 CL605", "10:7 CL104", "13:16 CL201", "16:44 CL202", "19:27 CL102"]
POSTS_WITH_PROJECT = [
    "1:1 CL605",
    "10:7 CL104",
    "10:7 CL801",
    "13:16 CL201",
    "16:44 CL202",
    "19:27 CL102",
    "20:53 CL103",
]


def test_the_file_first_then_its_project_with_paths_relative_to_the_workspace(tmp_path: Path) -> None:
    project, elsewhere = _example(tmp_path)
    posts = project / "app/models/posts.py"
    uri, text = posts.as_uri(), posts.read_text()

    async def scenario() -> None:
        # A debounce long enough that the ten changes below come within it even on a loaded machine.
        async with server(cwd=elsewhere, workspace=project, options={"debounce-ms": 1000}) as session:
            session.open(uri, text)
            first = await session.diagnostics()
            # From the file alone: the project's rules wait for its index, which never holds this answer up.
            assert _codes(first) == POSTS_ALONE
            settled = await session.settled(uri)
            assert _codes(settled) == POSTS_WITH_PROJECT
            messages = {d.code: d.message for d in settled.diagnostics}
            assert messages["CL801"] == "Import `Post` in `app/db/base.py` so Alembic autogenerate sees its table"
            assert "`User.reviews` has no `back_populates`" in messages["CL103"]

            # Ten changes at once: linted once, in the last version, not one by one.
            for version in range(2, 12):
                session.change(uri, version, text + f"# edit {version}\n")
            published = await session.diagnostics()
            assert published.version == 11
            assert _codes(published) == POSTS_WITH_PROJECT
            await asyncio.sleep(0.5)
            assert session.published.empty()

            # The quick fix of a project finding edits the other file.
            line = types.Range(types.Position(9, 0), types.Position(10, 0))
            actions = await session.code_actions(uri, line, [types.CodeActionKind.QuickFix])
            (import_post,) = [a for a in actions if a.title.startswith("Import `Post`")]
            (base_uri,) = import_post.edit.changes
            assert base_uri == (project / "app/db/base.py").as_uri()
            base = (project / "app/db/base.py").read_text()
            assert apply_edits(base, import_post.edit.changes[base_uri]) == base.replace(
                'from app.models.user import User\n\n__all__ = ["Base", "User"]',
                'from app.models.posts import Post\nfrom app.models.user import User\n\n__all__ = ["Base", "User", "Post"]',
            )

    asyncio.run(scenario())


def test_a_project_configured_by_a_standalone_file_is_indexed_and_saving_that_file_counts(tmp_path: Path) -> None:
    # The server knew pyproject.toml only: a project below the workspace configured by a conventions-lint.toml was
    # no project (no index, so no whole-project rules), and saving that file re-linted nothing.
    workspace = tmp_path / "repository"
    project = workspace / "blog"
    shutil.copytree(EXAMPLE, project)
    (project / "pyproject.toml").unlink()
    config = project / "conventions-lint.toml"
    config.write_text("")
    posts = project / "app/models/posts.py"
    uri = posts.as_uri()

    async def scenario() -> None:
        async with server(cwd=tmp_path, workspace=workspace) as session:
            session.open(uri, posts.read_text())
            assert _codes(await session.settled(uri)) == POSTS_WITH_PROJECT
            config.write_text('select = ["CL102"]\n')
            saved = types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(config.as_uri()))
            session.client.text_document_did_save(saved)
            assert _codes(await session.diagnostics()) == ["19:27 CL102"]

    asyncio.run(scenario())


def test_excluded_files_get_no_diagnostics(tmp_path: Path) -> None:
    project, elsewhere = _example(tmp_path)
    with (project / "pyproject.toml").open("a") as config:
        config.write('extend-exclude = ["generated"]\n')
    violating = (project / "app/models/posts.py").read_text()

    async def scenario() -> None:
        async with server(cwd=elsewhere, workspace=project) as session:
            for excluded in ("generated/models/post.py", ".venv/lib/models/post.py"):
                session.open((project / excluded).as_uri(), violating)
                published = await session.diagnostics()
                assert (published.uri, list(published.diagnostics)) == ((project / excluded).as_uri(), [])
            session.open((project / "app/models/post2.py").as_uri(), violating)
            assert (await session.diagnostics()).diagnostics

    asyncio.run(scenario())


def test_a_workspace_inside_a_git_ignored_directory_is_linted_as_its_walk_would_be(tmp_path: Path) -> None:
    # The benchmark's corpus lies under the repository's ignored benchmarks/.cache: as a directory named on
    # the command line, a workspace there is judged by the ignore files from the ignored directory down.
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("downloads/\n")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    project, elsewhere = _example(downloads)
    (project / ".gitignore").write_text("generated/\n")
    violating = (project / "app/models/posts.py").read_text()

    async def scenario() -> None:
        async with server(cwd=elsewhere, workspace=project) as session:
            posts = project / "app/models/posts.py"
            session.open(posts.as_uri(), violating)
            assert _codes(await session.settled(posts.as_uri())) == POSTS_WITH_PROJECT
            ignored = project / "generated/models/post.py"
            session.open(ignored.as_uri(), violating)
            published = await session.diagnostics()
            assert (published.uri, list(published.diagnostics)) == (ignored.as_uri(), [])

    asyncio.run(scenario())


def test_hover_shows_the_rule_documentation(tmp_path: Path) -> None:
    project, elsewhere = _example(tmp_path)
    posts = project / "app/models/posts.py"
    text = posts.read_text().replace("class Post(Base):\n", "class Post(Base):  # noqa: CL104, CL6\n")
    uri = posts.as_uri()

    async def scenario() -> None:
        async with server(cwd=elsewhere, workspace=project) as session:
            session.open(uri, text)
            opened = await session.diagnostics()
            # CL6 silences nothing on its line: CL003, tagged unnecessary (faded), as ruff's RUF100 is.
            (unused,) = [d for d in opened.diagnostics if d.code == "CL003"]
            assert (unused.range.start.line, list(unused.tags)) == (9, [types.DiagnosticTag.Unnecessary])
            actions = await session.code_actions(uri, unused.range, [types.CodeActionKind.QuickFix], [unused])
            assert [a.title for a in actions] == ["Remove `CL6` (CL003)", "Disable CL003 for this line"]
            on_finding = await session.hover(uri, 18, 30)  # inside `User` of `relationship(User)`: CL102
            assert on_finding.contents.kind == types.MarkupKind.Markdown
            assert on_finding.contents.value.startswith(
                "# relationship-target-not-string (CL102)\n\nFix is always available.\n\n## What it does\n"
            )
            assert on_finding.range == types.Range(types.Position(18, 26), types.Position(18, 30))

            column = text.splitlines()[9].index("CL104")
            on_code = await session.hover(uri, 9, column + 2)
            assert on_code.contents.value.startswith("# missing-timestamps (CL104)\n")
            assert on_code.range == types.Range(types.Position(9, column), types.Position(9, column + 5))
            on_prefix = await session.hover(uri, 9, column + 8)
            assert on_prefix.contents.value.startswith("`CL6` covers 6 rules:\n\n- `CL601` route-crud-naming\n")
            assert await session.hover(uri, 2, 0) is None  # an import line without findings

    asyncio.run(scenario())


def test_pull_diagnostics_and_a_refresh_when_the_project_is_indexed(tmp_path: Path) -> None:
    project, elsewhere = _example(tmp_path)
    posts = project / "app/models/posts.py"
    uri = posts.as_uri()

    async def scenario() -> None:
        async with server(cwd=elsewhere, workspace=project, pull=True) as session:
            provider = session.initialized.capabilities.diagnostic_provider
            assert (provider.inter_file_dependencies, provider.workspace_diagnostics) == (True, False)
            session.open(uri, posts.read_text())
            request = types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))
            first = await step(session.client.text_document_diagnostic_async(request))
            assert first.kind == "full"
            # The file alone, or with the project's findings if its index was quicker.
            assert _item_codes(first.items) in (POSTS_ALONE, POSTS_WITH_PROJECT)
            await step(session.refreshed.wait())  # the project's findings are in: pull again
            again = await step(session.client.text_document_diagnostic_async(request))
            assert _item_codes(again.items) == POSTS_WITH_PROJECT
            assert session.published.empty()  # a client that pulls is not pushed to as well

    asyncio.run(scenario())


def test_settings_from_initialization_options_and_fix_on_save(tmp_path: Path) -> None:
    project, elsewhere = _example(tmp_path)
    posts = project / "app/models/posts.py"
    uri, text = posts.as_uri(), posts.read_text()
    options = {
        "select": ["CL1"],
        "ignore": ["CL104"],
        "fix-on-save": True,
        "selct": ["CL2"],
        "documentation-url": "https://wiki.example.org/lint/{code}-{name}",
        "debounce-ms": 0.5,
    }

    async def scenario() -> None:
        async with server(cwd=elsewhere, workspace=project, options=options) as session:
            session.open(uri, text)
            settled = await session.settled(uri)
            assert _codes(settled) == ["19:27 CL102", "20:53 CL103"]
            # The rules' documentation is where the team published it: each diagnostic links to its page.
            assert [d.code_description.href for d in settled.diagnostics] == [
                "https://wiki.example.org/lint/CL102-relationship-target-not-string",
                "https://wiki.example.org/lint/CL103-back-populates-mismatch",
            ]
            assert session.messages == [
                "conventions-lint: initializationOptions: unknown setting `selct` (did you mean `select`?)\n"
                "conventions-lint: initializationOptions: `debounce-ms` must be milliseconds from 0 to 5000, got 0.5"
            ]
            will_save = types.WillSaveTextDocumentParams(
                types.TextDocumentIdentifier(uri), types.TextDocumentSaveReason.Manual
            )
            edits = await step(session.client.text_document_will_save_wait_until_async(will_save))
            assert apply_edits(text, list(edits)) == text.replace("relationship(User)", 'relationship("User")')

    asyncio.run(scenario())


def test_files_changed_on_disk_count_for_the_project(tmp_path: Path) -> None:
    project, elsewhere = _example(tmp_path)
    posts, base = project / "app/models/posts.py", project / "app/db/base.py"
    uri = posts.as_uri()

    async def scenario() -> None:
        async with server(cwd=elsewhere, workspace=project, watch=True) as session:
            session.open(uri, posts.read_text())
            assert "10:7 CL801" in _codes(await session.settled(uri))
            (registration,) = session.registered
            assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
            watchers = registration.register_options["watchers"]  # LSPAny to the client: a dict
            assert [w["globPattern"] for w in watchers] == [
                "**/*.py",
                "**/.conventions-lint.toml",
                "**/conventions-lint.toml",
                "**/pyproject.toml",
            ]

            # base.py, not open in the editor, now imports Post (a `git pull`, say).
            base.write_text(base.read_text() + "from app.models.posts import Post\n")
            session.changed_on_disk(base.as_uri())
            assert "10:7 CL801" not in _codes(await session.diagnostics())

    asyncio.run(scenario())


SHOP = Path(__file__).resolve().parents[1] / "examples" / "shop-violating"
# What `conventions-lint check` reports in shop/api/baskets.py, whose router class is the app's own (shop/routing.py).
BASKETS_AS_THE_CLI_SEES_THEM = [
    "12:2 CL301",
    "13:11 CL601",
    "17:2 CL301",
    "17:2 CL305",
    "18:39 CL204",
    "22:2 CL301",
    "22:2 CL302",
    "23:11 CL601",
]


def test_the_project_model_tells_the_editor_what_the_apps_own_names_stand_for(tmp_path: Path) -> None:
    project = tmp_path / "shop"
    shutil.copytree(SHOP, project)
    baskets = project / "shop/api/baskets.py"
    uri = baskets.as_uri()

    async def scenario() -> None:
        async with server(cwd=tmp_path, workspace=project) as session:
            session.open(uri, baskets.read_text())
            # The file alone cannot tell that `shop.routing.APIRouter` is a FastAPI router: once the project's
            # model is built, the editor finds what the command line finds.
            settled = await session.settled(uri)
            assert sorted(_codes(settled)) == sorted(BASKETS_AS_THE_CLI_SEES_THEM)

    asyncio.run(scenario())
