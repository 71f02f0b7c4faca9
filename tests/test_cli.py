"""The command line: output formats, exit codes, options and configuration, as a user sees them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result

from conventions_lint import __version__, display_paths, file_processing, runner
from conventions_lint.cli import main
from conventions_lint.registry import ALL_RULES, RULES_BY_CODE
from tests.helpers import cli_runner

BAD = "app/bad.py:1:7: CL001 SyntaxError: invalid syntax\n"
LATIN = "app/latin.py:1:12: CL001 SyntaxError: file is not valid utf-8: byte 0xe9 cannot be decoded\n"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A directory with a syntax error, a non-UTF-8 file, an empty file and clean files."""
    app = tmp_path / "app"
    app.mkdir()
    (app / "bad.py").write_text("def f(:\n    pass\n")
    (app / "latin.py").write_bytes(b'name = "caf\xe9"\n')
    (app / "declared_latin.py").write_bytes(b'# -*- coding: latin-1 -*-\nname = "caf\xe9"\n')
    (app / "empty.py").write_bytes(b"")
    (app / "main.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> Result:
    result = cli_runner().invoke(main, list(args))
    # Whatever happens, the user gets messages and an exit code, never a Python traceback.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


def _write_config(directory: Path, body: str) -> Path:
    path = directory / "pyproject.toml"
    path.write_text(f"[tool.conventions-lint]\n{body}\n")
    return path


def test_every_file_is_linted_to_the_end_with_syntax_errors_reported(project) -> None:
    result = _run("check")
    assert (result.exit_code, result.stdout, result.stderr) == (1, BAD + LATIN + "Found 2 errors.\n", "")


def test_paths_default_to_the_working_directory_and_may_be_files(project) -> None:
    assert _run("check", "app/bad.py", "app/main.py").stdout == BAD + "Found 1 error.\n"
    assert _run("check", str(Path.cwd() / "app" / "bad.py")).stdout == BAD + "Found 1 error.\n"


def test_paths_above_the_working_directory_are_shown_relative_to_it(project, tmp_path_factory) -> None:
    # ecosystem.md E2: run from a subdirectory, paths stay relative (`../`), as the user would type them.
    outside = tmp_path_factory.mktemp("outside") / "broken.py"
    outside.write_text("(\n")
    result = _run("check", str(outside))
    expected = f"../{outside.parent.name}/broken.py:1:1: CL001 SyntaxError: '(' was never closed\nFound 1 error.\n"
    assert result.stdout == expected


def test_paths_sharing_only_the_root_with_the_working_directory_are_shown_absolute(project) -> None:
    elsewhere = Path("/conventions-lint-nowhere/app/models.py")
    assert display_paths.display_path(elsewhere) == "/conventions-lint-nowhere/app/models.py"


def test_clean_run(project) -> None:
    result = _run("check", "app/main.py", "app/empty.py")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "All checks passed!\n", "")


def test_full_format_shows_the_line_with_a_caret(project) -> None:
    result = _run("check", "--output-format", "full")
    assert result.exit_code == 1
    assert result.stdout == (
        BAD
        + "  |\n"
        + "1 | def f(:\n"
        + "  |       ^ CL001\n"
        + "2 |     pass\n"
        + "  |\n"
        + "\n"
        + LATIN
        + "  |\n"
        + '1 | name = "caf\ufffd"\n'
        + "  |            ^ CL001\n"
        + "  |\n"
        + "\n"
        + "Found 2 errors.\n"
    )


def test_json_format_is_shaped_like_ruffs(project) -> None:
    result = _run("check", "--output-format", "json", "--quiet")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "cell": None,
            "code": "CL001",
            "end_location": {"column": 7, "row": 1},
            "filename": str(Path.cwd() / "app" / "bad.py"),
            "fix": None,
            "location": {"column": 7, "row": 1},
            "message": "SyntaxError: invalid syntax",
            "noqa_row": 1,
            "url": None,
        },
        {
            "cell": None,
            "code": "CL001",
            "end_location": {"column": 12, "row": 1},
            "filename": str(Path.cwd() / "app" / "latin.py"),
            "fix": None,
            "location": {"column": 12, "row": 1},
            "message": "SyntaxError: file is not valid utf-8: byte 0xe9 cannot be decoded",
            "noqa_row": 1,
            "url": None,
        },
    ]


def test_json_format_without_findings_is_an_empty_array(project) -> None:
    result = _run("check", "app/main.py", "--output-format", "json")
    assert (result.exit_code, result.stdout) == (0, "[]\n")


def test_quiet_leaves_out_the_summary(project) -> None:
    assert _run("check", "--quiet").stdout == BAD + LATIN
    assert _run("check", "-q", "app/main.py").stdout == ""


def test_exit_zero_keeps_the_findings(project) -> None:
    result = _run("check", "--exit-zero")
    assert (result.exit_code, result.stdout) == (0, BAD + LATIN + "Found 2 errors.\n")


def test_no_cache_is_accepted(project) -> None:
    assert _run("check", "--no-cache").exit_code == 1


@pytest.mark.parametrize(
    ("options", "exit_code", "stdout"),
    [
        (["--ignore", "CL001"], 0, "All checks passed!\n"),
        (["--ignore", "cl0"], 0, "All checks passed!\n"),
        (["--select", "CL002"], 0, "All checks passed!\n"),
        (["--select", "CL002,CL001"], 1, BAD + LATIN + "Found 2 errors.\n"),
        (["--select", "CL002", "--select", "CL001"], 1, BAD + LATIN + "Found 2 errors.\n"),
        (["--select", "CL002", "--extend-select", "CL001"], 1, BAD + LATIN + "Found 2 errors.\n"),
        (["--select", "ALL", "--ignore", "CL0"], 0, "All checks passed!\n"),
        (["--select", "CL001", "--ignore", "CL0"], 1, BAD + LATIN + "Found 2 errors.\n"),
    ],
)
def test_selection_options(project, options, exit_code, stdout) -> None:
    result = _run("check", *options)
    assert (result.exit_code, result.stdout, result.stderr) == (exit_code, stdout, "")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--select", "CL0O1"], "--select: unknown rule code 'CL0O1' (did you mean 'CL001'?)"),
        (["--ignore", "CL001,XYZ"], "--ignore: unknown rule code 'XYZ'"),
        (["--extend-select", "ZZ9"], "--extend-select: unknown rule code 'ZZ9'"),
        (["--isolated", "--config", "pyproject.toml"], "--isolated and --config cannot be used together"),
        (["--config", "missing.toml"], "missing.toml: cannot read configuration: No such file or directory"),
        (["app/missing.py"], "app/missing.py: no such file or directory"),
    ],
)
def test_usage_errors_are_one_line_with_exit_code_2(project, options, message) -> None:
    result = _run("check", *options)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")


def test_a_missing_path_does_not_stop_the_others(project) -> None:
    result = _run("check", "app/missing.py", "app")
    assert (result.exit_code, result.stdout) == (2, BAD + LATIN + "Found 2 errors.\n")
    assert result.stderr == "error: app/missing.py: no such file or directory\n"


def test_click_usage_errors_exit_2(project) -> None:
    result = _run("check", "--output-format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--output-format': 'xml' is not one of 'concise', 'full', 'json'," in result.stderr
    assert _run("check", "--colour").exit_code == 2


def test_configuration_from_the_nearest_pyproject(project) -> None:
    _write_config(project, 'ignore = ["CL001"]\noutput-format = "json"')
    _write_config(project / "app", 'per-file-ignores = {"latin.py" = ["CL001"]}')
    # app/ has its own section, so the root one does not apply to it; the output format comes from the
    # working directory's configuration.
    result = _run("check")
    assert result.exit_code == 1
    found = [(d["filename"], d["code"]) for d in json.loads(result.stdout)]
    assert found == [(str(Path.cwd() / "app" / "bad.py"), "CL001")]
    assert _run("check", "--output-format", "concise").stdout == BAD + "Found 1 error.\n"


def test_command_line_select_overrides_the_configuration(project) -> None:
    _write_config(project, 'ignore = ["CL001"]')
    assert _run("check").stdout == "All checks passed!\n"
    assert _run("check", "--select", "CL001").stdout == BAD + LATIN + "Found 2 errors.\n"
    assert _run("check", "--extend-select", "CL001").stdout == BAD + LATIN + "Found 2 errors.\n"


def test_config_option_and_isolated(project) -> None:
    _write_config(project, "[oops")
    settings = project / "app" / "lint.toml"
    settings.write_text(
        '[tool.conventions-lint]\nper-file-ignores = {"app/bad.py" = ["CL001"], "latin.py" = ["CL001"]}\n'
    )
    # Globs in a --config file are relative to its directory: app/bad.py would be app/app/bad.py.
    assert _run("check", "--config", "app/lint.toml").stdout == BAD + "Found 1 error.\n"
    assert _run("check", "--isolated").stdout == BAD + LATIN + "Found 2 errors.\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[oops", "invalid TOML: Expected ']' at the end of a table declaration (at line 2, column 6)"),
        ('select = ["CL001"\nignore = []', "invalid TOML: Unclosed array (at line 3, column 1)"),
        ('selct = ["CL001"]', "unknown setting `selct` (did you mean 'select'?)"),
        ('ignore = ["CL0O1"]', "`ignore`: unknown rule code 'CL0O1' (did you mean 'CL001'?)"),
        ('per-file-ignores = {"tests/*" = "CL001"}', "`per-file-ignores` 'tests/*' must be a list, got 'CL001'"),
        ("string-length = -1", "`string-length` must be a positive integer"),
    ],
)
def test_configuration_errors_name_the_file(project, body, message) -> None:
    config = _write_config(project, body)
    result = _run("check")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {config}: {message}\n")


def test_a_nested_configuration_error_is_found_during_the_walk(project) -> None:
    config = _write_config(project / "app", 'extend-exclude = "legacy"')
    result = _run("check", "app")
    assert (result.exit_code, result.stderr) == (2, f"error: {config}: `extend-exclude` must be a list, got 'legacy'\n")


def test_an_internal_error_is_one_line_unless_verbose(project, monkeypatch) -> None:
    def broken_discovery(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(runner, "discover", broken_discovery)
    result = _run("check")
    assert (result.exit_code, result.stderr) == (2, "error: internal error: RuntimeError: disk on fire\n")
    verbose = cli_runner().invoke(main, ["check", "--verbose"])
    assert verbose.exit_code == 2
    assert verbose.stderr.startswith("error: Traceback (most recent call last):\n")
    assert verbose.stderr.endswith("RuntimeError: disk on fire\n")


def test_a_crash_on_one_file_is_reported_and_the_rest_is_linted(project, monkeypatch) -> None:
    original = file_processing.lint_source

    def crash_on_main(path, *args, **kwargs):
        if path.endswith("main.py"):
            raise ValueError("unexpected node")
        return original(path, *args, **kwargs)

    monkeypatch.setattr(file_processing, "lint_source", crash_on_main)
    result = _run("check")
    assert (result.exit_code, result.stdout) == (2, BAD + LATIN + "Found 2 errors.\n")
    assert result.stderr == "error: app/main.py: internal error while linting: ValueError: unexpected node\n"


def test_a_rule_finding_with_noqa(project) -> None:
    (project / "app" / "models.py").write_text(
        "from sqlalchemy.orm import relationship\n"
        "\n"
        "\n"
        "class Post(Base):\n"
        "    author = relationship(User)\n"
        "    editor = relationship(User)  # noqa: CL102\n"
    )
    result = _run("check", "--select", "CL102", "--output-format", "full", "app/models.py")
    assert (result.exit_code, result.stdout) == (
        1,
        (
            'app/models.py:5:27: CL102 [*] Pass the class name as a string: `relationship("User")`\n'
            "  |\n"
            "4 | class Post(Base):\n"
            "5 |     author = relationship(User)\n"
            "  |                           ^^^^ CL102\n"
            "6 |     editor = relationship(User)  # noqa: CL102\n"
            "  |\n"
            "\n"
            "Found 1 error.\n"
            "[*] 1 fixable with the `--fix` option.\n"
        ),
    )


def test_rule_prints_the_full_documentation(project) -> None:
    result = _run("rule", "CL001")
    assert (result.exit_code, result.stdout) == (0, RULES_BY_CODE["CL001"].documentation())
    assert result.stdout.startswith("# syntax-error (CL001)\n\n## What it does\n")
    assert _run("rule", "cl001").stdout == result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["CL0O1"], "unknown rule code 'CL0O1' (did you mean 'CL001'?)"),
        (["CL0"], "'CL0' selects several rules; give one code (`conventions-lint rules` lists them)"),
        (["ALL"], "'ALL' selects several rules; give one code (`conventions-lint rules` lists them)"),
        ([], "give a rule code (e.g. `conventions-lint rule CL101`) or --all"),
    ],
)
def test_rule_errors(project, args, message) -> None:
    result = _run("rule", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")


def test_rule_all_prints_every_rule_in_order(project) -> None:
    shown = _run("rule", "--all").stdout
    places = [shown.find(f"# {rule.name} ({rule.code})\n\n") for rule in ALL_RULES]
    assert places[0] == 0
    assert places == sorted(places) and -1 not in places
    # As ruff's docs, a rule with a fix says first how often it has one.
    assert "# unused-noqa (CL003)\n\nFix is always available.\n\n## What it does\n" in shown
    assert "# relationship-backref (CL101)\n\nFix is sometimes available.\n\n## What it does\n" in shown
    assert "# syntax-error (CL001)\n\n## What it does\n" in shown


def test_rules_table(project) -> None:
    lines = _run("rules").stdout.splitlines()
    assert lines[0].split() == ["code", "name", "fix", "safety", "default"]
    assert lines[1].split() == ["CL001", "syntax-error", "-", "-", "on"]
    assert [line.split()[0] for line in lines[1:]] == [rule.code for rule in ALL_RULES]
    # Whether a rule has fixes and how safe they are are two answers (ruff's FixAvailability, Applicability).
    by_code = {line.split()[0]: line.split()[2:4] for line in lines[1:]}
    assert by_code["CL003"] == ["always", "safe"]
    assert by_code["CL101"] == ["sometimes", "varies"]
    assert by_code["CL201"] == ["sometimes", "unsafe"]
    table = json.loads(_run("rules", "--output-format", "json").stdout)
    assert table[0] == {"code": "CL001", "name": "syntax-error", "fix": "-", "safety": "-", "default": "on"}
    markdown = _run("rules", "--output-format", "markdown").stdout.splitlines()
    assert markdown[:3] == [
        "| code | name | fix | safety | default |",
        "|---|---|---|---|---|",
        "| CL001 | `syntax-error` | - | - | on |",
    ]


def test_version(project) -> None:
    assert _run("--version").stdout == f"conventions-lint {__version__}\n"
    assert _run("-V").stdout == f"conventions-lint {__version__}\n"


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}


def test_python_dash_m(project) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "conventions_lint", "check"],
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=120,
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (1, BAD + LATIN + "Found 2 errors.\n", "")


def test_the_program_says_everything_before_it_exits(tmp_path: Path) -> None:
    """Its exit skips the interpreter's teardown (__main__.py): output far beyond a pipe's buffer still arrives
    whole, with the exit code of the findings."""
    columns = "\n".join(f"    c{i} = Column(String(255))" for i in range(2000))
    (tmp_path / "models.py").write_text(
        "from sqlalchemy import Column, String\n\n\nclass Wide(Base):\n    __tablename__ = 'wide'\n" + columns + "\n"
    )
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "conventions_lint",
            "check",
            "--isolated",
            "--select",
            "CL105",
            "--output-format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=_environment(),
        cwd=tmp_path,
        timeout=120,
    )
    findings = json.loads(completed.stdout)
    assert len(completed.stdout) > 200_000
    assert (completed.returncode, len(findings), findings[-1]["location"]["row"]) == (1, 2000, 2005)


def test_a_profiler_still_gets_its_data_written(tmp_path: Path) -> None:
    """The quick exit (__main__.py) waits for a profiler, which writes as Python exits."""
    profile = tmp_path / "run.prof"
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "conventions_lint", "--version"],
        capture_output=True,
        env=_environment(),
        cwd=tmp_path,
        timeout=120,
        check=True,
    )
    assert profile.stat().st_size > 0


def test_console_script(project) -> None:
    script = Path(sys.executable).parent / "conventions-lint"
    if not script.exists():
        pytest.skip(f"the package is not installed with its console script next to {sys.executable}")
    completed = subprocess.run(
        [str(script), "check", "app/missing.py"], capture_output=True, text=True, env=_environment(), timeout=120
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (
        2,
        "",
        "error: app/missing.py: no such file or directory\n",
    )
