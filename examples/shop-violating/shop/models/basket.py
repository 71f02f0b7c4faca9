import uuid
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from shop.db.base_class import Base
from shop.models.mixins import SoftDeleteMixin, TimestampMixin
from shop.models.types import StrEnumType

if TYPE_CHECKING:
    from shop.models.basket import BasketLine


class Basket(TimestampMixin, Base):
    __tablename__ = "baskets"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    owner: Mapped[str]

    lines: Mapped[list["BasketLine"]] = relationship("BasketLine", back_populates="basket")


class BasketLine(TimestampMixin, Base):
    __tablename__ = "basket_lines"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    basket_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("baskets.id"))
    product: Mapped[str]
    status: Mapped[str] = mapped_column(StrEnumType)

    @declared_attr
    def basket(cls) -> Mapped["Basket"]:
        return relationship("Basket", back_populates="linez")


class Coupon(SoftDeleteMixin, Base):
    __tablename__ = "coupons"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str]
