"""CL402 for Pydantic request bodies: input strings are bounded (response_schemas.py: CL403; pydantic_v1.py: CL404)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.fixes.calls import with_argument
from conventions_lint.names import last_name
from conventions_lint.recognize.pydantic import (
    declared_fields,
    is_field_call,
    is_length_limiter,
    limits_length,
)
from conventions_lint.recognize.syntax import (
    is_builtin,
    keyword,
    string_value,
    subscript_args,
    unwrap_optional,
)
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder

_INPUT_SUFFIXES = ("Create", "Update")


class UnconstrainedStrField(Rule):
    """
    ## What it does
    Checks for `str` fields (also `Optional[str]`, `str | None`) of Pydantic
    models named `*Create` or `*Update` that set no `max_length`: neither in
    `Field(...)`, nor in `Annotated[str, Field(...)]`,
    `Annotated[str, StringConstraints(...)]` or `constr(...)`. The fields a
    `*Create`/`*Update` model inherits from a model in the same file (its
    `*Base`) are checked where they are declared, unless the subclass
    declares them again.

    ## Why is this bad?
    Create and update schemas are what clients send. Without a maximum
    length the API accepts strings of any size, which the database column
    then rejects with an error 500, or stores without a bound.

    A `min_length` alone bounds nothing, so the conventions' own example,
    `password: str = Field(..., min_length=8)`, is reported: a password is
    hashed, not stored, but hashing one of a few megabytes is work the
    server does for anyone who sends it (bcrypt, besides, ignores all after
    its 72nd byte). Give it a `max_length` too.

    ## Fix safety
    The fix adds `max_length=255` (the `string-length` setting) to the
    field's `Field(...)` default, else to the `Field(...)`,
    `StringConstraints(...)` or `constr(...)` of its annotation (replacing a
    `max_length=None`); a field without any gets `= Field(..., max_length=255)`,
    keeping its default as the first argument (`= Field(None, max_length=255)`)
    and importing `Field` from pydantic. It is unsafe: requests with longer
    values are rejected from then on.

    A limit never goes below the field's own default: a string default
    longer than `string-length` gets no fix, and neither does a default
    whose length cannot be read from the code (`" ".join(ALL_SCOPES)`, a
    constant, a `default_factory`): clients that send the default back
    would be rejected.
    """

    code = "CL402"
    name = "unconstrained-str-field"
    OPTIONS = ("schema-bases",)
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
    VALID = (
        Valid("""
            from pydantic import BaseModel, Field


            class UserCreate(BaseModel):
                email: str = Field(..., max_length=255)
                age: int
        """),
        Valid("""
            from typing import Annotated, Optional

            from pydantic import BaseModel, EmailStr, Field, StringConstraints, constr


            class UserUpdate(BaseModel):
                name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)]
                bio: Optional[Annotated[str, Field(max_length=500)]] = None
                code: constr(max_length=8)
                email: EmailStr
                tags: list[str] = []
        """),
        # Responses and plain dataclasses are not input schemas.
        Valid("""
            from dataclasses import dataclass

            from pydantic import BaseModel


            class UserResponse(BaseModel):
                name: str


            @dataclass
            class UserCreate:
                name: str
        """),
    )
    INVALID = (
        Invalid(
            """
            from pydantic import BaseModel


            class UserCreate(BaseModel):
                email: str
                age: int
        """,
            line=5,
            column=5,
            fixed="""
            from pydantic import BaseModel, Field


            class UserCreate(BaseModel):
                email: str = Field(..., max_length=255)
                age: int
        """,
        ),
        Invalid(
            """
            from typing import Optional

            from pydantic import BaseModel, Field


            class UserBase(BaseModel):
                name: Optional[str] = Field(None, min_length=1)


            class UserUpdate(UserBase):
                pass
        """,
            line=7,
            column=5,
            settings=(("string-length", 100),),
            fixed="""
            from typing import Optional

            from pydantic import BaseModel, Field


            class UserBase(BaseModel):
                name: Optional[str] = Field(None, min_length=1, max_length=100)


            class UserUpdate(UserBase):
                pass
        """,
        ),
        Invalid(
            """
            import pydantic


            class PostCreate(pydantic.BaseModel):
                title: str = "Untitled"  # shown in the feed
        """,
            line=5,
            column=5,
            fixed="""
            import pydantic


            class PostCreate(pydantic.BaseModel):
                title: str = pydantic.Field("Untitled", max_length=255)  # shown in the feed
        """,
        ),
        Invalid(
            """
            from pydantic import BaseModel, Field


            class UserCreate(BaseModel):
                email: str = Field(..., max_length=255)
                password: str = Field(..., min_length=8)
        """,
            line=6,
            column=5,
            settings=(("string-length", 128),),
            fixed="""
            from pydantic import BaseModel, Field


            class UserCreate(BaseModel):
                email: str = Field(..., max_length=255)
                password: str = Field(..., min_length=8, max_length=128)
        """,
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        # The `str` of each `Annotated[str, ...]`, with the metadata after it.
        self._annotated: dict[cst.CSTNode, list[cst.BaseExpression]] = {}

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if last_name(node.value) == "Annotated":
            args = subscript_args(node)
            if args:
                self._annotated[args[0]] = args[1:]

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        # On leaving: the `Annotated[...]` of the annotation has been visited.
        owner = self.context.enclosing_class
        if owner is None or not isinstance(node.target, cst.Name):
            return
        name = node.target.value
        if declared_fields(owner).get(name) is not node:
            return
        if self.context.index.classes.get(owner.name.value) is owner:
            checked = name in self._input_fields.get(owner.name.value, ())
        else:
            checked = self._is_input_schema(owner)
        if checked:
            self._check(node)

    def _is_input_schema(self, node: cst.ClassDef) -> bool:
        index = self.context.index
        return node.name.value.endswith(_INPUT_SUFFIXES) and index.is_pydantic(node) and not index.is_settings(node)

    @cached_property
    def _input_fields(self) -> dict[str, set[str]]:
        """The fields of each class of the file that a `*Create`/`*Update` model accepts."""
        found: dict[str, set[str]] = {}
        for node in self.context.index.classes.values():
            if self._is_input_schema(node):
                self._collect(node, frozenset(), found, set())
        return found

    def _collect(
        self, node: cst.ClassDef, shadowed: frozenset[str], found: dict[str, set[str]], seen: set[str]
    ) -> None:
        seen.add(node.name.value)
        declared = declared_fields(node).keys()
        found.setdefault(node.name.value, set()).update(declared - shadowed)
        for arg in node.bases:
            base = self.context.index.classes.get(arg.value.value) if isinstance(arg.value, cst.Name) else None
            if base is not None and base.name.value not in seen and self.context.index.is_pydantic(base):
                self._collect(base, shadowed | declared, found, seen)

    def _check(self, statement: cst.AnnAssign) -> None:
        text = unwrap_optional(statement.annotation.annotation)
        if is_builtin(text, "str"):
            limiters = [call for call in self._annotated.get(text, ()) if is_length_limiter(self.context, call)]
        elif is_length_limiter(self.context, text) and last_name(text.func) == "constr":
            limiters = [text]
        else:
            return
        if is_field_call(self.context, statement.value):
            limiters.insert(0, statement.value)
        if not any(limits_length(call) for call in limiters):
            name, length = statement.target.value, self.settings.string_length
            where = last_name(limiters[0].func) if limiters else "Field"
            default = self._default_length(statement)
            # A limit below the field's own default would reject the clients that send it.
            fits = default is not None and default <= length
            self.report(
                statement.target,
                f"Give `{name}` a maximum length: `{where}(..., max_length={length})`",
                fix=self._length_fix(statement, limiters) if fits else None,
            )

    def _default_length(self, statement: cst.AnnAssign) -> int | None:
        """The length of the field's string default (0 for none, `None` or `...`); None when it is not
        a literal (`" ".join(SCOPES)`, a constant, a `default_factory`) and cannot be known."""
        value = statement.value
        if is_field_call(self.context, value):
            if keyword(value, "default_factory") is not None:
                return None
            given = keyword(value, "default")
            positional = [arg.value for arg in value.args if arg.keyword is None and not arg.star]
            value = given.value if given is not None else next(iter(positional), None)
        if value is None or isinstance(value, cst.Ellipsis) or (isinstance(value, cst.Name) and value.value == "None"):
            return 0
        text = string_value(value)
        return len(text) if text is not None else None

    def _length_fix(self, statement: cst.AnnAssign, limiters: list[cst.Call]) -> FixBuilder:
        length = str(self.settings.string_length)
        if limiters:
            call = limiters[0]
            fix = self.fix(f"Add `max_length={length}` to `{last_name(call.func)}(...)`")
            given = keyword(call, "max_length")
            if given is not None:
                return fix.replace(given.value, length)
            return fix.replace(call, with_argument(call, len(call.args), length, "max_length"))
        if statement.value is None:
            fix = self.fix(f"Add `= Field(..., max_length={length})`")
            field = fix.import_name("pydantic", "Field")
            return fix.insert_after(statement.annotation, f" = {field}(..., max_length={length})")
        fix = self.fix(f"Wrap the default in `Field(..., max_length={length})`")
        field = fix.import_name("pydantic", "Field")
        return fix.insert_before(statement.value, f"{field}(").insert_after(statement.value, f", max_length={length})")
