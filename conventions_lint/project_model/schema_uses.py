"""Where a module's text spells classes as API schemas, read for its summary: the names under a route
decorator and in the handler's signature, and those of a class's field annotations (schema_roles.py).
What the routes answer is kept apart, and so are the parameters of a query route (`POST
/deployments/filter`, `/records/search`, `/count`): criteria for finding resources, not a resource.

Read by their text, without the parser: every dotted name of the stretch is taken, whatever it
stands for there (a default, a path string's words). Taking too many only keeps a class
counted as an API schema, which is what a class the summary cannot read is taken for.
"""

from __future__ import annotations

import builtins
import keyword
import re
import string
from dataclasses import dataclass, field
from functools import cache

from conventions_lint.project_model.rename_scan import ROUTE_DECORATOR, lines

_DEF = re.compile(r"[ \t]*(?:async[ \t]+)?def[ \t]+\w+")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_OPEN, _CLOSE, _QUOTES = "([{", ")]}", "\"'"
# The first string of a route decorator: its path.
_PATH = re.compile(r"""\(\s*(?:path\s*=\s*)?[rbuf]*["']([^"']*)["']""")
_WORD = re.compile(r"[a-z]+")
# The last fixed segment of a query route's path: it finds resources by the criteria it takes.
_QUERY_WORDS = frozenset({"filter", "filters", "search", "count", "counts", "query", "paginate"})
_RETURN = re.compile(r"^[ \t]*return\b[ \t]*([^\n]*)", re.MULTILINE)
_CALL = re.compile(r"([A-Za-z_][\w.]*)\(")
_LINE = re.compile(r"^([ \t]*)([^\n]*)", re.MULTILINE)
# The call, found by its literal dot: the receiver's name before it is read backwards (`_receiver`), which is
# fifty times faster than a pattern that starts with the name, tried at every character.
_VALIDATE = re.compile(r"\.(?:model_validate|model_validate_json|from_orm|parse_obj)\(")
_NAME_START = frozenset(string.ascii_letters + "_")


@dataclass
class RouteTypes:
    """The dotted names the routes of a module spell."""

    # In the decorators and handler signatures (`response_model=`, a body's annotation, the return annotation).
    spelled: list[str] = field(default_factory=list)
    # In the decorators and return annotations: what the routes answer.
    answered: list[str] = field(default_factory=list)
    # In a query route's parameters (`POST .../filter`): criteria.
    criteria: list[str] = field(default_factory=list)
    # What a route answers and builds in every return (`return XResponse(a=...)`), and what one answers
    # but returns otherwise (an object it loaded, a variable, a list).
    built: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)


def route_types(text: str) -> RouteTypes:
    found = RouteTypes()
    text = lines(text)
    for decorator in ROUTE_DECORATOR.finditer(text):
        definition = _DEF.search(text, decorator.end())
        if definition is None:
            continue
        end = expression_end(text, definition.end(), ":")
        found.spelled += names_in(text[decorator.start() : end])
        # What the signature spells after `->` is answered; before it, taken.
        arrow = text.rfind("->", definition.end(), end)
        arrow = end if arrow < 0 else arrow
        answered = names_in(text[decorator.start() : definition.start()] + " " + text[arrow:end])
        found.answered += answered
        path = _PATH.search(text, decorator.end() - 1, definition.start())
        if path is not None and _is_query_path(path.group(1)):
            found.criteria += names_in(text[definition.end() : arrow])
        returns = [match.group(1) for match in _RETURN.finditer(_body(text, definition.start(), end))]
        for name in answered:
            built = returns and all(_builds(returned, name) for returned in returns)
            (found.built if built else found.returned).append(name)
    for key, names in vars(found).items():
        setattr(found, key, list(dict.fromkeys(names)))
    return found


def validated(text: str) -> list[str]:
    """The last names of the classes the text validates from an object: `X.model_validate(...)`,
    `X.from_orm(...)`, `X.parse_obj(...)`."""
    return sorted({name for match in _VALIDATE.finditer(text) if (name := _receiver(text, match.start()))})


def _receiver(text: str, dot: int) -> str | None:
    """The name before the dot at `dot`: the whole word, when it is an identifier (`\\b[A-Za-z_]\\w*`)."""
    start = dot
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return text[start:dot] if text[start : start + 1] in _NAME_START else None


def _body(text: str, definition: int, start: int) -> str:
    """The handler's body: from its signature's end to the first line indented no deeper than its `def`."""
    line = text[text.rfind("\n", 0, definition + 1) + 1 :]
    indent = len(line) - len(line.lstrip(" \t"))
    after = text.find("\n", start)
    for match in _LINE.finditer(text, len(text) if after < 0 else after + 1):
        if len(match.group(1)) <= indent and match.group(2)[:1] not in ("", "#", ")"):
            return text[start : match.start()]
    return text[start:]


def _builds(returned: str, answered: str) -> bool:
    """Whether `return <returned>` builds the class `answered` names (`XResponse(...)`)."""
    called = _CALL.match(returned)
    return called is not None and called.group(1).rsplit(".", 1)[-1] == answered.rsplit(".", 1)[-1]


def _is_query_path(path: str) -> bool:
    segments = [segment for segment in path.split("/") if segment and not segment.startswith("{")]
    return bool(segments) and not _QUERY_WORDS.isdisjoint(_WORD.findall(segments[-1].lower()))


def annotation_names(body: str, start: int) -> list[str]:
    """The dotted names of the annotation that starts at `start` (after `name:`), up to its value."""
    return names_in(body[start : expression_end(body, start, "=\n")])


def names_in(text: str) -> list[str]:
    """The dotted names spelled in `text`, but keywords and builtins (`list`, `str`, `None`)."""
    names = (match.group() for match in _DOTTED.finditer(text))
    return [name for name in dict.fromkeys(names) if not _is_keyword_or_builtin(name.split(".", 1)[0])]


@cache
def _is_keyword_or_builtin(name: str) -> bool:
    # Kept: `hasattr` of a name that is not a builtin raises and catches an AttributeError, the most of `names_in`.
    return keyword.iskeyword(name) or hasattr(builtins, name)


def expression_end(text: str, start: int, stops: str) -> int:
    """Where the first of `stops` stands outside brackets, strings and comments, from `start` (the
    text's end when none does)."""
    depth, index, special = 0, start, _special_characters(stops)
    # From one character that matters to the next, found by the regex engine: a loop over every character
    # of every signature was a fifth of the summaries' time.
    while (found := special.search(text, index)) is not None:
        index = found.start()
        char = text[index]
        if char in _QUOTES:
            quote = text[index : index + 3] if text[index : index + 3] in ('"""', "'''") else char
            close = text.find(quote, index + len(quote))
            index = len(text) if close < 0 else close + len(quote)
            continue
        if char == "#":
            index = text.find("\n", index)
            index = len(text) if index < 0 else index
            continue
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
        elif char in stops and depth <= 0:
            return index
        index += 1
    return len(text)


@cache
def _special_characters(stops: str) -> re.Pattern[str]:
    """What `expression_end` looks at: quotes, comments, brackets and `stops`."""
    return re.compile(f"[{re.escape(_QUOTES + '#' + _OPEN + _CLOSE + stops)}]")
