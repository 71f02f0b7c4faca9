"""The cache with the project in view: a file's result is keyed on what its names stand for elsewhere,
so editing a base, an alias or a router class in one file updates its dependents' findings on the next
warm run, and nothing else is recomputed; a run over a few files agrees with a run over all of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conventions_lint.config import settings_from_section
from conventions_lint.project_model.build import ProjectSummaries, RunModels
from conventions_lint.project_model.resolver import ProjectModel
from conventions_lint.project_model.vocabulary import Vocabulary
from tests.helpers import count_lints, dedent_source, project_tree, run_tree
from tests.project_model.test_aliases_and_revisions import ITEM_SCHEMAS, TYPES
from tests.project_model.test_routers_and_schemas import CUSTOMER, ITEMS, ROUTING, SCHEMA_BASE

FILES = {
    "shop/__init__.py": "",
    "shop/routing.py": ROUTING,
    "shop/items.py": ITEMS,
    "shop/schemas/__init__.py": "",
    "shop/schemas/base.py": SCHEMA_BASE,
    "shop/schemas/customer.py": CUSTOMER,
    "shop/core/types.py": TYPES,
    "shop/items/schemas.py": ITEM_SCHEMAS,
    "shop/notes.py": "def note(text: str) -> str:\n    return text\n",
}


@pytest.fixture
def linted(monkeypatch) -> list[str]:
    """The paths the runs lint (parse and walk), in order."""
    return count_lints(monkeypatch)


def findings(paths: list[str] | None = None) -> list[tuple[str, str, int]]:
    return [(d.path, d.code, d.location.row) for d in run_tree(Path("."), paths).diagnostics]


def edit(root: Path, path: str, old: str, new: str) -> None:
    target = root / path
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new))


def test_editing_a_router_class_updates_the_routes_that_use_it_and_nothing_else(linted: list[str]) -> None:
    with project_tree(FILES, select=("CL301", "CL302", "CL601")) as root:
        before = findings()
        assert [p for p, _, _ in before].count("shop/items.py") == 5
        linted.clear()
        assert findings() == before and linted == []
        edit(root, "shop/routing.py", "class TracedRouter(_APIRouter):", "class TracedRouter:")
        after = findings()
        assert [p for p, _, _ in after].count("shop/items.py") == 0
        assert sorted(linted) == ["shop/items.py", "shop/routing.py"]


def test_editing_a_schema_base_updates_the_schemas_on_it(linted: list[str]) -> None:
    with project_tree(FILES, select=("CL402",)) as root:
        assert findings() == [("shop/schemas/customer.py", "CL402", 5)]
        linted.clear()
        edit(root, "shop/schemas/base.py", "class AppSchema(BaseModel):", "class AppSchema:")
        assert findings() == []
        assert sorted(linted) == ["shop/schemas/base.py", "shop/schemas/customer.py"]
        edit(root, "shop/schemas/base.py", "class AppSchema:", "class AppSchema(BaseModel):")
        assert findings() == [("shop/schemas/customer.py", "CL402", 5)]


def test_editing_an_alias_updates_the_fields_that_use_it(linted: list[str]) -> None:
    with project_tree(FILES, select=("CL203", "CL204")) as root:
        unrelated = ("shop/schemas/customer.py", "CL203", 10)
        assert findings() == [("shop/items/schemas.py", "CL203", 10), ("shop/items/schemas.py", "CL204", 15), unrelated]
        linted.clear()
        edit(root, "shop/core/types.py", "PrimaryKey = Annotated[int,", "PrimaryKey = Annotated[uuid.UUID,")
        assert findings() == [unrelated]
        assert sorted(linted) == ["shop/core/types.py", "shop/items/schemas.py"]


def test_a_run_over_a_few_files_agrees_with_a_run_over_the_project() -> None:
    with project_tree(FILES, select=("CL",)) as _:
        whole = findings()
        for path in ("shop/items.py", "shop/schemas/customer.py", "shop/items/schemas.py"):
            assert findings([path]) == [finding for finding in whole if finding[0] == path]
    with project_tree(FILES, select=("CL",)) as _:
        # Cold: the subset run is the first, with no cache to lean on.
        assert findings(["shop/items.py"]) == [finding for finding in whole if finding[0] == "shop/items.py"]


def test_a_warm_run_resolves_nothing_unless_a_summary_changed(linted: list[str], monkeypatch) -> None:
    resolved: list[str] = []
    real = ProjectModel.vocabulary

    def counting(self, path, *args):
        resolved.append(path)
        return real(self, path, *args)

    monkeypatch.setattr(ProjectModel, "vocabulary", counting)
    with project_tree(FILES, select=("CL",)) as root:
        before = findings()
        assert len(resolved) == len(FILES)
        resolved.clear()
        linted.clear()
        assert findings() == before and (resolved, linted) == ([], [])
        # A change no summary shows (a function's body) re-lints that file alone, against its vocabulary as the
        # cache kept it: the model is not built.
        edit(root, "shop/notes.py", "return text", "return text.strip()")
        assert findings() == before and linted == ["shop/notes.py"] and resolved == []


def test_a_vocabulary_the_cache_keeps_is_the_one_the_model_makes() -> None:
    data = {path: dedent_source(code).encode() for path, code in FILES.items()}
    settings = settings_from_section({"select": ["CL"]}, Path("/project"), "test settings")
    models = RunModels({settings.root: ProjectSummaries(data, settings, None)})
    for path in FILES:
        vocabulary = models.vocabulary(settings, path)
        assert Vocabulary.from_text(vocabulary.to_text(), vocabulary.packages) == vocabulary


def test_a_module_that_gains_a_route_handler_re_lints_the_files_that_import_it(linted: list[str]) -> None:
    files = {
        "app/api/cases.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\nasync def list_cases():\n    return []\n",
        "app/reports.py": "from app.api.cases import list_cases\n\nREPORT = list_cases\n",
        "app/notes.py": "from app.api import cases\n\nNOTE = cases.router\n",
        "app/models.py": "from pydantic import BaseModel\n\n\nclass Case(BaseModel):\n    id: int\n",
    }
    with project_tree(files, select=("CL601",)) as root:
        assert findings() == []
        linted.clear()
        edit(root, "app/api/cases.py", "async def", '@router.get("/cases")\nasync def')
        assert findings() == [("app/api/cases.py", "CL601", 7)]
        # Their vocabularies now say that their imports lead to a handler: they follow their names.
        assert sorted(linted) == ["app/api/cases.py", "app/notes.py", "app/reports.py"]
        run_tree(root, fix=True, unsafe=True)
        assert (root / "app/reports.py").read_text() == "from app.api.cases import get_cases\n\nREPORT = get_cases\n"
