"""Bad input through the command line: tests/test_bad_input.py, test_bad_config.py and test_fix_writes.py.

Each test puts something bad beside a good file (`GOOD`, holding `MODEL`, with one fixable finding) in the
project `bad_input_project` makes (each of those modules has it as its `project` fixture).
"""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import Result

from conventions_lint.cli import main
from tests.helpers import cli_runner

MODEL = (
    "from sqlalchemy.orm import relationship\n"
    "\n"
    "\n"
    "class Post(Base):\n"
    '    __tablename__ = "posts"\n'
    "    author = relationship(User)\n"
)
FIXED = MODEL.replace("relationship(User)", 'relationship("User")')
GOOD = "app/models/post.py"
FINDING = '6:27: CL102 [*] Pass the class name as a string: `relationship("User")`'
REPOSITORY = Path(__file__).resolve().parents[1]


def check(*args: str, verbose: bool = False) -> Result:
    result = cli_runner().invoke(main, ["check", "--no-cache", *args, *(["--verbose"] if verbose else [])])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    if not verbose:
        assert "Traceback" not in result.output
    return result


def write_file(root: Path, relative: str, data: bytes | str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def file_snapshot(root: Path) -> dict[str, bytes]:
    # Not Path.read_bytes, which a test makes fail.
    return {
        p.relative_to(root).as_posix(): open(p, "rb").read()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.name != "pyproject.toml"
    }


def environment_with_repository() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPOSITORY)}


def bad_input_project(tmp_path: Path, monkeypatch) -> Path:
    """The good file `GOOD` in a project selecting CL001, CL002 and CL102, made the working directory."""
    (tmp_path / "pyproject.toml").write_text('[tool.conventions-lint]\nselect = ["CL001", "CL002", "CL102"]\n')
    (tmp_path / "app" / "models").mkdir(parents=True)
    (tmp_path / GOOD).write_text(MODEL)
    monkeypatch.chdir(tmp_path)
    return tmp_path
