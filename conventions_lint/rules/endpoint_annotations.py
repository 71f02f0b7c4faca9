"""CL304: a route handler annotates what it takes, and what it answers unless its decorator says so.

Functions that are not route handlers are type_hints.py's (CL902); the decorator's `response_model=`
is response_models.py's."""

from __future__ import annotations

import libcst as cst

from conventions_lint.recognize.fastapi import ROUTE_TEXT, dependency_marker, handler_parameters, routes_of
from conventions_lint.recognize.returns import ReturnTracker
from conventions_lint.rule import Invalid, Rule, Valid


class UntypedEndpointParameter(Rule):
    """
    ## What it does
    Checks for route handlers with a parameter that has no type annotation
    (one finding per parameter, at its name), and for route handlers without a
    return annotation (at the function's name) where nothing else states what
    the route answers.

    A parameter whose default is `Depends(...)` needs an annotation too, as in
    FastAPI's documentation. `*args` and `**kwargs` are checked like the other
    parameters: FastAPI makes them query parameters. The `self` or `cls` of a
    class-based view's method is exempt. Functions that are not route handlers
    are `missing-type-hints` (CL902)'s concern.

    ## Why is this bad?
    FastAPI reads a handler's signature to know where each parameter comes from
    and what it must be: an unannotated parameter is taken as a required string
    query parameter, unvalidated and documented as such in OpenAPI. Type
    checkers and editors also stop at an unannotated dependency, and a missing
    return type leaves the handler's result unchecked against its response
    model.

    ## Known limits
    A route whose decorator states its response (`response_model=`,
    `response_class=`, or a status without a body such as
    `status_code=204`) needs no return annotation: the response contract is
    written where the team reads it (the conventions' own example omits
    `-> UserResponse`), and ruff's FAST001 calls a return annotation that
    repeats `response_model=` redundant. Its untyped parameters are still
    findings. A handler serving several routes needs a return annotation
    unless every one of its decorators states the response.

    Nor does a handler whose every return is a page or a redirect it builds
    (`templates.TemplateResponse(...)`, `RedirectResponse(url)`, or a local
    name bound only to one): FastAPI sends the response as it is, there is
    no response model to check it against. A handler returning a file
    (`FileResponse(path)`) or a page through a helper (`return await
    form.get_response()`) still needs one.
    """

    code = "CL304"
    name = "untyped-endpoint-parameter"
    REQUIRES = ROUTE_TEXT
    SERVICES = (ReturnTracker,)
    VALID = (
        Valid("""
            import uuid

            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.api.deps import get_db
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: uuid.UUID, db: AsyncSession = Depends(get_db)) -> UserResponse:
                ...
        """),
        # The decorator states the response: no return annotation is needed (nor wanted by ruff's FAST001).
        Valid("""
            import uuid

            from fastapi import APIRouter, Depends, status
            from fastapi.responses import HTMLResponse
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.api.deps import get_db
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id: uuid.UUID, db: AsyncSession = Depends(get_db)):
                ...

            @router.get("/", response_class=HTMLResponse)
            async def get_home():
                ...

            @router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
            async def delete_user(user_id: uuid.UUID, db: AsyncSession = Depends(get_db)):
                ...
        """),
        # A page or a redirect the handler builds is sent as it is: no response model to check it against.
        Valid("""
            from fastapi import APIRouter, Request
            from fastapi.responses import RedirectResponse
            from fastapi.templating import Jinja2Templates

            router = APIRouter()
            templates = Jinja2Templates(directory="templates")

            @router.get("/users")
            async def list_users(request: Request):
                return templates.TemplateResponse(request, "users.html", {})

            @router.get("/profile")
            async def get_profile():
                return RedirectResponse(url="/account")
        """),
        Valid("""
            from fastapi import APIRouter, Depends
            from fastapi_utils.cbv import cbv
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.api.deps import get_db
            from app.schemas.item import ItemResponse

            router = APIRouter()

            @cbv(router)
            class ItemView:
                db: AsyncSession = Depends(get_db)

                @router.get("/items/{item_id}", response_model=ItemResponse)
                async def get_item(self, item_id: str) -> ItemResponse:
                    ...
        """),
        Valid("""
            from fastapi import Depends
            from fastapi.security import OAuth2PasswordBearer

            from app.core.cache import cache

            oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


            async def get_current_user(request, token=Depends(oauth2_scheme)):
                ...


            @cache.get("users")
            def get_cached_users(key):
                ...
        """),
    )
    INVALID = (
        Invalid(
            """
            import uuid

            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.api.deps import get_db
            from app.schemas.user import UserResponse

            router = APIRouter()

            @router.get("/users/{user_id}", response_model=UserResponse)
            async def get_user(user_id, db: AsyncSession = Depends(get_db)) -> UserResponse:
                ...
        """,
            line=12,
            column=20,
        ),
        Invalid(
            """
            from fastapi import APIRouter

            from app.schemas.user import UserCreate, UserResponse

            router = APIRouter()

            @router.post("/users", status_code=201)
            async def create_user(payload: UserCreate):
                ...
        """,
            line=8,
            column=11,
        ),
        Invalid(
            """
            from fastapi import APIRouter, Depends, status

            from app.api.deps import get_db

            router = APIRouter()

            @router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
            async def delete_user(
                user_id: str,
                db=Depends(get_db),
            ) -> None:
                ...
        """,
            line=10,
            column=5,
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not routes_of(self.context, node):
            return
        for param in handler_parameters(node):
            if param.annotation is None:
                self.report(param.name, self._message(node, param))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        # At the end of the function, when its returns have been seen.
        if node.returns is not None:
            return
        routes = routes_of(self.context, node)
        if not routes or all(route.states_response for route in routes):
            return
        if not self.context.service(ReturnTracker).answers_a_browser(node):
            self.report(node.name, f"Add a return type annotation to `{node.name.value}`")

    def _message(self, function: cst.FunctionDef, param: cst.Param) -> str:
        name = param.name.value
        shown = f"*{name}" if param is function.params.star_arg else f"**{name}" if param.star == "**" else name
        if dependency_marker(self.context, param) is not None:
            return f"Annotate `{shown}` with the type its dependency provides"
        return f"Annotate `{shown}` with its type, which FastAPI validates and documents"
