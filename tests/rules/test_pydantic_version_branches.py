"""CL404 on code written for both Pydantic versions (ecosystem check, issue 15): what runs only on
Pydantic v1 models, in a branch of a Pydantic version check, is not a v1 idiom in a v2 code base."""

from __future__ import annotations

import pytest

from tests.helpers import found, lint

HEADER = """\
import pydantic
from pydantic import BaseModel
from pydantic.version import VERSION as PYDANTIC_VERSION

from app.compat import IS_PYDANTIC_V2, PYDANTIC_V1, PYDANTIC_V2
from app.utils import use_v2
from prefect._internal.pydantic.v2_schema import is_v2_model


class UserResponse(BaseModel):
    email: str


def dump(user: UserResponse, other: bool) -> str:
"""


def _lint(body: str) -> list[tuple[str, int, int]]:
    return [(code, row, column) for code, row, column in found(lint(HEADER + body, select=("CL404",)))]


@pytest.mark.parametrize(
    "body",
    [
        # prefect's prefect/input/actions.py.
        "    if is_v2_model(user):\n        return user.model_dump_json()\n    else:\n        return user.json()\n",
        "    if PYDANTIC_V2:\n        return user.model_dump_json()\n    else:\n        return user.json()\n",
        "    if IS_PYDANTIC_V2:\n        return user.model_dump_json()\n    else:\n        return user.json()\n",
        "    if other:\n        return ''\n    elif PYDANTIC_V1:\n        return user.json()\n",
        "    if not PYDANTIC_V2:\n        pass\n        pass\n        return user.json()\n",
        "    if pydantic.VERSION.startswith('1'):\n        pass\n        pass\n        return user.json()\n",
        "    if pydantic.VERSION.startswith('2.'):\n        pass\n    else:\n        return user.json()\n",
        "    if PYDANTIC_VERSION[0] == '1':\n        pass\n        pass\n        return user.json()\n",
        "    if int(pydantic.VERSION.split('.')[0]) >= 2:\n        pass\n    else:\n        return user.json()\n",
        "    if hasattr(user, 'model_dump_json'):\n        pass\n    else:\n        return user.json()\n",
        "    if hasattr(user, 'model_dump') or other:\n        pass\n    else:\n        return user.json()\n",
        "    if PYDANTIC_V1 and other:\n        pass\n        pass\n        return user.json()\n",
        "    return (\n        user.model_dump_json()\n        if PYDANTIC_V2\n        else user.json()\n    )\n",
        # What follows `if <v2>: return` runs only on v1.
        "    if PYDANTIC_V2:\n        return user.model_dump_json()\n    pass\n    return user.json()\n",
    ],
)
def test_a_call_that_runs_only_on_pydantic_v1_is_not_reported(body: str) -> None:
    assert _lint(body) == []


def _both(condition: str) -> str:
    """`.json()` in both branches of `if <condition>:`, on lines 16 and 18."""
    return f"    if {condition}:\n        return user.json()\n    else:\n        return user.json()\n"


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        (_both("PYDANTIC_V2"), [16]),
        (_both("PYDANTIC_V1"), [18]),
        (_both("pydantic.VERSION.startswith('2')"), [16]),
        (_both("hasattr(user, 'model_dump')"), [16]),
        # Not a version check: `hasattr(user, "dict")` holds on v2 too; `use_v2` says nothing of Pydantic.
        (_both("hasattr(user, 'dict')"), [16, 18]),
        (_both("use_v2"), [16, 18]),
        # `other or <v2>` and `<v1> or other` may hold on v2 too.
        (_both("other or PYDANTIC_V2"), [16]),
        (_both("PYDANTIC_V1 or other"), [16, 18]),
        # An early return that not every v2 run takes.
        ("    if PYDANTIC_V2 and other:\n        return user.model_dump_json()\n    return user.json()\n", [17]),
        ("    if PYDANTIC_V2:\n        return user.json()\n    return user.json()\n", [16]),
    ],
)
def test_a_call_that_runs_on_pydantic_v2_is_reported(body: str, lines: list[int]) -> None:
    assert [row for _, row, _ in _lint(body)] == lines
