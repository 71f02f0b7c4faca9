"""CL404 pydantic-v1-config beyond its examples."""

from __future__ import annotations

import pytest

from conventions_lint.diagnostic import Applicability
from tests.helpers import crlf_source as _crlf
from tests.helpers import dedent_source as _source
from tests.helpers import fix, found, lint

# CL404 pydantic-v1-config: `class Config:`


def _model(config: str, *, imports: str = "from pydantic import BaseModel", base: str = "BaseModel") -> str:
    """A model whose `class Config:` is on line 7 (with one import line)."""
    return f"{imports}\n\n\nclass User({base}):\n    email: str\n\n    class Config:\n{config}"


@pytest.mark.parametrize(
    ("config", "fixed"),
    [
        ("        orm_mode = True\n", "ConfigDict(from_attributes=True)"),
        (
            "        allow_population_by_field_name = True\n        anystr_strip_whitespace = True\n",
            "ConfigDict(populate_by_name=True, str_strip_whitespace=True)",
        ),
        ("        allow_mutation = False\n", "ConfigDict(frozen=True)"),
        ("        allow_mutation = True\n", "ConfigDict(frozen=False)"),
        (
            '        extra = "forbid"\n        validate_assignment = True\n',
            'ConfigDict(extra="forbid", validate_assignment=True)',
        ),
        (
            "        use_enum_values = True; arbitrary_types_allowed = True\n",
            "ConfigDict(use_enum_values=True, arbitrary_types_allowed=True)",
        ),
        (
            '        schema_extra = {"example": {"email": "a@b.c"}}\n',
            'ConfigDict(json_schema_extra={"example": {"email": "a@b.c"}})',
        ),
        ("        pass\n", "ConfigDict()"),
    ],
)
def test_config_class_becomes_model_config(config: str, fixed: str) -> None:
    source = _model(config)
    [diagnostic] = lint(source, select=("CL404",))
    assert found([diagnostic]) == [("CL404", 7, 11)]
    assert diagnostic.message == "Replace `class Config:` with `model_config = ConfigDict(...)`"
    assert diagnostic.fix.applicability is Applicability.SAFE
    expected = (
        f"from pydantic import BaseModel, ConfigDict\n\n\nclass User(BaseModel):\n    email: str\n\n"
        f"    model_config = {fixed}\n"
    )
    assert fix(source, select=("CL404",)) == expected


def test_extra_enum_becomes_a_string_and_a_multi_line_value_moves_with_its_class() -> None:
    config = (
        "        extra = Extra.forbid\n        schema_extra = {\n"
        '            "example": {"email": "a@b.c"},\n        }\n'
    )
    source = _model(config, imports="from pydantic import BaseModel, Extra")
    assert fix(source, select=("CL404",)) == (
        "from pydantic import BaseModel, ConfigDict\n\n\nclass User(BaseModel):\n    email: str\n\n"
        '    model_config = ConfigDict(extra="forbid", json_schema_extra={\n'
        '        "example": {"email": "a@b.c"},\n    })\n'
    )


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
    source = _model(
        "        orm_mode = True\n\n    model_config = ConfigDict(frozen=True)\n",
        imports="from pydantic import BaseModel, ConfigDict",
    )
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
        (
            "from pydantic import BaseModel\n\n\nclass User(BaseModel):\n    def build(self):\n"
            "        class Config:\n            orm_mode = True\n        return Config\n"
        ),
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
        "ConfigDict(from_attributes=True, populate_by_name=True, frozen=True)",
    )


@pytest.mark.parametrize(
    ("imports", "decorator", "message"),
    [
        (
            "from pydantic import validator",
            '@validator("email")',
            "Use `@field_validator` (on a `@classmethod`) instead of Pydantic v1's `@validator`",
        ),
        (
            "import pydantic",
            '@pydantic.validator("email", pre=True)',
            "Use `@field_validator` (on a `@classmethod`) instead of Pydantic v1's `@validator`",
        ),
        (
            "from pydantic.v1 import validator as check",
            '@check("email")',
            "Use `@field_validator` (on a `@classmethod`) instead of Pydantic v1's `@validator`",
        ),
        (
            "from pydantic import root_validator",
            "@root_validator(pre=True)",
            'Use `@model_validator(mode="before")` (or `"after"`) instead of Pydantic v1\'s `@root_validator`',
        ),
        (
            "from pydantic import root_validator",
            "@root_validator",
            'Use `@model_validator(mode="before")` (or `"after"`) instead of Pydantic v1\'s `@root_validator`',
        ),
    ],
)
def test_v1_validators_are_reported_without_a_fix(imports: str, decorator: str, message: str) -> None:
    source = (
        f"{imports}\nfrom pydantic import BaseModel\n\n\nclass User(BaseModel):\n    email: str\n\n"
        f"    {decorator}\n    def check_email(cls, value):\n        return value\n"
    )
    [diagnostic] = lint(source, select=("CL404",))
    assert (found([diagnostic]), diagnostic.message, diagnostic.fix) == ([("CL404", 8, 5)], message, None)


@pytest.mark.parametrize(
    "decorator",
    ['@field_validator("email")', '@model_validator(mode="after")', '@validator("email")'],
)
def test_v2_and_foreign_validators_pass(decorator: str) -> None:
    source = (
        "from pydantic import BaseModel, field_validator, model_validator\nfrom app.checks import validator\n"
        f"\n\nclass User(BaseModel):\n    email: str\n\n    {decorator}\n    @classmethod\n"
        "    def check_email(cls, value):\n        return value\n"
    )
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
    source = (
        _SCHEMAS + "\n\ndef service(user_in: UserCreate, maybe: UserCreate | None, row: User, data: dict):\n"
        "    made = Page(total=1)\n    annotated: UserResponse = load()\n    return " + code + "\n"
    )
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
    source = (
        _SCHEMAS.replace("return self.dict()", "return {}").replace("return cls.parse_obj(data)", "return cls()")
        + "\n\nasync def service(user_in: UserCreate, row: User, data: dict, client):\n"
        "    response = await client.get('/users')\n    reassigned = UserCreate(email='a')\n"
        "    reassigned = row\n    return " + code + "\n"
    )
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
    [
        "user_in.dict(exclude={'password'}, encoder=str)",
        "user_in.json(models_as_dict=False)",
        "UserCreate.parse_obj(data, strict=True)",
        "UserCreate.from_orm(obj=row)",
        "user_in.dict(*fields)",
    ],
)
def test_arguments_the_v2_method_does_not_take_leave_no_fix(code: str) -> None:
    source = _SCHEMAS + "\n\ndef service(user_in: UserCreate, row: User, data: dict):\n    return " + code + "\n"
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
        "model_config = pd.ConfigDict(str_strip_whitespace=True)",
    )


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
