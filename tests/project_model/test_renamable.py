"""Which files follow their names for the renames of CL601 and CL603, and which of their uses they place:
only what their imports may lead to (a route handler, a services module's function, a re-export of one)."""

from __future__ import annotations

from pathlib import Path

from conventions_lint.config import settings_from_section
from conventions_lint.engine import collect_facts, lint_source
from conventions_lint.project_model.build import ProjectSummaries, RunModels
from conventions_lint.registry import REGISTRY
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


def _data() -> dict[str, bytes]:
    return {path: dedent_source(code).encode() for path, code in FILES.items()}


def models() -> RunModels:
    return RunModels({SETTINGS.root: ProjectSummaries(_data(), SETTINGS, None)})


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


def test_a_document_changed_since_the_model_follows_the_names_its_imports_now_lead_to() -> None:
    # The language server's model is not rebuilt as its documents change.
    run = models()
    now = b"from app.schemas import Case\nfrom app.api.cases import list_cases as cases_route\n\nCASE = Case\n"
    assert run.vocabulary(SETTINGS, "app/models.py").renamable == frozenset()
    assert run.vocabulary_now(SETTINGS, "app/models.py", now).renamable == {"list_cases"}


def test_a_re_export_made_since_the_model_is_not_followed() -> None:
    # The files importing `list_cases` from app/models.py recorded no uses of it when the model was built.
    run = models()
    now = b"from app.api.cases import list_cases\n"
    facts = collect_facts(
        "app/models.py", "app/models.py", now, SETTINGS, vocabulary=run.vocabulary_now(SETTINGS, "app/models.py", now)
    )
    use = facts.name_uses["app.api.cases.list_cases"]
    assert (use.reexported, use.followed) == (True, False)
    # The package that re-exported it when the model was built is followed.
    source = dedent_source(FILES["app/api/__init__.py"]).encode()
    vocabulary = run.vocabulary_now(SETTINGS, "app/api/__init__.py", source)
    facts = collect_facts("app/api/__init__.py", "app/api/__init__.py", source, SETTINGS, vocabulary=vocabulary)
    use = facts.name_uses["app.api.cases.list_cases"]
    assert (use.reexported, use.followed) == (True, True)


def test_a_handler_added_since_the_model_is_reported_without_its_rename() -> None:
    run = models()
    now = (
        dedent_source(CASES)
        + '\n\n@router.get("/cases/{case_id}")\nasync def fetch_case(case_id: int):\n    return helper()\n'
    )
    vocabulary = run.vocabulary_now(SETTINGS, "app/api/cases.py", now.encode())
    assert vocabulary.exposed == {"list_cases"}
    [finding] = lint_source(
        "app/api/cases.py",
        "app/api/cases.py",
        now.encode(),
        SETTINGS,
        REGISTRY.rules_for(SETTINGS, "app/api/cases.py"),
        vocabulary=vocabulary,
    ).diagnostics
    assert (finding.code, finding.span.start.row, finding.fix) == ("CL601", 16, None)
    # The same handler, known to the model, gets its rename.
    known = RunModels({SETTINGS.root: ProjectSummaries({**_data(), "app/api/cases.py": now.encode()}, SETTINGS, None)})
    deferred = lint_source(
        "app/api/cases.py",
        "app/api/cases.py",
        now.encode(),
        SETTINGS,
        REGISTRY.rules_for(SETTINGS, "app/api/cases.py"),
        vocabulary=known.vocabulary(SETTINGS, "app/api/cases.py"),
    ).deferred
    assert [(d.code, d.span.start.row) for d in deferred] == [("CL601", 11), ("CL601", 16)]
