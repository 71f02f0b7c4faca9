"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit (`pre-commit try-repo`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VIOLATING = "from sqlalchemy.orm import relationship\n\n\nclass Post(Base):\n    author = relationship(User)\n"
FIXED = VIOLATING.replace("relationship(User)", 'relationship("User")')


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo, check=True, capture_output=True
    )


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    # One hook environment for the module's tests: installing it is the slow part.
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.conventions-lint]\nselect = ["CL102"]\n')
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "models.py").write_text(VIOLATING)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    return tmp_path


def try_repo(repository: Path, home: Path, hook: str) -> subprocess.CompletedProcess:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or "pre-commit"
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run(
        [pre_commit, "try-repo", str(ROOT), hook, "--all-files"],
        cwd=repository,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )


def test_check_hook_fails_and_lists_the_finding(repository: Path, pre_commit_home: Path) -> None:
    result = try_repo(repository, pre_commit_home, "conventions-lint")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "conventions-lint" in result.stdout and "Failed" in result.stdout
    assert "app/models.py:5:27: CL102 [*] Pass the class name as a string" in result.stdout
    assert (repository / "app" / "models.py").read_text() == VIOLATING


def test_fix_hook_rewrites_the_file_fails_once_then_passes(repository: Path, pre_commit_home: Path) -> None:
    first = try_repo(repository, pre_commit_home, "conventions-lint-fix")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (repository / "app" / "models.py").read_text() == FIXED
    _git(repository, "add", ".")
    second = try_repo(repository, pre_commit_home, "conventions-lint-fix")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout
