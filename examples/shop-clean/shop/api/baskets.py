from fastapi import Depends, HTTPException, status

from shop.core.types import EntityId
from shop.db.session import DbSession, get_db
from shop.routing import APIRouter
from shop.schemas.basket import BasketCreate, BasketResponse
from shop.services.basket_service import create_basket_service, get_basket_service, get_baskets_service

router = APIRouter(prefix="/baskets", tags=["baskets"])


@router.get("", response_model=list[BasketResponse])
async def get_baskets(skip: int = 0, limit: int = 100, db: DbSession = Depends(get_db)) -> list[BasketResponse]:
    baskets = await get_baskets_service(db, skip, limit)
    return [BasketResponse.model_validate(basket) for basket in baskets]


@router.get("/{basket_id}", response_model=BasketResponse)
async def get_basket(basket_id: EntityId, db: DbSession = Depends(get_db)) -> BasketResponse:
    basket = await get_basket_service(db, basket_id)
    if basket is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Basket not found")
    return BasketResponse.model_validate(basket)


@router.post("", response_model=BasketResponse, status_code=status.HTTP_201_CREATED)
async def create_basket(basket_create: BasketCreate, db: DbSession = Depends(get_db)) -> BasketResponse:
    return BasketResponse.model_validate(await create_basket_service(db, basket_create))
