from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class UserBase(BaseModel):
    email: str = Field(..., max_length=255)


class UserCreate(UserBase):
    full_name: str = Field(..., max_length=255)


class UserUpdate(BaseModel):
    full_name: str | None = Field(None, max_length=255)


class UserResponse(UserBase):
    id: UUID
    full_name: str
    created_at: datetime

    model_config = ConfigDict(from_attributes=True)
