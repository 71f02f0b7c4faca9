"""The module a project file is imported as, from its path alone (the project phase reads no file)."""

from __future__ import annotations

from collections.abc import Iterable


def module_name(relative_path: str, import_root: str = "") -> str | None:
    """`app.models.user` for `app/models/user.py`, or None when no import can name the file.

    The path is taken from `import_root`, the directory the project's imports start
    from (by default its root, or `src/` in a src layout). None for a file outside it,
    or with a part that is no identifier (`my-scripts/`, Alembic's `3f2a_add_users.py`).
    """
    path = relative_path.removesuffix(".py").removesuffix("/__init__")
    if import_root:
        if not path.startswith(f"{import_root}/"):
            return None
        path = path[len(import_root) + 1 :]
    else:
        path = path.removeprefix("src/")
    parts = path.split("/")
    return ".".join(parts) if all(part.isidentifier() for part in parts) else None


def import_root(relative_path: str, imported: Iterable[str]) -> str:
    """The directory the project's imports start from, as the modules a file imports show it:
    `backend` for `backend/app/db/base.py` importing `app.models.user`; else the root."""
    directories = relative_path.split("/")[:-1]
    for module in imported:
        package = module.split(".")[0]
        if package in directories:
            return "/".join(directories[: directories.index(package)])
    return ""
