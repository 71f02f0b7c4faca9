import uuid

from sqlalchemy import select

from shop.db.session import DbSession
from shop.models.basket import Basket
from shop.schemas.basket import BasketCreate


async def get_baskets_service(db: DbSession, skip: int, limit: int) -> list[Basket]:
    result = await db.execute(select(Basket).offset(skip).limit(limit))
    return list(result.scalars())


async def get_basket_service(db: DbSession, basket_id: uuid.UUID) -> Basket | None:
    return await db.get(Basket, basket_id)


async def create_basket_service(db: DbSession, basket_create: BasketCreate) -> Basket:
    basket = Basket(**basket_create.model_dump())
    db.add(basket)
    await db.commit()
    await db.refresh(basket)
    return basket
