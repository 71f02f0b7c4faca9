from sqlalchemy import select

from shop.db.session import SyncSession
from shop.models.basket import Basket
from shop.schemas.basket import BasketCreate


def get_baskets_service(db: SyncSession, skip: int, limit: int) -> list[Basket]:
    return list(db.execute(select(Basket).offset(skip).limit(limit)).scalars())


def create_basket_service(db: SyncSession, basket_create: BasketCreate) -> Basket:
    basket = Basket(**basket_create.model_dump())
    db.add(basket)
    db.commit()
    return basket
