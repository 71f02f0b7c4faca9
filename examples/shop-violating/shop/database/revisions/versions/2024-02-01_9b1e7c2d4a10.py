"""add basket owners

Revision ID: 9b1e7c2d4a10
Revises: 1a2b3c4d5e6f
"""

from alembic import op
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

revision = "9b1e7c2d4a10"
down_revision = "1a2b3c4d5e6f"
Base = declarative_base()


class Basket(Base):  # frozen copy of the model at this revision
    __tablename__ = "baskets"
    id = Column(Integer, primary_key=True)
    owner = Column(String)


def upgrade():
    op.add_column(Basket.__tablename__, Column("owner", String))


def downgrade():
    pass
