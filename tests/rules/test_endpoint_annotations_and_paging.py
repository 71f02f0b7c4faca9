"""CL304 untyped-endpoint-parameter and CL305 unpaginated-collection-endpoint."""

from __future__ import annotations

import pytest

from tests.helpers import found, lint
from tests.snippets import ROUTER

# CL304 untyped-endpoint-parameter


def cl304(source: str, **options):
    return lint(source, select=("CL304",), **options)


def test_each_unannotated_parameter_and_the_return_are_findings_of_their_own() -> None:
    source = (
        ROUTER.replace("APIRouter, status", "APIRouter, Depends")
        + """
@router.get("/items/{item_id}")
@router.get("/things/{item_id}")
async def get_item(item_id, /, q: str, *tags, db=Depends(get_db), verbose, **extra):
    ...
"""
    )
    diagnostics = cl304(source)
    assert sorted(found(diagnostics)) == [
        ("CL304", 7, 11),
        ("CL304", 7, 20),
        ("CL304", 7, 41),
        ("CL304", 7, 47),
        ("CL304", 7, 67),
        ("CL304", 7, 78),
    ]
    assert sorted((d.span.start.column, d.message) for d in diagnostics) == [
        (11, "Add a return type annotation to `get_item`"),
        (20, "Annotate `item_id` with its type, which FastAPI validates and documents"),
        (41, "Annotate `*tags` with its type, which FastAPI validates and documents"),
        (47, "Annotate `db` with the type its dependency provides"),
        (67, "Annotate `verbose` with its type, which FastAPI validates and documents"),
        (78, "Annotate `**extra` with its type, which FastAPI validates and documents"),
    ]


def test_self_and_cls_are_exempt_but_only_in_first_place() -> None:
    source = (
        ROUTER
        + """
class UserView:
    @router.get("/users")
    def get_users(self, other) -> list:
        ...

    @router.get("/teams")
    @classmethod
    def get_teams(cls, self) -> list:
        ...
"""
    )
    assert found(cl304(source)) == [("CL304", 7, 25), ("CL304", 12, 24)]


def test_a_dependency_annotated_through_annotated_is_typed() -> None:
    source = """
        from typing import Annotated

        from fastapi import APIRouter, Depends
        from sqlalchemy.ext.asyncio import AsyncSession

        router = APIRouter()

        @router.get("/users")
        async def get_users(db: Annotated[AsyncSession, Depends(get_db)]) -> list:
            ...
    """
    assert found(cl304(source)) == []


def test_noqa_on_the_line_of_a_parameter() -> None:
    source = (
        ROUTER
        + """
@router.get("/users")
async def get_users(
    db=Depends(get_db),  # noqa: CL304
    skip=0,
) -> list:
    ...
"""
    )
    assert found(cl304(source)) == [("CL304", 8, 5)]


def test_a_route_declaring_response_model_needs_no_return_annotation_but_typed_parameters() -> None:
    # noise.md N1: the conventions' own example; `-> UserResponse` as well would trip ruff's FAST001.
    source = (
        ROUTER.replace("APIRouter, status", "APIRouter, Depends")
        + """
@router.get("/users/{user_id}", response_model=UserResponse)
async def get_user(user_id: UUID, db: AsyncSession = Depends(get_db)):
    ...

@router.get("/users/{user_id}/avatar", response_model=AvatarResponse)
async def get_avatar(user_id, size=64):
    ...
"""
    )
    assert found(cl304(source)) == [("CL304", 10, 22), ("CL304", 10, 31)]


def test_a_handler_of_several_routes_needs_a_return_annotation_unless_each_states_the_response() -> None:
    source = (
        ROUTER
        + """
@router.get("/users", response_model=list[UserResponse])
@router.get("/people")
async def get_users(skip: int = 0):
    ...

@router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
@router.delete("/people/{user_id}", status_code=204)
async def delete_user(user_id: str):
    ...
"""
    )
    assert found(cl304(source)) == [("CL304", 7, 11)]


def test_route_handlers_are_not_also_missing_type_hints() -> None:
    source = (
        ROUTER
        + """
@router.get("/users")
async def get_users(skip):
    ...
"""
    )
    assert found(lint(source, path="app/services/user_service.py", select=("CL304", "CL902"))) == [
        ("CL304", 6, 11),
        ("CL304", 6, 21),
    ]


# CL305 unpaginated-collection-endpoint


def cl305(source: str, **options):
    return lint(source, select=("CL305",), **options)


def collection_route(
    parameters: str,
    decorator: str = '@router.get("/users", response_model=list[UserResponse])',
    returns: str = "list[UserResponse]",
) -> str:
    return f"""
import typing
from typing import Annotated, List, Optional

from fastapi import APIRouter, Depends, Query
from fastapi_pagination import LimitOffsetPage, Page, Params
from fastapi_pagination.limit_offset import LimitOffsetParams

from app.api.deps import Pagination, get_db, get_pagination, paginate
from app.schemas.user import UserResponse

router = APIRouter()

{decorator}
async def get_users({parameters}) -> {returns}:
    ...
"""


@pytest.mark.parametrize(
    "parameters",
    [
        "skip: int = 0, limit: int = 100",
        "offset: int = 0",
        "page: int = 1",
        "size: Annotated[int, Query(le=100)] = 50",
        "page_size: int = 50",
        "per_page: int = 50",
        "cursor: str | None = None",
        "params: Params = Depends()",
        "params: Annotated[LimitOffsetParams, Depends()]",
        "pagination: Annotated[Pagination, Depends(get_pagination)]",
        "pagination: Pagination = Depends()",
        "p=Depends(paginate)",
        "p: dict = Depends(get_pagination)",
    ],
)
def test_a_paging_parameter_pages_a_list(parameters: str) -> None:
    assert found(cl305(collection_route(parameters))) == []


@pytest.mark.parametrize(
    "parameters",
    [
        "",
        "db=Depends(get_db)",
        "page_id: str",
        "q: str | None = None",
        "pages: int = 1",
    ],
)
def test_without_a_paging_parameter_a_list_is_flagged(parameters: str) -> None:
    assert found(cl305(collection_route(parameters))) == [("CL305", 13, 2)]


@pytest.mark.parametrize(
    ("decorator", "returns", "expected"),
    [
        ('@router.get("/users", response_model=list[UserResponse])', "dict", [("CL305", 13, 2)]),
        ('@router.get("/users", response_model=typing.List[UserResponse])', "dict", [("CL305", 13, 2)]),
        ('@router.get("/users", response_model=Optional[List[UserResponse]])', "dict", [("CL305", 13, 2)]),
        ('@router.get("/users")', "typing.Sequence[UserResponse]", [("CL305", 13, 2)]),
        ('@router.get("/users")', "list[UserResponse] | None", [("CL305", 13, 2)]),
        ('@router.get("/users", response_model=Page[UserResponse])', "list[UserResponse]", []),
        ('@router.get("/users", response_model=LimitOffsetPage[UserResponse])', "dict", []),
        ('@router.get("/users")', "Page[UserResponse]", []),
        ('@router.get("/users", response_model=None)', "list[UserResponse]", []),
        ('@router.get("/users", response_model=UserResponse)', "list[UserResponse]", []),
        ('@router.post("/users", response_model=list[UserResponse], status_code=201)', "list[UserResponse]", []),
        ('@router.get("/users")', "dict[str, list[UserResponse]]", []),
    ],
)
def test_what_answers_a_list(decorator: str, returns: str, expected: list) -> None:
    assert found(cl305(collection_route("", decorator, returns))) == expected


def test_the_paging_parameters_are_a_setting() -> None:
    source = collection_route("first: int = 10, after: str | None = None")
    assert found(cl305(source)) == [("CL305", 13, 2)]
    assert found(cl305(source, paging_parameters=["first", "after"])) == []
    assert found(cl305(collection_route("skip: int = 0"), paging_parameters=["first", "after"])) == [("CL305", 13, 2)]


def test_each_listing_get_decorator_is_reported() -> None:
    source = (
        ROUTER
        + """
@router.get("/users", response_model=list[UserResponse])
@router.get("/members", response_model=list[UserResponse])
@router.get("/users/me", response_model=UserResponse)
async def get_users():
    ...
"""
    )
    diagnostics = cl305(source)
    assert found(diagnostics) == [("CL305", 5, 2), ("CL305", 6, 2)]
    assert diagnostics[0].message == (
        "Page this collection endpoint: take `skip` and `limit` (or a pagination dependency), or answer a `Page[...]`"
    )
