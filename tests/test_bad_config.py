"""Bad configuration and command-line usage, through the command line: exit 2, one line on standard error
naming the file or the option, and no file linted or fixed.

The other bad input, and how each case is run: tests/test_bad_input.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bad_input import GOOD, MODEL, bad_input_project, check

project = pytest.fixture(bad_input_project, name="project")

# -- configuration and usage errors: exit 2, one line naming the file; a broken configuration stops the run ----------

CONFIGURATION_CASES = {
    "broken TOML": (
        "[tool.conventions-lint\nselect = ['CL102']\n",
        "invalid TOML: Expected ']' at the end of a table declaration (at line 1, column 23)",
    ),
    "unknown key": ("[tool.conventions-lint]\nselct = ['CL102']\n", "unknown setting `selct` (did you mean 'select'?)"),
    "unknown code": (
        "[tool.conventions-lint]\nselect = ['CL999']\n",
        "`select`: unknown rule code 'CL999' (did you mean 'CL901'?)",
    ),
    "unknown code in per-file-ignores": (
        "[tool.conventions-lint]\nper-file-ignores = {'app/*.py' = ['XYZ1']}\n",
        "`per-file-ignores` 'app/*.py': unknown rule code 'XYZ1'",
    ),
    "bad glob in per-file-ignores": (
        "[tool.conventions-lint]\nper-file-ignores = {'app/[.py' = ['CL102']}\n",
        "`per-file-ignores`: unclosed '[' in glob 'app/[.py'",
    ),
    "bad range in per-file-ignores": (
        "[tool.conventions-lint]\nper-file-ignores = {'app/[z-a].py' = ['CL102']}\n",
        "`per-file-ignores`: invalid glob 'app/[z-a].py': bad character range z-a at position 5",
    ),
    "wrong type": ("[tool.conventions-lint]\nselect = 'CL102'\n", "`select` must be a list of rule codes"),
}


@pytest.mark.parametrize("case", CONFIGURATION_CASES)
def test_configuration_errors(project: Path, case: str) -> None:
    body, message = CONFIGURATION_CASES[case]
    config = project / "app" / "pyproject.toml"
    config.write_text(body)
    for fixing in ((), ("--fix",)):
        result = check(*fixing, ".")
        # As in ruff, a configuration that cannot be read stops the run: no file is linted against the wrong rules.
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {config}: {message}\n")
    assert (project / GOOD).read_text() == MODEL


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--select", "CL999"], "--select: unknown rule code 'CL999' (did you mean 'CL901'?)"),
        (["--ignore", "XYZ"], "--ignore: unknown rule code 'XYZ'"),
        (["--config", "missing.toml"], "missing.toml: cannot read configuration: No such file or directory"),
    ],
)
def test_usage_errors(project: Path, options: list[str], message: str) -> None:
    result = check(*options, "--fix", ".")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")
    assert (project / GOOD).read_text() == MODEL
