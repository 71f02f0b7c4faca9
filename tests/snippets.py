"""Snippets and shorthands for the tests of rule families: model files, relationships, routes."""

from __future__ import annotations

from conventions_lint.diagnostic import Diagnostic
from tests.helpers import fix, lint

MODEL_FILE = "app/models/user.py"


def lint_model_file(source: str, *, select: tuple[str, ...] = ("CL104",), path: str = MODEL_FILE) -> list[Diagnostic]:
    """Lint a models module, with the timestamp rule (CL104) unless `select` says otherwise."""
    return lint(source, path=path, select=select)


def fix_model_file(source: str, *, select: tuple[str, ...] = ("CL104",), unsafe: bool = True) -> str:
    """A models module after `--fix --unsafe-fixes` (unless not `unsafe`), with the timestamp rule by default."""
    return fix(source, path=MODEL_FILE, select=select, unsafe=unsafe)


def mapped_class(imports: str, *columns: str) -> str:
    """A mapped class; its first column is on line 6 + the number of import lines."""
    body = "".join(f"    {column}\n" for column in columns)
    return f'{imports}\n\n\nclass User(Base):\n    __tablename__ = "users"\n\n{body}'


def first_column_row(imports: str) -> int:
    """The line of `mapped_class(imports, ...)`'s first column."""
    return 7 + imports.count("\n")


def lint_identifier_rules(source: str, *, path: str = MODEL_FILE) -> list[Diagnostic]:
    """Lint with the integer identifier rules (CL2)."""
    return lint(source, path=path, select=("CL2",))


def lint_relationship_rules(source: str, *codes: str) -> list[Diagnostic]:
    """Lint a models module with the relationship rules `codes`, CL101-CL103 when none are given."""
    return lint(source, path="app/models/post.py", select=codes or ("CL101", "CL102", "CL103"))


# The head of a routes module, for the route rules' tests (CL3xx, CL601).
ROUTER = """
from fastapi import APIRouter, status

router = APIRouter()
"""
