from fastapi import Depends

from shop.core.types import PrimaryKey
from shop.db.session import SyncSession, get_db
from shop.routing import APIRouter
from shop.schemas.basket import BasketCreate, BasketState
from shop.services.basket_service import create_basket_service, get_baskets_service

router = APIRouter(prefix="/baskets", tags=["baskets"])


@router.get("")
async def list_baskets(skip: int = 0, limit: int = 100, db: SyncSession = Depends(get_db)) -> list[BasketState]:
    return [BasketState.model_validate(basket) for basket in get_baskets_service(db, skip, limit)]


@router.get("/{basket_id}/lines")
async def get_basket_lines(basket_id: PrimaryKey, db: SyncSession = Depends(get_db)) -> list[dict]:
    return []


@router.post("")
async def add_basket(basket_create: BasketCreate, db: SyncSession = Depends(get_db)) -> BasketState:
    return BasketState.model_validate(create_basket_service(db, basket_create))
