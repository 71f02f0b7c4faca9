"""A scan of Python source text that follows only brackets, strings (and the code in f-strings),
comments and backslashes: where its logical lines (a line, with what brackets, strings and backslashes
continue onto the next) start and end, and where its comments are. No parse, no LibCST: it reads any
version's syntax (`type X = int`, 3.12's f-strings), which CPython's own tokenizer of an older interpreter
cannot, and gives up (`Unreadable`) on what it does not follow, for the caller to fall back on a parse or
a tokenizer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

NEWLINE = re.compile(r"\r\n?|\n")
# Blank lines, comment lines (the last may end the text) and the indentation before a logical line's
# first token; a backslash there continues the line onto the next, as CPython reads it.
_SPACE = r"(?:[ \t\f]|\\(?:\r\n?|\n))*"
_BLANK = re.compile(rf"(?:{_SPACE}(?:#[^\r\n]*)?(?:\r\n?|\n))*{_SPACE}(?:#[^\r\n]*)?")
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
# Prefixes of the strings whose replacement fields are code (f-strings, 3.14's t-strings), lowercased.
_WITH_FIELDS = frozenset({"f", "rf", "fr", "t", "rt", "tr"})
# Where a formatted string's text stops being plain: an escape, a field, its end.
_LITERAL_STOPS = {
    "'''": re.compile(r"[\\{}']"),
    '"""': re.compile(r'[\\{}"]'),
    "'": re.compile(r"[\\{}'\r\n]"),
    '"': re.compile(r'[\\{}"\r\n]'),
}
# What matters in a replacement field's code, and in its format spec.
_IN_FIELD = re.compile(r"[#'\"\\()\[\]{}:]")
_IN_SPEC = re.compile(r"[\\{}]")


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


def logical_lines(text: str, comments: list[int] | None = None, start: int = 0) -> Iterator[tuple[int, int]]:
    """Each logical line's first token's offset and the offset where it ends (its newline, or the end of the
    text), as the scan reaches them from `start` (where a logical line may begin); with `comments`, the
    offset where each comment starts is added to it."""
    position, end, depth = start, len(text), 0
    while True:
        blank = position
        position = first_token(text, position)
        if comments is not None:
            _comments_between(text, blank, position, comments)
        if position >= end:
            return
        first = position
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
            elif character in "#'\"\\":
                position = _past(text, character, found.start(), comments)
            elif depth == 0:  # a newline that ends the logical line
                break
        if depth:
            raise Unreadable("brackets left open at the end of the file")
        yield first, found.start() if found is not None else end


def first_token(text: str, position: int) -> int:
    """Where the next logical line's first token is, from `position` (where one may begin): after the
    blank and comment lines and the indentation; the end of the text if none is left."""
    return _BLANK.match(text, position).end()


def _comments_between(text: str, start: int, end: int, comments: list[int]) -> None:
    """The comments of the blank and comment lines from `start` to `end` (all a comment's `#` start one)."""
    found = text.find("#", start, end)
    while found != -1:
        comments.append(found)
        found = text.find("#", _TO_LINE_END.match(text, found).end(), end)


def _string_end(text: str, quote: int) -> int:
    triple = text[quote : quote + 3]
    opening = triple if triple in ("'''", '"""') else text[quote]
    if _has_fields(text, quote):
        return _formatted_end(text, quote, opening)
    found = _STRINGS[opening].match(text, quote)
    if found is None:
        raise Unreadable("an unterminated string")
    return found.end()


def _has_fields(text: str, quote: int) -> bool:
    """Whether the string opening at `quote` is an f- or t-string (`if"{x"` is `if` and a string)."""
    if quote == 0 or text[quote - 1] not in "fFrRtT":
        return False
    start = quote - 1
    if start > 0 and _in_a_name(text[start - 1]):
        start -= 1
    if start > 0 and _in_a_name(text[start - 1]):  # a name: no prefix is longer than two letters
        return False
    return text[start:quote].lower() in _WITH_FIELDS


def _in_a_name(character: str) -> bool:
    return ("a" + character).isidentifier()


def _formatted_end(text: str, opening: int, quote: str) -> int:
    """Where an f-string ends. Since Python 3.12 (PEP 701) a replacement field holds any code: the
    string's own quotes, other strings and f-strings, comments, newlines; no regular expression can
    tell where such a string ends."""
    raw = "r" in text[max(opening - 2, 0) : opening].lower()
    stops = _LITERAL_STOPS[quote]
    position = opening + len(quote)
    while True:
        found = stops.search(text, position)
        if found is None:
            raise Unreadable("an unterminated f-string")
        character, position = found.group(), found.end()
        if character == "\\":
            if not raw and text.startswith("N{", position):  # a character by its name, `\N{DASH}`
                position = text.find("}", position) + 1
                if position == 0:
                    raise Unreadable("an unterminated character name")
            elif text.startswith("\r\n", position):
                position += 2
            elif not text.startswith("{", position):  # after a backslash, a brace still opens a field
                position += 1
        elif character == "{":
            position = position + 1 if text.startswith("{", position) else _field_end(text, position)
        elif character == "}":
            position += text.startswith("}", position)
        elif character in "\r\n":
            raise Unreadable("a newline in the text of a one-quote f-string")
        elif len(quote) == 1 or text.startswith(quote, found.start()):
            return found.start() + len(quote)


def _past(text: str, character: str, start: int, comments: list[int] | None) -> int:
    """Where the scan goes on after the comment, string or line continuation that `character` begins at `start`
    (with `comments`, a comment's start is added to it)."""
    if character == "#":
        if comments is not None:
            comments.append(start)
        return _TO_LINE_END.match(text, start).end()
    if character != "\\":
        return _string_end(text, start)
    continued = _CONTINUATION.match(text, start)
    if continued is None:
        raise Unreadable("a backslash outside a string that continues no line")
    return continued.end()


def _field_end(text: str, position: int) -> int:
    """Where the replacement field whose code starts at `position` ends (after its `}`)."""
    depth = 0
    while True:
        found = _IN_FIELD.search(text, position)
        if found is None:
            raise Unreadable("an unterminated replacement field")
        character, position = found.group(), found.end()
        if character in "([{":
            depth += 1
        elif character in ")]}":
            if depth == 0:
                if character == "}":
                    return position
                raise Unreadable("a closing bracket without an opening one")
            depth -= 1
        elif character in "#'\"\\":
            position = _past(text, character, found.start(), None)
        elif depth == 0:  # `:` begins the format spec: text, with fields of its own, up to the `}`
            return _spec_end(text, position)


def _spec_end(text: str, position: int) -> int:
    while True:
        found = _IN_SPEC.search(text, position)
        if found is None:
            raise Unreadable("an unterminated format spec")
        character, position = found.group(), found.end()
        if character == "{":
            position = _field_end(text, position)
        elif character == "}":
            return position
        elif not text.startswith("{", position):
            position += 1
