"""The language server's project model follows the files saved and changed on disk: what the app's names
stand for in one file (its own router class, in shop/routing.py) counts at once in the documents open on others."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from lsprotocol import types

from conventions_lint.project_model.resolver import ProjectModel
from conventions_lint.project_model.vocabulary import NOT_API
from conventions_lint.server.index import Indexes
from conventions_lint.server.linting import Linter, build_index, in_new_meanings
from conventions_lint.server.options import Options
from tests.lsp_session import Session, server, step
from tests.test_server_project import BASKETS_AS_THE_CLI_SEES_THEM as BASKETS_ROUTED
from tests.test_server_project import EXAMPLE, POSTS_WITH_PROJECT, SHOP

ROUTER = "class TracedRouter(FastAPIRouter):"
NOT_A_ROUTER = "class TracedRouter:"


def _shop(tmp_path: Path) -> tuple[Path, str]:
    """The example shop whose shop/routing.py, as indexed, defines no router; and the text that does."""
    project = tmp_path / "shop"
    shutil.copytree(SHOP, project)
    routing = project / "shop/routing.py"
    routed = routing.read_text()
    assert ROUTER in routed
    routing.write_text(routed.replace(ROUTER, NOT_A_ROUTER))
    return project, routed


# The blog's `User` (app/models/user.py) derives from `Entity`, which gives it its table name: a mapped class
# when `Entity` is a declarative base, a plain one when it is a mixin.
ENTITY_MAPPED = """from sqlalchemy.orm import declared_attr

from app.db.base_class import Base


class Entity(Base):
    __abstract__ = True

    @declared_attr.directive
    def __tablename__(cls) -> str:
        return cls.__name__.lower() + "s"
"""
ENTITY_PLAIN = '''class Entity:
    """What every record has: nothing yet."""
'''
# `Post.reviewer` names `User.reviews` back, which names nothing: only when `User` is mapped.
POSTS_USER_MAPPED = sorted(POSTS_WITH_PROJECT)
POSTS_USER_PLAIN = sorted(code for code in POSTS_WITH_PROJECT if code != "20:53 CL103")


def _blog(tmp_path: Path) -> Path:
    """The example blog whose `User` derives from `Entity` (app/db/entity.py), a plain class as indexed."""
    project = tmp_path / "blog"
    shutil.copytree(EXAMPLE, project)
    user = project / "app/models/user.py"
    text = user.read_text()
    assert 'class User(Base):\n    __tablename__ = "users"\n' in text
    text = text.replace("from app.db.base_class import Base", "from app.db.entity import Entity")
    user.write_text(text.replace('class User(Base):\n    __tablename__ = "users"\n', "class User(Entity):\n"))
    (project / "app/db/entity.py").write_text(ENTITY_PLAIN)
    return project


def _codes(params: types.PublishDiagnosticsParams) -> list[str]:
    return sorted(f"{d.range.start.line + 1}:{d.range.start.character + 1} {d.code}" for d in params.diagnostics)


async def _published(session: Session, uri: str, expected: list[str]) -> None:
    """Until the server publishes `expected` for `uri` (a document is published again as the project's other
    documents change, so earlier publications may hold what it had before)."""
    last = None
    try:
        while last != expected:
            params = await session.diagnostics()
            if params.uri == uri:
                last = _codes(params)
    except asyncio.TimeoutError:
        raise AssertionError(f"{uri}: last published {last}, never {expected}") from None


def test_saving_the_file_that_defines_the_apps_router_counts_in_the_open_documents_that_use_it(
    tmp_path: Path,
) -> None:
    project, routed = _shop(tmp_path)
    baskets, routing = project / "shop/api/baskets.py", project / "shop/routing.py"
    uri, routing_uri = baskets.as_uri(), routing.as_uri()
    not_routed = routing.read_text()

    def save(session: Session, text: str, version: int, *, include_text: bool) -> None:
        session.change(routing_uri, version, text)
        routing.write_text(text)
        saved = text if include_text else None  # without: what the buffer holds is what was saved
        params = types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(routing_uri), text=saved)
        session.client.text_document_did_save(params)

    async def scenario() -> None:
        async with server(cwd=tmp_path, workspace=project) as session:
            session.open(uri, baskets.read_text())
            # `shop.routing.APIRouter` is no router: none of baskets.py's functions is a route.
            assert _codes(await session.settled(uri)) == []
            session.open(routing_uri, not_routed)
            save(session, routed, 2, include_text=True)
            await _published(session, uri, BASKETS_ROUTED)
            save(session, not_routed, 3, include_text=False)
            await _published(session, uri, [])

    asyncio.run(scenario())


def test_a_file_changed_on_disk_that_is_not_open_counts_in_the_open_documents(tmp_path: Path) -> None:
    project, routed = _shop(tmp_path)
    baskets, routing = project / "shop/api/baskets.py", project / "shop/routing.py"
    uri = baskets.as_uri()

    async def scenario() -> None:
        async with server(cwd=tmp_path, workspace=project, watch=True) as session:
            session.open(uri, baskets.read_text())
            assert _codes(await session.settled(uri)) == []
            routing.write_text(routed)  # a `git pull`, say: shop/routing.py is not open in the editor
            session.changed_on_disk(routing.as_uri())
            await _published(session, uri, BASKETS_ROUTED)

    asyncio.run(scenario())


def test_the_model_is_rebuilt_only_when_a_summary_changed_and_once_for_changes_that_come_together(
    tmp_path: Path,
) -> None:
    project, routed = _shop(tmp_path)
    routing = project / "shop/routing.py"
    not_routed = routing.read_text()
    linter = Linter([project], Options())
    target = linter.target(routing.as_uri())
    baskets = linter.target((project / "shop/api/baskets.py").as_uri())

    def router_of_baskets(indexes: Indexes) -> bool:
        """Whether `APIRouter` in baskets.py is FastAPI's router, as the project's model has it now."""
        meaning = indexes.vocabulary(baskets, (project / "shop/api/baskets.py").read_bytes()).get("APIRouter")
        return meaning is not None and meaning.is_a("fastapi", ["APIRouter"])

    async def scenario() -> None:
        ready: asyncio.Queue[Path] = asyncio.Queue()
        indexes = Indexes(Options(), ready.put_nowait, lambda project, error: None)
        try:
            indexes.get(target)
            assert await step(ready.get()) == project
            assert (indexes.rebuilds, router_of_baskets(indexes)) == (0, False)

            # A docstring, a comment: the summary is the same, the model is kept.
            reworded = not_routed.replace('"""Adds a tracing span', '"""Traces').replace("\n\n\n", "\n\n\n# tracing\n")
            assert reworded != not_routed
            await step(indexes.file_changed(target, reworded.encode()))
            assert (indexes.rebuilds, router_of_baskets(indexes)) == (0, False)

            # Three saves before the first is looked at: one rebuild, from the last.
            for text in (routed, not_routed, routed):
                changed = indexes.file_changed(target, text.encode())
            await step(changed)
            assert await step(ready.get()) == project
            assert (indexes.rebuilds, router_of_baskets(indexes)) == (1, True)

            # A save while the model is being built again: it is built once more afterwards, with that save.
            first = indexes.file_changed(target, not_routed.encode())
            await asyncio.sleep(0)  # one turn of the loop: the rebuild's thread is under way
            second = indexes.file_changed(target, routed.encode())
            assert first is not second
            await step(second)
            assert [await step(ready.get()), await step(ready.get())] == [project, project]
            assert (indexes.rebuilds, router_of_baskets(indexes)) == (3, True)

            # The settings changed while the model was being built again: that model is of no use.
            changed = indexes.file_changed(target, not_routed.encode())
            await asyncio.sleep(0)  # one turn of the loop: the rebuild's thread is under way
            indexes.forget()
            await step(changed)
            assert (indexes.rebuilds, ready.empty()) == (3, True)
        finally:
            indexes.close()

    asyncio.run(scenario())


def test_the_facts_of_a_file_that_is_not_open_follow_what_its_names_come_to_stand_for(tmp_path: Path) -> None:
    project = _blog(tmp_path)
    posts, entity = project / "app/models/posts.py", project / "app/db/entity.py"
    uri, entity_uri = posts.as_uri(), entity.as_uri()

    async def scenario() -> None:
        async with server(cwd=tmp_path, workspace=project, watch=True) as session:
            session.open(uri, posts.read_text())
            assert _codes(await session.settled(uri)) == POSTS_USER_PLAIN
            # app/models/user.py stays closed: its `User` becomes a mapped class, with a one-way `reviews`.
            session.open(entity_uri, ENTITY_PLAIN)
            session.change(entity_uri, 2, ENTITY_MAPPED)
            entity.write_text(ENTITY_MAPPED)
            session.client.text_document_did_save(
                types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(entity_uri))
            )
            await _published(session, uri, POSTS_USER_MAPPED)
            closed = types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(entity_uri))
            session.client.text_document_did_close(closed)
            entity.write_text(ENTITY_PLAIN)  # a `git checkout`: `Entity` is a mixin again
            session.changed_on_disk(entity_uri)
            await _published(session, uri, POSTS_USER_PLAIN)

    asyncio.run(scenario())


def test_a_new_model_collects_again_the_facts_of_the_closed_files_whose_vocabulary_it_changes(tmp_path: Path) -> None:
    project = _blog(tmp_path)
    entity = project / "app/db/entity.py"
    target = Linter([project], Options()).target(entity.as_uri())

    async def scenario() -> None:
        ready: asyncio.Queue[Path] = asyncio.Queue()
        opened = {"app/models/posts.py"}  # its facts come from its buffer
        indexes = Indexes(Options(), ready.put_nowait, lambda project, error: None, lambda project: opened)
        try:
            indexes.get(target)
            assert await step(ready.get()) == project
            index = indexes.get(target)
            before = dict(index)
            assert before["app/models/user.py"].facts.mapped_classes == []

            entity.write_text(ENTITY_MAPPED)
            await step(indexes.file_changed(target, ENTITY_MAPPED.encode()))
            assert await step(ready.get()) == project
            # What `Entity` and `User` stand for changed in these files only, of the project's 13 (posts.py
            # imports `User` too, but its facts come from its buffer; entity.py's are read again by whoever
            # said it changed).
            again = sorted(path for path, file in index.items() if file is not before[path])
            users = ["app/api/v1/endpoints/users.py", "app/db/base.py", "app/models/user.py"]
            assert (again, len(index)) == ([*users, "app/services/user_service.py"], 13)
            assert (indexes.recollected, index["app/models/user.py"].facts.mapped_classes) == (4, ["User"])

            # The settings changed while the model was being built again: its facts go nowhere.
            after = dict(index)
            entity.write_text(ENTITY_PLAIN)
            changed = indexes.file_changed(target, ENTITY_PLAIN.encode())
            await asyncio.sleep(0)  # one turn of the loop: the rebuild's thread is under way
            indexes.forget()
            await step(changed)
            assert (indexes.recollected, index, ready.empty()) == (4, after, True)
        finally:
            indexes.close()

    asyncio.run(scenario())


def test_a_rebuild_after_a_change_to_a_file_nobody_imports_works_out_that_files_vocabulary_alone(
    tmp_path: Path, monkeypatch
) -> None:
    project = tmp_path / "blog"
    shutil.copytree(EXAMPLE, project)
    main = project / "app/main.py"
    index, models = build_index(project, project, Options())
    target = Linter([project], Options()).target(main.as_uri())
    # As the server holds the model after its first rebuild: every file's vocabulary worked out.
    for file in index.values():
        models.vocabulary(file.settings, file.relative_path)
    others = [file for file in index.values() if file.relative_path != target.relative_path]
    worked_out = vocabularies_worked_out(monkeypatch)
    # The app is kept out of the API: what `app` stands for changes in app/main.py, which no file imports.
    text = main.read_text().replace("app = FastAPI()", "app = FastAPI(openapi_url=None)")
    main.write_text(text)
    rebuilt = models.with_files(target.settings, {target.relative_path: text.encode()})
    assert rebuilt is not None and rebuilt.vocabulary(target.settings, target.relative_path).get("app").has(NOT_API)
    assert (in_new_meanings(others, models, rebuilt), worked_out, len(others)) == ([], ["app/main.py"], 12)


def vocabularies_worked_out(monkeypatch) -> list[str]:
    """The files whose vocabulary any project model works out from now on, in order."""
    worked_out: list[str] = []
    vocabulary = ProjectModel.vocabulary

    def counted(model: ProjectModel, path: str, schema_flags=None):
        worked_out.append(path)
        return vocabulary(model, path, schema_flags)

    monkeypatch.setattr(ProjectModel, "vocabulary", counted)
    return worked_out
