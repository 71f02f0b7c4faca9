"""CL203 integer-id-field and CL204 integer-id-path-parameter: integer ids of schemas and routes."""

from __future__ import annotations

import textwrap

import pytest

from tests.helpers import fix, found, lint
from tests.snippets import lint_identifier_rules as _lint


@pytest.mark.parametrize(
    ("annotation", "column"),
    [
        ("int", 14),
        ("Optional[int]", 23),
        ("int | None", 14),
        ("None | int", 21),
        ("Annotated[int, Field(gt=0)]", 24),
    ],
)
def test_integer_id_field_annotations(annotation: str, column: int) -> None:
    source = f"""
    from typing import Annotated, Optional

    from pydantic import BaseModel, Field


    class UserResponse(BaseModel):
        user_id: {annotation}
    """
    assert found(_lint(source, path="app/schemas/user.py")) == [("CL203", 7, column)]


def test_integer_id_fields_only_in_pydantic_models() -> None:
    source = """
    from dataclasses import dataclass
    from uuid import UUID

    from pydantic import BaseModel
    from sqlalchemy.orm import Mapped, mapped_column

    from app.schemas.base import BaseSchema


    class UserBase(BaseModel):
        id: UUID
        login_count: int
        identity: int
        ids: list[int]


    class UserInDB(UserBase):
        org_id: int


    class UserUpdate(BaseSchema): team_id: int


    @dataclass
    class UserRow:
        id: int


    class User(Base):
        __tablename__ = "users"

        id: Mapped[int] = mapped_column(primary_key=True)
        legacy_id = 3
    """
    assert found(lint(source, path="app/schemas/user.py", select=("CL203",))) == [
        ("CL203", 18, 13),
        ("CL203", 21, 40),
    ]


def test_integer_id_field_message() -> None:
    source = """
    from pydantic import BaseModel


    class PostCreate(BaseModel):
        author_id: int
    """
    [diagnostic] = _lint(source, path="app/schemas/post.py")
    assert diagnostic.message == "Type `author_id` as `UUID`, not `int`"
    assert diagnostic.fix.message == "Replace `int` with `UUID`"


def test_integer_id_field_fix_is_unsafe_reuses_import_uuid_and_drops_numeric_bounds() -> None:
    source = """
    import uuid

    import pydantic
    from pydantic import BaseModel, Field


    class PostCreate(BaseModel):
        author_id: int = Field(..., gt=0, description="who")  # required
        editor_id: int | None = pydantic.Field(
            default=None,
            ge=1,  # positive
            le=10**9,
        )
        owner_id: int = Field(lt=5)


    class Other(BaseModel):
        def Field(self, **kwargs): ...
    """
    assert fix(source, path="app/schemas/post.py", select=("CL203",)) == textwrap.dedent(source).lstrip("\n")
    assert fix(source, path="app/schemas/post.py", select=("CL203",), unsafe=True) == textwrap.dedent("""\
    import uuid

    import pydantic
    from pydantic import BaseModel, Field


    class PostCreate(BaseModel):
        author_id: uuid.UUID = Field(..., description="who")  # required
        editor_id: uuid.UUID | None = pydantic.Field(
            default=None,
        )
        owner_id: uuid.UUID = Field()


    class Other(BaseModel):
        def Field(self, **kwargs): ...
    """)


def test_integer_id_field_fix_with_crlf_and_a_clashing_uuid() -> None:
    source = textwrap.dedent("""\
    from pydantic import BaseModel


    class PostCreate(BaseModel):
        author_id: int
    """).replace("\n", "\r\n")
    assert fix(source, path="app/schemas/post.py", select=("CL203",), unsafe=True) == source.replace(
        "from pydantic", "from uuid import UUID\r\n\r\nfrom pydantic", 1
    ).replace("author_id: int", "author_id: UUID")
    clash = "from sqlalchemy.dialects.postgresql import UUID\n" + textwrap.dedent(source.replace("\r\n", "\n"))
    [diagnostic] = _lint(clash, path="app/schemas/post.py")
    assert diagnostic.fix is None


@pytest.mark.parametrize(
    ("decorator", "signature", "column"),
    [
        ('@router.get("/users/{user_id}")', "user_id: int", 28),
        ('@router.get("/users/{user_id:int}")', "user_id: int", 28),
        ('@router.put(path="/users/{id}")', "id: int, body: UserUpdate", 23),
        ('@router.patch("/users/{user_id}")', "user_id: Optional[int] = None", 37),
        ('@users_router.delete("/users/{user_id}")', "user_id: Annotated[int, Path(ge=1)]", 38),
        ('@app.get("/orgs/{org_id}/users/{user_id}")', "org_id: UUID, user_id: int", 42),
    ],
)
def test_integer_id_path_parameters(decorator: str, signature: str, column: int) -> None:
    source = f"""
    from typing import Annotated, Optional
    from uuid import UUID

    from fastapi import APIRouter, FastAPI, Path

    router = APIRouter()
    app = FastAPI()

    {decorator}
    async def handler({signature}) -> None:
        ...
    """
    assert found(_lint(source, path="app/api/endpoints/users.py")) == [("CL204", 10, column)]


@pytest.mark.parametrize(
    ("decorator", "signature"),
    [
        ('@router.get("/users/{user_id}")', "user_id: UUID"),
        ('@router.get("/users/{user_id}")', "user_id"),
        ('@router.get("/users/{user_id}")', "user: UUID = Depends(get_user_id)"),
        ('@router.get("/users")', "user_id: int"),
        ('@router.get("/pages/{number}")', "number: int"),
        ("@cache", "user_id: int"),
    ],
)
def test_other_path_parameters_pass(decorator: str, signature: str) -> None:
    source = f"""
    from uuid import UUID

    from fastapi import APIRouter, Depends

    router = APIRouter()

    {decorator}
    async def handler({signature}) -> None:
        ...
    """
    assert found(_lint(source, path="app/api/endpoints/users.py")) == []


def test_a_handler_under_several_routes_is_reported_once_per_parameter() -> None:
    source = """
    from fastapi import APIRouter

    router = APIRouter()


    @router.get("/users/{user_id}")
    @router.get("/members/{user_id}/profile/{profile_id}")
    async def get_user(user_id: int, profile_id: int | None = None) -> None:
        ...
    """
    assert found(_lint(source, path="app/api/endpoints/users.py")) == [("CL204", 8, 29), ("CL204", 8, 46)]


def test_path_parameter_fix_changes_int_convertors_and_bounds() -> None:
    source = """
    from fastapi import APIRouter, Path

    router = APIRouter()


    @router.get("/users/{user_id:int}")
    @router.get(path='/members/{user_id:int}/{tab}')
    async def get_user(user_id: int = Path(..., ge=1, title="User"), tab: str = "x") -> None:
        ...
    """
    [diagnostic] = _lint(source, path="app/api/endpoints/users.py")
    assert diagnostic.fix.message == (
        "Replace `int` with `UUID` and `{user_id:int}` with `{user_id:uuid}`, dropping its numeric bounds"
    )
    assert fix(source, select=("CL204",)) == textwrap.dedent(source).lstrip("\n")
    assert fix(source, select=("CL204",), unsafe=True) == textwrap.dedent("""\
    from uuid import UUID

    from fastapi import APIRouter, Path

    router = APIRouter()


    @router.get("/users/{user_id:uuid}")
    @router.get(path='/members/{user_id:uuid}/{tab}')
    async def get_user(user_id: UUID = Path(..., title="User"), tab: str = "x") -> None:
        ...
    """)


def test_path_parameter_fix_in_a_class_based_router_with_crlf() -> None:
    source = textwrap.dedent("""\
    import uuid

    from fastapi import APIRouter, Path

    router = APIRouter()


    class Views:
        @router.delete("/items/{item_id}")
        async def delete(self, item_id: int = Path(
            ...,
            gt=0,
        )) -> None:
            ...
    """).replace("\n", "\r\n")
    assert fix(source, select=("CL204",), unsafe=True) == textwrap.dedent("""\
    import uuid

    from fastapi import APIRouter, Path

    router = APIRouter()


    class Views:
        @router.delete("/items/{item_id}")
        async def delete(self, item_id: uuid.UUID = Path(
            ...,
        )) -> None:
            ...
    """).replace("\n", "\r\n")
