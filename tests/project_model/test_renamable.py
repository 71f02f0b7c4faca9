"""Which files follow their names for the renames of CL601 and CL603, and which of their uses they place:
only what their imports may lead to (a route handler, a services module's function, a re-export of one)."""

from __future__ import annotations

from pathlib import Path

from conventions_lint.config import settings_from_section
from conventions_lint.engine import collect_facts
from conventions_lint.project_model.build import ProjectSummaries, RunModels
from tests.helpers import dedent_source

CASES = """\
from fastapi import APIRouter

router = APIRouter()


def helper():
    return 1


@router.get("/cases")
async def list_cases():
    return helper()
"""

FILES = {
    "app/api/__init__.py": "from .cases import list_cases\n",
    "app/api/cases.py": CASES,
    "app/services/orders.py": "async def get_order(db, order_id):\n    return None\n",
    "app/schemas.py": "from pydantic import BaseModel\n\n\nclass Case(BaseModel):\n    id: int\n",
    "app/models.py": "from app.schemas import Case\n\nCASE = Case\n",
    "app/reports.py": "from app.api.cases import helper, list_cases\n\nREPORT = (list_cases, helper)\n",
    "app/views.py": "from app.api import list_cases\n\nVIEW = list_cases\n",
    "app/jobs.py": "def run(db):\n    from app.services.orders import get_order\n\n    return get_order(db, 1)\n",
    "app/main.py": "import app.api.cases\n\nROUTER = app.api.cases.router\n",
}
SETTINGS = settings_from_section({"select": ["CL601", "CL603"]}, Path("/project"), "test settings")


def models() -> RunModels:
    data = {path: dedent_source(code).encode() for path, code in FILES.items()}
    return RunModels({SETTINGS.root: ProjectSummaries(data, SETTINGS, None)})


def test_a_file_follows_the_names_its_imports_may_lead_to_and_no_other() -> None:
    run = models()
    renamable = {path: run.vocabulary(SETTINGS, path).renamable for path in FILES}
    assert renamable == {
        "app/api/__init__.py": {"list_cases"},
        "app/api/cases.py": frozenset(),
        "app/services/orders.py": frozenset(),
        "app/schemas.py": frozenset(),
        "app/models.py": frozenset(),
        "app/reports.py": {"list_cases"},
        "app/views.py": {"list_cases"},
        "app/jobs.py": {"*"},
        # `import app.api.cases` binds `app`: what every home under `app` exposes (a function's import
        # of a function counts as a re-export, wider than the rename's own notion).
        "app/main.py": {"*", "get_order", "list_cases"},
    }


def test_only_the_uses_a_rename_may_edit_are_placed() -> None:
    vocabulary = models().vocabulary(SETTINGS, "app/reports.py")
    source = dedent_source(FILES["app/reports.py"]).encode()
    facts = collect_facts("app/reports.py", "app/reports.py", source, SETTINGS, vocabulary=vocabulary)
    uses = {name: [(span.start.row, span.start.column) for span in use.spans] for name, use in facts.name_uses.items()}
    assert uses == {"app.api.cases.list_cases": [(1, 35), (3, 11)], "app.api.cases.helper": []}


def test_the_language_server_s_models_follow_every_name() -> None:
    # Its model is not rebuilt as documents change: a handler added since would be missed.
    data = {path: dedent_source(code).encode() for path, code in FILES.items()}
    run = RunModels({SETTINGS.root: ProjectSummaries(data, SETTINGS, None)}, every_name=True)
    assert {run.vocabulary(SETTINGS, path).renamable for path in FILES} == {None}
