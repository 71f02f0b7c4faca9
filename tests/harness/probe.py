"""Run an example project for real and print what it is, as JSON: `python probe.py PROJECT [--client]`.

Run in a fresh interpreter for each state of the project (imports, SQLAlchemy's
registry and FastAPI's apps are process-wide). It imports every module of the
project's packages (files that do not parse are left out: they are CL001
findings, not modules), configures the mappers, builds each FastAPI app's
OpenAPI schema and summarises the mappers and routes; with `--client` it also
creates the tables in a SQLite file and calls every GET route without path
parameters through Starlette's TestClient. The database URL reaches the app
through the `DATABASE_URL` environment variable its settings read.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import sys
import traceback
import warnings
from pathlib import Path

# Directories of a project that hold no application code: tests import fixtures, revisions need Alembic's context.
NOT_APP = {"tests", "alembic", "migrations", ".venv"}


def main() -> None:
    project = Path(sys.argv[1]).resolve()
    client = "--client" in sys.argv[2:]
    sys.path.insert(0, str(project))
    warnings.simplefilter("ignore")
    report: dict = {"imports": _import_all(project)}
    report["configure"] = _attempt(_configure)
    report["mappers"] = _mappers() if report["configure"] == "ok" else {}
    apps = _apps()
    report["openapi"] = {name: _attempt(app.openapi) for name, app in apps.items()}
    report["routes"] = {name: _routes(app) for name, app in apps.items()}
    if client:
        report["calls"] = {name: _calls(app) for name, app in apps.items()}
    print(json.dumps(report, indent=1, sort_keys=True))


def _modules(project: Path) -> list[str]:
    names = []
    for path in sorted(project.rglob("*.py")):
        parts = path.relative_to(project).with_suffix("").parts
        if parts[0] in NOT_APP or any(part.startswith(".") for part in parts):
            continue
        try:
            compile(path.read_bytes(), str(path), "exec")
        except SyntaxError:
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _import_all(project: Path) -> dict[str, str]:
    return {name: _attempt(lambda name=name: importlib.import_module(name)) for name in _modules(project)}


def _attempt(action) -> str:
    try:
        action()
    except Exception as error:
        return f"{type(error).__name__}: {error}".splitlines()[0]
    return "ok"


def _configure() -> None:
    from sqlalchemy.orm import configure_mappers

    configure_mappers()


def _mapped_classes() -> list[type]:
    from sqlalchemy.orm import Mapper

    found: dict[str, type] = {}
    for module in list(sys.modules.values()):
        for value in list(vars(module).values()) if module is not None else ():
            mapper = getattr(value, "__mapper__", None)
            if inspect.isclass(value) and isinstance(mapper, Mapper) and mapper.class_ is value:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


def _mappers() -> dict[str, dict]:
    summary = {}
    for cls in _mapped_classes():
        mapper = cls.__mapper__
        for rel in mapper.relationships:
            reverse = sorted(f"{r.parent.class_.__name__}.{r.key}" for r in rel._reverse_property)
            summary[f"{cls.__name__}.{rel.key}"] = {
                "target": rel.mapper.class_.__name__,
                "direction": rel.direction.name,
                "uselist": rel.uselist,
                "secondary": rel.secondary.name if rel.secondary is not None else None,
                "cascade": sorted(rel.cascade),
                "reverse": reverse,
            }
        for column in mapper.columns:
            summary[f"{cls.__name__}.{column.key}:column"] = {
                "type": type(column.type).__name__,
                "primary_key": column.primary_key,
                "foreign_keys": sorted(fk.target_fullname for fk in column.foreign_keys),
            }
    return summary


def _apps() -> dict:
    try:
        from fastapi import FastAPI
    except ImportError:
        return {}
    apps = {}
    for name, module in sorted(sys.modules.items()):
        for attribute, value in list(vars(module).items()) if module is not None else ():
            if isinstance(value, FastAPI) and id(value) not in {id(app) for app in apps.values()}:
                apps[f"{name}:{attribute}"] = value
    return apps


def _routes(app) -> dict[str, dict]:
    """Each operation as its OpenAPI schema shows it (FastAPI's own route classes change between versions)."""
    try:
        paths = app.openapi()["paths"]
    except Exception:
        return {}
    routes = {}
    for path, operations in paths.items():
        for method, operation in operations.items():
            routes[f"{method.upper()} {path}"] = {
                "operation": operation.get("operationId"),
                "parameters": sorted(p["name"] for p in operation.get("parameters", ())),
                "responses": {
                    status: response.get("content", {}).get("application/json", {}).get("schema")
                    for status, response in operation.get("responses", {}).items()
                },
            }
    return routes


def _calls(app) -> dict[str, object]:
    """Status of each GET route without path parameters, tables created first; a failure is its error."""
    from fastapi.testclient import TestClient

    _create_tables()
    calls: dict[str, object] = {}
    with TestClient(app, raise_server_exceptions=True) as client:
        for path, operations in app.openapi()["paths"].items():
            if "get" in operations and "{" not in path:
                try:
                    calls[f"GET {path}"] = client.get(path).status_code
                except Exception as error:
                    calls[f"GET {path}"] = f"{type(error).__name__}: {error}".splitlines()[0]
    return calls


def _create_tables() -> None:
    """Every mapped table, created through a sync engine on the SQLite file the app's URL names."""
    import os

    from sqlalchemy import create_engine

    url = os.environ["DATABASE_URL"].replace("+aiosqlite", "")
    engine = create_engine(url)
    for metadata in {id(cls.metadata): cls.metadata for cls in _mapped_classes()}.values():
        metadata.create_all(engine)
    engine.dispose()


if __name__ == "__main__":
    try:
        main()
    except Exception:
        traceback.print_exc()
        sys.exit(3)
    # aiosqlite's threads and any loop left open must not keep the process alive.
    asyncio.set_event_loop(None)
