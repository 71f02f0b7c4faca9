"""The ecosystem check's logic (benchmarks/ecosystem_findings.py) on tiny fixtures: keys, diffs, figures.

Linting the corpus itself is `python benchmarks/ecosystem.py`, never part of the suite.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


ef = _load("ecosystem_findings")

MODEL = """\
class User(Base):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]

class Post(Base):
    id: Mapped[int] = mapped_column(primary_key=True)
"""


def finding(row: int, column: int = 5, code: str = "CL201", path: str = "models.py", project: str = "app"):
    return ef.Finding(project, path, code, row, column, f"message of {code}")


def keys(source: str, *found) -> list[str]:
    return [f.key for f in ef.assign_keys(found, {("app", "models.py"): source.splitlines()})]


def judgment(row_key: str, verdict: str, code: str = "CL201"):
    return ef.Judgment("app", "models.py", code, row_key, verdict, "why")


# Keys


def test_a_key_survives_lines_added_above_and_a_changed_message():
    shifted = "import uuid\n\n\n" + MODEL
    before = keys(MODEL, finding(2))
    moved = ef.Finding("app", "models.py", "CL201", 5, 5, "reworded message")
    assert keys(shifted, moved) == before


def test_the_same_line_in_two_classes_gets_two_keys_through_its_scope():
    first, second = keys(MODEL, finding(2), finding(6))
    assert first != second
    assert "-" not in first + second  # told apart by the class header, not by numbering


def test_a_key_changes_with_the_line_or_the_code_or_the_column():
    base = keys(MODEL, finding(2))
    assert (
        keys(
            MODEL.replace("mapped_column(primary_key=True)", "mapped_column(Integer, primary_key=True)", 1), finding(2)
        )
        != base
    )
    assert keys(MODEL, finding(2, code="CL104")) != base
    assert keys(MODEL, finding(2, column=9)) != base


def test_re_indenting_a_line_keeps_its_key():
    nested = MODEL.replace("class User(Base):", "if True:\n  class User(Base):").replace("\n    id", "\n      id", 1)
    assert keys(nested, finding(3, column=7)) == keys(MODEL, finding(2, column=5))


def test_identical_findings_in_one_scope_are_numbered_in_order():
    source = "def f(a, b):\n    x = os.getenv('A')\n    x = os.getenv('A')\n"
    found = [finding(3, 9, "CL703"), finding(2, 9, "CL703")]
    first, second = keys(source, *found)
    assert second == f"{first}-2"


ROUTES = """\
@router.get(
    "/items",
)
async def get_items(): ...

@router.get(
    "/items",
)
async def list_items(): ...
"""


def test_twin_decorator_lines_are_told_apart_by_the_function_they_decorate():
    first, second = keys(ROUTES, finding(1, 2, "CL301"), finding(6, 2, "CL301"))
    assert "-" not in first + second
    moved = "@router.post('/x')\nasync def create_x(): ...\n\n" + ROUTES
    assert keys(moved, finding(9, 2, "CL301")) == [second]


def test_twin_continued_lines_are_told_apart_by_the_line_they_continue_on():
    source = 'op.create_table(\n    "a",\n    sa.Column("name", sa.String()),\n    sa.Column("x", sa.Text()),\n)\n'
    source += 'op.create_table(\n    "b",\n    sa.Column("name", sa.String()),\n    sa.Column("y", sa.Text()),\n)\n'
    first, second = keys(source, finding(3, 5, "CL401"), finding(8, 5, "CL401"))
    assert "-" not in first + second


def test_scope_header_is_the_nearest_enclosing_def_or_class():
    lines = MODEL.splitlines()
    assert ef.scope_header(lines, 3) == "class User(Base):"
    assert ef.scope_header(lines, 1) == ""
    assert ef.scope_header(["def f():", "    if x:", "        y()"], 3) == "def f():"
    assert ef.scope_header(["x = 1"], 5) == ""


# Diffs


def test_count_changes_lists_each_project_and_code_that_moved():
    before = {"app": {"CL201": 2, "CL304": 5}, "gone": {"CL101": 1}}
    after = {"app": {"CL201": 2, "CL304": 3, "CL601": 1}, "new": {"CL401": 4}}
    assert [(c.project, c.code, c.before, c.after) for c in ef.count_changes(before, after)] == [
        ("app", "CL304", 5, 3),
        ("app", "CL601", 0, 1),
        ("gone", "CL101", 1, 0),
        ("new", "CL401", 0, 4),
    ]


def test_finding_changes_match_by_key_not_by_line():
    old = ef.assign_keys([finding(2), finding(6)], {("app", "models.py"): MODEL.splitlines()})
    edited = MODEL.replace("class Post(Base):\n    id: Mapped[int]", "class Post(Base):\n    id: Mapped[uuid.UUID]")
    new = ef.assign_keys(
        [finding(4), finding(8, code="CL104")], {("app", "models.py"): ("# header\n\n" + edited).splitlines()}
    )
    appeared, disappeared = ef.finding_changes(old, new)
    assert [(f.code, f.row) for f in appeared] == [("CL104", 8)]
    assert [(f.code, f.row) for f in disappeared] == [("CL201", 6)]


def test_counts_and_digest():
    found = ef.assign_keys(
        [finding(2), finding(6), finding(6, code="CL104")], {("app", "models.py"): MODEL.splitlines()}
    )
    assert ef.counts(found) == {"app": {"CL104": 1, "CL201": 2}}
    assert ef.digest(found) == ef.digest(list(reversed(found)))
    assert ef.digest(found) != ef.digest(found[:2])


# Figures of the judged sample


def _found(n: int, code: str = "CL201") -> list:
    source = "\n".join(f"x{i} = 1" for i in range(n)).splitlines()
    return ef.assign_keys([finding(i + 1, 1, code) for i in range(n)], {("app", "models.py"): source})


def test_precision_is_true_over_true_plus_false_and_noise_is_over_all_judged():
    found = _found(10)
    verdicts = ["true"] * 6 + ["false"] * 2 + ["noise"] * 2
    result = ef.figures(found, [judgment(f.key, v) for f, v in zip(found, verdicts)])
    tally = result.per_code["CL201"]
    assert (tally.findings, tally.judged, tally.true, tally.false, tally.noise) == (10, 10, 6, 2, 2)
    assert tally.precision == pytest.approx(6 / 8)
    assert tally.noise_rate == pytest.approx(2 / 10)
    assert ef.misses(tally) == ["precision < 90%", "noise > 15%"]
    assert result.unjudged == []


def test_judgments_of_findings_no_longer_found_are_reported_not_counted():
    found = _found(3)
    judged = [judgment(found[0].key, "true"), judgment("0123456789ab", "false")]
    result = ef.figures(found, judged)
    tally = result.per_code["CL201"]
    assert (tally.true, tally.false, tally.gone) == (1, 0, 1)
    assert tally.precision == 1
    assert [j.key for j in result.gone] == ["0123456789ab"]
    assert [f.key for f in result.unjudged] == [f.key for f in found[1:]]


def test_a_code_without_judged_findings_has_no_figures_and_counts_as_under_sampled():
    result = ef.figures(_found(12, "CL304"), [])
    tally = result.per_code["CL304"]
    assert tally.precision is None and tally.noise_rate is None
    assert ef.misses(tally) == []
    assert ef.under_sampled(result.per_code) == {"CL304": 10}
    assert ef.under_sampled(ef.figures(_found(9), []).per_code) == {}


def test_overall_figures_sum_the_codes_and_the_weighted_ones_follow_each_codes_share():
    common, rare = _found(90, "CL304"), _found(10, "CL101")
    judged = [judgment(f.key, "true", "CL304") for f in common[:10]]
    judged += [judgment(f.key, v, "CL101") for f, v in zip(rare, ["false"] * 5 + ["true"] * 5)]
    result = ef.figures(common + rare, judged)
    assert (result.overall.true, result.overall.false, result.overall.findings) == (15, 5, 100)
    assert result.overall.precision == pytest.approx(15 / 20)
    assert result.weighted_precision == pytest.approx((90 * 1.0 + 10 * 0.5) / 100)
    assert ef.misses(result.overall, overall=True) == ["precision < 97%"]


def test_sample_order_is_stable_and_independent_of_line_numbers():
    found = _found(5)
    assert [ef.sample_order(f) for f in found] == [ef.sample_order(replace(f, row=f.row + 3)) for f in found]
    assert len({ef.sample_order(f) for f in found}) == 5


def test_the_committed_judgments_are_well_formed():
    path = BENCHMARKS / "ecosystem" / "judgments.jsonl"
    if not path.is_file():
        pytest.fail(f"{path} is missing: the judged sample is committed data")
    seen = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        item = json.loads(line)
        assert item["verdict"] in ef.VERDICTS, f"line {number}"
        assert item["reason"].strip(), f"line {number}: a judgment says why"
        identity = (item["project"], item["path"], item["code"], item["key"])
        assert identity not in seen, f"line {number}: judged twice"
        seen.add(identity)
