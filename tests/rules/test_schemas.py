"""CL402 unconstrained-str-field, CL403 response-without-from-attributes and CL404 pydantic-v1-config
beyond their examples."""

from __future__ import annotations

import textwrap

import pytest

from conventions_lint.diagnostic import FixSafety
from tests.helpers import fix, found, lint


def _source(code: str) -> str:
    return textwrap.dedent(code).lstrip("\n")


def _crlf(code: str) -> str:
    return _source(code).replace("\n", "\r\n")


# CL402 unconstrained-str-field

def _create_schema(imports: str, line: str) -> str:
    """A `UserCreate` with one field, on line 5."""
    return f"{imports}\n\n\nclass UserCreate(BaseModel):\n    {line}\n"


@pytest.mark.parametrize(
    ("imports", "line", "fixed", "fix_message"),
    [
        ("from pydantic import BaseModel", "name: str",
         "name: str = Field(..., max_length=255)", "Add `= Field(..., max_length=255)`"),
        ("from typing import Optional\nfrom pydantic import BaseModel", "name: Optional[str] = None",
         "name: Optional[str] = Field(None, max_length=255)", "Wrap the default in `Field(..., max_length=255)`"),
        ("from typing import Union\nfrom pydantic import BaseModel", "name: Union[str, None]",
         "name: Union[str, None] = Field(..., max_length=255)", "Add `= Field(..., max_length=255)`"),
        ("from pydantic import BaseModel", "name: str | None = None  # optional",
         "name: str | None = Field(None, max_length=255)  # optional",
         "Wrap the default in `Field(..., max_length=255)`"),
        ("from pydantic import BaseModel, Field", 'name: str = Field("x", min_length=1)',
         'name: str = Field("x", min_length=1, max_length=255)', "Add `max_length=255` to `Field(...)`"),
        ("from pydantic import BaseModel, Field", "name: str = Field()",
         "name: str = Field(max_length=255)", "Add `max_length=255` to `Field(...)`"),
        ("from pydantic import BaseModel, Field", "name: str = Field(..., max_length=None)",
         "name: str = Field(..., max_length=255)", "Add `max_length=255` to `Field(...)`"),
        ("from typing import Annotated\nfrom pydantic import BaseModel, Field",
         "name: Annotated[str, Field(min_length=1)]",
         "name: Annotated[str, Field(min_length=1, max_length=255)]", "Add `max_length=255` to `Field(...)`"),
        ("from typing import Annotated, Optional\nfrom pydantic import BaseModel, StringConstraints",
         "name: Optional[Annotated[str, StringConstraints(to_lower=True)]] = None",
         "name: Optional[Annotated[str, StringConstraints(to_lower=True, max_length=255)]] = None",
         "Add `max_length=255` to `StringConstraints(...)`"),
        ("from pydantic import BaseModel, constr", "name: constr(min_length=1)",
         "name: constr(min_length=1, max_length=255)", "Add `max_length=255` to `constr(...)`"),
        ("import pydantic as pd\nfrom pydantic import BaseModel", "name: str",
         "name: str = pd.Field(..., max_length=255)", "Add `= Field(..., max_length=255)`"),
    ],
)
def test_unbounded_str_fields_and_their_fixes(imports: str, line: str, fixed: str, fix_message: str) -> None:
    source = _create_schema(imports, line)
    [diagnostic] = lint(source, select=("CL402",))
    assert found([diagnostic]) == [("CL402", 5 + imports.count("\n"), 5)]
    assert diagnostic.fix.message == fix_message
    assert diagnostic.fix.applicability is FixSafety.UNSAFE
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
        ("from typing import Annotated\nfrom pydantic import BaseModel, Field",
         "name: Annotated[str, Field(max_length=80)] | None = None"),
        ("from typing import Annotated\nfrom pydantic import BaseModel, StringConstraints",
         "name: Annotated[str, StringConstraints(max_length=80)]"),
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
        "from pydantic import BaseModel", "from pydantic import BaseModel, Field").replace(
        "name: str", "name: str = Field(..., max_length=255)")


def test_message_and_length_setting() -> None:
    source = _create_schema("from pydantic import BaseModel", "name: str")
    [diagnostic] = lint(source, select=("CL402",), string_length=64)
    assert diagnostic.message == "Give `name` a maximum length: `Field(..., max_length=64)`"
    assert fix(source, select=("CL402",), unsafe=True, string_length=64).endswith(
        "    name: str = Field(..., max_length=64)\n")


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


# CL403 response-without-from-attributes

def _response(body: str, imports: str = "from pydantic import BaseModel, ConfigDict") -> str:
    """A `UserResponse` on line 4 with `body` (already indented)."""
    return f"{imports}\n\n\nclass UserResponse(BaseModel):\n{body}"


@pytest.mark.parametrize(
    ("body", "fixed_body", "fix_message"),
    [
        ("    pass\n", "    model_config = ConfigDict(from_attributes=True)\n",
         "Add `model_config = ConfigDict(from_attributes=True)`"),
        ("    ...\n", "    model_config = ConfigDict(from_attributes=True)\n",
         "Add `model_config = ConfigDict(from_attributes=True)`"),
        ("    id: int  # the key\n",
         "    id: int  # the key\n\n    model_config = ConfigDict(from_attributes=True)\n",
         "Add `model_config = ConfigDict(from_attributes=True)`"),
        ("    id: int\n\n    @property\n    def label(self) -> str:\n        return str(self.id)\n",
         ("    id: int\n\n    model_config = ConfigDict(from_attributes=True)\n\n"
          "    @property\n    def label(self) -> str:\n        return str(self.id)\n"),
         "Add `model_config = ConfigDict(from_attributes=True)`"),
        ('    """A user."""\n', '    """A user."""\n    model_config = ConfigDict(from_attributes=True)\n',
         "Add `model_config = ConfigDict(from_attributes=True)`"),
        ("    id: int\n\n    model_config = ConfigDict(frozen=True)  # immutable\n",
         "    id: int\n\n    model_config = ConfigDict(frozen=True, from_attributes=True)  # immutable\n",
         "Add `from_attributes=True` to `ConfigDict(...)`"),
        ("    model_config = ConfigDict(from_attributes=False)\n",
         "    model_config = ConfigDict(from_attributes=True)\n", "Set `from_attributes=True`"),
        ('    model_config = {"from_attributes": False}\n',
         '    model_config = {"from_attributes": True}\n', "Set `from_attributes=True`"),
        ("    model_config = dict(frozen=True)\n",
         "    model_config = dict(frozen=True, from_attributes=True)\n", "Add `from_attributes=True` to `dict(...)`"),
    ],
)
def test_responses_without_from_attributes_and_their_fixes(body: str, fixed_body: str, fix_message: str) -> None:
    source = _response(body)
    [diagnostic] = lint(source, select=("CL403",))
    assert found([diagnostic]) == [("CL403", 4, 7)]
    assert diagnostic.message == (
        "Set `model_config = ConfigDict(from_attributes=True)` to build `UserResponse` from ORM objects")
    assert diagnostic.fix.message == fix_message
    assert diagnostic.fix.applicability is FixSafety.SAFE
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
        (("class ORMBase(BaseModel):\n    model_config = ConfigDict(from_attributes=True)\n\n\n"
          "class UserResponse(ORMBase):\n    model_config = ConfigDict(frozen=True)\n"), []),
        (("class A(BaseModel):\n    model_config = ConfigDict(from_attributes=True)\n\n\nclass B(A):\n    pass\n\n\n"
          "class UserResponse(B):\n    id: int\n"), []),
        # A base imported from elsewhere may set it.
        ("class UserResponse(ORMModel):\n    id: int\n", []),
        ("class UserResponse(AuditMixin, BaseModel):\n    id: int\n", []),
        ("class UsersResponse(RootModel[list[int]]):\n    pass\n", []),
        ("class UserResponse(BaseModel, Generic[T]):\n    items: list[T]\n", [("CL403", 10, 7)]),
        (("class ORMBase(BaseModel):\n    model_config = ConfigDict(from_attributes=True)\n\n\n"
          "class UserResponse(ORMBase):\n    model_config = ConfigDict(from_attributes=False)\n"),
         [("CL403", 14, 7)]),
        ("class UserBase(BaseModel):\n    email: str\n\n\nclass UserResponse(UserBase):\n    id: int\n",
         [("CL403", 14, 7)]),
        ("class JSONishResponse(JSONResponse):\n    pass\n", []),
        ("class AppSettingsResponse(BaseSettings):\n    debug: bool = False\n", []),
    ],
)
def test_bases(classes: str, expected: list) -> None:
    imports = ("from typing import Generic, TypeVar\n\nfrom fastapi.responses import JSONResponse\n"
               "from pydantic import BaseModel, ConfigDict, RootModel\nfrom pydantic_settings import BaseSettings\n\n"
               "from app.schemas.base import AuditMixin, ORMModel\n")
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
        "\tid: int\n\n\tmodel_config = ConfigDict(from_attributes=True)")


# CL404 pydantic-v1-config: `class Config:`

def _model(config: str, *, imports: str = "from pydantic import BaseModel", base: str = "BaseModel") -> str:
    """A model whose `class Config:` is on line 7 (with one import line)."""
    return f"{imports}\n\n\nclass User({base}):\n    email: str\n\n    class Config:\n{config}"


@pytest.mark.parametrize(
    ("config", "fixed"),
    [
        ("        orm_mode = True\n", "ConfigDict(from_attributes=True)"),
        ("        allow_population_by_field_name = True\n        anystr_strip_whitespace = True\n",
         "ConfigDict(populate_by_name=True, str_strip_whitespace=True)"),
        ("        allow_mutation = False\n", "ConfigDict(frozen=True)"),
        ("        allow_mutation = True\n", "ConfigDict(frozen=False)"),
        ('        extra = "forbid"\n        validate_assignment = True\n',
         'ConfigDict(extra="forbid", validate_assignment=True)'),
        ("        use_enum_values = True; arbitrary_types_allowed = True\n",
         "ConfigDict(use_enum_values=True, arbitrary_types_allowed=True)"),
        ('        schema_extra = {"example": {"email": "a@b.c"}}\n',
         'ConfigDict(json_schema_extra={"example": {"email": "a@b.c"}})'),
        ("        pass\n", "ConfigDict()"),
    ],
)
def test_config_class_becomes_model_config(config: str, fixed: str) -> None:
    source = _model(config)
    [diagnostic] = lint(source, select=("CL404",))
    assert found([diagnostic]) == [("CL404", 7, 11)]
    assert diagnostic.message == "Replace `class Config:` with `model_config = ConfigDict(...)`"
    assert diagnostic.fix.applicability is FixSafety.SAFE
    expected = (f"from pydantic import BaseModel, ConfigDict\n\n\nclass User(BaseModel):\n    email: str\n\n"
                f"    model_config = {fixed}\n")
    assert fix(source, select=("CL404",)) == expected


def test_extra_enum_becomes_a_string_and_a_multi_line_value_moves_with_its_class() -> None:
    config = ('        extra = Extra.forbid\n        schema_extra = {\n'
              '            "example": {"email": "a@b.c"},\n        }\n')
    source = _model(config, imports="from pydantic import BaseModel, Extra")
    assert fix(source, select=("CL404",)) == (
        "from pydantic import BaseModel, Extra, ConfigDict\n\n\nclass User(BaseModel):\n    email: str\n\n"
        '    model_config = ConfigDict(extra="forbid", json_schema_extra={\n'
        '        "example": {"email": "a@b.c"},\n    })\n')


@pytest.mark.parametrize(
    "config",
    [
        '        fields = {"email": "mail"}\n',
        "        json_encoders = {datetime: str}\n",
        "        allow_mutation = MUTABLE\n",
        '        env_file = ".env"\n',
        "        orm_mode = True  # read ORM objects\n",
        "        # read ORM objects\n        orm_mode = True\n",
        '        """Options."""\n        orm_mode = True\n',
        "        @staticmethod\n        def schema_extra(schema, model):\n            schema.pop('title')\n",
    ],
)
def test_config_without_a_known_translation_has_no_fix(config: str) -> None:
    source = _model(config)
    [diagnostic] = lint(source, select=("CL404",))
    assert (found([diagnostic]), diagnostic.fix) == ([("CL404", 7, 11)], None)


def test_config_beside_a_model_config_has_no_fix() -> None:
    source = _model("        orm_mode = True\n\n    model_config = ConfigDict(frozen=True)\n",
                    imports="from pydantic import BaseModel, ConfigDict")
    [diagnostic] = lint(source, select=("CL404",))
    assert diagnostic.fix is None


def test_settings_config_becomes_settings_config_dict() -> None:
    source = """
    from pydantic_settings import BaseSettings


    class Settings(BaseSettings):
        database_url: str

        class Config:
            env_file = ".env"
            env_prefix = "APP_"
            case_sensitive = True


    class TestSettings(Settings):
        class Config:
            env_file = ".env.test"
    """
    assert found(lint(source, select=("CL404",), path="app/core/config.py")) == [("CL404", 7, 11), ("CL404", 14, 11)]
    assert fix(source, select=("CL404",), path="app/core/config.py") == _source("""
    from pydantic_settings import BaseSettings, SettingsConfigDict


    class Settings(BaseSettings):
        database_url: str

        model_config = SettingsConfigDict(env_file=".env", env_prefix="APP_", case_sensitive=True)


    class TestSettings(Settings):
        model_config = SettingsConfigDict(env_file=".env.test")
    """)


def test_v1_base_settings_is_reported_without_a_fix() -> None:
    source = """
    from pydantic import BaseSettings


    class Settings(BaseSettings):
        class Config:
            env_file = ".env"


    class TestSettings(Settings):
        class Config:
            env_file = ".env.test"
    """
    diagnostics = lint(source, select=("CL404",), path="app/core/config.py")
    assert found(diagnostics) == [("CL404", 5, 11), ("CL404", 10, 11)]
    assert diagnostics[0].message == "Replace `class Config:` with `model_config = SettingsConfigDict(...)`"
    assert [d.fix for d in diagnostics] == [None, None]


@pytest.mark.parametrize(
    "source",
    [
        # Not nested in a Pydantic model.
        "from pydantic import BaseModel\n\n\nclass Config:\n    orm_mode = True\n",
        "class Meta:\n    class Config:\n        orm_mode = True\n",
        "from dataclasses import dataclass\n\n\n@dataclass\nclass User:\n    class Config:\n        frozen = True\n",
        # Only a class body's own `Config` counts.
        ("from pydantic import BaseModel\n\n\nclass User(BaseModel):\n    def build(self):\n"
         "        class Config:\n            orm_mode = True\n        return Config\n"),
    ],
)
def test_other_config_classes_pass(source: str) -> None:
    assert found(lint(source, select=("CL404",))) == []


# CL404: `ConfigDict` keys and validators

def test_v1_keys_in_config_dict_are_renamed() -> None:
    source = """
    from pydantic import BaseModel, ConfigDict


    class User(BaseModel):
        model_config = ConfigDict(orm_mode=True, allow_population_by_field_name=True, frozen=True)


    class Post(BaseModel):
        model_config = ConfigDict(orm_mode=True, from_attributes=True)
    """
    diagnostics = lint(source, select=("CL404",))
    assert found(diagnostics) == [("CL404", 5, 31), ("CL404", 5, 46), ("CL404", 9, 31)]
    assert diagnostics[0].message == "Rename `orm_mode` to `from_attributes`, its Pydantic v2 name"
    # Both spellings in one call: renaming would repeat the keyword.
    assert diagnostics[2].fix is None
    assert fix(source, select=("CL404",)) == _source(source).replace(
        "ConfigDict(orm_mode=True, allow_population_by_field_name=True, frozen=True)",
        "ConfigDict(from_attributes=True, populate_by_name=True, frozen=True)")


@pytest.mark.parametrize(
    ("imports", "decorator", "message"),
    [
        ("from pydantic import validator", '@validator("email")',
         "Use `@field_validator` (on a `@classmethod`) instead of Pydantic v1's `@validator`"),
        ("import pydantic", '@pydantic.validator("email", pre=True)',
         "Use `@field_validator` (on a `@classmethod`) instead of Pydantic v1's `@validator`"),
        ("from pydantic.v1 import validator as check", '@check("email")',
         "Use `@field_validator` (on a `@classmethod`) instead of Pydantic v1's `@validator`"),
        ("from pydantic import root_validator", "@root_validator(pre=True)",
         'Use `@model_validator(mode="before")` (or `"after"`) instead of Pydantic v1\'s `@root_validator`'),
        ("from pydantic import root_validator", "@root_validator",
         'Use `@model_validator(mode="before")` (or `"after"`) instead of Pydantic v1\'s `@root_validator`'),
    ],
)
def test_v1_validators_are_reported_without_a_fix(imports: str, decorator: str, message: str) -> None:
    source = (f"{imports}\nfrom pydantic import BaseModel\n\n\nclass User(BaseModel):\n    email: str\n\n"
              f"    {decorator}\n    def check_email(cls, value):\n        return value\n")
    [diagnostic] = lint(source, select=("CL404",))
    assert (found([diagnostic]), diagnostic.message, diagnostic.fix) == ([("CL404", 8, 5)], message, None)


@pytest.mark.parametrize(
    "decorator",
    ['@field_validator("email")', "@model_validator(mode=\"after\")", '@validator("email")'],
)
def test_v2_and_foreign_validators_pass(decorator: str) -> None:
    source = ("from pydantic import BaseModel, field_validator, model_validator\nfrom app.checks import validator\n"
              f"\n\nclass User(BaseModel):\n    email: str\n\n    {decorator}\n    @classmethod\n"
              "    def check_email(cls, value):\n        return value\n")
    assert found(lint(source, select=("CL404",))) == []


# CL404: v1 methods on models

_SCHEMAS = """
from app.models.user import User
from app.schemas.user import UserCreate, UserResponse
from pydantic import BaseModel


class Page(BaseModel):
    total: int

    def payload(self) -> dict:
        return self.dict()

    @classmethod
    def load(cls, data: dict) -> "Page":
        return cls.parse_obj(data)
"""


@pytest.mark.parametrize(
    ("code", "column", "fixed"),
    [
        ("user_in.dict()", 9, "user_in.model_dump()"),
        ("user_in.dict(exclude_unset=True, by_alias=True)", 9, "user_in.model_dump(exclude_unset=True, by_alias=True)"),
        ("user_in.json(indent=2)", 9, "user_in.model_dump_json(indent=2)"),
        ("maybe.dict()", 7, "maybe.model_dump()"),
        ("UserResponse.from_orm(row)", 14, "UserResponse.model_validate(row)"),
        ("UserCreate.parse_obj(data)", 12, "UserCreate.model_validate(data)"),
        ("Page.parse_obj(data)", 6, "Page.model_validate(data)"),
        ("Page(total=1).json()", 15, "Page(total=1).model_dump_json()"),
        ("UserResponse.model_validate(row).dict()", 34, "UserResponse.model_validate(row).model_dump()"),
        ("made.dict()", 6, "made.model_dump()"),
        ("annotated.dict()", 11, "annotated.model_dump()"),
    ],
)
def test_v1_methods_on_known_models(code: str, column: int, fixed: str) -> None:
    source = (_SCHEMAS + "\n\ndef service(user_in: UserCreate, maybe: UserCreate | None, row: User, data: dict):\n"
              "    made = Page(total=1)\n    annotated: UserResponse = load()\n    return " + code + "\n")
    diagnostics = lint(source, select=("CL404",))
    last_row = _source(source).count("\n")
    assert found(diagnostics) == [("CL404", 10, 21), ("CL404", 14, 20), ("CL404", last_row, 11 + column)]
    assert fix(source, select=("CL404",)).splitlines()[-1] == f"    return {fixed}"


@pytest.mark.parametrize(
    "code",
    [
        "response.json()",
        "row.dict()",
        "data.dict()",
        "unknown.dict()",
        "reassigned.dict()",
        "UserCreate.dict()",
        "user_in.from_orm(row)",
        "user_in.copy()",
        "self.dict()",
    ],
)
def test_v1_method_names_on_other_receivers_pass(code: str) -> None:
    source = (_SCHEMAS.replace("return self.dict()", "return {}").replace("return cls.parse_obj(data)", "return cls()")
              + "\n\nasync def service(user_in: UserCreate, row: User, data: dict, client):\n"
              "    response = await client.get('/users')\n    reassigned = UserCreate(email='a')\n"
              "    reassigned = row\n    return " + code + "\n")
    assert found(lint(source, select=("CL404",))) == []


def test_a_name_rebound_from_its_own_dump_is_checked_before_the_rebinding() -> None:
    source = """
    from app.models.user import User
    from app.schemas.user import UserCreate


    def create(user: UserCreate) -> User:
        user = User(**user.dict())
        return user.dict()
    """
    assert found(lint(source, select=("CL404",))) == [("CL404", 6, 24)]


@pytest.mark.parametrize(
    "code",
    ["user_in.dict(exclude={'password'}, encoder=str)", "user_in.json(models_as_dict=False)",
     "UserCreate.parse_obj(data, strict=True)", "UserCreate.from_orm(obj=row)", "user_in.dict(*fields)"],
)
def test_arguments_the_v2_method_does_not_take_leave_no_fix(code: str) -> None:
    source = (_SCHEMAS + "\n\ndef service(user_in: UserCreate, row: User, data: dict):\n    return " + code + "\n")
    [*_, diagnostic] = lint(source, select=("CL404",))
    assert diagnostic.location.row == _source(source).count("\n") and diagnostic.fix is None


def test_module_alias_is_used_and_noqa_on_the_last_line_of_a_statement_suppresses() -> None:
    source = """
    import pydantic as pd

    from app.models.user import User


    class UserCreate(pd.BaseModel):
        class Config:
            anystr_strip_whitespace = True


    def build(user_in: UserCreate) -> User:
        return User(
            **user_in.dict(),
        )  # noqa: CL404
    """
    assert found(lint(source, select=("CL404",))) == [("CL404", 7, 11)]
    assert fix(source, select=("CL404",)) == _source(source).replace(
        "class Config:\n        anystr_strip_whitespace = True",
        "model_config = pd.ConfigDict(str_strip_whitespace=True)")


def test_crlf_source_keeps_its_line_endings_cl404() -> None:
    source = _crlf("""
    from pydantic import BaseModel


    class UserResponse(BaseModel):
        email: str

        class Config:
            orm_mode = True


    def dump(user: UserResponse) -> dict:
        return user.dict()
    """)
    assert fix(source, select=("CL404",)) == _crlf("""
    from pydantic import BaseModel, ConfigDict


    class UserResponse(BaseModel):
        email: str

        model_config = ConfigDict(from_attributes=True)


    def dump(user: UserResponse) -> dict:
        return user.model_dump()
    """)


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
