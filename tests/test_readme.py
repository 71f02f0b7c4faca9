"""The README's promises: its commands are the ones CI runs, its rule table is the registry's."""

from __future__ import annotations

import re
from pathlib import Path

from conventions_lint.cli import main
from tests.helpers import cli_runner

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, flags=re.S)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = _shell_blocks()[1].strip().splitlines()[-1]
    assert test_command == "pip install -e '.[test]' && python -m pytest"
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()


def test_first_readme_command_lints_the_bundled_example() -> None:
    assert _shell_blocks()[0].strip().splitlines()[-1] == "pip install . && conventions-lint check examples/violating"


def test_readme_rule_table_is_generated_from_the_rules() -> None:
    generated = cli_runner().invoke(main, ["rules", "--output-format", "markdown"]).output
    table = README.split("<!-- rules:start -->\n", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert table == generated, "regenerate with: conventions-lint rules --output-format markdown"
