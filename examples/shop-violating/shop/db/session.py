from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import Session as SyncSession
from sqlalchemy.orm import sessionmaker

from shop.core.config import settings

engine = create_engine(settings.database_url)
SessionLocal = sessionmaker(bind=engine)

__all__ = ["SessionLocal", "SyncSession", "get_db"]


def get_db() -> Iterator[SyncSession]:
    with SessionLocal() as session:
        yield session
