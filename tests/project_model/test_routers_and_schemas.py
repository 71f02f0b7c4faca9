"""Field reports X1-X3: routers and Pydantic bases the app defines in its own modules."""

from __future__ import annotations

from tests.project_model.helpers import lint_project

ROUTING = """
from fastapi import APIRouter as _APIRouter


class TracedRouter(_APIRouter):
    \"\"\"Adds tracing to every route.\"\"\"


APIRouter = TracedRouter


def versioned_router(prefix: str) -> TracedRouter:
    return TracedRouter(prefix=f"/v1{prefix}")
"""

ITEMS = """
from shop.routing import APIRouter

router = APIRouter(prefix="/items")


@router.get("/")
async def list_items(limit: int = 10) -> list[dict]:
    return []


@router.post("/")
async def add_item(name: str) -> dict:
    return {"name": name}
"""
ITEM_FINDINGS = [
    ("shop/items.py", "CL301", 6),
    ("shop/items.py", "CL601", 7),
    ("shop/items.py", "CL301", 11),
    ("shop/items.py", "CL302", 11),
    ("shop/items.py", "CL601", 12),
]
ROUTE_RULES = ("CL301", "CL302", "CL601")


def test_a_router_class_of_the_apps_own_is_a_router() -> None:
    assert lint_project({"shop/routing.py": ROUTING, "shop/items.py": ITEMS}, select=ROUTE_RULES) == ITEM_FINDINGS


def test_the_same_routes_under_fastapis_own_router_are_judged_alike() -> None:
    direct = ITEMS.replace("from shop.routing import APIRouter", "from fastapi import APIRouter")
    assert lint_project({"shop/items.py": direct}, select=ROUTE_RULES) == ITEM_FINDINGS


def test_a_router_made_by_a_factory_annotated_to_return_one_is_a_router() -> None:
    items = ITEMS.replace("from shop.routing import APIRouter", "from shop.routing import versioned_router").replace(
        'router = APIRouter(prefix="/items")', 'router = versioned_router("/items")'
    )
    assert lint_project({"shop/routing.py": ROUTING, "shop/items.py": items}, select=ROUTE_RULES) == ITEM_FINDINGS


def test_a_router_imported_from_another_module_is_followed() -> None:
    files = {
        "shop/routing.py": ROUTING,
        "shop/api/deps.py": "from shop.routing import APIRouter\n\nrouter = APIRouter()\n",
        "shop/api/items.py": ITEMS.replace(
            'from shop.routing import APIRouter\n\nrouter = APIRouter(prefix="/items")', "from .deps import router"
        ),
    }
    assert [code for _, code, _ in lint_project(files, select=ROUTE_RULES)] == [c for _, c, _ in ITEM_FINDINGS]


def test_an_object_the_project_defines_as_no_router_is_not_one_whatever_its_name() -> None:
    files = {
        "shop/events.py": "class Bus:\n    def get(self, path): ...\n\n\nrouter = Bus()\n",
        "shop/handlers.py": 'from shop.events import router\n\n\n@router.get("/")\nasync def list_items() -> list[dict]:\n    return []\n',
    }
    assert lint_project(files, select=ROUTE_RULES) == []


def test_a_name_annotated_as_a_router_is_one_whatever_made_it() -> None:
    # `make_router` says nothing of what it returns; the annotation of the name it is bound to does.
    factory = "from fastapi import APIRouter\n\n\ndef make_router(prefix):\n    return APIRouter(prefix=prefix)\n"
    annotated = ITEMS.replace(
        "from shop.routing import APIRouter", "from fastapi import APIRouter\n\nfrom shop.factory import make_router"
    ).replace('router = APIRouter(prefix="/items")', 'router: APIRouter = make_router("/items")')
    files = {"shop/factory.py": factory, "shop/items.py": annotated}
    assert [(code, line) for _, code, line in lint_project(files, select=ROUTE_RULES)] == [
        (code, line + 2) for _, code, line in ITEM_FINDINGS
    ]
    unannotated = annotated.replace("router: APIRouter = ", "router = ")
    assert lint_project({**files, "shop/items.py": unannotated}, select=ROUTE_RULES) == []
    # The annotation is read across modules too: a name imported from where it is annotated.
    deps = 'from fastapi import APIRouter\n\nfrom shop.factory import make_router\n\nrouter: APIRouter = make_router("/items")\n'
    imported = ITEMS.replace(
        'from shop.routing import APIRouter\n\nrouter = APIRouter(prefix="/items")', "from shop.deps import router"
    )
    found = lint_project({**files, "shop/deps.py": deps, "shop/items.py": imported}, select=ROUTE_RULES)
    assert [code for _, code, _ in found] == [code for _, code, _ in ITEM_FINDINGS]


def test_a_router_class_made_at_import_time_is_declared_by_a_setting() -> None:
    routing = "from shop.tracing import make_router_class, TracedRoute\n\nAPIRouter = make_router_class(TracedRoute)\n"
    files = {"shop/routing.py": routing, "shop/items.py": ITEMS}
    assert lint_project(files, select=ROUTE_RULES) == []
    assert lint_project(files, select=ROUTE_RULES, router_classes=["shop.routing.APIRouter"]) == ITEM_FINDINGS


SCHEMA_BASE = """
from pydantic import BaseModel, ConfigDict


class AppSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True)
"""
CUSTOMER = """
from .base import AppSchema


class CustomerCreate(AppSchema):
    name: str


class CustomerState(AppSchema):
    balance: int
    customer_id: int
"""


def test_a_schema_base_reached_by_a_relative_import_makes_pydantic_models() -> None:
    files = {"shop/schemas/base.py": SCHEMA_BASE, "shop/schemas/customer.py": CUSTOMER}
    assert lint_project(files, select=("CL402", "CL602", "CL203")) == [
        ("shop/schemas/base.py", "CL602", 4),
        ("shop/schemas/customer.py", "CL402", 5),
        ("shop/schemas/customer.py", "CL602", 8),
        ("shop/schemas/customer.py", "CL203", 10),
    ]


def test_a_pydantic_base_defined_outside_any_schemas_module_is_followed() -> None:
    files = {
        "shop/kit/mixins.py": "from pydantic import BaseModel\n\n\nclass MetadataInput(BaseModel):\n    note: str | None = None\n",
        "shop/orders/schemas.py": "from shop.kit.mixins import MetadataInput\n\n\nclass OrderCreate(MetadataInput):\n    code: str\n",
    }
    assert lint_project(files, select=("CL402",)) == [("shop/orders/schemas.py", "CL402", 5)]


def test_a_base_the_project_defines_as_no_pydantic_model_is_not_one_even_in_a_schemas_module() -> None:
    files = {
        "shop/schemas/base.py": "class Plain:\n    pass\n",
        "shop/orders/schemas.py": "from shop.schemas.base import Plain\n\n\nclass OrderCreate(Plain):\n    code: str\n",
    }
    assert lint_project(files, select=("CL402",)) == []


def test_a_base_from_outside_the_project_is_still_judged_by_its_schemas_module() -> None:
    orders = "from other_app.schemas.base import Base\n\n\nclass OrderCreate(Base):\n    code: str\n"
    assert lint_project({"shop/orders/schemas.py": orders}, select=("CL402",)) == [
        ("shop/orders/schemas.py", "CL402", 5)
    ]


def test_a_schema_base_from_a_package_outside_the_project_is_declared_by_a_setting() -> None:
    orders = "from kit.models import Model\n\n\nclass OrderCreate(Model):\n    code: str\n"
    assert lint_project({"shop/orders/schemas.py": orders}, select=("CL402",)) == []
    assert lint_project({"shop/orders/schemas.py": orders}, select=("CL402",), schema_bases=["kit.models.Model"]) == [
        ("shop/orders/schemas.py", "CL402", 5)
    ]


HTML_ROUTES = """
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)


@router.get("/{case_id}", name="cases:list")
async def list_cases(request: Request, case_id: int) -> None:
    render(request, "Cases")


@router.post("/")
async def add_case(request: Request) -> list[dict]:
    return []
"""
API_RULES = ("CL204", "CL301", "CL302", "CL305", "CL601")


def test_no_api_rules_on_a_router_kept_out_of_the_schema() -> None:
    assert lint_project({"app/web/cases.py": HTML_ROUTES}, select=API_RULES) == []


def test_no_api_rules_on_a_router_whose_default_response_is_not_json() -> None:
    source = HTML_ROUTES.replace(", include_in_schema=False", "")
    assert lint_project({"app/web/cases.py": source}, select=API_RULES) == []


def test_no_api_rules_on_an_app_without_an_openapi_schema_imported_from_elsewhere() -> None:
    files = {
        "app/web/app.py": "from fastapi import FastAPI\n\nsite = FastAPI(openapi_url=None)\n",
        "app/web/cases.py": HTML_ROUTES.replace(
            "router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)",
            "from app.web.app import site as router",
        ),
    }
    assert lint_project(files, select=API_RULES) == []


def test_a_json_router_is_an_api_whatever_else_it_sets() -> None:
    source = HTML_ROUTES.replace(
        "default_response_class=HTMLResponse, include_in_schema=False", 'prefix="/cases", tags=["cases"]'
    )
    assert lint_project({"app/web/cases.py": source}, select=API_RULES) == [
        ("app/web/cases.py", "CL301", 7),
        ("app/web/cases.py", "CL601", 8),
        ("app/web/cases.py", "CL204", 8),
        ("app/web/cases.py", "CL301", 12),
        ("app/web/cases.py", "CL302", 12),
        ("app/web/cases.py", "CL601", 13),
    ]
