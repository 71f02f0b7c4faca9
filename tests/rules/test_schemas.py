"""CL402, CL403 and CL404 together fixing a Pydantic v1 schemas module."""

from __future__ import annotations

from tests.helpers import dedent_source as _source
from tests.helpers import fix, found, lint

# The three rules together


def test_a_v1_schemas_module_is_fixed_to_v2_in_one_run() -> None:
    source = """
    from pydantic import BaseModel


    class UserBase(BaseModel):
        email: str


    class UserCreate(UserBase):
        password: str


    class UserResponse(UserBase):
        id: int

        class Config:
            allow_mutation = False
    """
    expected = _source("""
    from pydantic import BaseModel, ConfigDict, Field


    class UserBase(BaseModel):
        email: str = Field(..., max_length=255)


    class UserCreate(UserBase):
        password: str = Field(..., max_length=255)


    class UserResponse(UserBase):
        id: int

        model_config = ConfigDict(frozen=True, from_attributes=True)
    """)
    select = ("CL402", "CL403", "CL404")
    assert fix(source, select=select, path="app/schemas/user.py", unsafe=True) == expected
    assert found(lint(expected, select=select, path="app/schemas/user.py")) == []
    # Without unsafe fixes, the fields keep their bounds to add.
    safe = fix(source, select=select, path="app/schemas/user.py")
    assert "email: str\n" in safe and "ConfigDict(frozen=True, from_attributes=True)" in safe
