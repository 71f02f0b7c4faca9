"""The ecosystem check's bookkeeping: finding keys, summary diffs and the judged sample's figures.

Pure functions over plain data (no linting, no files but what is passed in), so that
tests/test_ecosystem.py can check them on tiny fixtures; benchmarks/ecosystem.py runs them.

A finding's key must survive the edits that do not touch it: code added above it shifts
its line number, and the rule's message may be reworded. So a key is the project, the
path, the code and a hash of what the finding stands on: its own line (stripped), its
column within that line, the header of the `def` / `class` it sits in, and, for a line
that recurs (a decorator, a statement continued on the next line), the function it
decorates or the line it continues on. Findings still sharing all of that are numbered in
order of position: `<hash>`, `<hash>-2`, ...
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

VERDICTS = ("true", "false", "noise")
# The targets of issue 15 for the ecosystem check with default settings.
PRECISION_OVERALL, PRECISION_PER_CODE = 0.97, 0.90
NOISE_OVERALL, NOISE_PER_CODE = 0.05, 0.15
SCOPE_HEADER = re.compile(r"(async\s+def|def|class)\s")


@dataclass(frozen=True)
class Finding:
    project: str
    path: str  # relative to the project's directory, posix
    code: str
    row: int  # 1-based, as in the JSON output
    column: int  # 1-based
    message: str
    key: str = ""  # filled by assign_keys()

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return (self.project, self.path, self.code, self.key)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def scope_header(lines: Sequence[str], row: int) -> str:
    """The stripped `def` / `class` line enclosing line `row` (1-based), or "" at module level.

    A text scan, not a parse: the nearest line above with less indentation that opens a
    scope. A finding on a header itself gets the scope around that header.
    """
    if not 1 <= row <= len(lines):
        return ""
    limit = _indent(lines[row - 1])
    for index in range(row - 2, -1, -1):
        line = lines[index]
        if not line.strip() or _indent(line) >= limit:
            continue
        stripped = line.strip()
        if SCOPE_HEADER.match(stripped):
            return stripped
        limit = _indent(line)
        if limit == 0:
            return ""
    return ""


def anchor(lines: Sequence[str], row: int) -> str:
    """What tells a line apart from its twins: a decorator's function, or a statement's next line.

    `@router.get(` or `sa.Column("name", sa.String()),` recur many times in one scope; the `def`
    a decorator stands on, or the line a bracketed statement continues on, names which one.
    """
    stripped = lines[row - 1].strip() if 1 <= row <= len(lines) else ""
    following = (line.strip() for line in lines[row:] if line.strip())
    if stripped.startswith("@"):
        return next((line for line in following if SCOPE_HEADER.match(line)), "")
    if stripped.endswith(("(", "[", "{", ",", "\\")):
        return next(following, "")
    return ""


def line_hash(code: str, lines: Sequence[str], row: int, column: int) -> str:
    line = lines[row - 1] if 1 <= row <= len(lines) else ""
    offset = column - 1 - _indent(line)  # the column within the stripped line: re-indenting keeps it
    text = "\0".join([code, scope_header(lines, row), line.strip(), anchor(lines, row), str(offset)])
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def assign_keys(findings: Iterable[Finding], sources: Mapping[tuple[str, str], Sequence[str]]) -> list[Finding]:
    """Each finding with its key; `sources` maps (project, path) to the file's lines."""
    keyed: list[Finding] = []
    seen: Counter[tuple[str, str, str]] = Counter()
    for finding in sorted(findings, key=lambda f: (f.project, f.path, f.row, f.column, f.code, f.message)):
        lines = sources.get((finding.project, finding.path), ())
        base = line_hash(finding.code, lines, finding.row, finding.column)
        seen[(finding.project, finding.path, base)] += 1
        number = seen[(finding.project, finding.path, base)]
        keyed.append(Finding(**{**finding.__dict__, "key": base if number == 1 else f"{base}-{number}"}))
    return keyed


def counts(findings: Iterable[Finding]) -> dict[str, dict[str, int]]:
    """{project: {code: count}}, codes sorted."""
    by_project: dict[str, Counter[str]] = {}
    for finding in findings:
        by_project.setdefault(finding.project, Counter())[finding.code] += 1
    return {project: dict(sorted(codes.items())) for project, codes in sorted(by_project.items())}


def digest(findings: Iterable[Finding]) -> str:
    """Names a set of findings: a saved findings file is the one a summary describes when digests agree."""
    joined = "\n".join(sorted("\0".join(f.identity) for f in findings))
    return hashlib.sha1(joined.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class CountChange:
    project: str
    code: str
    before: int
    after: int


def count_changes(before: Mapping[str, Mapping[str, int]], after: Mapping[str, Mapping[str, int]]) -> list[CountChange]:
    """Every (project, code) whose count differs, sorted; a project absent from one side counts as 0."""
    changes = []
    for project in sorted(set(before) | set(after)):
        old, new = before.get(project, {}), after.get(project, {})
        for code in sorted(set(old) | set(new)):
            if old.get(code, 0) != new.get(code, 0):
                changes.append(CountChange(project, code, old.get(code, 0), new.get(code, 0)))
    return changes


def _position(finding: Finding) -> tuple[str, str, int, int, str]:
    return (finding.project, finding.path, finding.row, finding.column, finding.code)


def finding_changes(before: Iterable[Finding], after: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(appeared, disappeared), matched by identity, each in (project, path, row) order."""
    old = {f.identity: f for f in before}
    new = {f.identity: f for f in after}
    appeared = sorted((f for i, f in new.items() if i not in old), key=_position)
    disappeared = sorted((f for i, f in old.items() if i not in new), key=_position)
    return appeared, disappeared


@dataclass(frozen=True)
class Judgment:
    project: str
    path: str
    code: str
    key: str
    verdict: str  # one of VERDICTS
    reason: str

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return (self.project, self.path, self.code, self.key)


@dataclass
class Tally:
    findings: int = 0  # how many the check found
    true: int = 0  # judged, among those found
    false: int = 0
    noise: int = 0
    gone: int = 0  # judged, no longer found

    @property
    def judged(self) -> int:
        return self.true + self.false + self.noise

    @property
    def precision(self) -> float | None:
        return self.true / (self.true + self.false) if self.true + self.false else None

    @property
    def noise_rate(self) -> float | None:
        return self.noise / self.judged if self.judged else None


@dataclass
class Figures:
    per_code: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    weighted_precision: float | None = None  # per-code precision weighted by each code's findings
    weighted_noise: float | None = None
    gone: list[Judgment] = field(default_factory=list)
    unjudged: list[Finding] = field(default_factory=list)


def _weighted(per_code: Mapping[str, Tally], rate) -> float | None:
    pairs = [(t.findings, rate(t)) for t in per_code.values() if rate(t) is not None]
    total = sum(weight for weight, _ in pairs)
    return sum(weight * value for weight, value in pairs) / total if total else None


def figures(findings: Sequence[Finding], judgments: Iterable[Judgment]) -> Figures:
    """The judged sample against the current findings.

    Precision is true / (true + false) and the noise rate noise / judged, over the judged
    findings that are still found; judgments of findings that disappeared are `gone`.
    The sample is stratified by code, so its plain overall figures over-weight rare codes:
    the weighted figures give each code its share of all findings instead.
    """
    result = Figures()
    current = {f.identity for f in findings}
    for finding in findings:
        result.per_code.setdefault(finding.code, Tally()).findings += 1
    judged = set()
    for judgment in judgments:
        tally = result.per_code.setdefault(judgment.code, Tally())
        if judgment.identity not in current:
            tally.gone += 1
            result.gone.append(judgment)
            continue
        judged.add(judgment.identity)
        setattr(tally, judgment.verdict, getattr(tally, judgment.verdict) + 1)
    for tally in result.per_code.values():
        for name in ("findings", "true", "false", "noise", "gone"):
            setattr(result.overall, name, getattr(result.overall, name) + getattr(tally, name))
    result.per_code = dict(sorted(result.per_code.items()))
    result.weighted_precision = _weighted(result.per_code, lambda t: t.precision)
    result.weighted_noise = _weighted(result.per_code, lambda t: t.noise_rate)
    result.unjudged = [f for f in findings if f.identity not in judged]
    return result


def under_sampled(per_code: Mapping[str, Tally], minimum: int = 10) -> dict[str, int]:
    """Codes found at least `minimum` times with fewer than `minimum` judged: how many more each needs."""
    return {code: minimum - t.judged for code, t in per_code.items() if t.findings >= minimum and t.judged < minimum}


def misses(tally: Tally, *, overall: bool = False) -> list[str]:
    """Which targets a tally misses (per code, or the overall ones)."""
    precision_target, noise_target = (
        (PRECISION_OVERALL, NOISE_OVERALL) if overall else (PRECISION_PER_CODE, NOISE_PER_CODE)
    )
    missed = []
    if tally.precision is not None and tally.precision < precision_target:
        missed.append(f"precision < {precision_target:.0%}")
    if tally.noise_rate is not None and tally.noise_rate > noise_target:
        missed.append(f"noise > {noise_target:.0%}")
    return missed


def sample_order(finding: Finding) -> str:
    """A stable pseudo-random order for drawing a code's sample: spread over projects, same every run."""
    return hashlib.sha1("\0".join(finding.identity).encode("utf-8", "surrogatepass")).hexdigest()
