"""Field reports X4 (Annotated id aliases), X6 and X7 (revisions wherever they live), fixes F8."""

from __future__ import annotations

from tests.helpers import project_tree, read_tree, run_tree
from tests.project_model.helpers import lint_project

TYPES = """
import uuid
from typing import Annotated

from pydantic import Field

PrimaryKey = Annotated[int, Field(gt=0, lt=2147483647)]
EntityId = Annotated[uuid.UUID, Field(description="id")]
"""
ITEM_SCHEMAS = """
from fastapi import APIRouter
from pydantic import BaseModel

from shop.core.types import EntityId, PrimaryKey

router = APIRouter()


class ItemResponse(BaseModel):
    id: PrimaryKey
    owner_id: EntityId


@router.get("/items/{item_id}", response_model=ItemResponse)
async def get_item(item_id: PrimaryKey) -> ItemResponse: ...


@router.get("/owners/{owner_id}", response_model=ItemResponse)
async def get_owner(owner_id: EntityId | None) -> ItemResponse: ...
"""


def test_an_annotated_alias_of_int_is_an_integer_id_in_schemas_and_path_parameters() -> None:
    files = {"shop/core/types.py": TYPES, "shop/items/schemas.py": ITEM_SCHEMAS}
    assert lint_project(files, select=("CL203", "CL204")) == [
        ("shop/items/schemas.py", "CL203", 10),
        ("shop/items/schemas.py", "CL204", 15),
    ]


def test_an_alias_in_the_same_file_counts_too() -> None:
    source = TYPES + ITEM_SCHEMAS.replace("from shop.core.types import EntityId, PrimaryKey\n", "")
    assert [code for _, code, _ in lint_project({"shop/items/schemas.py": source}, select=("CL203", "CL204"))] == [
        "CL203",
        "CL204",
    ]


def test_an_alias_is_reported_without_a_fix_since_retyping_it_is_the_projects_decision() -> None:
    files = {"shop/core/types.py": TYPES, "shop/items/schemas.py": ITEM_SCHEMAS}
    with project_tree(files, select=("CL203", "CL204")) as root:
        result = run_tree(root, fix=True, unsafe=True)
        assert read_tree(root, files) == {path: code.lstrip("\n") for path, code in files.items()}
    messages = sorted(d.message for d in result.diagnostics)
    assert messages == [
        "Type `id` as `UUID`, not `int` (`PrimaryKey` stands for `int`)",
        "Type path parameter `item_id` as `UUID`, not `int` (`PrimaryKey` stands for `int`)",
    ]
    assert all(d.fix is None for d in result.diagnostics)


REVISION = """
from alembic import op
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base
revision = "9b1e7c2d4a10"
down_revision = "3f2a9c1d7e4b"
Base = declarative_base()
class Member(Base):            # frozen copy of the model at this revision
    __tablename__ = "member"
    id = Column(Integer, primary_key=True)
    nickname = Column(String)
def upgrade():
    op.add_column("member", Column("nickname", String))
    session = Session(bind=op.get_bind())
    for m in session.query(Member).filter(Member.nickname.is_(None)):
        m.nickname = "?"
    session.commit()
def downgrade():
    pass
"""
REVISION_PATH = "app/database/revisions/core/versions/2023-03-01_9b1e7c2d4a10.py"
ENV = """
from alembic import context
from sqlalchemy import engine_from_config, pool


def run_migrations_online():
    connectable = engine_from_config(context.config.get_section("alembic"), poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
"""


def test_a_revision_outside_alembic_versions_gets_the_migration_rules_only() -> None:
    # A backfill is hand-written by necessity (not CL802); the column it adds is not undone (CL803).
    assert lint_project({REVISION_PATH: REVISION}, select=("ALL",)) == [(REVISION_PATH, "CL803", 17)]


def test_alembic_env_gets_no_async_database_rules_and_no_fixes() -> None:
    env = ENV + 'engine = create_engine(os.environ["DATABASE_URL"])\n'
    env = env.replace(
        "from sqlalchemy import engine_from_config, pool",
        "import os\n\nfrom sqlalchemy import create_engine, engine_from_config, pool",
    )
    assert lint_project({"app/database/revisions/core/env.py": env}, select=("CL504", "CL503", "CL703")) == [
        ("app/database/revisions/core/env.py", "CL703", 13)
    ]
    with project_tree({"migrations/env.py": env}, select=("ALL",)) as root:
        run_tree(root, fix=True, unsafe=True)
        assert read_tree(root, ["migrations/env.py"]) == {"migrations/env.py": env.lstrip("\n")}


def test_neither_a_revision_nor_env_py_is_fixed() -> None:
    files = {REVISION_PATH: REVISION, "app/database/revisions/core/env.py": ENV}
    with project_tree(files, select=("ALL",)) as root:
        run_tree(root, fix=True, unsafe=True)
        assert read_tree(root, files) == {path: code.lstrip("\n") for path, code in files.items()}


def test_a_module_that_only_mentions_revisions_is_no_revision() -> None:
    source = 'revision = "abc"\n\n\ndef upgrade(session):\n    session.query(User).all()\n'
    assert lint_project({"app/services/upgrade_service.py": source}, select=("CL505",)) == [
        ("app/services/upgrade_service.py", "CL505", 5)
    ]


MODELS = """
import uuid

from sqlalchemy import ForeignKey, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base


class Incident(Base):
    __tablename__ = "incident"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    notes: Mapped[list["Note"]] = relationship("Note", back_populates="incidnet")


class Note(Base):
    __tablename__ = "note"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    incident_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("incident.id"))
    incident: Mapped["Incident"] = relationship("Incident", back_populates="notes")
"""
FROZEN_COPY = """
import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import declarative_base, relationship

revision = "0042"
down_revision = "0041"
Base = declarative_base()


class Note(Base):
    __tablename__ = "note"
    id = sa.Column(sa.Integer, primary_key=True)
    incidnet = relationship("Incident")


def upgrade():
    op.add_column("note", sa.Column("x", sa.Integer()))


def downgrade():
    op.drop_column("note", "x")
"""


def test_a_frozen_copy_of_a_model_in_a_revision_does_not_hide_a_mismatch() -> None:
    files = {"app/models/incident.py": MODELS, "app/db/migrations/0042_note_x.py": FROZEN_COPY}
    mismatch = [("app/models/incident.py", "CL103", 12), ("app/models/incident.py", "CL103", 19)]
    assert lint_project({"app/models/incident.py": MODELS}, select=("CL103",)) == mismatch
    assert lint_project(files, select=("CL103",)) == mismatch


def test_a_type_statement_alias_in_another_module_is_read_whatever_the_interpreter() -> None:
    files = {
        "shop/core/types.py": "from typing import Annotated\n\ntype PrimaryKey = Annotated[int, 'positive']\n",
        "shop/items/schemas.py": ITEM_SCHEMAS.replace("EntityId, PrimaryKey", "PrimaryKey").replace(
            "    owner_id: EntityId\n", ""
        ),
    }
    assert [(code, line) for _, code, line in lint_project(files, select=("CL203",))] == [("CL203", 10)]
