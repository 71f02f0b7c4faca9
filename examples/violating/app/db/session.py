from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from app.core.config import settings

REPLICA_URL = "postgresql://blog:hunter2@replica.internal/blog"

engine = create_engine(settings.DATABASE_URL)
SessionLocal = sessionmaker(bind=engine)


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()
