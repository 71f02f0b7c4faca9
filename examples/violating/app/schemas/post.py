from pydantic import BaseModel, ConfigDict


class PostResponse(BaseModel):
    id: int
    author_id: int
    title: str

    model_config = ConfigDict(from_attributes=True)
