"""A scan of Python source text that follows only brackets, strings, comments and backslashes: where
its logical lines (a line, with what brackets, strings and backslashes continue onto the next) start
and end, and where its comments are. No parse, no LibCST: it reads any version's syntax (`type X = int`),
which CPython's own tokenizer of an older interpreter cannot, and gives up (`Unreadable`) on what it
does not follow, for the caller to fall back on a parse or a tokenizer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

NEWLINE = re.compile(r"\r\n?|\n")
# Blank lines, comment lines and the indentation before a logical line's first token.
_BLANK = re.compile(r"(?:[ \t\f]*(?:#[^\r\n]*)?(?:\r\n?|\n))*[ \t\f]*")
# What can continue a logical line past a newline, end it, or hide the characters that do.
_SIGNIFICANT = re.compile(r"[#'\"\\()\[\]{}\r\n]")
_TO_LINE_END = re.compile(r"[^\r\n]*")
_CONTINUATION = re.compile(r"\\(?:\r\n?|\n)")
# Strings, from their opening quote, with escapes (a backslash hides the next character, also
# in raw strings, as far as where the string ends is concerned).
_STRINGS = {
    "'''": re.compile(r"'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''"),
    '"""': re.compile(r'"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'),
    "'": re.compile(r"'[^'\\\r\n]*(?:\\[\s\S][^'\\\r\n]*)*'"),
    '"': re.compile(r'"[^"\\\r\n]*(?:\\[\s\S][^"\\\r\n]*)*"'),
}


class Unreadable(Exception):
    """The scan met what it does not follow (an unterminated string, unbalanced brackets)."""


def logical_line_starts(text: str) -> list[int]:
    """The offset of each logical line's first token."""
    return [start for start, _ in logical_lines(text)]


def leading_lines(text: str, count: int) -> tuple[list[int], int] | None:
    """Where the file's first `count` logical lines start (offsets) and the 1-based row the last of them ends
    on, from a scan of those lines alone; None when the scan cannot read that far."""
    starts: list[int] = []
    try:
        for start, end in logical_lines(text):
            starts.append(start)
            if len(starts) == count:
                return starts, len(NEWLINE.findall(text, 0, end)) + 1
    except Unreadable:
        pass
    return None


def comments(text: str) -> list[tuple[int, int, str]] | None:
    """(row, 1-based column, text) of each comment; None when the scan cannot follow the text."""
    starts: list[int] = []
    try:
        for _ in logical_lines(text, starts):
            pass
    except Unreadable:
        return None
    found, row, previous = [], 1, 0
    for start in starts:
        row += len(NEWLINE.findall(text, previous, start))
        previous = start
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        found.append((row, start - line_start + 1, text[start : _TO_LINE_END.match(text, start).end()]))
    return found


def logical_lines(text: str, comments: list[int] | None = None) -> Iterator[tuple[int, int]]:
    """Each logical line's first token's offset and the offset where it ends (its newline, or the end of the
    text), as the scan reaches them; with `comments`, the offset where each comment starts is added to it."""
    position, end, depth = 0, len(text), 0
    while True:
        blank = position
        position = _BLANK.match(text, position).end()
        if comments is not None:
            _comments_between(text, blank, position, comments)
        if position >= end:
            return
        if text.startswith("\\", position):
            raise Unreadable("a backslash before a logical line's first token")
        start = position
        while True:
            found = _SIGNIFICANT.search(text, position)
            if found is None:
                position = end
                break
            character, position = found.group(), found.end()
            if character in "([{":
                depth += 1
            elif character in ")]}":
                depth -= 1
                if depth < 0:
                    raise Unreadable("a closing bracket without an opening one")
            elif character == "#":
                if comments is not None:
                    comments.append(found.start())
                position = _TO_LINE_END.match(text, position).end()
            elif character in "'\"":
                position = _string_end(text, found.start())
            elif character == "\\":
                continued = _CONTINUATION.match(text, found.start())
                if continued is None:
                    raise Unreadable("a backslash outside a string that continues no line")
                position = continued.end()
            elif depth == 0:  # a newline that ends the logical line
                break
        if depth:
            raise Unreadable("brackets left open at the end of the file")
        yield start, found.start() if found is not None else end


def _comments_between(text: str, start: int, end: int, comments: list[int]) -> None:
    """The comments of the blank and comment lines from `start` to `end` (all a comment's `#` start one)."""
    found = text.find("#", start, end)
    while found != -1:
        comments.append(found)
        found = text.find("#", _TO_LINE_END.match(text, found).end(), end)


def _string_end(text: str, quote: int) -> int:
    triple = text[quote : quote + 3]
    pattern = _STRINGS.get(triple) if triple in ("'''", '"""') else _STRINGS[text[quote]]
    found = pattern.match(text, quote)
    if found is None:
        # Unterminated, or a 3.12 f-string whose replacement field spans lines inside single quotes.
        raise Unreadable("a string the scan cannot follow")
    return found.end()
