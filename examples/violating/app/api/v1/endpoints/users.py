from uuid import UUID

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import SessionLocal, get_db
from app.schemas.user import UserCreate, UserResponse
from app.services.user_service import create_user_service, get_users_service

router = APIRouter()


@router.get("/users/{user_id}", response_model=UserResponse)
async def read_user(user_id: int, db: AsyncSession = Depends(get_db)) -> UserResponse:
    ...


@router.get("/users")
async def get_user(db: AsyncSession = Depends(get_db)) -> list[UserResponse]:
    return await get_users_service(db)


@router.post("/users", response_model=UserResponse, status_code=201)
async def create_user(user_create: UserCreate, db: AsyncSession = Depends(get_db)) -> UserResponse:
    return await create_user_service(db, user_create)


@router.delete("/users/{user_id}", status_code=204)
async def remove_user(user_id: int, db: AsyncSession = Depends(get_db)) -> None:
    ...


@router.post("/users/{user_id}/activation", response_model=UserResponse)
async def create_user_activation(user_id: UUID, note) -> UserResponse:
    db = SessionLocal()
    ...
