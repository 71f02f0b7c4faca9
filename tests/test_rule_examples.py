"""Every rule's VALID and INVALID examples, run as tests (the Fixit way)."""

from __future__ import annotations

import textwrap

import pytest

from conventions_lint.diagnostic import FixAvailability
from conventions_lint.registry import ALL_RULES, RULES_BY_CODE
from conventions_lint.rule import Invalid, Rule, Valid
from tests.helpers import fix, found, lint, project_tree, read_tree, run_tree

_WITHOUT_EXAMPLES = {"CL002"}  # an internal error cannot be written as source; see test_engine.py


def _cases(kind: str):
    return [
        pytest.param(rule, example, id=f"{rule.code}-{kind}-{number}")
        for rule in ALL_RULES
        for number, example in enumerate(getattr(rule, kind))
    ]


def _lint(rule, example: Valid | Invalid):
    if not example.others:
        return lint(example.source, path=example.path, select=(rule.code, "CL001"), **dict(example.settings))
    # A whole-project rule's example is a small project on disk, linted as the CLI does.
    with project_tree(
        {example.path: example.source, **dict(example.others)}, select=(rule.code, "CL001"), **dict(example.settings)
    ) as root:
        return [d for d in run_tree(root).diagnostics if d.path == example.path]


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
    if rule.fix_availability is not FixAvailability.NONE:
        assert "## Fix safety" in doc


@pytest.mark.parametrize(("rule", "example"), _cases("INVALID"))
def test_invalid_example_is_fixed_as_documented(rule, example: Invalid) -> None:
    settings = dict(example.settings)
    expected = example.fixed_source if example.fixed is not None else example.source
    # A fix the project phase completes (it follows a name into other files) is made by the whole run only.
    if not example.others and _completes_nothing(rule):
        after = fix(example.source, path=example.path, select=(rule.code,), unsafe=True, **settings)
        assert after == expected
        # Fixing again changes nothing: fixes converge.
        assert fix(after, path=example.path, select=(rule.code,), unsafe=True, **settings) == after
        return
    files = {example.path: example.source, **dict(example.others)}
    with project_tree(files, select=(rule.code,), **settings) as root:
        run_tree(root, fix=True, unsafe=True)
        after = read_tree(root, files)
        assert after == {
            **files,
            example.path: expected,
            **{path: textwrap.dedent(code).lstrip("\n") for path, code in example.fixed_others},
        }
        run_tree(root, fix=True, unsafe=True)
        assert read_tree(root, files) == after


def _completes_nothing(rule) -> bool:
    return getattr(rule.complete_fix, "__func__", None) is Rule.complete_fix.__func__


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_the_examples_show_the_fixes_the_rule_declares(rule) -> None:
    fixed = [example.fixed is not None or bool(example.fixed_others) for example in rule.INVALID]
    if rule.fix_availability is FixAvailability.ALWAYS:
        assert all(fixed)
    elif rule.fix_availability is FixAvailability.SOMETIMES:
        assert any(fixed)
    else:
        assert not any(fixed) and rule.fix_applicability is None


def test_the_documentation_shows_where_an_example_stands_and_its_other_files() -> None:
    doc = RULES_BY_CODE["CL801"].documentation()
    use_instead = doc.split("## Use instead\n", 1)[1].split("\n## ", 1)[0]
    assert use_instead.startswith("```python\n# app/models/user.py\n")
    assert "```python\n# app/db/base.py\n# Import all models here" in use_instead
    assert "from app.models.user import User\n```" in use_instead
    # An example of no particular place is shown as it is.
    plain = RULES_BY_CODE["CL001"].documentation()
    assert "```python\ndef get_user(user_id:\n" in plain and "# app/module.py" not in plain
