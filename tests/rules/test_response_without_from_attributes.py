"""CL403 response-without-from-attributes beyond its examples."""

from __future__ import annotations

import pytest

from conventions_lint.diagnostic import Applicability
from tests.helpers import crlf_source as _crlf
from tests.helpers import dedent_source as _source
from tests.helpers import fix, found, lint

# CL403 response-without-from-attributes


def _response(body: str, imports: str = "from pydantic import BaseModel, ConfigDict") -> str:
    """A `UserResponse` on line 4 with `body` (already indented)."""
    return f"{imports}\n\n\nclass UserResponse(BaseModel):\n{body}"


@pytest.mark.parametrize(
    ("body", "fixed_body", "fix_message"),
    [
        (
            "    pass\n",
            "    model_config = ConfigDict(from_attributes=True)\n",
            "Add `model_config = ConfigDict(from_attributes=True)`",
        ),
        (
            "    ...\n",
            "    model_config = ConfigDict(from_attributes=True)\n",
            "Add `model_config = ConfigDict(from_attributes=True)`",
        ),
        (
            "    id: int  # the key\n",
            "    id: int  # the key\n\n    model_config = ConfigDict(from_attributes=True)\n",
            "Add `model_config = ConfigDict(from_attributes=True)`",
        ),
        (
            "    id: int\n\n    @property\n    def label(self) -> str:\n        return str(self.id)\n",
            (
                "    id: int\n\n    model_config = ConfigDict(from_attributes=True)\n\n"
                "    @property\n    def label(self) -> str:\n        return str(self.id)\n"
            ),
            "Add `model_config = ConfigDict(from_attributes=True)`",
        ),
        (
            '    """A user."""\n',
            '    """A user."""\n    model_config = ConfigDict(from_attributes=True)\n',
            "Add `model_config = ConfigDict(from_attributes=True)`",
        ),
        (
            "    id: int\n\n    model_config = ConfigDict(frozen=True)  # immutable\n",
            "    id: int\n\n    model_config = ConfigDict(frozen=True, from_attributes=True)  # immutable\n",
            "Add `from_attributes=True` to `ConfigDict(...)`",
        ),
        (
            "    model_config = ConfigDict(from_attributes=False)\n",
            "    model_config = ConfigDict(from_attributes=True)\n",
            "Set `from_attributes=True`",
        ),
        (
            '    model_config = {"from_attributes": False}\n',
            '    model_config = {"from_attributes": True}\n',
            "Set `from_attributes=True`",
        ),
        (
            "    model_config = dict(frozen=True)\n",
            "    model_config = dict(frozen=True, from_attributes=True)\n",
            "Add `from_attributes=True` to `dict(...)`",
        ),
    ],
)
def test_responses_without_from_attributes_and_their_fixes(body: str, fixed_body: str, fix_message: str) -> None:
    source = _response(body)
    [diagnostic] = lint(source, select=("CL403",))
    assert found([diagnostic]) == [("CL403", 4, 7)]
    assert diagnostic.message == (
        "Set `model_config = ConfigDict(from_attributes=True)` to build `UserResponse` from ORM objects"
    )
    assert diagnostic.fix.message == fix_message
    assert diagnostic.fix.applicability is Applicability.SAFE
    assert fix(source, select=("CL403",)) == _response(fixed_body)


@pytest.mark.parametrize(
    "body",
    [
        '    model_config = {"frozen": True}\n',
        "    class Config:\n        frozen = True\n",
        "    @property\n    def label(self) -> str:\n        return 'user'\n",
    ],
)
def test_responses_reported_without_a_fix(body: str) -> None:
    [diagnostic] = lint(_response(body), select=("CL403",))
    assert (found([diagnostic]), diagnostic.fix) == ([("CL403", 4, 7)], None)


@pytest.mark.parametrize(
    "body",
    [
        "    model_config = ConfigDict(from_attributes=True)\n",
        "    model_config = ConfigDict(**BASE_CONFIG)\n",
        "    model_config = BASE_CONFIG\n",
        "    model_config = ConfigDict(from_attributes=ORM)\n",
        '    model_config = {"from_attributes": True, **EXTRA}\n',
        # A v1 `orm_mode` is CL404's to rename.
        "    model_config = ConfigDict(orm_mode=True)\n",
        "    class Config:\n        orm_mode = True\n",
    ],
)
def test_set_or_unreadable_configuration_passes(body: str) -> None:
    assert found(lint(_response(body), select=("CL403",))) == []


@pytest.mark.parametrize(
    ("classes", "expected"),
    [
        # Inherited from a base in the file: Pydantic merges the configurations.
        (
            (
                "class ORMBase(BaseModel):\n    model_config = ConfigDict(from_attributes=True)\n\n\n"
                "class UserResponse(ORMBase):\n    model_config = ConfigDict(frozen=True)\n"
            ),
            [],
        ),
        (
            (
                "class A(BaseModel):\n    model_config = ConfigDict(from_attributes=True)\n\n\nclass B(A):\n    pass\n\n\n"
                "class UserResponse(B):\n    id: int\n"
            ),
            [],
        ),
        # A base imported from elsewhere may set it.
        ("class UserResponse(ORMModel):\n    id: int\n", []),
        ("class UserResponse(AuditMixin, BaseModel):\n    id: int\n", []),
        ("class UsersResponse(RootModel[list[int]]):\n    pass\n", []),
        ("class UserResponse(BaseModel, Generic[T]):\n    items: list[T]\n", [("CL403", 10, 7)]),
        (
            (
                "class ORMBase(BaseModel):\n    model_config = ConfigDict(from_attributes=True)\n\n\n"
                "class UserResponse(ORMBase):\n    model_config = ConfigDict(from_attributes=False)\n"
            ),
            [("CL403", 14, 7)],
        ),
        (
            "class UserBase(BaseModel):\n    email: str\n\n\nclass UserResponse(UserBase):\n    id: int\n",
            [("CL403", 14, 7)],
        ),
        ("class JSONishResponse(JSONResponse):\n    pass\n", []),
        ("class AppSettingsResponse(BaseSettings):\n    debug: bool = False\n", []),
    ],
)
def test_bases(classes: str, expected: list) -> None:
    imports = (
        "from typing import Generic, TypeVar\n\nfrom fastapi.responses import JSONResponse\n"
        "from pydantic import BaseModel, ConfigDict, RootModel\nfrom pydantic_settings import BaseSettings\n\n"
        "from app.schemas.base import AuditMixin, ORMModel\n"
    )
    assert found(lint(f"{imports}\n\n{classes}", select=("CL403",))) == expected


def test_import_alias_and_nested_class() -> None:
    source = """
    import pydantic as pd


    def build():
        class ItemResponse(pd.BaseModel):
            id: int

        return ItemResponse
    """
    assert found(lint(source, select=("CL403",))) == [("CL403", 5, 11)]
    assert fix(source, select=("CL403",)) == _source("""
    import pydantic as pd


    def build():
        class ItemResponse(pd.BaseModel):
            id: int

            model_config = pd.ConfigDict(from_attributes=True)

        return ItemResponse
    """)


def test_crlf_source_keeps_its_line_endings_cl403() -> None:
    source = _crlf("""
    from pydantic import BaseModel


    class UserResponse(BaseModel):
        id: int
    """)
    assert fix(source, select=("CL403",)) == _crlf("""
    from pydantic import BaseModel, ConfigDict


    class UserResponse(BaseModel):
        id: int

        model_config = ConfigDict(from_attributes=True)
    """)


def test_file_without_final_newline_and_tab_indentation() -> None:
    source = "from pydantic import BaseModel\n\n\nclass UserResponse(BaseModel):\n\tid: int"
    assert fix(source, select=("CL403",)) == (
        "from pydantic import BaseModel, ConfigDict\n\n\nclass UserResponse(BaseModel):\n"
        "\tid: int\n\n\tmodel_config = ConfigDict(from_attributes=True)"
    )
