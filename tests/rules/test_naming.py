"""CL602 schema-class-suffix and CL603 service-function-suffix: names of schema classes and service functions."""

from __future__ import annotations

import pytest

from tests.helpers import fix_project, found, lint, project_tree, run_tree

# CL602 schema-class-suffix

SCHEMAS = """
from enum import Enum

from pydantic import BaseModel, RootModel

from app.schemas.base import BaseSchema


class Role(str, Enum):
    ADMIN = "admin"


class UserBase(BaseModel):
    email: str


class UserPublic(UserBase):
    id: str


class UserTags(RootModel):
    root: list[str]


class TeamSummary(BaseSchema):
    name: str


class Helper:
    pass
"""


def test_schema_suffixes() -> None:
    assert found(lint(SCHEMAS, path="app/schemas/user.py", select=("CL602",))) == [
        ("CL602", 16, 7),
        ("CL602", 20, 7),
        ("CL602", 24, 7),
    ]


def test_schema_suffixes_setting_replaces_the_list() -> None:
    diagnostics = lint(
        SCHEMAS, path="app/schemas/user.py", select=("CL602",), schema_suffixes=["Base", "Public", "Summary"]
    )
    assert found(diagnostics) == [("CL602", 20, 7)]
    assert diagnostics[0].message == "Name the schema `UserTags` with one of the suffixes `Base`, `Public`, `Summary`"


def test_subscripted_pydantic_bases_are_schemas() -> None:
    source = """
        from typing import Generic, TypeVar

        from pydantic import BaseModel, RootModel

        T = TypeVar("T")

        class UserTags(RootModel[list[str]]):
            pass

        class Page(BaseModel, Generic[T]):
            items: list[T]
    """
    assert found(lint(source, path="app/schemas/user.py", select=("CL602",))) == [("CL602", 7, 7), ("CL602", 10, 7)]


def test_schemas_outside_schemas_modules_are_not_checked() -> None:
    assert found(lint(SCHEMAS, path="app/api/endpoints/user.py", select=("CL602",))) == []
    assert found(lint(SCHEMAS, path="app/schemas.py", select=("CL602",))) == [
        ("CL602", 16, 7),
        ("CL602", 20, 7),
        ("CL602", 24, 7),
    ]


# CL603 service-function-suffix

SERVICE = """
import asyncio


def _hash(password: str) -> str:
    return password


async def create_user(db, payload):
    async def notify():
        ...
    return payload


def get_user_service(db, user_id):
    ...


class UserService:
    def get_user(self, user_id):
        ...


if True:
    def delete_user(db, user_id):
        ...
"""


@pytest.mark.parametrize(
    "source",
    [
        # prefect's docket tasks and event-recorder daemons (issue 15: noise on the ecosystem check).
        "from docket import Perpetual\n\nasync def monitor_late_runs(db, perpetual: Perpetual = Perpetual()):\n    ...\n",
        "import celery\n\nasync def send_digest(db):\n    ...\n",
        (
            "class TaskRunRecorder:\n    async def start(self):\n        ...\n\n    async def stop(self):\n"
            "        ...\n\n\nasync def record_task_run_event(db, event):\n    ...\n"
        ),
        # fief's posthog.py: helpers that are neither async nor take a session.
        (
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.models import Workspace\n\n\n"
            "def get_server_id() -> str:\n    ...\n\n\ndef get_workspace_properties(workspace) -> dict:\n    ...\n"
        ),
    ],
)
def test_daemons_and_helper_modules_under_services_are_not_the_service_layer(source: str) -> None:
    assert lint(source, path="app/services/worker.py", select=("CL603",)) == []


@pytest.mark.parametrize(
    "imported",
    ["from sqlalchemy import select", "from app.models import Pool", "from app.services.pools import BulkService"],
)
def test_a_sync_module_importing_the_database_or_models_is_the_service_layer(imported: str) -> None:
    # airflow's services/public/pools.py: update_orm_from_pydantic() beside a class whose methods take a session.
    source = f"""\
{imported}


def update_orm_from_pydantic(pool, body) -> None:
    ...


class PoolService:
    def handle(self, session: Session) -> None:
        ...
"""
    assert found(lint(source, path="app/services/pools.py", select=("CL603",))) == [("CL603", 4, 5)]


def test_a_sync_function_taking_a_session_makes_its_module_the_service_layer() -> None:
    source = """\
from sqlalchemy.orm import Session


def format_address(email) -> str:
    ...


def clear_dag_run(dag_run_id: int, s: Session) -> None:
    ...
"""
    assert found(lint(source, path="app/services/dag_run.py", select=("CL603",))) == [("CL603", 4, 5), ("CL603", 8, 5)]


def test_plain_functions_computing_on_plain_data_are_helpers_not_entry_points() -> None:
    # airflow's services/ui/dependencies.py (a graph walk), fief's dataclass converters; not a DagRun's note.
    source = """\
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class DagRun(Base):
    __tablename__ = "dag_run"
    id: Mapped[int] = mapped_column(primary_key=True)


@dataclass
class EmailDomainData:
    domain: str


def extract_connected_components(adjacency: dict[str, list[str]], depth: int | None = None) -> list[list[str]]:
    ...


def agg_state(states: "Counter[str]") -> str | None:
    ...


def domain_data_to_dict(data: EmailDomainData) -> dict:
    ...


def patch_dag_run_note(*, dag_run: DagRun, note: str | None) -> None:
    ...


def merge_nodes(current, node: dict) -> None:
    ...


def get_scheduling_dependencies(readable_dag_ids: set[str] | None = None) -> dict:
    from app.models.serialized_dag import SerializedDagModel

    return SerializedDagModel.get_dag_dependencies()


def count_runs(dag_ids: list[str]) -> int:
    return len(DagRun.find(dag_ids))


def clear_dag_run(dag_run_id: int, session: Session) -> None:
    ...
"""
    assert found(lint(source, path="app/services/dag_run.py", select=("CL603",))) == [
        ("CL603", 33, 5),
        ("CL603", 37, 5),
        ("CL603", 41, 5),
        ("CL603", 47, 5),
        ("CL603", 51, 5),
    ]


def test_public_module_level_functions_of_services() -> None:
    diagnostics = lint(SERVICE, path="app/services/user.py", select=("CL603",))
    assert found(diagnostics) == [("CL603", 8, 11), ("CL603", 24, 9)]
    assert diagnostics[0].message == (
        "Rename `create_user` to `create_user_service`: public service functions end in `_service`"
    )
    assert diagnostics[0].fix.message == "Rename `create_user` to `create_user_service`"
    assert diagnostics[0].fix.applicability.value == "unsafe"


SERVICE_WITH_REFERENCES = """\
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User


async def get_user(db: AsyncSession, user_id: str) -> User | None:
    return await db.scalar(sa.select(User).where(User.id == user_id))


async def get_user_or_404_service(db: AsyncSession, user_id: str) -> User:
    user = await get_user(db, user_id)
    if user is None:
        raise LookupError(get_user.__name__)
    return user


__all__ = ["get_user", "get_user_or_404_service"]
"""


def test_service_rename_is_unsafe_and_updates_references() -> None:
    path = "app/services/user_service.py"
    assert fix_project(SERVICE_WITH_REFERENCES, path=path, select=("CL603",)) == SERVICE_WITH_REFERENCES
    after = fix_project(SERVICE_WITH_REFERENCES, path=path, select=("CL603",), unsafe=True)
    # `__all__` names the module's bindings: left behind, `from ... import *` would fail on it.
    assert after == SERVICE_WITH_REFERENCES.replace("get_user(", "get_user_service(").replace(
        "get_user.__name__", "get_user_service.__name__"
    ).replace('"get_user",', '"get_user_service",')
    assert found(lint(after, path=path, select=("CL603",))) == []


def test_service_rename_keeps_crlf_and_respects_the_suffix_setting() -> None:
    source = SERVICE_WITH_REFERENCES.replace("\n", "\r\n")
    after = fix_project(
        source, path="app/services/user_service.py", select=("CL603",), unsafe=True, service_suffix="_svc"
    )
    assert "async def get_user_svc(db: AsyncSession, user_id: str) -> User | None:\r\n" in after
    assert "    user = await get_user_svc(db, user_id)\r\n" in after
    assert after.count("\n") == after.count("\r\n") == source.count("\n")


def test_no_service_rename_onto_an_existing_name() -> None:
    source = "def create_user(db):\n    ...\n\n\ndef create_user_service(db):\n    return create_user(db)\n"
    (diagnostic,) = lint(source, path="app/services/user.py", select=("CL603",))
    assert diagnostic.fix is None
    assert fix_project(source, path="app/services/user.py", select=("CL603",), unsafe=True) == source


def test_service_suffix_setting_and_role_by_file_name() -> None:
    source = "def get_user_svc(db, user_id):\n    ...\n\ndef get_user_service(db, user_id):\n    ...\n"
    assert found(lint(source, path="app/users/user_service.py", select=("CL603",), service_suffix="_svc")) == [
        ("CL603", 4, 5)
    ]
    assert found(lint(source, path="app/crud/user.py", select=("CL603",))) == []


def test_a_plain_function_only_its_own_module_uses_is_a_helper_of_the_module() -> None:
    # airflow's services/ui/grid.py agg_state(), fief's tenant_email_domain.py converters (issue 15: noise).
    service = """\
from app.models import EmailDomain


def agg_state(states):
    return max(states)


def to_model(data) -> EmailDomain:
    return EmailDomain(**data)


def to_route(data):
    return to_model(data)


def unused(data):
    ...


async def load(db, data):
    return agg_state(data)


def exported(data):
    ...


def in_all(data):
    return exported(data)


__all__ = ["in_all"]


class Domains:
    async def create(self, db, data):
        return to_model(data), in_all(data)
"""
    route = "from app.services.domains import to_route\n\n\nasync def read(data):\n    return to_route(data)\n"
    with project_tree({"app/services/domains.py": service, "app/api/routes.py": route}, select=("CL603",)) as root:
        diagnostics = run_tree(root).diagnostics
    assert found(diagnostics) == [("CL603", 12, 5), ("CL603", 16, 5), ("CL603", 20, 11), ("CL603", 28, 5)]
