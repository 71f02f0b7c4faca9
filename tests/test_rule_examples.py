"""Every rule's VALID and INVALID examples, run as tests (the Fixit way)."""

from __future__ import annotations

import pytest

from conventions_lint.rule import Invalid, Valid
from conventions_lint.rules import ALL_RULES
from tests.helpers import found, lint

_WITHOUT_EXAMPLES = {"CL002"}  # an internal error cannot be written as source; see test_engine.py


def _cases(kind: str):
    return [
        pytest.param(rule, example, id=f"{rule.code}-{kind}-{number}")
        for rule in ALL_RULES
        for number, example in enumerate(getattr(rule, kind))
    ]


def _lint(rule, example: Valid | Invalid):
    return lint(example.source, path=example.path, select=(rule.code, "CL001"), **dict(example.settings))


@pytest.mark.parametrize(("rule", "example"), _cases("VALID"))
def test_valid_example_has_no_findings(rule, example: Valid) -> None:
    assert found(_lint(rule, example)) == []


@pytest.mark.parametrize(("rule", "example"), _cases("INVALID"))
def test_invalid_example_is_found_once_at_its_place(rule, example: Invalid) -> None:
    assert found(_lint(rule, example)) == [(rule.code, example.line, example.column)]


@pytest.mark.parametrize("rule", [r for r in ALL_RULES if r.code not in _WITHOUT_EXAMPLES], ids=lambda r: r.code)
def test_rule_has_three_examples_of_each_kind(rule) -> None:
    assert len(rule.VALID) >= 3 and len(rule.INVALID) >= 3


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_doc_has_the_ruff_sections(rule) -> None:
    doc = rule.documentation()
    assert "## What it does" in doc and "## Why is this bad?" in doc
    if rule.code not in _WITHOUT_EXAMPLES:
        assert "## Example" in doc and "## Use instead" in doc
    if rule.fix_safety is not None:
        assert "## Fix safety" in doc
