from pydantic import Field

from ..core.types import EntityId
from .base import AppSchemaBase


class BasketCreate(AppSchemaBase):
    owner: str = Field(..., max_length=255)


class BasketResponse(AppSchemaBase):
    id: EntityId
    owner: str
