from pydantic import BaseModel


class PostResponse(BaseModel):
    id: int
    author_id: int
    title: str


class PostCreate(BaseModel):
    title: str

    class Config:
        orm_mode = True
