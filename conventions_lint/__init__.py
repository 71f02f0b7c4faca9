"""conventions-lint: a LibCST linter for FastAPI + SQLAlchemy 2.0 + Pydantic v2 conventions."""

__version__ = "0.1.0"
