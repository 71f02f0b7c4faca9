"""CL602 and CL403 with the whole project in view (noise.md N5, N6; issue 15): what the project says a
Pydantic model is for (project_model/schema_roles.py)."""

from __future__ import annotations

from pathlib import Path

from conventions_lint.config import settings_from_section
from conventions_lint.runner import lint_sources
from tests.helpers import dedent_source
from tests.project_model.helpers import lint_project

# CL602: the models of a schemas module that no route takes or answers.

FLOW_SCHEMAS = """
from pydantic import BaseModel


class FilterBaseModel(BaseModel):
    pass


class FlowFilterName(FilterBaseModel):
    any_: list[str]


class FlowFilter(FilterBaseModel):
    name: FlowFilterName | None = None


class Schedule(BaseModel):
    cron: str


class Flow(BaseModel):
    name: str
    schedule: Schedule


class FlowRunEvent(BaseModel):
    flow: str


class FlowSummary(BaseModel):
    name: str
"""
FLOW_ROUTES = """
from fastapi import APIRouter

from app.schemas import flow as schemas

router = APIRouter()


@router.post("/flows/filter", response_model=list[schemas.Flow])
async def read_flows(flow_filter: schemas.FlowFilter) -> list[schemas.Flow]: ...
"""
PUBLISHER = """
from app.schemas.flow import FlowRunEvent


async def publish(event: FlowRunEvent) -> None: ...
"""
PROJECT = {"app/schemas/flow.py": FLOW_SCHEMAS, "app/api/flows.py": FLOW_ROUTES, "app/events.py": PUBLISHER}


def test_only_the_models_routes_exchange_their_bases_and_the_unused_ones_are_named() -> None:
    # Flow: what a route answers; FlowSummary: used nowhere. Not: FlowFilter (criteria: what a query route takes)
    # and its base, FlowFilterName and Schedule (nested), FlowRunEvent (an event payload).
    assert lint_project(PROJECT, select=("CL602",)) == [
        ("app/schemas/flow.py", "CL602", 20),
        ("app/schemas/flow.py", "CL602", 29),
    ]
    # The body of a route that is no query (`POST /flows`): FlowFilter (its base's name says it is one).
    creating = {**PROJECT, "app/api/flows.py": FLOW_ROUTES.replace("/flows/filter", "/flows")}
    assert [line for _, _, line in lint_project(creating, select=("CL602",))] == [12, 20, 29]
    # Without routes the project says nothing of what a model is for: every one is named.
    without_routes = {"app/schemas/flow.py": FLOW_SCHEMAS, "app/events.py": PUBLISHER}
    assert [line for _, _, line in lint_project(without_routes, select=("CL602",))] == [4, 8, 12, 16, 20, 25, 29]


def test_a_model_a_route_takes_or_a_module_with_routes_imports_is_named_wherever_else_it_is_used() -> None:
    # Schedule is also nested in Flow; FlowRunEvent is also published, and handed to something the summary
    # cannot follow (a router factory) in a module with routes. FlowFilter, no longer a body, is used nowhere;
    # FilterBaseModel is now the base of no API schema.
    routes = FLOW_ROUTES.replace("flow_filter: schemas.FlowFilter", "schedule: schemas.Schedule").replace(
        "/flows/filter", "/flows"
    )
    routes += "\nfrom app.schemas.flow import FlowRunEvent\n\nevents = make_router(FlowRunEvent)\n"
    lines = [line for _, _, line in lint_project({**PROJECT, "app/api/flows.py": routes}, select=("CL602",))]
    assert lines == [12, 16, 20, 25, 29]


def test_suffix_every_schema_names_every_model() -> None:
    lines = [line for _, _, line in lint_project(PROJECT, select=("CL602",), suffix_every_schema=True)]
    assert lines == [4, 8, 12, 16, 20, 25, 29]


SCHEDULES = """
from typing import Annotated, Union

from pydantic import BaseModel, Field


class CronSchedule(BaseModel):
    cron: str


class IntervalSchedule(BaseModel):
    seconds: int


AnySchedule = Annotated[Union[CronSchedule, IntervalSchedule], Field(discriminator="kind")]


class DeploymentResponse(BaseModel):
    schedule: AnySchedule
"""
DEPLOYMENT_ROUTES = """
from fastapi import APIRouter

from app.schemas.schedule import DeploymentResponse

router = APIRouter()


@router.get("/deployments/{deployment_id}", response_model=DeploymentResponse)
async def get_deployment(deployment_id: int) -> DeploymentResponse: ...
"""


def test_the_members_of_a_union_alias_are_used_where_the_alias_is() -> None:
    # Nested in a response through the alias: value objects.
    project = {"app/schemas/schedule.py": SCHEDULES, "app/api/deployments.py": DEPLOYMENT_ROUTES}
    assert lint_project(project, select=("CL602",)) == []
    # What a route answers through the alias of a discriminated union: its variants, named for their kind.
    routes = DEPLOYMENT_ROUTES.replace("import DeploymentResponse", "import AnySchedule, DeploymentResponse")
    routes += '\n\n@router.get("/schedules/{schedule_id}", response_model=AnySchedule)\nasync def get_schedule() -> None: ...\n'
    assert lint_project({**project, "app/api/deployments.py": routes}, select=("CL602",)) == []
    # A union without a discriminator: its members are what the route answers.
    plain = SCHEDULES.replace(', Field(discriminator="kind")', ", Field(description='when')")
    project = {"app/schemas/schedule.py": plain, "app/api/deployments.py": routes}
    assert [line for _, _, line in lint_project(project, select=("CL602",))] == [6, 10]
    # A variant a route names itself.
    named = routes.replace("response_model=AnySchedule", "response_model=CronSchedule").replace(
        "import AnySchedule,", "import CronSchedule,"
    )
    project = {"app/schemas/schedule.py": SCHEDULES, "app/api/deployments.py": named}
    assert [line for _, _, line in lint_project(project, select=("CL602",))] == [6]


def test_a_route_s_own_module_imports_count_but_a_client_s_copies_are_not_named() -> None:
    # FlowRunFilter, used nowhere, in a module whose classes only the client imports: a client's copy.
    copies = "from pydantic import BaseModel\n\n\nclass FlowRun(BaseModel):\n    id: int\n\n\nclass FlowRunFilter(BaseModel):\n    id: int\n"
    client = "from app.client.schemas import FlowRun\n\n\nasync def read_flow_run() -> FlowRun: ...\n"
    project = {**PROJECT, "app/client/schemas.py": copies, "app/client/api.py": client}
    assert [path for path, _, _ in lint_project(project, select=("CL602",))] == ["app/schemas/flow.py"] * 2
    # A module with routes imports from it too: both are the API's.
    project["app/api/flows.py"] = FLOW_ROUTES + "\nfrom app.client.schemas import FlowRun\n"
    found = [(path, line) for path, _, line in lint_project(project, select=("CL602",))]
    assert found[:2] == [("app/client/schemas.py", 4), ("app/client/schemas.py", 8)]


def test_a_base_no_route_names_may_end_in_base_model() -> None:
    # FilterBaseModel, the base of a body a route takes; FlowBaseModel, a body itself.
    routes = FLOW_ROUTES.replace("/flows/filter", "/flows")
    schemas = FLOW_SCHEMAS + "\n\nclass FlowBaseModel(BaseModel):\n    name: str\n"
    routes += '\n\n@router.put("/flows/{name}")\nasync def update_flow(flow: schemas.FlowBaseModel) -> None: ...\n'
    project = {**PROJECT, "app/schemas/flow.py": schemas, "app/api/flows.py": routes}
    assert [line for _, _, line in lint_project(project, select=("CL602",))] == [12, 20, 29, 33]


# CL403: responses no mapped class of the project could fill.

MODELS = """
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    body: Mapped[str]
    user_id: Mapped[int]
"""
RESPONSES = """
from pydantic import BaseModel


class NoteResponse(BaseModel):
    id: int
    title: str
    body: str
    is_pinned: bool


class TokenResponse(BaseModel):
    access_token: str
    token_type: str
    expires_in: int


class NoteStatsResponse(BaseModel):
    id: int
    total_notes: int
    total_words: int


class NoteHistoryResponse(BaseModel):
    title: str
    history: list[int]
"""


def test_a_response_no_mapped_class_mostly_fills_is_not_asked_for_from_attributes() -> None:
    # NoteResponse: three of its four fields are Note's columns. TokenResponse: none are; NoteStatsResponse: one of
    # three; NoteHistoryResponse: one of two (its history is computed).
    project = {"app/models/note.py": MODELS, "app/schemas/note.py": RESPONSES}
    assert lint_project(project, select=("CL403",)) == [("app/schemas/note.py", "CL403", 4)]
    # Without mapped classes the project says nothing of what a response is built from: every one is checked.
    assert [line for _, _, line in lint_project({"app/schemas/note.py": RESPONSES}, select=("CL403",))] == [
        4,
        11,
        17,
        23,
    ]
    # Nor with a mapped class whose mixin comes from another package: it may add any column.
    mixed = MODELS.replace("class Note(Base):", "from audit import AuditMixin\n\n\nclass Note(Base, AuditMixin):")
    project = {"app/models/note.py": mixed, "app/schemas/note.py": RESPONSES}
    assert [line for _, _, line in lint_project(project, select=("CL403",))] == [4, 11, 17, 23]


NOTE_ROUTES = """
from fastapi import APIRouter

from app.schemas.note import NoteResponse

router = APIRouter()


@router.get("/notes/{note_id}", response_model=NoteResponse)
async def get_note(note_id: int): ...
"""
SYNC = """
from pydantic import BaseModel

from app.schemas.note import NoteSyncResponse


class SyncMessage(BaseModel):
    note: NoteSyncResponse
"""


def test_a_response_no_route_exchanges_even_nested_is_not_asked_for_from_attributes() -> None:
    # NoteSyncResponse: Note's columns, but only a message sent where no route is nests it (another service's).
    project = {
        "app/models/note.py": MODELS,
        "app/schemas/note.py": RESPONSES + "\n\nclass NoteSyncResponse(BaseModel):\n    id: int\n    title: str\n",
        "app/api/notes.py": NOTE_ROUTES,
        "app/sync.py": SYNC,
    }
    assert lint_project(project, select=("CL403",)) == [("app/schemas/note.py", "CL403", 4)]
    # Nested in what a route answers, it is built from the ORM object's relationship: checked.
    nested = RESPONSES.replace("    is_pinned: bool", "    is_pinned: bool\n    sync: NoteSyncResponse | None = None")
    project["app/schemas/note.py"] = nested + "\n\nclass NoteSyncResponse(BaseModel):\n    id: int\n    title: str\n"
    assert lint_project(project, select=("CL403",)) == [
        ("app/schemas/note.py", "CL403", 4),
        ("app/schemas/note.py", "CL403", 29),
    ]
    # Used nowhere: nothing says it is not an answer.
    del project["app/sync.py"]
    project["app/schemas/note.py"] = RESPONSES + "\n\nclass NoteSyncResponse(BaseModel):\n    id: int\n    title: str\n"
    assert lint_project(project, select=("CL403",)) == [
        ("app/schemas/note.py", "CL403", 4),
        ("app/schemas/note.py", "CL403", 28),
    ]


def test_a_union_a_route_spells_without_importing_it_stands_for_its_members() -> None:
    plain = SCHEDULES.replace(', Field(discriminator="kind")', ", Field(description='when')")
    routes = DEPLOYMENT_ROUTES.replace(
        "from app.schemas.schedule import DeploymentResponse", "from app.schemas import schedule"
    )
    routes = routes.replace("response_model=DeploymentResponse", "response_model=schedule.AnySchedule")
    routes = routes.replace("-> DeploymentResponse", "-> schedule.AnySchedule")
    project = {"app/schemas/schedule.py": plain, "app/api/deployments.py": routes}
    assert [line for _, _, line in lint_project(project, select=("CL602",))] == [6, 10]


BUILDING_ROUTES = """
from fastapi import APIRouter

from app.schemas.note import NoteResponse

router = APIRouter()


@router.get("/notes/{note_id}", response_model=NoteResponse)
async def get_note(note_id: int):
    if note_id < 0:
        raise ValueError(note_id)
    return NoteResponse(id=note_id, title="", body="", is_pinned=False)


@router.post("/notes", response_model=NoteResponse, status_code=201)
async def create_note(
    title: str,
) -> NoteResponse:
    # Built from the values the route holds, never from the ORM object.
    return NoteResponse(id=1, title=title, body="", is_pinned=False)
"""


def test_a_response_every_route_builds_in_place_is_not_asked_for_from_attributes() -> None:
    project = {"app/models/note.py": MODELS, "app/schemas/note.py": RESPONSES, "app/api/notes.py": BUILDING_ROUTES}
    assert lint_project(project, select=("CL403",)) == []
    # Another route returns what it loaded: FastAPI builds the response from that object.
    loading = (
        BUILDING_ROUTES
        + '\n\n@router.get("/notes", response_model=NoteResponse)\nasync def get_first():\n    note = await load()\n    return note\n'
    )
    assert lint_project({**project, "app/api/notes.py": loading}, select=("CL403",)) == [
        ("app/schemas/note.py", "CL403", 4)
    ]
    # The project validates it from an object elsewhere.
    service = "from app.schemas.note import NoteResponse\n\n\ndef to_response(note):\n    return NoteResponse.model_validate(note)\n"
    assert lint_project({**project, "app/services/note.py": service}, select=("CL403",)) == [
        ("app/schemas/note.py", "CL403", 4)
    ]
    # Another model nests it: built from that model's source, an ORM object's relationship maybe.
    nesting = RESPONSES + "\n\nclass NoteListResponse(BaseModel):\n    notes: list[NoteResponse]\n"
    found = lint_project({**project, "app/schemas/note.py": nesting}, select=("CL403",))
    assert ("app/schemas/note.py", "CL403", 4) in found


def test_a_base_is_asked_for_the_configured_suffixes_only() -> None:
    schemas = FLOW_SCHEMAS.replace("class FilterBaseModel(BaseModel)", "class FilterParent(BaseModel)").replace(
        "(FilterBaseModel)", "(FilterParent)"
    )
    routes = FLOW_ROUTES.replace("/flows/filter", "/flows")
    files = {**PROJECT, "app/schemas/flow.py": schemas, "app/api/flows.py": routes}
    settings = settings_from_section({"select": ["CL602"]}, Path("/project"), "test settings")
    diagnostics = lint_sources({path: dedent_source(code) for path, code in files.items()}, settings)
    assert diagnostics[0].message == (
        "Name the schema `FilterParent` with one of the suffixes `Base`, `Create`, `Update`, `Response`, `InDB`"
    )
