"""Field reports X5 and X9: relationships in `@declared_attr`, bases, mixins and column types of the app's own."""

from __future__ import annotations

from tests.project_model.helpers import lint_project

BASKETS = """
import uuid

from sqlalchemy import ForeignKey, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.db.base import Base


class Basket(Base):
    __tablename__ = "baskets"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    lines: Mapped[list["BasketLine"]] = relationship("BasketLine", back_populates="basket")


class BasketLine(Base):
    __tablename__ = "basket_lines"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    basket_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("baskets.id"))

    @declared_attr
    def basket(cls) -> Mapped["Basket"]:
        return relationship("Basket", back_populates="lines")
"""


def test_a_relationship_declared_with_declared_attr_is_a_relationship() -> None:
    assert lint_project({"app/models/basket.py": BASKETS}, select=("CL103",)) == []


def test_a_mismatch_declared_with_declared_attr_is_reported() -> None:
    source = BASKETS.replace(
        'relationship("Basket", back_populates="lines")', 'relationship("Basket", back_populates="linez")'
    )
    assert lint_project({"app/models/basket.py": source}, select=("CL103",)) == [
        ("app/models/basket.py", "CL103", 12),
        ("app/models/basket.py", "CL103", 22),
    ]


DB_BASE = """
from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {str: String(255)}


class RecordModel(Base):
    __abstract__ = True
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    modified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), onupdate=func.now())
"""
MIXINS = """
from datetime import datetime

from sqlalchemy import DateTime, func
from sqlalchemy.orm import Mapped, mapped_column


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class SoftDeleteMixin:
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
"""
TYPES = """
from sqlalchemy import String, TypeDecorator, Unicode


class StrEnumType(TypeDecorator):
    impl = Unicode
    cache_ok = True


class CodeType(TypeDecorator):
    impl = String(32)
    cache_ok = True
"""
MODELS = """
import uuid

from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, RecordModel
from app.models.mixins import SoftDeleteMixin, TimestampMixin
from app.models.types import CodeType, StrEnumType


class Record(RecordModel):
    __tablename__ = "records"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str]


class Stamped(Base, TimestampMixin):
    __tablename__ = "stamped"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(StrEnumType)
    code: Mapped[str] = mapped_column(CodeType)


class Deletable(Base, SoftDeleteMixin):
    __tablename__ = "deletable"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
"""
FILES = {
    "app/db/base.py": DB_BASE,
    "app/models/mixins.py": MIXINS,
    "app/models/types.py": TYPES,
    "app/models/records.py": MODELS,
}


def test_a_base_or_mixin_of_the_project_is_followed_for_the_timestamps_it_has() -> None:
    assert lint_project(FILES, select=("CL104",)) == [
        ("app/models/records.py", "CL104", 11),
        ("app/models/records.py", "CL104", 24),
    ]


def test_a_mixin_from_outside_the_project_is_trusted() -> None:
    files = {**FILES, "app/models/records.py": MODELS.replace("app.models.mixins", "vendor.mixins")}
    assert lint_project(files, select=("CL104",)) == [("app/models/records.py", "CL104", 11)]


def test_a_type_decorator_without_a_length_and_a_type_annotation_map_elsewhere_count_for_cl401() -> None:
    assert lint_project(FILES, select=("CL401",)) == [("app/models/records.py", "CL401", 20)]


def test_without_the_map_a_bare_mapped_str_is_unbounded() -> None:
    files = {**FILES, "app/db/base.py": DB_BASE.replace("    type_annotation_map = {str: String(255)}\n", "    pass\n")}
    assert lint_project(files, select=("CL401",)) == [
        ("app/models/records.py", "CL401", 14),
        ("app/models/records.py", "CL401", 20),
    ]


def test_a_relationship_without_a_class_argument_targets_its_annotations_class() -> None:
    source = """
    from typing import Optional

    from sqlalchemy.orm import Mapped, relationship


    class Span(Base):
        __tablename__ = "spans"
        span_cost: Mapped[Optional["SpanCost"]] = relationship(back_populates="span")
        events: Mapped[list["Event"]] = relationship(back_populates="span")


    class SpanCost(Base):
        __tablename__ = "span_costs"
        span: Mapped["Span"] = relationship("Span", back_populates="span_cost")


    class Event(Base):
        __tablename__ = "events"
        span: Mapped["Span"] = relationship(back_populates="events")
        other: Mapped["Span"] = relationship(back_populates="missing")
    """
    assert lint_project({"app/models/spans.py": source}, select=("CL103",)) == [("app/models/spans.py", "CL103", 20)]
