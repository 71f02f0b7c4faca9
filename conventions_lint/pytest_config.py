"""pytest's own `asyncio_mode` (pytest-asyncio's setting), the default of `asyncio-mode` (CL901).

pytest reads one configuration file: in a directory, the first of pytest.toml, .pytest.toml,
pytest.ini, .pytest.ini (each always counts, even empty), pyproject.toml (with
`[tool.pytest.ini_options]` or `[tool.pytest]`), tox.ini (with `[pytest]`) and setup.cfg (with
`[tool:pytest]`); the nearest directory that has one wins. A file that is not valid TOML or INI
is not ours to report: it counts as not configuring pytest.
"""

from __future__ import annotations

import configparser
import sys
from pathlib import Path

from conventions_lint.settings import ASYNCIO_MODES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

# pytest-asyncio's default.
DEFAULT_MODE = "strict"


def pytest_asyncio_mode(directory: Path) -> str | None:
    """None when `directory` holds no pytest configuration file; else the mode that file sets (or the default)."""
    for name, read in _FILES:
        path = directory / name
        if path.is_file():
            found = read(path)
            if found is not None:
                return found if found in ASYNCIO_MODES else DEFAULT_MODE
    return None


def _toml(path: Path) -> dict | None:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return None


def _ini(path: Path) -> configparser.ConfigParser | None:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None
    return parser


def _mode(value: object) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def _pytest_toml(path: Path) -> str | None:
    document = _toml(path)
    return None if document is None else _mode(document.get("pytest", {}).get("asyncio_mode"))


def _pyproject(path: Path) -> str | None:
    tool = (_toml(path) or {}).get("tool", {})
    pytest = tool.get("pytest") if isinstance(tool, dict) else None
    if not isinstance(pytest, dict):
        return None
    ini_options = pytest.get("ini_options", {})
    return _mode(ini_options.get("asyncio_mode") if isinstance(ini_options, dict) else None) or _mode(
        pytest.get("asyncio_mode")
    )


def _ini_section(section: str, always: bool):
    def read(path: Path) -> str | None:
        parser = _ini(path)
        if parser is None or not parser.has_section(section):
            return "" if always and parser is not None else None
        return _mode(parser.get(section, "asyncio_mode", fallback=""))

    return read


_FILES = (
    ("pytest.toml", _pytest_toml),
    (".pytest.toml", _pytest_toml),
    ("pytest.ini", _ini_section("pytest", always=True)),
    (".pytest.ini", _ini_section("pytest", always=True)),
    ("pyproject.toml", _pyproject),
    ("tox.ini", _ini_section("pytest", always=False)),
    ("setup.cfg", _ini_section("tool:pytest", always=False)),
)
