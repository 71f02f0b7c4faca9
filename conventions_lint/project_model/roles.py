"""Roles a file has by what it is, wherever it lives: an Alembic revision, Alembic's `env.py`.

Path globs (`roles.migrations`) find the revisions of the usual layouts; real apps keep
them elsewhere too (`app/database/revisions/core/versions/2023-03-01_9b1e7c2d4a10.py`).
A revision is unmistakable by its content: module-level `revision` and `down_revision`,
and an `upgrade()` or `downgrade()`. Alembic's `env.py` imports `alembic.context`.
Inside a revision only the migration rules apply: it freezes the schema of its day, and
the model rules (and their fixes) would rewrite history. In `env.py`, which Alembic runs
synchronously, the async-database rules do not apply, and nothing is fixed.
"""

from __future__ import annotations

import re

MIGRATIONS = "migrations"
# Alembic's env.py: its other findings stand, but nothing fixes it (it configures every migration).
ALEMBIC_ENV = "alembic-env"
_DATABASE_RULES = "CL5"
# Codes judged in every file, a migration too: syntax, internal errors, unused `noqa` comments.
_EVERYWHERE = frozenset({"CL001", "CL002", "CL003"})
_REVISION_ID = re.compile(rb"^revision[ \t]*(?::[^=\n]*)?=", re.MULTILINE)
_DOWN_REVISION = re.compile(rb"^down_revision[ \t]*(?::[^=\n]*)?=", re.MULTILINE)
_MIGRATION_FUNCTION = re.compile(rb"^(?:async[ \t]+)?def[ \t]+(?:upgrade|downgrade)[ \t]*\(", re.MULTILINE)
_ALEMBIC_CONTEXT = re.compile(rb"^[ \t]*(?:from[ \t]+alembic[ \t]+import[^\n]*\bcontext\b|import[ \t]+alembic\b)", re.M)


def is_revision(source: bytes) -> bool:
    return (
        b"down_revision" in source
        and _REVISION_ID.search(source) is not None
        and _DOWN_REVISION.search(source) is not None
        and _MIGRATION_FUNCTION.search(source) is not None
    )


def is_alembic_env(source: bytes, file_name: str) -> bool:
    return file_name == "env.py" and b"alembic" in source and _ALEMBIC_CONTEXT.search(source) is not None


def content_roles(source: bytes, relative_path: str) -> frozenset[str]:
    """The roles `source` has by its content alone."""
    if b"revision" not in source and b"alembic" not in source:
        return frozenset()
    if is_revision(source):
        return frozenset({MIGRATIONS})
    if is_alembic_env(source, relative_path.rsplit("/", 1)[-1]):
        return frozenset({ALEMBIC_ENV})
    return frozenset()


def rules_for_roles(rules: tuple[type, ...], roles: frozenset[str]) -> tuple[type, ...]:
    """In a migration, the migration rules only (and those judged everywhere); in Alembic's `env.py`,
    which Alembic runs synchronously, not the rules that ask for async database work (CL5)."""
    if MIGRATIONS in roles:
        return tuple(rule for rule in rules if MIGRATIONS in rule.ROLES or rule.code in _EVERYWHERE)
    if ALEMBIC_ENV in roles:
        return tuple(rule for rule in rules if not rule.code.startswith(_DATABASE_RULES))
    return rules
