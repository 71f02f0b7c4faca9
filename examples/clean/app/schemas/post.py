from uuid import UUID

from pydantic import BaseModel, ConfigDict


class PostResponse(BaseModel):
    id: UUID
    author_id: UUID
    title: str

    model_config = ConfigDict(from_attributes=True)
