"""The cyclic garbage collector waits while a file is linted or fixed, and runs once after it (garbage.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import conventions_lint.engine as engine
from conventions_lint.config import settings_from_section
from conventions_lint.engine import FileResult
from conventions_lint.registry import REGISTRY
from tests.helpers import fix

# Big enough that LibCST's tree alone takes the collector past its threshold many times over.
MODELS = "from sqlalchemy import Column, Integer\n\n" + "".join(
    f"class Model{i}(Base):\n    __tablename__ = 'model_{i}'\n    id = Column(Integer, primary_key=True)\n\n"
    for i in range(200)
)


@contextmanager
def collections_seen() -> Iterator[list[int]]:
    """The generation of every collection that runs within the block."""
    seen: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.collect()
    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)


def lint_models() -> FileResult:
    settings = settings_from_section({"select": ["CL105"]}, Path("/project"), "test settings")
    path = "app/models/model.py"
    return engine.lint_source(path, path, MODELS.encode(), settings, REGISTRY.rules_for(settings, path))


def test_a_lint_collects_once_after_the_file() -> None:
    with collections_seen() as seen:
        result = lint_models()
    assert len(result.diagnostics) == 200
    assert seen == [0]
    assert gc.isenabled()


def test_a_fix_collects_once_after_all_its_rounds() -> None:
    with collections_seen() as seen:
        fixed = fix("import os\nimport os\nx = 1  # noqa: CL201\n", select=("CL",))
    assert fixed == "import os\nimport os\nx = 1\n"
    assert seen == [0]
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with collections_seen() as seen:
            lint_models()
        assert seen == []
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_back_on_after_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(*args, **kwargs):
        raise RuntimeError("parse failed")

    settings = settings_from_section({"select": ["CL"]}, Path("/project"), "test settings")
    monkeypatch.setattr(engine, "parse", fails)
    with pytest.raises(RuntimeError):
        engine.lint_source("m.py", "m.py", MODELS.encode(), settings, REGISTRY.rules_for(settings, "m.py"))
    assert gc.isenabled()
