"""CL305: a GET route that answers a list of resources takes paging parameters, or answers a page."""

from __future__ import annotations

import libcst as cst

from conventions_lint.names import last_name
from conventions_lint.recognize.fastapi import ROUTE_TEXT, Route, handler_parameters, is_paging_parameter, routes_of
from conventions_lint.recognize.route_kinds import is_action_route
from conventions_lint.recognize.syntax import is_list_annotation, subscript_args, unwrap_optional
from conventions_lint.rule import Invalid, Rule, Valid

# Values, not resources: a list of them (`list[str]` of distinct tag names) is small by nature.
_SCALARS = frozenset({"str", "int", "float", "bool", "UUID", "date", "datetime"})


class UnpaginatedCollectionEndpoint(Rule):
    """
    ## What it does
    Checks for GET routes that answer a list (`response_model=list[...]`,
    `List[...]`, `Sequence[...]`, or such a return annotation when there is no
    `response_model`) and take no paging parameter.

    Not flagged: a list that cannot grow with a table: the rows of an
    explicit list of ids the client sends (`ids: list[UUID] = Query(...)`, a
    list parameter named `ids` or `*_ids`), an export (an action route:
    `/export`, whose point is to answer everything), and plain values
    (`list[str]` of distinct tag names, `list[int]`, `list[UUID]`) rather
    than resources (noise.md N6).

    A paging parameter is one named in the `paging-parameters` setting (`skip`,
    `offset`, `limit`, `page`, `size`, `page_size`, `per_page`, `cursor`), or one
    whose type or dependency pages: a name with `page`, `paging` or `paginat` in
    it (`pagination: Annotated[Pagination, Depends(get_pagination)]`,
    `Depends(paginate)`), or anything from `fastapi_pagination`
    (`params: Params = Depends()`). A route answering a page object
    (`Page[UserResponse]`, `LimitOffsetPage[...]`, a `UserListResponse` with its
    totals) does not answer a list and is not flagged.

    ## Why is this bad?
    A collection endpoint without paging answers with every row of the table:
    fine in development, a slow query, a large response and a memory spike in
    production once the table grows. The team pages every collection endpoint
    from the start, when adding the parameters breaks no client.
    """

    code = "CL305"
    name = "unpaginated-collection-endpoint"
    OPTIONS = ("router-classes",)
    REQUIRES = ROUTE_TEXT
    VALID = (
        Valid("""
            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.api.deps import get_db
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users", response_model=list[UserResponse])
            async def get_users(
                skip: int = 0, limit: int = 100, db: AsyncSession = Depends(get_db)
            ) -> list[UserResponse]:
                ...
        """),
        Valid("""
            from fastapi import APIRouter
            from fastapi_pagination import Page

            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users", response_model=Page[UserResponse])
            async def get_users() -> Page[UserResponse]:
                ...
        """),
        Valid("""
            from typing import Annotated

            from fastapi import APIRouter, Depends

            from app.api.deps import Pagination, get_pagination
            from app.schemas.item import ItemCreate, ItemResponse

            router = APIRouter()

            @router.get("/items", response_model=list[ItemResponse])
            async def get_items(pagination: Annotated[Pagination, Depends(get_pagination)]) -> list[ItemResponse]:
                ...

            @router.get("/items/{item_id}", response_model=ItemResponse)
            async def get_item(item_id: str) -> ItemResponse:
                ...

            @router.post("/items/bulk", response_model=list[ItemResponse], status_code=201)
            async def create_items(payload: list[ItemCreate]) -> list[ItemResponse]:
                ...
        """),
        # noise.md N6: bounded by the ids asked for, an export, plain values.
        Valid("""
            import uuid

            from fastapi import APIRouter, Query

            from app.schemas.item import ItemResponse

            router = APIRouter()

            @router.get("/items/batch", response_model=list[ItemResponse])
            async def get_items_by_ids(ids: list[uuid.UUID] = Query(...)) -> list[ItemResponse]:
                ...

            @router.get("/items/export", response_model=list[ItemResponse])
            async def export_items() -> list[ItemResponse]:
                ...

            @router.get("/items/tags", response_model=list[str])
            async def get_item_tags() -> list[str]:
                ...
        """),
    )
    INVALID = (
        Invalid(
            """
            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.api.deps import get_db
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users", response_model=list[UserResponse])
            async def get_users(
                db: AsyncSession = Depends(get_db)
            ) -> list[UserResponse]:
                ...
        """,
            line=9,
            column=2,
        ),
        Invalid(
            """
            from typing import List

            from fastapi import APIRouter

            from app.schemas.item import ItemResponse

            router = APIRouter()

            @router.get("/items")
            async def get_items(category: str | None = None) -> List[ItemResponse]:
                ...
        """,
            line=9,
            column=2,
        ),
        Invalid(
            """
            import uuid
            from collections.abc import Sequence

            from fastapi import APIRouter

            from app.schemas.comment import CommentResponse

            router = APIRouter()

            @router.get("/pages/{page_id}/comments", response_model=Sequence[CommentResponse])
            async def get_page_comments(page_id: uuid.UUID) -> Sequence[CommentResponse]:
                ...
        """,
            line=10,
            column=2,
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        collections = [
            route
            for route in routes_of(self.context, node)
            if route.method == "get" and route.router_in_api and route.returns_list and not self._is_bounded(route)
        ]
        if not collections or any(
            is_paging_parameter(self.context, param, self.settings.paging_parameters)
            for param in handler_parameters(node)
        ):
            return
        for route in collections:
            self.report(
                route.call,
                "Page this collection endpoint: take `skip` and `limit` (or a pagination "
                "dependency), or answer a `Page[...]`",
            )

    @staticmethod
    def _is_bounded(route: Route) -> bool:
        """A list that is not a growing collection of resources: the rows of an explicit list of ids
        (`ids: list[UUID] = Query(...)`), an export (an action route), or plain values (`list[str]`)."""
        items = subscript_args(unwrap_optional(route.response_type))
        if is_action_route(route) or (items and _SCALARS.issuperset(last_name(item) for item in items)):
            return True
        return any(
            param.name.value.lower().endswith("ids")
            and param.annotation is not None
            and is_list_annotation(param.annotation.annotation)
            for param in handler_parameters(route.function)
        )
