from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.models.user import User
from app.schemas.user import UserCreate


def find_user(db: Session, user_id: int) -> User | None:
    return db.query(User).filter(User.id == user_id).first()


async def create_user_service(db: AsyncSession, user_create: UserCreate) -> User:
    user = User(**user_create.model_dump())
    db.add(user)
    db.commit()
    await db.refresh(user)
    return user


async def get_users_service(db: Session) -> list[User]:
    result = db.execute(select(User))
    return list(result.scalars())


def normalise_email_service(email):
    return email.strip().lower()
