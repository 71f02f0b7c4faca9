"""CL103 on real code (ecosystem check, issue 15): a relationship's target is the class SQLAlchemy
resolves, read through the file's imports and the project model, or from its `Mapped[...]` annotation."""

from __future__ import annotations

from pathlib import Path

import pytest

from conventions_lint.config import settings_from_section
from conventions_lint.runner import lint_sources
from tests.helpers import dedent_source
from tests.project_model.helpers import lint_project

TASK_INSTANCE = """
from sqlalchemy.orm import relationship

from app.db.base import Base


class TaskInstance(Base):
    __tablename__ = "task_instance"
    dag_run = relationship("DagRun", back_populates="task_instances", lazy="joined")
"""

DAG_RUN = """
from sqlalchemy.orm import relationship

from app.db.base import Base
{imported}


class DagRun(Base):
    __tablename__ = "dag_run"
    task_instances = relationship(TI, back_populates="dag_run")
"""


@pytest.mark.parametrize(
    ("imported", "others"),
    [
        # apache-airflow-core's airflow/models/dagrun.py.
        ("from app.models.taskinstance import TaskInstance as TI", {}),
        ("from .taskinstance import TaskInstance as TI", {}),
        ("from app.models.taskinstance import TaskInstance\n\nTI = TaskInstance", {}),
        # A re-export in the package's __init__.py, imported under another name.
        ("from app.models import TaskInstance as TI", {"app/models/__init__.py": "from .taskinstance import *\n"}),
        ("from app.models import TI", {"app/models/__init__.py": "from .taskinstance import TaskInstance as TI\n"}),
    ],
)
def test_a_target_imported_under_another_name_is_the_class_it_names(imported: str, others: dict[str, str]) -> None:
    files = {
        "app/models/taskinstance.py": TASK_INSTANCE,
        "app/models/dagrun.py": DAG_RUN.format(imported=imported),
        **others,
    }
    assert lint_project(files, select=("CL103",)) == []


def test_an_alias_of_another_class_is_still_a_mismatch() -> None:
    files = {
        "app/models/taskinstance.py": TASK_INSTANCE + '\n\nclass TaskReschedule(Base):\n    __tablename__ = "tr"\n',
        "app/models/dagrun.py": DAG_RUN.format(imported="from app.models.taskinstance import TaskReschedule as TI"),
    }
    # TaskReschedule has no `dag_run`, and TaskInstance.dag_run's other side points at TaskReschedule.
    assert lint_project(files, select=("CL103",)) == [
        ("app/models/dagrun.py", "CL103", 9),
        ("app/models/taskinstance.py", "CL103", 8),
    ]


FLOW = """
from typing import Optional, Union
import typing

from sqlalchemy.orm import DynamicMapped, Mapped, WriteOnlyMapped, relationship

from app.db.base import Base
from app.models.deployment import Deployment as Dep


class Flow(Base):
    __tablename__ = "flow"
    deployments: {annotation} = relationship(back_populates="flow")
"""

DEPLOYMENT = """
from sqlalchemy.orm import Mapped, relationship

from app.db.base import Base


class Deployment(Base):
    __tablename__ = "deployment"
    flow: Mapped["Flow"] = relationship("Flow", back_populates="deployments", lazy="raise")
"""


@pytest.mark.parametrize(
    "annotation",
    [
        # prefect's prefect/server/database/orm_models.py.
        'Mapped[list["Deployment"]]',
        'Mapped["Deployment"]',
        'Mapped[Optional["Deployment"]]',
        "Mapped[Deployment | None]",
        "Mapped[set[Deployment]]",
        'Mapped[typing.List["Deployment"]]',
        'Mapped["list[Deployment]"]',
        'Mapped["Deployment | None"]',
        'Mapped[Union["Deployment", None]]',
        'Mapped[dict[str, "Deployment"]]',
        "Mapped[Dep]",
        'Mapped[list["Dep"]]',
        # arize-phoenix's phoenix/db/models.py.
        'WriteOnlyMapped[list["Deployment"]]',
        'DynamicMapped["Deployment"]',
    ],
)
def test_a_relationship_without_a_class_argument_targets_its_annotations_class(annotation: str) -> None:
    files = {
        "app/models/flow.py": FLOW.format(annotation=annotation),
        "app/models/deployment.py": DEPLOYMENT,
    }
    assert lint_project(files, select=("CL103",)) == []


def test_an_annotation_naming_another_class_is_still_a_mismatch() -> None:
    files = {
        "app/models/flow.py": FLOW.format(annotation='WriteOnlyMapped[list["Flow"]]'),
        "app/models/deployment.py": DEPLOYMENT,
    }
    assert lint_project(files, select=("CL103",)) == [
        ("app/models/deployment.py", "CL103", 8),
        ("app/models/flow.py", "CL103", 12),
    ]


def test_a_target_that_cannot_be_read_is_not_a_mismatch() -> None:
    """Say nothing rather than "points to `None`" when the other side's class is not known."""
    files = {
        "app/models/flow.py": FLOW.format(annotation="Mapped[Any]").replace(
            "relationship(back_populates", "relationship(target_of('deployment'), back_populates"
        ),
        "app/models/deployment.py": DEPLOYMENT,
    }
    assert lint_project(files, select=("CL103",)) == []


def test_a_second_relationship_naming_a_paired_side_is_told_to_drop_back_populates() -> None:
    """argilla's `Record.responses_submitted`: viewonly, with `back_populates="record"` while `Response.record`
    pairs with `Record.responses`; SQLAlchemy then sets `Response.record`'s `sync_backref=False`."""
    source = """
    from sqlalchemy.orm import Mapped, relationship


    class Record(Base):
        __tablename__ = "records"
        responses: Mapped[list["Response"]] = relationship(back_populates="record")
        responses_submitted: Mapped[list["Response"]] = relationship(back_populates="record", viewonly=True)


    class Response(Base):
        __tablename__ = "responses"
        record: Mapped["Record"] = relationship(back_populates="responses")
    """
    configured = settings_from_section({"select": ["CL103"]}, Path("/project"), "test")
    [finding] = lint_sources({"app/models/record.py": dedent_source(source)}, configured)
    assert (finding.span.start.row, finding.message) == (
        7,
        '`Record.responses_submitted` has `back_populates="record"`, but `Response.record` pairs with '
        "`Record.responses`; remove this `back_populates`: a second reverse side turns off their in-memory sync "
        "(app/models/record.py:12:45)",
    )
