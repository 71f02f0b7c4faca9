"""The settings for what the project model cannot resolve statically, and their documentation.

Each names qualified names (`app.routing.APIRouter`, matched by their trailing parts) that
stand for a framework class: a router class made by a function at import time, a base from
a package outside the project. Rules that depend on one list it in `Rule.OPTIONS`, and
their documentation says what it does under *Options*.
"""

from __future__ import annotations

# Each setting (its Settings field) and the framework class it declares names to be.
IMPLIED_BY_SETTING = (
    ("router_classes", "fastapi.APIRouter"),
    ("schema_bases", "pydantic.BaseModel"),
    ("model_bases", "sqlalchemy.orm.DeclarativeBase"),
    ("sync_session_types", "sqlalchemy.orm.Session"),
    ("async_session_types", "sqlalchemy.ext.asyncio.AsyncSession"),
)


OPTION_DOCS = {
    "router-classes": (
        "- `router-classes`: qualified names of router classes made in a way no import shows\n"
        "  (`APIRouter = make_router_class(TracedRoute)`): their instances' routes are judged like\n"
        "  `fastapi.APIRouter`'s. Otherwise routers are resolved through the project: a subclass, alias\n"
        "  or re-export of `APIRouter`, or a function annotated to return one. A router or app kept out\n"
        "  of the schema (`include_in_schema=False`, `openapi_url=None`) or whose `default_response_class`\n"
        "  is not JSON serves no API: its routes are not checked."
    ),
    "schema-bases": (
        "- `schema-bases`: qualified names of Pydantic bases the project cannot resolve (from another\n"
        "  package, or made at import time). Otherwise bases are followed through the project, relative\n"
        "  imports and re-exports included."
    ),
    "model-bases": (
        "- `model-bases`: qualified names of declarative bases the project cannot resolve (from another\n"
        "  package). A base or mixin of the project is followed for the columns it defines; one the\n"
        "  project cannot resolve is trusted."
    ),
    "session-types": (
        "- `sync-session-types`, `async-session-types`: qualified names of session classes or aliases\n"
        "  the project cannot resolve (from another package). Otherwise re-exports, aliases,\n"
        "  `sessionmaker` results and functions annotated `-> Session` are resolved through the project;\n"
        "  where it cannot be told, a parameter's name decides only as `session-parameters` says."
    ),
}
