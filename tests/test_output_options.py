"""The output options from the command line, on a real project: every --output-format read back as the
tool that reads it would, the `output-format` setting, --statistics, --output-file, and the README's CI jobs.

The writers themselves, on hand-made findings, are tested in tests/test_output_formats.py.
"""

from __future__ import annotations

import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import Result

from conventions_lint.cli import main
from conventions_lint.registry import RULES_BY_CODE
from conventions_lint.settings import OUTPUT_FORMATS
from tests.helpers import cli_runner
from tests.output_readers import check_sarif_structure, github_annotations

# The command line ------------------------------------------------------------------------------------------------

SELECT = ("--isolated", "--select", "CL001,CL102,CL401,CL604")


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """Findings with and without fixes, CL001, paths with spaces and a non-ASCII message (CL604 on `Café.py`)."""
    models = tmp_path / "src dir" / "app" / "models"
    models.mkdir(parents=True)
    (models / "user model.py").write_text(
        RULES_BY_CODE["CL102"].INVALID[0].source + "\n" + RULES_BY_CODE["CL401"].INVALID[0].source, encoding="utf-8"
    )
    (tmp_path / "src dir" / "app" / "Café.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "src dir" / "broken file.py").write_text("def f(:\n", encoding="utf-8")
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "ok.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    return tmp_path


def _run(*args: str) -> Result:
    result = cli_runner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def _parse(output_format: str, text: str):
    """Parse a report as the tool that reads it would; returns the number of findings in it."""
    if output_format in ("json", "gitlab"):
        return len(json.loads(text))
    if output_format == "json-lines":
        return len([json.loads(line) for line in text.splitlines()])
    if output_format == "sarif":
        log = json.loads(text)
        check_sarif_structure(log)
        return len(log["runs"][0]["results"])
    if output_format == "junit":
        suite = ET.fromstring(text).find("testsuite")
        return int(suite.get("failures")) + int(suite.get("errors"))
    if output_format == "github":
        return len(github_annotations(text))
    if output_format == "grouped":
        return len(re.findall(r"^  +\d+:\d+ +CL\d{3} ", text, flags=re.M))
    return len(re.findall(r"^\S.*:\d+:\d+: CL\d{3} ", text, flags=re.M))


@pytest.mark.parametrize("output_format", OUTPUT_FORMATS)
def test_every_format_from_the_command_line(project, output_format) -> None:
    result = _run("check", *SELECT, "--output-format", output_format, "src dir")
    assert result.exit_code == 1, result.output
    assert _parse(output_format, result.stdout) == 5
    assert "Café.py" in result.stdout or "Caf\\u00e9.py" in result.stdout
    clean = _run("check", *SELECT, "--output-format", output_format, "clean")
    assert clean.exit_code == 0
    if output_format not in ("concise", "full", "grouped"):
        assert _parse(output_format, clean.stdout) == 0


def test_command_line_reports_in_detail(project) -> None:
    github = _run("check", *SELECT, "--output-format", "github", "src dir").stdout.splitlines()
    assert github[0].startswith(
        "::error title=conventions-lint (CL604),file=src dir/app/Café.py,line=1,col=1,"
        "endLine=2,endColumn=1::CL604 Rename `Café.py` to "
    )
    assert any(
        line.startswith(
            "::error title=conventions-lint (CL001),file=src dir/broken file.py,line=1,col=7,endLine=1,endColumn=7::"
        )
        for line in github
    )
    log = json.loads(_run("check", *SELECT, "--output-format", "sarif", "src dir").stdout)
    results = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r
        for r in log["runs"][0]["results"]
    }
    cl102 = results[("CL102", "src%20dir/app/models/user%20model.py")]
    assert cl102["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"] == {"text": '"User"'}
    assert "fixes" not in results[("CL001", "src%20dir/broken%20file.py")]
    assert "Café.py" in results[("CL604", "src%20dir/app/Caf%C3%A9.py")]["message"]["text"]


def test_output_format_from_the_configuration(project) -> None:
    (project / "pyproject.toml").write_text('[tool.conventions-lint]\nselect = ["CL001"]\noutput-format = "gitlab"\n')
    result = _run("check", "src dir")
    assert [issue["check_name"] for issue in json.loads(result.stdout)] == ["CL001"]


def test_statistics_from_the_command_line(project) -> None:
    result = _run("check", *SELECT, "--statistics", "src dir")
    assert result.exit_code == 1
    assert result.stdout == (
        "2\tCL604\t[ ] module-not-snake-case\n"
        "1\tCL001\t[ ] syntax-error\n"
        "1\tCL102\t[*] relationship-target-not-string\n"
        "1\tCL401\t[ ] unbounded-string-column\n"
        "Found 5 errors.\n"
        "[*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n"
    )
    assert _run("check", *SELECT, "--statistics", "-q", "src dir").stdout.splitlines()[-1] == (
        "1\tCL401\t[ ] unbounded-string-column"
    )
    assert json.loads(_run("check", *SELECT, "--statistics", "--output-format", "json", "src dir").stdout)[0] == {
        "code": "CL604",
        "name": "module-not-snake-case",
        "count": 2,
        "fixable": False,
        "fixable_count": 0,
    }
    assert (
        _run("check", *SELECT, "--statistics", "clean").stdout,
        _run("check", *SELECT, "--statistics", "clean").exit_code,
    ) == ("", 0)


def test_output_file_receives_the_report(project) -> None:
    target = project / "reports" / "nested dir" / "gl-code-quality-report.json"
    result = _run("check", *SELECT, "--output-format", "gitlab", "--output-file", str(target), "src dir", "missing.py")
    assert (result.exit_code, result.stdout) == (2, "")
    # Problems still go to standard error.
    assert result.stderr == "error: missing.py: no such file or directory\n"
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 5
    # Nothing is left behind but the report, and it is readable like any new file.
    assert [path.name for path in target.parent.iterdir()] == [target.name]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_output_file_replaces_the_old_report_whole(project) -> None:
    target = project / "report.txt"
    target.write_text("old report\n" * 1000)
    target.chmod(0o640)
    result = _run("check", *SELECT, "-o", "report.txt", "clean")
    assert (result.exit_code, result.stdout) == (0, "")
    assert target.read_text() == "All checks passed!\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [path.name for path in project.iterdir() if "report" in path.name] == ["report.txt"]


def test_output_file_with_statistics_diff_and_fixes(project) -> None:
    _run("check", *SELECT, "--statistics", "-o", "stats.txt", "src dir")
    assert (project / "stats.txt").read_text(encoding="utf-8").startswith("2\tCL604\t[ ] module-not-snake-case\n")
    result = _run("check", *SELECT, "--diff", "-o", "fixes.patch", "src dir")
    assert (result.exit_code, result.stdout) == (1, "")
    assert (project / "fixes.patch").read_text(encoding="utf-8").startswith("--- src dir/app/models/user model.py\n")


def test_an_output_file_that_cannot_be_written_is_an_error(project) -> None:
    (project / "taken").write_text("a file, not a directory\n")
    result = _run("check", *SELECT, "-o", "taken/report.json", "src dir")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: taken/report.json: cannot write the report: ")
    assert "Traceback" not in result.output


def test_the_readme_ci_jobs_run(project) -> None:
    """Every `conventions-lint check` command of the README's CI section parses and writes what it says."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## CI\n", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"conventions-lint (check --output-format \S+ [^`\n]*)$", section, flags=re.M)
    assert len(commands) == 3
    for command in commands:
        args = command.split()
        result = _run(*args[:1], *SELECT, *args[1:-1], "src dir")
        assert result.exit_code == 1, (command, result.output)
        output_format = args[args.index("--output-format") + 1]
        if "--output-file" in args:
            report = (project / args[args.index("--output-file") + 1]).read_text(encoding="utf-8")
            assert result.stdout == ""
        else:
            report = result.stdout
        assert _parse(output_format, report) == 5
    assert "codequality: gl-code-quality-report.json" in section
    assert "github/codeql-action/upload-sarif" in section
