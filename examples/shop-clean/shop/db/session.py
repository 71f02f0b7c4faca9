from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from shop.core.config import settings

engine = create_async_engine(settings.database_url)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
DbSession = AsyncSession


async def get_db() -> AsyncIterator[DbSession]:
    async with SessionLocal() as session:
        yield session
