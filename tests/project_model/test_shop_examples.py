"""The second bundled example, laid out as real apps are: the violating shop's findings are exactly
the snapshot's, its clean twin has none, and fixing the violating shop leaves its migrations alone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conventions_lint.cli import main
from tests.helpers import cli_runner

ROOT = Path(__file__).resolve().parent.parent.parent
SNAPSHOT = ROOT / "tests" / "snapshots" / "shop-violating.txt"
MIGRATIONS = ("shop/database/revisions/env.py", "shop/database/revisions/versions/2024-02-01_9b1e7c2d4a10.py")


@pytest.fixture(autouse=True)
def at_repository_root(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)


def check(*args: str):
    return cli_runner().invoke(main, ["check", "--no-cache", *args])


def test_the_clean_shop_has_no_findings() -> None:
    result = check("examples/shop-clean")
    assert (result.exit_code, result.output) == (0, "All checks passed!\n")


def test_the_violating_shop_findings_match_the_snapshot() -> None:
    # To update after a deliberate change:
    # conventions-lint check --no-cache --quiet examples/shop-violating > tests/snapshots/shop-violating.txt
    result = check("--quiet", "examples/shop-violating")
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(result.output)
    assert result.exit_code == 1
    assert result.output == SNAPSHOT.read_text()


def test_each_file_of_the_violating_shop_alone_has_the_findings_it_has_in_the_whole_run() -> None:
    whole = SNAPSHOT.read_text().splitlines()
    for path in ("shop/api/baskets.py", "shop/schemas/basket.py", "shop/models/basket.py"):
        result = check("--quiet", f"examples/shop-violating/{path}")
        assert result.output.splitlines() == [
            line for line in whole if line.startswith(f"examples/shop-violating/{path}:")
        ]


def test_fixing_the_violating_shop_leaves_its_migrations_alone(tmp_path: Path, monkeypatch) -> None:
    project = tmp_path / "shop"
    shutil.copytree(ROOT / "examples" / "shop-violating", project)
    monkeypatch.chdir(project)
    before = {path: (project / path).read_bytes() for path in MIGRATIONS}
    check("--fix", "--unsafe-fixes", "--quiet", ".")
    assert {path: (project / path).read_bytes() for path in MIGRATIONS} == before
    assert check("--fix", "--unsafe-fixes", "--quiet", ".").exit_code == 1
