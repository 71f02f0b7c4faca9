"""Reading the CI output formats back: tests/test_output_formats.py and tests/test_output_options.py."""

from __future__ import annotations

import re

from conventions_lint import __version__
from conventions_lint.registry import ALL_RULES, RULES_BY_CODE

ANNOTATION = re.compile(r"^::error (?P<properties>[^:]*)::(?P<message>.*)$")


def unescape_annotation(text: str) -> str:
    for escaped, char in (("%3A", ":"), ("%2C", ","), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def github_annotations(text: str) -> list[tuple[dict[str, str], str]]:
    found = []
    for line in text.splitlines():
        match = ANNOTATION.match(line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match["properties"].split(","))
        found.append(
            (
                {key: unescape_annotation(value) for key, value in properties.items()},
                unescape_annotation(match["message"]),
            )
        )
    return found


def check_sarif_structure(log: dict) -> None:
    """The fields SARIF 2.1.0 requires, and those this format promises, checked by hand."""
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("conventions-lint", __version__)
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in ALL_RULES]
    for descriptor in rules:
        rule = RULES_BY_CODE[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] and "\n" not in descriptor["shortDescription"]["text"]
        assert descriptor["fullDescription"]["text"] == rule.documentation()
        assert descriptor["help"] == {"text": rule.documentation(), "markdown": rule.documentation()}
        # There is no hosted documentation to point to.
        assert "helpUri" not in descriptor
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"none", "note", "warning", "error"}
        assert isinstance(result["message"]["text"], str)
        for location in result["locations"]:
            physical = location["physicalLocation"]
            assert not physical["artifactLocation"]["uri"].startswith("/")
            region = physical["region"]
            assert 1 <= region["startLine"] <= region["endLine"] and region["startColumn"] >= 1
        for fix in result.get("fixes", []):
            assert fix["artifactChanges"]
            for change in fix["artifactChanges"]:
                assert change["artifactLocation"]["uri"] and change["replacements"]
                for replacement in change["replacements"]:
                    assert set(replacement["deletedRegion"]) == {"startLine", "startColumn", "endLine", "endColumn"}
                    assert isinstance(replacement["insertedContent"]["text"], str)
