"""`# noqa` comments: which rows (or the whole file) suppress which codes."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from conventions_lint.diagnostic import Applicability, Diagnostic, Edit, Fix, Location, Span
from conventions_lint.line_scan import comments

# After the word noqa, either codes follow a colon or no colon follows: as in ruff, `noqa: see below`
# is a malformed directive that suppresses nothing, not a blanket one.
_AFTER_NOQA = r"(?:\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)|(?!\s*:))"
_LINE_NOQA = re.compile(r"#\s*noqa\b" + _AFTER_NOQA, re.IGNORECASE)
_FILE_NOQA = re.compile(r"#\s*conventions-lint\s*:\s*noqa\b" + _AFTER_NOQA, re.IGNORECASE)

# An empty tuple means "every code".
Codes = tuple[str, ...]


@dataclass(frozen=True)
class Directive:
    """A `# noqa: CODES` comment: where it is, for CL003 to report and rewrite it."""

    row: int
    # 1-based columns of the directive inside the line.
    start: int
    end: int
    codes: Codes
    # Whether anything but the directive (and spaces) is in the comment.
    stands_alone: bool


FILE_LEVEL = 0


@dataclass
class Suppressions:
    file_codes: Codes | None = None
    rows: dict[int, Codes] = field(default_factory=dict)
    # Per-file only (CL003 is decided in the file's own pass), so not serialised.
    directives: dict[int, Directive] = field(default_factory=dict, compare=False)

    def suppresses(self, code: str, rows: Iterable[int]) -> bool:
        return self.suppressing_row(code, rows) is not None

    def suppressing_row(self, code: str, rows: Iterable[int]) -> int | None:
        """The row whose `# noqa` silences `code` (FILE_LEVEL for the file's), or None."""
        if _covers(self.file_codes, code):
            return FILE_LEVEL
        return next((row for row in rows if _covers(self.rows.get(row), code)), None)

    def to_dict(self) -> dict:
        return {"file_codes": self.file_codes, "rows": {str(row): codes for row, codes in self.rows.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> Suppressions:
        file_codes = tuple(data["file_codes"]) if data["file_codes"] is not None else None
        return cls(file_codes, {int(row): tuple(codes) for row, codes in data["rows"].items()})


def _covers(codes: Codes | None, code: str) -> bool:
    # Prefixes count, as in flake8: `# conventions-lint: noqa: CL6` covers CL601.
    return codes is not None and (not codes or code.startswith(codes))


def _split_codes(match: re.Match) -> Codes:
    text = match.group("codes")
    return tuple(c.upper() for c in re.split(r"[\s,]+", text) if c) if text else ()


def find_suppressions(text: str) -> Suppressions:
    suppressions = Suppressions()
    if "noqa" not in text.lower():
        return suppressions
    for row, column, comment in _comments(text):
        file_match = _FILE_NOQA.search(comment)
        if file_match:
            codes = _split_codes(file_match)
            previous = suppressions.file_codes
            suppressions.file_codes = () if previous == () or not codes else (*(previous or ()), *codes)
            continue
        line_match = _LINE_NOQA.search(comment)
        if line_match:
            codes = _split_codes(line_match)
            suppressions.rows[row] = codes
            rest = (comment[: line_match.start()] + comment[line_match.end() :]).strip()
            suppressions.directives[row] = Directive(
                row, column + line_match.start(), column + line_match.end(), codes, stands_alone=not rest
            )
    return suppressions


def _comments(text: str) -> Iterable[tuple[int, int, str]]:
    """(row, 1-based column, text) of every comment: from the scan of logical lines (line_scan.py), a tenth
    of tokenize's cost, and from tokenize where the scan cannot follow the text."""
    scanned = comments(text)
    if scanned is not None:
        return scanned
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        # Files tokenize rejects but LibCST parses are rare; read every line's `#` tail instead.
        return [
            (row, line.index("#") + 1, line[line.index("#") :])
            for row, line in enumerate(text.splitlines(), 1)
            if "#" in line
        ]
    return [(token.start[0], token.start[1] + 1, token.string) for token in tokens if token.type == tokenize.COMMENT]


UNUSED_NOQA = "CL003"


def unused_noqa(
    path: str,
    suppressions: Suppressions,
    used: dict[int, set[str]],
    judged: Callable[[str], bool],
    lines: Sequence[str],
) -> list[Diagnostic]:
    """CL003 for `# noqa: CODES` whose CL codes silenced nothing here.

    A code is judged only when `judged(code)` says the file's own pass could have
    reported it (the rule is enabled and not a whole-project rule); other tools'
    codes (E501, …) and blanket `# noqa` are left alone.
    """
    findings = []
    for row, directive in sorted(suppressions.directives.items()):
        if suppressions.suppresses(UNUSED_NOQA, [row]):
            continue
        silenced = used.get(row, set())
        unused = [
            code
            for code in directive.codes
            if code.startswith("CL") and judged(code) and not any(done.startswith(code) for done in silenced)
        ]
        if not unused:
            continue
        kept = [code for code in directive.codes if code not in unused]
        listed = ", ".join(f"`{code}`" for code in unused)
        message = (
            f"Remove the unused `# noqa` code{'s' if len(unused) > 1 else ''} {listed}: nothing here is silenced by it"
        )
        span = Span(Location(row, directive.start), Location(row, directive.end))
        edit = _rewrite(directive, kept, lines[row - 1] if row <= len(lines) else "")
        fix = Fix(f"Remove {listed}", Applicability.SAFE, (edit,))
        findings.append(Diagnostic(path, UNUSED_NOQA, message, span, row, fix))
    return findings


def _rewrite(directive: Directive, kept: list[str], line: str) -> Edit:
    row = directive.row
    if kept:
        return Edit(Location(row, directive.start), Location(row, directive.end), f"# noqa: {', '.join(kept)}")
    if directive.stands_alone:
        # The whole comment goes, with the spaces that separated it from the code.
        before = line[: directive.start - 1]
        start = len(before.rstrip()) + 1
        return Edit(Location(row, start), Location(row, len(line.rstrip("\r\n")) + 1), "")
    after = line[directive.end - 1 :]
    return Edit(
        Location(row, directive.start), Location(row, directive.end + len(after) - len(after.lstrip(" \t"))), ""
    )
