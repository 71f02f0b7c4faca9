from uuid import UUID

from fastapi import APIRouter

from app.schemas.post import PostResponse

router = APIRouter()


@router.get("/posts/{post_id}", response_model=PostResponse)
async def get_post(post_id: UUID) -> PostResponse:
    ...
