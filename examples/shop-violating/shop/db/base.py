# Import all models here so Alembic autogenerate can see them.
from shop.db.base_class import Base
from shop.models.basket import Basket, BasketLine, Coupon

__all__ = ["Base", "Basket", "BasketLine", "Coupon"]
