"""CL203: id fields of the API's schemas are UUIDs (id_path_parameters.py: the ids of paths)."""

from __future__ import annotations

import libcst as cst

from conventions_lint.fixes.uuid_types import RetypesIntegerIds
from conventions_lint.recognize.annotations import int_alias
from conventions_lint.recognize.ids import alias_shown, int_annotation, is_id_name
from conventions_lint.recognize.syntax import class_body_statements
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid


class IntegerIdField(RetypesIntegerIds, Rule):
    """
    ## What it does
    Checks for Pydantic model fields named `id` or `*_id` typed as `int`
    (also `Optional[int]`, `int | None` and `Annotated[int, ...]`).
    Settings classes (`BaseSettings`) are not schemas and are not checked.

    ## Why is this bad?
    Identifiers are UUIDs by convention. An `int` id field accepts and
    documents the wrong type, so the API contract disagrees with the database.

    ## Fix safety
    The fix replaces `int` with `UUID` (inside `Optional[...]` and
    `Annotated[...]` too), adds `from uuid import UUID` (or uses `uuid.UUID`
    when the file has `import uuid`), and drops the numeric bounds (`gt`,
    `ge`, `lt`, `le`, `multiple_of`) of the field's `Field(...)`, which a
    UUID cannot be compared with. It is unsafe: it changes what the API
    accepts and returns.

    There is no fix for a field typed by an alias of `int` (`UserId`),
    which other fields share: it is reported, and retyping the alias is
    the project's decision. A name the fix imports never collides with one
    in scope: when a variable, attribute or parameter where it is used
    already has that name, it is not imported and there is no fix.
    """

    code = "CL203"
    name = "integer-id-field"
    OPTIONS = ("schema-bases",)
    REQUIRES = (b"id:", b"id :")
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
    VALID = (
        Valid(
            """
            from uuid import UUID

            from pydantic import BaseModel


            class PostResponse(BaseModel):
                id: UUID
                author_id: UUID
                title: str
        """,
            path="app/schemas/post.py",
        ),
        # Not id fields, or not a Pydantic model.
        Valid("""
            from dataclasses import dataclass

            from pydantic import BaseModel


            class PostStats(BaseModel):
                view_count: int
                request_id: str


            @dataclass
            class Row:
                id: int
        """),
        Valid("""
            from pydantic_settings import BaseSettings


            class Settings(BaseSettings):
                telegram_chat_id: int = 0
        """),
    )
    INVALID = (
        Invalid(
            """
            from uuid import UUID

            from pydantic import BaseModel


            class PostResponse(BaseModel):
                id: int
                author_id: UUID
                title: str
        """,
            line=7,
            column=9,
            path="app/schemas/post.py",
            fixed="""
            from uuid import UUID

            from pydantic import BaseModel


            class PostResponse(BaseModel):
                id: UUID
                author_id: UUID
                title: str
        """,
        ),
        Invalid(
            """
            from typing import Annotated, Optional

            from pydantic import BaseModel, Field


            class PostUpdate(BaseModel):
                editor_id: Optional[Annotated[int, Field(gt=0)]] = None
        """,
            line=7,
            column=35,
            fixed="""
            from typing import Annotated, Optional
            from uuid import UUID

            from pydantic import BaseModel, Field


            class PostUpdate(BaseModel):
                editor_id: Optional[Annotated[UUID, Field()]] = None
        """,
        ),
        Invalid(
            """
            from pydantic import BaseModel


            class PostBase(BaseModel):
                title: str


            class PostCreate(PostBase):
                author_id: int | None = None
        """,
            line=9,
            column=16,
            fixed="""
            from uuid import UUID

            from pydantic import BaseModel


            class PostBase(BaseModel):
                title: str


            class PostCreate(PostBase):
                author_id: UUID | None = None
        """,
        ),
    )

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        if not self.context.index.is_pydantic(node) or self.context.index.is_settings(node):
            return
        for statement in class_body_statements(node):
            if not (isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name)):
                continue
            name = statement.target.value
            if not is_id_name(name):
                continue
            integer = int_annotation(statement.annotation.annotation)
            if integer is not None:
                fix = self._uuid_fix(integer, statement.value, blocks=(node.body,))
                self.report(integer, f"Type `{name}` as `UUID`, not `int`", fix=fix)
            elif (alias := int_alias(self.context, statement.annotation.annotation)) is not None:
                # The alias is shared: retyping it is the project's decision, not a fix of this field.
                self.report(alias, f"Type `{name}` as `UUID`, not `int` (`{alias_shown(alias)}` stands for `int`)")
