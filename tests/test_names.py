"""ImportMap: what the names a module imports stand for."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from conventions_lint.names import ImportMap, dotted_name, last_name


def _imports(source: str) -> ImportMap:
    return ImportMap(cst.parse_module(textwrap.dedent(source)))


def _qualify(imports: ImportMap, expression: str) -> str | None:
    return imports.qualify(cst.parse_expression(expression))


@pytest.mark.parametrize(
    ("source", "expression", "qualified"),
    [
        ("import sqlalchemy as sa\n", "sa.String", "sqlalchemy.String"),
        ("import sqlalchemy as sa\n", "sa.orm.relationship", "sqlalchemy.orm.relationship"),
        ("import sqlalchemy\n", "sqlalchemy.String", "sqlalchemy.String"),
        ("from sqlalchemy import String as S\n", "S", "sqlalchemy.String"),
        ("from sqlalchemy import String\n", "String", "sqlalchemy.String"),
        ("from sqlalchemy.orm import relationship\n", "relationship", "sqlalchemy.orm.relationship"),
        # `import sqlalchemy.orm` binds `sqlalchemy`, through which the submodule is reached.
        ("import sqlalchemy.orm\n", "sqlalchemy.orm.relationship", "sqlalchemy.orm.relationship"),
        ("import sqlalchemy.orm as orm\n", "orm.relationship", "sqlalchemy.orm.relationship"),
        ("from sqlalchemy import orm\n", "orm.Mapped", "sqlalchemy.orm.Mapped"),
        ("from .models import User\n", "User", ".models.User"),
        ("from ..db.base import Base\n", "Base", "..db.base.Base"),
        ("from . import models\n", "models.User", ".models.User"),
        ("from .. import models\n", "models", "..models"),
        ("from sqlalchemy import *\n", "String", "sqlalchemy.String"),
        ("from sqlalchemy import *\n", "sa.String", "sqlalchemy.sa.String"),
        # A later star import shadows an earlier one for the names both define.
        ("from graphene import *\nfrom sqlalchemy import *\n", "String", "sqlalchemy.String"),
        # An explicit import is preferred to any star import.
        ("from sqlalchemy import *\nfrom graphene import String\n", "String", "graphene.String"),
        ("import sqlalchemy as sa\nimport graphene as sa\n", "sa.String", "graphene.String"),
    ],
)
def test_qualified_names(source: str, expression: str, qualified: str) -> None:
    assert _qualify(_imports(source), expression) == qualified


@pytest.mark.parametrize(
    ("source", "expression"),
    [
        ("import sqlalchemy as sa\n", "String"),
        ("import sqlalchemy as sa\n", "sqlalchemy.String"),  # only `sa` is bound
        ("", "String"),
        ("import sqlalchemy\n", "sqlalchemy.String()"),  # a call is not a name
        ("import sqlalchemy\n", "sqlalchemy[0]"),
        ("def f():\n    from sqlalchemy import String\n", "String"),  # only the module level is read
        ("class Models:\n    from sqlalchemy import String\n", "String"),
    ],
)
def test_names_that_resolve_to_nothing(source: str, expression: str) -> None:
    assert _qualify(_imports(source), expression) is None


def test_type_checking_and_optional_import_blocks_are_read() -> None:
    imports = _imports("""
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from app.models.user import User
        elif False:
            from app.models.post import Post
        else:
            from app.models.tag import Tag

        if TYPE_CHECKING: from app.models.group import Group

        try:
            import orjson as json
        except ImportError:
            import json as stdlib_json
        else:
            from sqlalchemy import Text
        finally:
            from sqlalchemy import Integer

        with suppress(ImportError):
            from sqlalchemy.dialects.postgresql import UUID

        if True:
            if TYPE_CHECKING:
                from app.models.comment import Comment
    """)
    assert imports.bindings == {
        "TYPE_CHECKING": "typing.TYPE_CHECKING",
        "User": "app.models.user.User",
        "Post": "app.models.post.Post",
        "Tag": "app.models.tag.Tag",
        "Group": "app.models.group.Group",
        "json": "orjson",
        "stdlib_json": "json",
        "Text": "sqlalchemy.Text",
        "Integer": "sqlalchemy.Integer",
        "UUID": "sqlalchemy.dialects.postgresql.UUID",
        "Comment": "app.models.comment.Comment",
    }


def test_except_star_blocks_are_read() -> None:
    imports = _imports("""
        try:
            import uvloop
        except* ImportError:
            from asyncio import run
    """)
    assert imports.bindings == {"uvloop": "uvloop", "run": "asyncio.run"}


def test_several_names_on_one_line_and_semicolons() -> None:
    imports = _imports("from sqlalchemy import Column, String as Str; import os.path, json as j\n")
    assert imports.bindings == {"Column": "sqlalchemy.Column", "Str": "sqlalchemy.String", "os": "os", "j": "json"}


@pytest.mark.parametrize(
    ("source", "expression", "expected"),
    [
        ("import sqlalchemy as sa\n", "sa.String", True),
        ("from sqlalchemy import String as S\n", "S", True),
        ("from sqlalchemy.types import String\n", "String", True),  # any submodule of the package
        ("import sqlalchemy.orm\n", "sqlalchemy.orm.String", True),
        ("from sqlalchemy import *\n", "String", True),
        # A graphene (or any other) String is not SQLAlchemy's.
        ("from graphene import String\n", "String", False),
        ("import graphene\n", "graphene.String", False),
        ("import graphene as sa\n", "sa.String", False),
        ("from graphene import *\n", "String", False),
        ("from sqlalchemy_utils import String\n", "String", False),  # a package that merely starts the same
        ("from sqlalchemy import Text\n", "Text", False),  # not one of the names asked for
        ("", "String", False),
    ],
)
def test_refers_to_sqlalchemy_string(source: str, expression: str, expected: bool) -> None:
    assert _imports(source).refers_to(cst.parse_expression(expression), "sqlalchemy", {"String"}) is expected


def test_module_of_a_bare_imported_name() -> None:
    imports = _imports("""
        from app.schemas.user import UserResponse
        import os
        from . import deps
        from ..schemas import UserCreate
        from .. import models
    """)
    assert imports.module_of("UserResponse") == "app.schemas.user"
    assert imports.module_of("os") is None
    assert imports.module_of("deps") == "."
    assert imports.module_of("UserCreate") == "..schemas"
    assert imports.module_of("models") == ".."
    assert imports.module_of("missing") is None


@pytest.mark.parametrize(
    ("expression", "dotted", "last"),
    [
        ("a", "a", "a"),
        ("a.b.c", "a.b.c", "c"),
        ("a().b", None, "b"),
        ("a[0]", None, None),
        ("'text'", None, None),
    ],
)
def test_dotted_and_last_names(expression: str, dotted: str | None, last: str | None) -> None:
    parsed = cst.parse_expression(expression)
    assert dotted_name(parsed) == dotted
    assert last_name(parsed) == last
