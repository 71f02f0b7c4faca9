"""CL404: Pydantic v1 idioms in a Pydantic v2 code base (schemas.py: the other Pydantic rules of CL4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.fixes.calls import with_argument
from conventions_lint.fixes.pydantic_v2 import (
    CLASS_METHODS,
    RENAMED_KEYS,
    RENAMED_METHODS,
    holds_comments,
    takes,
    v2_config_entry,
)
from conventions_lint.recognize.pydantic import (
    is_config_dict,
    is_model_class,
    is_v1_settings,
    model_config_of,
    v1_config_class,
    v1_config_entries,
)
from conventions_lint.recognize.pydantic_versions import runs_only_on_pydantic_v1
from conventions_lint.recognize.syntax import (
    keyword,
    unwrap_optional,
)
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder

# Class methods that return an instance of their class.
_INSTANCE_FACTORIES = frozenset(
    {"model_validate", "model_validate_json", "model_construct", "from_orm", "parse_obj", "parse_raw", "construct"}
)
_VALIDATORS = {
    "validator": "Use `@field_validator` (on a `@classmethod`) instead of Pydantic v1's `@validator`",
    "root_validator": (
        'Use `@model_validator(mode="before")` (or `"after"`) instead of Pydantic v1\'s `@root_validator`'
    ),
}


class PydanticV1Config(Rule):
    """
    ## What it does
    Checks for Pydantic v1 idioms: a nested `class Config:` in a Pydantic
    model or settings class (with its `orm_mode = True`), v1 key names in
    `ConfigDict(...)`, the `@validator` and `@root_validator` decorators, and
    the `.dict()`, `.json()`, `.from_orm()` and `.parse_obj()` methods called
    on a model class or instance. The receiver must be known to be a model: a
    class defined in the file or imported from a schemas module, `self`/`cls`
    in a model's methods, or a name annotated with (or assigned) a model;
    `response.json()` on an HTTP response is not flagged.

    ## Why is this bad?
    Pydantic v2 keeps the methods and decorators only as deprecated aliases,
    which warn at runtime and go away in the next major version, and it
    ignores the v1 configuration keys: a model with `orm_mode = True` only
    gets a warning, not `from_attributes`.

    ## Fix safety
    The fixes are safe. `class Config:` becomes `model_config =
    ConfigDict(...)` (`SettingsConfigDict(...)` from pydantic_settings in a
    `BaseSettings` class) with the keys renamed (`orm_mode` to
    `from_attributes`, `allow_mutation = False` to `frozen=True`,
    `Extra.forbid` to `"forbid"`, …), importing what it needs; there is no fix
    when the class holds a key without a known v2 equivalent, a method, or
    comments, or derives from v1's `pydantic.BaseSettings`. `.dict()` becomes
    `.model_dump()`, `.json()` `.model_dump_json()`, and `.from_orm(x)` and
    `.parse_obj(x)` become `.model_validate(x)`, unless the call passes an
    argument the new method does not take. `@validator` and `@root_validator`
    have no fix: `@field_validator` needs a `@classmethod` and different
    arguments, and `@model_validator` needs a mode chosen by reading the code.

    A name the fix imports never collides with one in scope: when a
    variable, attribute or parameter where it is used already has that
    name, it is not imported and there is no fix.

    ## Known limits
    Code written for both Pydantic versions is not reported where only v1
    runs it: the `else` of `if <v2 check>:`, the body of `if <v1 check>:` or
    `if not <v2 check>:`, either side of `a if <check> else b`, and what
    follows `if <v2 check>: return`. A check is judged by what it tests,
    not by what a variable's name suggests of its type: pydantic's
    `VERSION` (`.startswith("1")`, `[0] == "2"`, `int(....split(".")[0]) >= 2`),
    `hasattr(x, "model_dump")` (an attribute only v2 models have), and a
    flag or function whose name says it is a Pydantic version check
    (`PYDANTIC_V2`, `IS_PYDANTIC_V2`, `is_pydantic_v1()`, or `is_v2_model`
    imported from a module of a `pydantic` package). A check hidden behind
    another name (`if compat.NEW:`) is not recognised, and its v1 branch
    is reported.
    """

    code = "CL404"
    name = "pydantic-v1-config"
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.SAFE
    VALID = (
        Valid("""
            from pydantic import BaseModel, ConfigDict


            class UserResponse(BaseModel):
                email: str

                model_config = ConfigDict(from_attributes=True)
        """),
        Valid("""
            import httpx
            from pydantic import BaseModel, field_validator


            class UserCreate(BaseModel):
                email: str

                @field_validator("email")
                @classmethod
                def lower(cls, value: str) -> str:
                    return value.lower()


            async def fetch(client: httpx.AsyncClient, user: UserCreate) -> dict:
                response = await client.post("/users", json=user.model_dump())
                return response.json()
        """),
        # A `Config` class that is not inside a Pydantic model, and `.dict()` on unknown receivers.
        Valid("""
            from app.models.user import User


            class Config:
                orm_mode = True


            def to_payload(user: User, row) -> dict:
                return {**row.dict(), "name": user.json()}
        """),
        # prefect's `prefect/input/actions.py`: `.json()` runs only on Pydantic v1 models.
        Valid("""
            import pydantic

            from prefect._internal.pydantic.v2_schema import is_v2_model


            def to_json(model_instance: pydantic.BaseModel) -> str:
                if is_v2_model(model_instance):
                    return model_instance.model_dump_json()
                else:
                    return model_instance.json()
        """),
    )
    INVALID = (
        Invalid(
            """
            from pydantic import BaseModel


            class UserResponse(BaseModel):
                email: str

                class Config:
                    orm_mode = True
        """,
            line=7,
            column=11,
            fixed="""
            from pydantic import BaseModel, ConfigDict


            class UserResponse(BaseModel):
                email: str

                model_config = ConfigDict(from_attributes=True)
        """,
        ),
        Invalid(
            """
            from pydantic import Extra
            from pydantic_settings import BaseSettings


            class Settings(BaseSettings):
                database_url: str

                class Config:
                    env_file = ".env"
                    extra = Extra.ignore
        """,
            line=8,
            column=11,
            path="app/core/config.py",
            fixed="""
            from pydantic_settings import BaseSettings, SettingsConfigDict


            class Settings(BaseSettings):
                database_url: str

                model_config = SettingsConfigDict(env_file=".env", extra="ignore")
        """,
        ),
        Invalid(
            """
            from pydantic import BaseModel, validator


            class UserCreate(BaseModel):
                email: str

                @validator("email")
                def lower(cls, value: str) -> str:
                    return value.lower()
        """,
            line=7,
            column=5,
        ),
        Invalid(
            """
            from app.models.user import User
            from app.schemas.user import UserCreate, UserResponse


            def create_user_service(user_in: UserCreate) -> UserResponse:
                user = User(**user_in.dict(exclude_unset=True))
                return UserResponse.model_validate(user)
        """,
            line=6,
            column=27,
            path="app/services/user_service.py",
            fixed="""
            from app.models.user import User
            from app.schemas.user import UserCreate, UserResponse


            def create_user_service(user_in: UserCreate) -> UserResponse:
                user = User(**user_in.model_dump(exclude_unset=True))
                return UserResponse.model_validate(user)
        """,
        ),
        Invalid(
            """
            from pydantic import BaseModel, ConfigDict


            class PostResponse(BaseModel):
                model_config = ConfigDict(orm_mode=True)
        """,
            line=5,
            column=31,
            fixed="""
            from pydantic import BaseModel, ConfigDict


            class PostResponse(BaseModel):
                model_config = ConfigDict(from_attributes=True)
        """,
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        # Per function (and the module): whether each name holds a model instance.
        self._scopes: list[dict[str, bool]] = [{}]

    def report(self, node: cst.CSTNode, message: str, **kwargs) -> None:
        # Code for both versions keeps v1's idioms where only Pydantic v1 runs them.
        if not runs_only_on_pydantic_v1(self.context):
            super().report(node, message, **kwargs)

    # The nested `class Config:`.

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        owner = self.context.enclosing_class
        if owner is None or v1_config_class(owner) is not node:
            return
        v1_settings = is_v1_settings(self.context, owner)
        if not (self.context.index.is_pydantic(owner) or v1_settings):
            return
        settings = self.context.index.is_settings(owner)
        spelled = "SettingsConfigDict" if settings or v1_settings else "ConfigDict"
        fix = None if v1_settings or model_config_of(owner) is not None else self._config_fix(node, settings)
        self.report(node.name, f"Replace `class Config:` with `model_config = {spelled}(...)`", fix=fix)

    def _config_fix(self, config: cst.ClassDef, settings: bool) -> FixBuilder | None:
        entries = v1_config_entries(config)
        if entries is None or holds_comments(config):
            return None
        module, name = ("pydantic_settings", "SettingsConfigDict") if settings else ("pydantic", "ConfigDict")
        fix = self.fix(f"Replace `class Config:` with `model_config = {name}(...)`")
        call = cst.Call(cst.parse_expression(fix.import_name(module, name)))
        for key, value in entries.items():
            converted = v2_config_entry(self.context, key, value, settings=settings)
            if converted is None:
                return None
            call = with_argument(call, len(call.args), converted[1], converted[0])
        # A new expression is laid out for the blocks around it (a new statement would not be): the call
        # takes the place of the class, and the assignment's start goes before it.
        return fix.insert_before(config, "model_config = ").replace(config, call)

    # `ConfigDict(orm_mode=True)` and the decorators.

    def visit_Arg(self, node: cst.Arg) -> None:
        call = self.context.parent
        if node.keyword is None or node.keyword.value not in RENAMED_KEYS:
            return
        if not (isinstance(call, cst.Call) and is_config_dict(self.context, call)):
            return
        old, new = node.keyword.value, RENAMED_KEYS[node.keyword.value]
        # With both spellings in the call, the rename would repeat a keyword.
        fix = None
        if keyword(call, new) is None:
            fix = self.fix(f"Rename `{old}` to `{new}`").replace(node.keyword, new)
        self.report(node.keyword, f"Rename `{old}` to `{new}`, its Pydantic v2 name", fix=fix)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        func = node.decorator.func if isinstance(node.decorator, cst.Call) else node.decorator
        for name, message in _VALIDATORS.items():
            if self.context.imports.refers_to(func, "pydantic", (name,)):
                self.report(node, message)

    # The v1 methods, on what is known to be a model.

    def visit_Call(self, node: cst.Call) -> None:
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else None
        if method not in RENAMED_METHODS:
            return
        receiver = node.func.value
        if not (self._is_class(receiver) if method in CLASS_METHODS else self._is_instance(receiver)):
            return
        new = RENAMED_METHODS[method]
        fix = None
        if takes(node, method):
            fix = self.fix(f"Replace `.{method}()` with `.{new}()`").replace(node.func.attr, new)
        self.report(node.func.attr, f"Use `.{new}()` instead of Pydantic v1's `.{method}()`", fix=fix)

    def _is_class(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Name) and expr.value == "cls":
            return self._in_model_method()
        return is_model_class(self.context, expr)

    def _is_instance(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Name):
            if expr.value == "self":
                return self._in_model_method()
            return next((scope[expr.value] for scope in reversed(self._scopes) if expr.value in scope), False)
        if isinstance(expr, cst.Call):
            func = expr.func
            if isinstance(func, cst.Attribute) and func.attr.value in _INSTANCE_FACTORIES:
                return self._is_class(func.value)
            return is_model_class(self.context, func)
        return False

    def _in_model_method(self) -> bool:
        owner = self.context.enclosing_class
        in_method = owner is not None and self.context.enclosing_function is not None
        return in_method and self.context.index.is_pydantic(owner)

    # What names hold, as the walk goes.

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = node.params
        self._scopes.append(
            {
                param.name.value: self._annotates_model(param.annotation)
                for param in (*params.posonly_params, *params.params, *params.kwonly_params)
            }
        )

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.pop()

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and not self._in_class_body():
            self._scopes[-1][node.target.value] = self._annotates_model(node.annotation)

    def leave_Assign(self, node: cst.Assign) -> None:
        # On leaving: `user = User(**user.dict())` reads `user` before binding it again.
        if not self._in_class_body():
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self._scopes[-1][target.target.value] = self._is_instance(node.value)

    def _annotates_model(self, annotation: cst.Annotation | None) -> bool:
        return annotation is not None and is_model_class(self.context, unwrap_optional(annotation.annotation))

    def _in_class_body(self) -> bool:
        for node in reversed(self.context.ancestors):
            if type(node) is cst.FunctionDef:
                return False
            if type(node) is cst.ClassDef:
                return True
        return False
