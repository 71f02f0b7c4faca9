from ..core.types import PrimaryKey
from .base import AppSchemaBase


class BasketCreate(AppSchemaBase):
    owner: str


class BasketState(AppSchemaBase):
    id: PrimaryKey
    owner: str
