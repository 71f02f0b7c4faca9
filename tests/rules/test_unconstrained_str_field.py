"""CL402 unconstrained-str-field beyond its examples."""

from __future__ import annotations

import pytest

from conventions_lint.diagnostic import Applicability
from tests.helpers import crlf_source as _crlf
from tests.helpers import dedent_source as _source
from tests.helpers import fix, found, lint

# CL402 unconstrained-str-field


def _create_schema(imports: str, line: str) -> str:
    """A `UserCreate` with one field, on line 5."""
    return f"{imports}\n\n\nclass UserCreate(BaseModel):\n    {line}\n"


@pytest.mark.parametrize(
    ("imports", "line", "fixed", "fix_message"),
    [
        (
            "from pydantic import BaseModel",
            "name: str",
            "name: str = Field(..., max_length=255)",
            "Add `= Field(..., max_length=255)`",
        ),
        (
            "from typing import Optional\nfrom pydantic import BaseModel",
            "name: Optional[str] = None",
            "name: Optional[str] = Field(None, max_length=255)",
            "Wrap the default in `Field(..., max_length=255)`",
        ),
        (
            "from typing import Union\nfrom pydantic import BaseModel",
            "name: Union[str, None]",
            "name: Union[str, None] = Field(..., max_length=255)",
            "Add `= Field(..., max_length=255)`",
        ),
        (
            "from pydantic import BaseModel",
            "name: str | None = None  # optional",
            "name: str | None = Field(None, max_length=255)  # optional",
            "Wrap the default in `Field(..., max_length=255)`",
        ),
        (
            "from pydantic import BaseModel, Field",
            'name: str = Field("x", min_length=1)',
            'name: str = Field("x", min_length=1, max_length=255)',
            "Add `max_length=255` to `Field(...)`",
        ),
        (
            "from pydantic import BaseModel, Field",
            "name: str = Field()",
            "name: str = Field(max_length=255)",
            "Add `max_length=255` to `Field(...)`",
        ),
        (
            "from pydantic import BaseModel, Field",
            "name: str = Field(..., max_length=None)",
            "name: str = Field(..., max_length=255)",
            "Add `max_length=255` to `Field(...)`",
        ),
        (
            "from typing import Annotated\nfrom pydantic import BaseModel, Field",
            "name: Annotated[str, Field(min_length=1)]",
            "name: Annotated[str, Field(min_length=1, max_length=255)]",
            "Add `max_length=255` to `Field(...)`",
        ),
        (
            "from typing import Annotated, Optional\nfrom pydantic import BaseModel, StringConstraints",
            "name: Optional[Annotated[str, StringConstraints(to_lower=True)]] = None",
            "name: Optional[Annotated[str, StringConstraints(to_lower=True, max_length=255)]] = None",
            "Add `max_length=255` to `StringConstraints(...)`",
        ),
        (
            "from pydantic import BaseModel, constr",
            "name: constr(min_length=1)",
            "name: constr(min_length=1, max_length=255)",
            "Add `max_length=255` to `constr(...)`",
        ),
        (
            "import pydantic as pd\nfrom pydantic import BaseModel",
            "name: str",
            "name: str = pd.Field(..., max_length=255)",
            "Add `= Field(..., max_length=255)`",
        ),
    ],
)
def test_unbounded_str_fields_and_their_fixes(imports: str, line: str, fixed: str, fix_message: str) -> None:
    source = _create_schema(imports, line)
    [diagnostic] = lint(source, select=("CL402",))
    assert found([diagnostic]) == [("CL402", 5 + imports.count("\n"), 5)]
    assert diagnostic.fix.message == fix_message
    assert diagnostic.fix.applicability is Applicability.UNSAFE
    assert fix(source, select=("CL402",)) == source
    after = fix(source, select=("CL402",), unsafe=True)
    assert after.splitlines()[-1] == f"    {fixed}"


def test_field_is_imported_beside_the_other_pydantic_names() -> None:
    source = _create_schema("from pydantic import BaseModel", "name: str")
    assert fix(source, select=("CL402",), unsafe=True).startswith("from pydantic import BaseModel, Field\n")


@pytest.mark.parametrize(
    ("imports", "line"),
    [
        ("from pydantic import BaseModel, Field", "name: str = Field(..., max_length=80)"),
        ("from pydantic import BaseModel, Field", "name: str = Field(**NAME)"),
        (
            "from typing import Annotated\nfrom pydantic import BaseModel, Field",
            "name: Annotated[str, Field(max_length=80)] | None = None",
        ),
        (
            "from typing import Annotated\nfrom pydantic import BaseModel, StringConstraints",
            "name: Annotated[str, StringConstraints(max_length=80)]",
        ),
        ("import pydantic\nfrom pydantic import BaseModel", "name: pydantic.constr(max_length=80)"),
        ("from sqlmodel import Field\nfrom pydantic import BaseModel", "name: str = Field(max_length=80)"),
        ("from pydantic import BaseModel, EmailStr", "email: EmailStr"),
        ("from pydantic import BaseModel, SecretStr", "password: SecretStr"),
        ("from typing import Literal\nfrom pydantic import BaseModel", 'role: Literal["admin", "user"]'),
        ("from pydantic import BaseModel", "tags: list[str] = []"),
        ("from pydantic import BaseModel", "scores: dict[str, int] = {}"),
        ("from typing import ClassVar\nfrom pydantic import BaseModel", 'kind: ClassVar[str] = "user"'),
        ("from pydantic import BaseModel", "_cache: str = ''"),
        ("from pydantic import BaseModel", "age: int"),
    ],
)
def test_bounded_and_non_str_fields_pass(imports: str, line: str) -> None:
    assert found(lint(_create_schema(imports, line), select=("CL402",))) == []


@pytest.mark.parametrize(
    "header",
    [
        "class UserResponse(BaseModel):",
        "class UserCreated(BaseModel):",
        "class SettingsUpdate(BaseSettings):",
        "class UserCreate:",
        "class UserCreate(TypedDict):",
    ],
)
def test_other_classes_are_not_input_schemas(header: str) -> None:
    source = f"""
    from typing import TypedDict

    from pydantic import BaseModel
    from pydantic_settings import BaseSettings


    {header}
        name: str
    """
    assert found(lint(source, select=("CL402",))) == []


def test_inherited_fields_are_reported_once_at_the_base() -> None:
    source = """
    from pydantic import BaseModel, Field


    class UserBase(BaseModel):
        email: str
        name: str
        about: str


    class UserCreate(UserBase):
        password: str = Field(..., min_length=8, max_length=128)


    class UserUpdate(UserBase):
        name: str = Field(..., max_length=80)


    class UserResponse(UserBase):
        id: int
    """
    # `name` is declared again by UserUpdate, but UserCreate still inherits UserBase's.
    assert found(lint(source, select=("CL402",))) == [("CL402", 5, 5), ("CL402", 6, 5), ("CL402", 7, 5)]


def test_a_base_only_redeclared_or_only_for_responses_is_not_reported() -> None:
    source = """
    from pydantic import BaseModel, Field

    from app.schemas.base import NamedBase


    class PostBase(BaseModel):
        title: str


    class PostCreate(PostBase):
        title: str = Field(..., max_length=200)


    class PostResponse(PostBase):
        id: int


    class TagCreate(NamedBase):
        pass
    """
    assert found(lint(source, select=("CL402",))) == []


def test_the_chain_of_local_bases_is_followed() -> None:
    source = """
    from pydantic import BaseModel


    class Named(BaseModel):
        name: str


    class UserBase(Named):
        email: str


    class UserCreate(UserBase):
        pass
    """
    assert found(lint(source, select=("CL402",))) == [("CL402", 5, 5), ("CL402", 9, 5)]


def test_a_schema_defined_in_a_function_is_checked() -> None:
    source = """
    from pydantic import BaseModel


    def make_schema():
        class ItemCreate(BaseModel):
            name: str

        return ItemCreate
    """
    assert found(lint(source, select=("CL402",))) == [("CL402", 6, 9)]
    assert fix(source, select=("CL402",), unsafe=True) == _source(source).replace(
        "from pydantic import BaseModel", "from pydantic import BaseModel, Field"
    ).replace("name: str", "name: str = Field(..., max_length=255)")


def test_message_and_length_setting() -> None:
    source = _create_schema("from pydantic import BaseModel", "name: str")
    [diagnostic] = lint(source, select=("CL402",), string_length=64)
    assert diagnostic.message == "Give `name` a maximum length: `Field(..., max_length=64)`"
    assert fix(source, select=("CL402",), unsafe=True, string_length=64).endswith(
        "    name: str = Field(..., max_length=64)\n"
    )


def test_multi_line_field_keeps_its_layout_and_noqa_on_its_last_line_suppresses() -> None:
    source = """
    from pydantic import BaseModel, Field


    class UserCreate(BaseModel):
        bio: str = Field(
            "",
            description="About the user",  # shown on the profile
        )
        note: str = Field(
            "",
        )  # noqa: CL402
    """
    assert found(lint(source, select=("CL402",))) == [("CL402", 5, 5)]
    assert fix(source, select=("CL402",), unsafe=True) == _source("""
    from pydantic import BaseModel, Field


    class UserCreate(BaseModel):
        bio: str = Field(
            "",
            description="About the user",  # shown on the profile
            max_length=255,
        )
        note: str = Field(
            "",
        )  # noqa: CL402
    """)


def test_crlf_source_keeps_its_line_endings_cl402() -> None:
    source = _crlf("""
    from pydantic import BaseModel


    class UserCreate(BaseModel):
        email: str
        name: str = "anonymous"
    """)
    assert fix(source, select=("CL402",), unsafe=True) == _crlf("""
    from pydantic import BaseModel, Field


    class UserCreate(BaseModel):
        email: str = Field(..., max_length=255)
        name: str = Field("anonymous", max_length=255)
    """)


@pytest.mark.parametrize(
    "line",
    [
        'scope: str = " ".join(ALL_SCOPES)',
        "scope: str = DEFAULT_SCOPE",
        "scope: str = Field(default_factory=default_scope)",
        'scope: str = Field("read write admin export", min_length=1)',
        'scope: Optional[str] = "read write admin export"',
    ],
)
def test_f10_no_limit_below_the_fields_own_default(line: str) -> None:
    source = _create_schema("from typing import Optional\n\nfrom pydantic import BaseModel, Field", line)
    [diagnostic] = lint(source, select=("CL402",), string_length=16)
    assert (diagnostic.code, diagnostic.fix) == ("CL402", None)
