"""The rename fixes of CL601 and CL603 follow bindings (fixes.md F7): the function and every reference to
it, in its file and in the files that import it, and nothing else; no fix where a use cannot be followed."""

from __future__ import annotations

from conventions_lint import indexing
from conventions_lint.recognize.bindings import Bindings
from tests.helpers import dedent_source, found, project_tree, read_tree, run_tree

CASES = """\
from fastapi import APIRouter, Query

from app.schemas.case import CaseResponse

router = APIRouter()


@router.get("/cases", response_model=list[CaseResponse])
async def list_cases(closed: bool = Query(False)):
    return []


@router.get("/cases/open", response_model=list[CaseResponse])
async def get_open_cases(list_cases: bool = Query(True)):
    return list_cases


def count():
    list_cases = [case for case in range(3)]
    return len(list_cases)


class Views:
    list_cases = None

    def everything(self):
        return list_cases(), [list_cases for list_cases in ()], lambda list_cases: list_cases
"""

CASES_FIXED = """\
from fastapi import APIRouter, Query

from app.schemas.case import CaseResponse

router = APIRouter()


@router.get("/cases", response_model=list[CaseResponse])
async def get_cases(closed: bool = Query(False)):
    return []


@router.get("/cases/open", response_model=list[CaseResponse])
async def get_open_cases(list_cases: bool = Query(True)):
    return list_cases


def count():
    list_cases = [case for case in range(3)]
    return len(list_cases)


class Views:
    list_cases = None

    def everything(self):
        return get_cases(), [list_cases for list_cases in ()], lambda list_cases: list_cases
"""

CALLERS = """\
import app.api.cases
from app.api import cases
from app.api.cases import list_cases


async def export(list_cases=list_cases):
    return await cases.list_cases(), await app.api.cases.list_cases(), list_cases
"""

CALLERS_FIXED = """\
import app.api.cases
from app.api import cases
from app.api.cases import get_cases


async def export(list_cases=get_cases):
    return await cases.get_cases(), await app.api.cases.get_cases(), list_cases
"""


def _fixed(files: dict[str, str], select: tuple[str, ...], paths: list[str] | None = None):
    with project_tree(files, select=select) as root:
        diagnostics = run_tree(root, paths).diagnostics
        run_tree(root, paths, fix=True, unsafe=True)
        return diagnostics, read_tree(root, files)


def test_a_handler_is_renamed_with_its_references_and_nothing_of_the_same_name() -> None:
    files = {"app/api/cases.py": CASES, "app/reports.py": CALLERS}
    diagnostics, after = _fixed(files, ("CL601",))
    assert [(d.path, *found([d])[0]) for d in diagnostics] == [("app/api/cases.py", "CL601", 9, 11)]
    assert diagnostics[0].fix.message == "Rename `list_cases` to `get_cases`, also in `app/reports.py`"
    assert after == {"app/api/cases.py": CASES_FIXED, "app/reports.py": CALLERS_FIXED}


def test_no_rename_where_a_star_import_of_the_module_could_use_the_name() -> None:
    files = {"app/api/cases.py": CASES, "app/reports.py": "from app.api.cases import *\n\nfound = list_cases\n"}
    diagnostics, after = _fixed(files, ("CL601",))
    assert [d.fix for d in diagnostics] == [None]
    assert after == {path: dedent_source(code) for path, code in files.items()}


def test_no_rename_where_a_string_may_name_the_function() -> None:
    for caller in (
        'from app.api import cases\n\nfound = getattr(cases, "list_cases")\n',
        'import app.api.cases\n\nURL = "list_cases"\n',
    ):
        files = {"app/api/cases.py": CASES, "app/reports.py": caller}
        diagnostics, after = _fixed(files, ("CL601",))
        assert [d.fix for d in diagnostics] == [None]
        assert after == files


def test_no_rename_onto_a_name_an_importing_file_spells_or_of_a_name_it_binds_twice() -> None:
    for caller in (
        "from app.api.cases import list_cases\n\nget_cases = None\n",
        "from app.api.cases import list_cases\n\nlist_cases = cache(list_cases)\n",
    ):
        files = {"app/api/cases.py": CASES, "app/reports.py": caller}
        diagnostics, after = _fixed(files, ("CL601",))
        assert [d.fix for d in diagnostics] == [None]
        assert after == files


ORDERS = """\
async def get_order(db, order_id):
    return await db.get(order_id)


async def pay_order_service(db, order_id):
    order = await get_order(db, order_id)
    return order
"""

ORDER_ROUTES = """\
from app.services import get_order
from app.services.orders import get_order as fetch_order


async def read(db, order_id):
    return await get_order(db, order_id) or await fetch_order(db, order_id)
"""


def test_a_service_is_renamed_with_its_callers_and_its_re_export() -> None:
    files = {
        "app/services/__init__.py": 'from .orders import get_order\n\n__all__ = ["get_order"]\n',
        "app/services/orders.py": ORDERS,
        "app/api/orders.py": ORDER_ROUTES,
    }
    diagnostics, after = _fixed(files, ("CL603",))
    assert found(diagnostics) == [("CL603", 1, 11)]
    assert after == {
        "app/services/__init__.py": 'from .orders import get_order_service\n\n__all__ = ["get_order_service"]\n',
        "app/services/orders.py": ORDERS.replace("get_order(", "get_order_service("),
        "app/api/orders.py": ORDER_ROUTES.replace("import get_order\n", "import get_order_service\n")
        .replace("get_order as", "get_order_service as")
        .replace("await get_order(", "await get_order_service("),
    }


def test_a_rename_that_edits_a_file_the_run_does_not_check_waits_for_a_run_that_does() -> None:
    files = {"app/services/orders.py": ORDERS, "app/api/orders.py": "from app.services.orders import get_order\n"}
    diagnostics, after = _fixed(files, ("CL603",), paths=["app/services/orders.py"])
    assert diagnostics[0].fix.message == "Rename `get_order` to `get_order_service`, also in `app/api/orders.py`"
    assert after == files


def test_callers_outside_the_package_and_under_an_import_root_are_renamed() -> None:
    files = {
        "backend/app/services/orders.py": ORDERS,
        "backend/app/api/orders.py": "from app.services.orders import get_order\n\nREAD = get_order\n",
        "backend/tests/test_orders.py": "from app.services import orders\n\n\ndef test_read():\n    assert orders.get_order\n",
    }
    diagnostics, after = _fixed(files, ("CL603",))
    assert found(diagnostics) == [("CL603", 1, 11)]
    assert after == {
        "backend/app/services/orders.py": ORDERS.replace("get_order(", "get_order_service("),
        "backend/app/api/orders.py": "from app.services.orders import get_order_service\n\nREAD = get_order_service\n",
        "backend/tests/test_orders.py": (
            "from app.services import orders\n\n\ndef test_read():\n    assert orders.get_order_service\n"
        ),
    }


def test_an_attribute_or_keyword_of_the_new_name_is_no_collision() -> None:
    source = CASES + "\n\nasync def export(crud):\n    return await crud.get_cases(get_cases=1)\n"
    files = {"app/api/cases.py": source}
    diagnostics, after = _fixed(files, ("CL601",))
    assert diagnostics[0].fix is not None
    assert after == {
        "app/api/cases.py": CASES_FIXED + "\n\nasync def export(crud):\n    return await crud.get_cases(get_cases=1)\n"
    }


def test_no_rename_when_the_walk_of_a_file_failed_before_it_followed_its_names(monkeypatch) -> None:
    following = Bindings.visit_Name

    def failing(self, node) -> None:
        if self.context.relative_path == "app/reports.py":
            raise RuntimeError("cannot follow")
        following(self, node)

    monkeypatch.setattr(Bindings, "visit_Name", failing)
    files = {"app/api/cases.py": CASES, "app/reports.py": CALLERS}
    diagnostics, after = _fixed(files, ("CL601",))
    assert [(d.code, d.fix) for d in diagnostics] == [("CL601", None), ("CL002", None)]
    assert after == files


def test_only_the_files_whose_imports_may_lead_to_a_renamable_function_follow_their_names(monkeypatch) -> None:
    followed: list[str] = []
    real = Bindings.__init__

    def recording(self, context) -> None:
        followed.append(context.relative_path)
        real(self, context)

    monkeypatch.setattr(Bindings, "__init__", recording)
    files = {
        "app/api/cases.py": CASES,
        "app/reports.py": CALLERS,
        "app/schemas/case.py": "from pydantic import BaseModel\n\n\nclass CaseResponse(BaseModel):\n    id: int\n",
        "app/models.py": "from app.schemas.case import CaseResponse\n\nCASE = CaseResponse\n",
        "app/settings.py": "import os\n\nfrom app import models\n\nDEBUG = os.environ.get('DEBUG')\n",
        # A decorator that is no route's: CL601 has no handler here to rename, so no bindings to walk.
        "app/cache.py": "from functools import cache\n\n\n@cache\ndef settings():\n    return {'get': 1}\n",
    }
    with project_tree(files, select=("CL601",)) as root:
        diagnostics = run_tree(root, jobs=1).diagnostics
    assert diagnostics[0].fix.message == "Rename `list_cases` to `get_cases`, also in `app/reports.py`"
    assert sorted(followed) == ["app/api/cases.py", "app/reports.py"]


def test_a_run_over_some_files_parses_only_the_rest_whose_imports_may_lead_to_a_renamable_function(
    monkeypatch,
) -> None:
    # A pre-commit run over one file indexes the rest of the project for its facts: a file whose imports
    # lead to no route handler nor services module has none a rename needs, and is not parsed for them.
    parsed: list[str] = []
    real = indexing.collect_facts

    def recording(shown, relative_path, *args, **kwargs):
        parsed.append(relative_path)
        return real(shown, relative_path, *args, **kwargs)

    monkeypatch.setattr(indexing, "collect_facts", recording)
    files = {
        "app/api/cases.py": CASES,
        "app/reports.py": CALLERS,
        "app/models.py": "from app.schemas import CaseResponse\n\nCASE = CaseResponse\n",
        "app/settings.py": "import os\n\nfrom app import models\n\nDEBUG = os.environ.get('DEBUG')\n",
    }
    with project_tree(files, select=("CL601",)) as root:
        [finding] = run_tree(root, ["app/api/cases.py"], jobs=1).diagnostics
    assert finding.fix.message == "Rename `list_cases` to `get_cases`, also in `app/reports.py`"
    assert parsed == ["app/reports.py"]


def test_callers_are_renamed_through_a_function_s_import_a_re_export_and_a_package_import() -> None:
    files = {
        "app/__init__.py": "",
        "app/api/__init__.py": "from .cases import list_cases\n",
        "app/api/cases.py": CASES,
        "app/jobs.py": "def run():\n    from app.api.cases import list_cases\n\n    return list_cases()\n",
        "app/reports.py": "from app.api import list_cases\n\nREPORT = list_cases\n",
        "app/views.py": "import app.schemas\n\nVIEW = app.api.cases.list_cases\n",
        "app/schemas/__init__.py": "",
    }
    diagnostics, after = _fixed(files, ("CL601",))
    assert diagnostics[0].fix.message == (
        "Rename `list_cases` to `get_cases`, also in `app/api/__init__.py`, `app/jobs.py`, `app/reports.py`, "
        "`app/views.py`"
    )
    assert after == {
        **{path: code.replace("list_cases", "get_cases") for path, code in files.items()},
        "app/api/cases.py": CASES_FIXED,
    }


def test_a_run_fixes_what_its_renames_call_for_so_a_second_run_has_nothing_left() -> None:
    # A POST whose summary says it creates: CL601 renames the handler create_..., which makes it a create to
    # CL302. The project phase renames after the files' own rounds; the renamed file gets its own fixes in the
    # same run.
    files = {
        "app/api/flows.py": """
            from fastapi import APIRouter

            router = APIRouter()


            @router.post("/flows/next-runs", response_model=list[dict], summary="Create the next runs")
            async def next_runs_by_flow(limit: int = 10) -> list[dict]:
                return []
        """
    }
    with project_tree(files, select=("CL601", "CL302")) as root:
        run_tree(root, fix=True, unsafe=True, jobs=1)
        once = read_tree(root, files)
        assert "async def create_next_runs_by_flow(" in once["app/api/flows.py"]
        assert "status_code=status.HTTP_201_CREATED" in once["app/api/flows.py"]
        run_tree(root, fix=True, unsafe=True, jobs=1)
        assert read_tree(root, files) == once
