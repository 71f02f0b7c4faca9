"""`# noqa` comments: which rows (or the whole file) suppress which codes."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field

# After `noqa`, either codes follow a colon or no colon follows: as in ruff, `# noqa: see below`
# is a malformed directive that suppresses nothing, not a blanket one.
_AFTER_NOQA = r"(?:\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)|(?!\s*:))"
_LINE_NOQA = re.compile(r"#\s*noqa\b" + _AFTER_NOQA, re.IGNORECASE)
_FILE_NOQA = re.compile(r"#\s*conventions-lint\s*:\s*noqa\b" + _AFTER_NOQA, re.IGNORECASE)

# An empty tuple means "every code".
Codes = tuple[str, ...]


@dataclass
class Suppressions:
    file_codes: Codes | None = None
    rows: dict[int, Codes] = field(default_factory=dict)

    def suppresses(self, code: str, rows: Iterable[int]) -> bool:
        if _covers(self.file_codes, code):
            return True
        return any(_covers(self.rows.get(row), code) for row in rows)

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
    for row, comment in _comments(text):
        file_match = _FILE_NOQA.search(comment)
        if file_match:
            codes = _split_codes(file_match)
            previous = suppressions.file_codes
            suppressions.file_codes = () if previous == () or not codes else (*(previous or ()), *codes)
            continue
        line_match = _LINE_NOQA.search(comment)
        if line_match:
            suppressions.rows[row] = _split_codes(line_match)
    return suppressions


def _comments(text: str) -> Iterable[tuple[int, str]]:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        # Files tokenize rejects but LibCST parses are rare; read every line's `#` tail instead.
        return [(row, line[line.index("#"):]) for row, line in enumerate(text.splitlines(), 1) if "#" in line]
    return [(token.start[0], token.string) for token in tokens if token.type == tokenize.COMMENT]
