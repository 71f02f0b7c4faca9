from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User
from app.schemas.user import UserCreate, UserUpdate


async def get_user_service(db: AsyncSession, user_id: UUID) -> User | None:
    return await db.get(User, user_id)


async def get_users_service(db: AsyncSession, skip: int, limit: int) -> list[User]:
    result = await db.execute(select(User).offset(skip).limit(limit))
    return list(result.scalars())


async def create_user_service(db: AsyncSession, user_create: UserCreate) -> User:
    user = User(**user_create.model_dump())
    db.add(user)
    await db.commit()
    await db.refresh(user)
    return user


async def update_user_service(db: AsyncSession, user: User, user_update: UserUpdate) -> User:
    for field, value in user_update.model_dump(exclude_unset=True).items():
        setattr(user, field, value)
    await db.commit()
    await db.refresh(user)
    return user


async def delete_user_service(db: AsyncSession, user: User) -> None:
    await db.delete(user)
    await db.commit()


def _normalise_email(email: str) -> str:
    return email.strip().lower()
