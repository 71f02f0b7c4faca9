"""Baselines: `--write-baseline` records today's findings, `baseline` / `--baseline` reports only new ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conventions_lint import baseline
from conventions_lint.cli import main
from conventions_lint.diagnostic import Diagnostic, Location, Span, point
from tests.helpers import cli_runner

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "violating"
BASELINE = "lint-baseline.json"


def _check(*args: str, input: bytes | None = None):
    result = cli_runner().invoke(main, ["check", *args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


def _entries(path: Path) -> list[dict]:
    return json.loads(path.read_text())["findings"]


def _configure(root: Path, line: str) -> None:
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().rstrip("\n") + f"\n{line}\n")


@pytest.fixture
def example(tmp_path: Path, monkeypatch) -> Path:
    root = tmp_path / "violating"
    shutil.copytree(EXAMPLE, root)
    monkeypatch.chdir(root)
    return root


def _move_code_around(root: Path) -> None:
    """Edits that change no finding: lines inserted at the top of every file, functions reordered."""
    for path in root.rglob("*.py"):
        path.write_bytes(b"# A comment someone added.\n\n\n" + path.read_bytes())
    service = root / "app" / "services" / "user_service.py"
    header, *functions = service.read_text().split("\n\n\n")
    service.write_text("\n\n\n".join([header, *(f.rstrip("\n") for f in reversed(functions))]) + "\n")


def test_round_trip_on_the_example(example: Path) -> None:
    findings = _check("--output-format", "json")
    assert findings.exit_code == 1
    count = len(json.loads(findings.stdout))

    written = _check("--write-baseline", BASELINE)
    assert (written.exit_code, written.stdout) == (0, "")
    assert written.stderr == f"Wrote {count} findings to the baseline {BASELINE}.\n"
    first = _entries(example / BASELINE)
    assert sum(entry["count"] for entry in first) == count

    _configure(example, f'baseline = "{BASELINE}"')
    clean = _check()
    assert (clean.exit_code, clean.stdout) == (0, "All checks passed!\n")

    _move_code_around(example)
    # The keys are the same: --write-baseline (which reads no baseline) writes the same entries.
    assert _check("--write-baseline", "moved.json").exit_code == 0
    assert _entries(example / "moved.json") == first
    moved = _check()
    assert (moved.exit_code, moved.stdout) == (0, "All checks passed!\n")

    session = example / "app" / "db" / "session.py"
    original = session.read_text()
    session.write_text(original + "\n\nreplica = create_engine(REPLICA_URL)\n")
    rows = len(session.read_text().splitlines())
    new = _check()
    assert new.exit_code == 1
    assert new.stdout.startswith(
        f"app/db/session.py:{rows}:11: CL504 Use `create_async_engine` with an async driver "
        "instead of `create_engine`\nFound 1 error.\n"
    )

    # Fixing: the new finding by hand, two baselined ones by --fix (fixes apply to them; the report filters).
    session.write_text(original)
    fixed = _check("--fix", "--select", "CL102,CL502")
    assert (fixed.exit_code, fixed.stdout) == (0, "Found 2 errors (2 fixed, 0 remaining).\n")

    rewritten = _check("--write-baseline", BASELINE)
    assert rewritten.exit_code == 0
    assert rewritten.stderr == f"Wrote {count - 2} findings to the baseline {BASELINE}.\n"
    second = _entries(example / BASELINE)
    assert [entry for entry in first if entry not in second] == [
        {"file": "app/models/posts.py", "code": "CL102", "source": "editor = relationship(User)", "count": 1},
        {"file": "app/services/user_service.py", "code": "CL502", "source": "db.commit()", "count": 1},
    ]
    assert [entry for entry in second if entry not in first] == []
    assert _check().stdout == "All checks passed!\n"


def test_findings_with_the_same_key_are_counted(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(f'[tool.conventions-lint]\nselect = ["CL504"]\nbaseline = "{BASELINE}"\n')
    line = "engine = create_engine(URL)\n"
    module = tmp_path / "session.py"
    module.write_text("from sqlalchemy import create_engine\n\n" + line * 2)
    assert _check("--write-baseline", BASELINE).exit_code == 0
    assert _entries(tmp_path / BASELINE) == [
        {"file": "session.py", "code": "CL504", "source": "engine = create_engine(URL)", "count": 2}
    ]
    assert _check().stdout == "All checks passed!\n"
    # Indentation and spacing do not count; a third copy does.
    module.write_text("from sqlalchemy import create_engine\n\nengine  =  create_engine(URL)\n" + line * 2)
    result = _check("--quiet")
    assert result.exit_code == 1
    assert (
        result.stdout
        == "session.py:5:10: CL504 Use `create_async_engine` with an async driver instead of `create_engine`\n"
    )


def test_the_file_is_stable_sorted_and_documented_in_its_fields(example: Path) -> None:
    _check("--write-baseline", BASELINE)
    data = (example / BASELINE).read_bytes()
    _check("--write-baseline", BASELINE)
    assert (example / BASELINE).read_bytes() == data
    document = json.loads(data)
    assert list(document) == ["tool", "version", "findings"]
    assert (document["tool"], document["version"]) == ("conventions-lint", 1)
    entries = document["findings"]
    assert all(list(entry) == ["file", "code", "source", "count"] for entry in entries)
    keys = [(entry["file"], entry["code"], entry["source"]) for entry in entries]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert data.endswith(b"}\n") and data.count(b"\n") > len(entries)
    # Whole-module findings (a file's name) are not tied to the file's first line.
    assert {"file": "app/api/v1/endpoints/Posts.py", "code": "CL604", "source": "", "count": 1} in entries


def test_paths_are_relative_to_the_baseline_file_wherever_the_run_starts(example: Path, monkeypatch) -> None:
    _check("--write-baseline", BASELINE)
    expected = (example / BASELINE).read_bytes()
    monkeypatch.chdir(example / "app")
    assert _check("--write-baseline", f"../{BASELINE}", "..").exit_code == 0
    assert (example / BASELINE).read_bytes() == expected
    assert _check("--baseline", f"../{BASELINE}", "..").stdout == "All checks passed!\n"
    assert _check("--baseline", str(example / BASELINE), "models").stdout == "All checks passed!\n"


def test_a_configured_baseline_is_relative_to_the_configuration(example: Path, monkeypatch) -> None:
    (example / "ci").mkdir()
    _check("--write-baseline", f"ci/{BASELINE}")
    _configure(example, f'baseline = "ci/{BASELINE}"')
    monkeypatch.chdir(example / "app" / "models")
    assert _check().stdout == "All checks passed!\n"
    assert _check(str(example)).stdout == "All checks passed!\n"


def test_write_baseline_does_not_read_the_configured_one(example: Path) -> None:
    _configure(example, 'baseline = "not-written-yet.json"')
    assert _check("--write-baseline", "not-written-yet.json").exit_code == 0
    assert _check().stdout == "All checks passed!\n"


NOT_A_BASELINE = "not a conventions-lint baseline: {}; write it again with `--write-baseline`"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "the baseline file does not exist; write it with `conventions-lint check --write-baseline {path}`"),
        (
            "{",
            (
                "the baseline is not valid JSON: "
                "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
            ),
        ),
        ("[]", NOT_A_BASELINE.format('expected an object with a "findings" list')),
        ('{"version": 2, "findings": []}', NOT_A_BASELINE.format("unsupported version 2 (this version reads 1)")),
        (
            '{"version": 1, "findings": [{"file": "a.py"}]}',
            NOT_A_BASELINE.format('finding 1 needs the strings "file", "code" and "source"'),
        ),
        (
            '{"version": 1, "findings": [{"file": "a.py", "code": "CL401", "source": "", "count": 0}]}',
            NOT_A_BASELINE.format('finding 1: "count" must be a positive integer, got 0'),
        ),
    ],
)
def test_a_missing_or_corrupt_baseline_is_an_error(example: Path, content: str | None, message: str) -> None:
    path = example / BASELINE
    if content is not None:
        path.write_text(content)
    for options in (["--baseline", BASELINE], []):
        if not options:
            _configure(example, f'baseline = "{BASELINE}"')
        # Also when nothing is found: a broken baseline does not depend on what the code holds.
        for paths in ([], ["app/__init__.py"]):
            result = _check(*options, *paths)
            shown = BASELINE if options else str(path)
            assert (result.exit_code, result.stdout) == (2, "")
            assert result.stderr == f"error: {shown}: {message.format(path=shown)}\n"


@pytest.mark.parametrize("value", ["3", '""', "[]"])
def test_the_setting_is_validated(example: Path, value: str) -> None:
    _configure(example, f"baseline = {value}")
    result = _check()
    assert result.exit_code == 2
    assert "`baseline` must be" in result.stderr


@pytest.mark.parametrize("other", [["--diff"], ["--baseline", "x.json"], ["--stdin-filename", "x.py"]])
def test_write_baseline_does_not_go_with_diff_baseline_or_stdin(example: Path, other: list[str]) -> None:
    result = _check("--write-baseline", BASELINE, *other)
    assert (result.exit_code, result.stderr) == (2, f"error: --write-baseline cannot be used with {other[0]}\n")


def test_the_baseline_applies_to_standard_input(example: Path) -> None:
    _check("--write-baseline", BASELINE)
    source = (example / "app" / "db" / "session.py").read_bytes()
    result = _check("--baseline", BASELINE, "--stdin-filename", "app/db/session.py", input=source)
    assert (result.exit_code, result.stdout) == (0, "All checks passed!\n")
    result = _check(
        "--baseline",
        BASELINE,
        "--stdin-filename",
        "app/db/session.py",
        input=source + b"other = create_engine(REPLICA_URL)\n",
    )
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "app/db/session.py:18:9: CL504 Use `create_async_engine` with an async driver "
        "instead of `create_engine`\nFound 1 error.\n"
    )


def test_fixes_apply_to_baselined_findings_and_the_report_filters(example: Path) -> None:
    _check("--write-baseline", BASELINE)
    posts = example / "app" / "models" / "posts.py"
    assert "relationship(User)" in posts.read_text()
    result = _check("--baseline", BASELINE, "--fix", "--select", "CL102")
    assert (result.exit_code, result.stdout) == (0, "Found 1 error (1 fixed, 0 remaining).\n")
    assert 'relationship("User")' in posts.read_text()


def test_internal_errors_are_never_baselined() -> None:
    findings = [Diagnostic("a.py", "CL002", "boom", point(1, 1), 1), Diagnostic("a.py", "CL401", "x", point(1, 1), 1)]
    lines = baseline.line_reader(lambda path: b"x = 1\n", {})
    counts = baseline.counts_of(findings, Path("baseline.json"), lines)
    assert counts == {baseline.Key("a.py", "CL401", "x = 1"): 1}
    assert baseline.new_findings(findings, lambda path: None, lines) == findings


def test_keys_ignore_whitespace_and_whole_module_findings_ignore_the_first_line(tmp_path: Path) -> None:
    lines = baseline.line_reader(lambda path: b"\tx  =   1 \r\ny = 2\n", {})
    directory = tmp_path.resolve()
    located = Diagnostic(str(tmp_path / "sub" / "a.py"), "CL401", "x", point(1, 3), 1)
    assert baseline.key_of(located, directory, lines) == baseline.Key("sub/a.py", "CL401", "x = 1")
    module = Diagnostic(str(tmp_path / "a.py"), "CL604", "x", Span(Location(1, 1), Location(3, 1)), 1)
    assert baseline.key_of(module, directory, lines) == baseline.Key("a.py", "CL604", "")
