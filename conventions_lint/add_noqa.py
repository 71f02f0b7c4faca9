"""`check --add-noqa`: silence every current finding with a `# noqa: CODE` comment, as `ruff check --add-noqa` does.

Each finding gets its code on its `noqa_row`. A row that already has `# noqa: CODES`
gets the new codes merged into it (sorted, as ruff writes them; the rest of the
comment is kept); a blanket `# noqa` is left as it is; any other row gets
`  # noqa: CODES` appended. A comment cannot go on a row inside a multi-line string or
on a row continued with a backslash, so such a finding's comment goes on the next row
that takes one (the string's last row, as in ruff) when the engine looks for it there,
else on the nearest row of the finding or its statement that does. Files are rewritten
atomically, once each, and only when something was added: running it again adds
nothing.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from conventions_lint.diagnostic import Diagnostic, Location
from conventions_lint.discovery import Problem
from conventions_lint.fixes.text import split_lines
from conventions_lint.noqa import find_suppressions
from conventions_lint.writing import FileChangedError, write_fixed

# CL001 (the file does not parse) and CL002 (internal error) cannot be silenced by a comment.
UNSILENCEABLE = frozenset({"CL001", "CL002"})


@dataclass
class AddNoqaResult:
    # Rows whose comment was added or extended, as ruff counts "noqa directives".
    added: int = 0
    problems: list[Problem] = field(default_factory=list)


def add_noqa(
    diagnostics: Iterable[Diagnostic],
    encodings: Mapping[str, str],
    read: Callable[[str], bytes] = lambda path: Path(path).read_bytes(),
    write: Callable[[str, bytes, bytes], None] | None = None,
) -> AddNoqaResult:
    """Add `# noqa` comments for `diagnostics` to their files (display paths, read from the working directory),
    each in its encoding as the run decoded it (`RunResult.encodings`)."""
    write = write or (lambda path, original, changed: write_fixed(Path(path), original, changed))
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.code not in UNSILENCEABLE:
            by_path.setdefault(d.path, []).append(d)
    result = AddNoqaResult()
    for path, found in sorted(by_path.items()):
        try:
            original = read(path)
        except OSError as error:
            result.problems.append(Problem(path, f"cannot read file: {error.strerror or error}"))
            continue
        try:
            changed, added = with_noqa(original, found, encodings.get(path, "utf-8"))
        except (UnicodeError, LookupError) as error:  # changed since it was linted, into something undecodable
            result.problems.append(Problem(path, f"cannot add noqa comments: {error}"))
            continue
        if not added:
            continue
        try:
            write(path, original, changed)
        except FileChangedError as error:
            result.problems.append(Problem(path, str(error)))
            continue
        except OSError as error:
            result.problems.append(Problem(path, f"cannot write the file: {error.strerror or error}"))
            continue
        result.added += added
    return result


def with_noqa(source: bytes, diagnostics: Sequence[Diagnostic], encoding: str) -> tuple[bytes, int]:
    """`source` (in `encoding`) with `# noqa` comments for `diagnostics` (all of this file), and how many
    directives changed."""
    text = source.decode(encoding)
    lines = split_lines(text)
    layout = _Layout(source, text, len(lines))
    wanted: dict[int, set[str]] = {}
    whole_file: dict[int, set[str]] = {}
    for d in diagnostics:
        if d.code not in UNSILENCEABLE:
            row, for_the_file = layout.row_for(d)
            (whole_file if for_the_file else wanted).setdefault(row, set()).add(d.code)
    directives = find_suppressions(text).directives
    newline = next((line[len(line.rstrip("\r\n")) :] for line in lines if line.endswith(("\n", "\r"))), "\n")
    added = 0
    for row, codes in sorted(wanted.items()):
        if row > len(lines):  # an empty file
            lines.append(f"# noqa: {', '.join(sorted(codes))}{newline}")
            added += 1
            continue
        line = lines[row - 1]
        content = line.rstrip("\r\n")
        ending = line[len(content) :]
        directive = directives.get(row)
        if directive is None:
            kept = content.rstrip(" \t")
            comment = f"# noqa: {', '.join(sorted(codes))}"
            lines[row - 1] = (f"{kept}  {comment}" if kept else comment) + ending
            added += 1
            continue
        if not directive.codes:
            continue  # a blanket directive already silences everything on its row
        new = {code for code in codes if not code.startswith(directive.codes)}
        if not new:
            continue
        before, after = content[: directive.start - 1], content[directive.end - 1 :]
        if before.strip():
            before = before.rstrip(" \t") + "  "
        merged = ", ".join(sorted({*directive.codes, *new}))
        lines[row - 1] = f"{before}# noqa: {merged}{after}{ending}"
        added += 1
    # Whole-module findings whose first row is inside a string: a file-level directive on a line of its own,
    # after the rows above (inserted last, so that the row numbers above stay right).
    for row, codes in sorted(whole_file.items(), reverse=True):
        if not lines[row - 1].endswith(("\n", "\r")):
            lines[row - 1] += newline
        directive = f"# conventions-lint: noqa: {', '.join(sorted(codes))}"
        lines.insert(row, directive + (newline if row < len(lines) else ""))
        added += 1
    if not added:
        return source, 0
    return "".join(lines).encode(encoding), added


class _Layout:
    """Which rows can end with a comment, from the file's tokens.

    A row can when a line break token ends it (NEWLINE or NL) and it is not inside a
    string that goes on to a later row; a row continued with a backslash has no
    line break token. When tokenize rejects the file, every row is taken to be fine.
    """

    def __init__(self, source: bytes, text: str, line_count: int) -> None:
        self.line_count = line_count
        self.statements = _Statements(source)
        # Row -> the last row of the multi-line string that covers it (its last row excluded).
        self.inside: dict[int, int] = {}
        self.line_ends: set[int] | None = set()
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
        except (tokenize.TokenError, SyntaxError):
            self.line_ends = None
            return
        fstring_starts: list[int] = []
        fstring_start = getattr(tokenize, "FSTRING_START", None)  # Python 3.12+: f-strings are several tokens
        fstring_end = getattr(tokenize, "FSTRING_END", None)
        for token in tokens:
            if token.type in (tokenize.NEWLINE, tokenize.NL):
                self.line_ends.add(token.start[0])
            elif token.type == tokenize.STRING and not fstring_starts:
                self._string(token.start[0], token.end[0])
            elif fstring_start is not None and token.type == fstring_start:
                fstring_starts.append(token.start[0])
            elif fstring_end is not None and token.type == fstring_end and fstring_starts:
                first = fstring_starts.pop()
                if not fstring_starts:
                    self._string(first, token.end[0])

    def _string(self, first: int, last: int) -> None:
        for row in range(first, last):
            self.inside[row] = max(self.inside.get(row, 0), last)

    def commentable(self, row: int) -> bool:
        if row > self.line_count:
            return self.line_count == 0  # an empty file: the comment is its first line
        if row in self.inside:
            return False
        return self.line_ends is None or row in self.line_ends

    def next_commentable(self, row: int) -> int:
        while row <= self.line_count and not self.commentable(row):
            row = self.inside.get(row, row + 1)
        return min(row, max(self.line_count, 1))

    def row_for(self, d: Diagnostic) -> tuple[int, bool]:
        """The row whose `# noqa` will silence `d`, and whether it must be a file-level directive.

        The engine looks for the comment on the finding's first and last rows and on
        the first and last rows of the statement (or decorator) it is in. The noqa
        row comes first. When no comment can go there, the next row that takes one (a
        multi-line string's last row, as in ruff) if the engine looks there, else the
        nearest of the rows it looks at that takes a comment. A finding about the whole
        module whose first row is inside a docstring has no such row (its last row is
        past the end of the file): `# conventions-lint: noqa: CODE` after the string
        silences it, and only it, since such a rule reports a file once.
        """
        row = min(max(d.noqa_row, 1), max(self.line_count, 1))
        if self.commentable(row):
            return row, False
        after = self.next_commentable(row)
        looked_at = {d.span.start.row, d.span.end.row, *self.statements.rows_around(d)}
        usable = [r for r in looked_at if 1 <= r <= self.line_count and self.commentable(r)]
        if after in usable:
            return after, False
        if usable:
            return min(usable, key=lambda r: (abs(r - after), -r)), False
        whole_module = d.span.start == Location(1, 1) and d.span.end.row > self.line_count
        return after, whole_module


class _Statements:
    """The first and last rows of the statements and decorators a `# noqa` may sit on, as the engine finds them.

    Only needed for findings whose own row cannot take a comment, so the file is
    parsed on the first question only.
    """

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.spans: list[tuple[tuple[int, int], tuple[int, int]]] | None = None

    def _find(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        try:
            wrapper = MetadataWrapper(cst.parse_module(self.source), unsafe_skip_copy=True)
            positions = wrapper.resolve(PositionProvider)
        except Exception:
            return []
        return [
            ((found.start.line, found.start.column + 1), (found.end.line, found.end.column + 1))
            for node, found in positions.items()
            if isinstance(node, (cst.SimpleStatementLine, cst.Decorator))
        ]

    def rows_around(self, d: Diagnostic) -> tuple[int, ...]:
        if self.spans is None:
            self.spans = self._find()
        start, end = (d.span.start.row, d.span.start.column), (d.span.end.row, d.span.end.column)
        around = [(first, last) for first, last in self.spans if first <= start and end <= last]
        if not around:
            return ()
        first, last = max(around)  # they nest: the innermost starts last
        return first[0], last[0]
