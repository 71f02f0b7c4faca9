# Import all models here so Alembic can see them.
from app.db.base_class import Base
from app.models.user import User

__all__ = ["Base", "User"]
