# Import all models here so Alembic autogenerate can see them.
from app.db.base_class import Base
from app.models.post import Post
from app.models.user import User

__all__ = ["Base", "Post", "User"]
