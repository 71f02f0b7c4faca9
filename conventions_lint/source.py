"""A Python file's source: decoded once, parsed once (hardened), and what a large stack is for.

Every other module gets the text and its encoding from here (a `FileResult` carries the
encoding on), so a file's encoding is detected once per run. The parse is hardened
against what real trees hold: undecodable bytes, null bytes, nesting that crashes
LibCST's native parser or takes it seconds; each becomes an `Unparsable` with the
message and place CL001 reports.
"""

from __future__ import annotations

import ast
import io
import sys
import threading
import tokenize
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from itertools import accumulate
from typing import TypeVar

import libcst as cst

T = TypeVar("T")
# A Python version, (3, 12).
Version = tuple[int, int]


class Unparsable(Exception):
    """The file cannot be decoded or parsed: `message` (a CL001 message) at 1-based `row` and `column`.

    `encoding`: what its lines are read in all the same (with replacement characters), to show them.
    """

    def __init__(self, message: str, row: int, column: int, encoding: str = "utf-8") -> None:
        super().__init__(message)
        self.message, self.row, self.column, self.encoding = message, row, column, encoding


@dataclass(frozen=True)
class ParsedSource:
    source: bytes
    text: str
    encoding: str
    module: cst.Module
    # CPython's statements, when the parse had to ask CPython first (deeply nested code): CPython has
    # judged the syntax then. None otherwise.
    python_tree: list[ast.stmt] | None


def parse(source: bytes, encoding: str | None = None, target: Version | None = None) -> ParsedSource:
    """The text, LibCST's tree and, when it had to judge first, CPython's.

    `encoding`: the file's, when this run knows it already (a fix round's result is in the encoding
    of the file it fixes). `target`: the project's Python (`Settings.target_version`), see `judged_by_host`.
    """
    text, encoding = decode(source, encoding)
    try:
        module, python_tree = _parse_decoded(source, text, target)
    except Unparsable as problem:
        problem.encoding = encoding
        raise
    return ParsedSource(source, text, encoding, module, python_tree)


def _parse_decoded(source: bytes, text: str, target: Version | None) -> tuple[cst.Module, list[ast.stmt] | None]:
    python_tree = None
    brackets = _bracket_depth(source)
    deep = brackets > _PYTHON_MAX_BRACKET_DEPTH or _nesting_bound(source) > _LIBCST_SAFE_DEPTH
    if deep:
        # LibCST's native parser crashes the whole process (a stack overflow, uncatchable) on deep
        # enough nesting, and takes seconds a statement well before that: CPython's parser, which
        # refuses what is nested too deeply, judges first, and its verdict is final. What it
        # accepts is parsed on a large stack: `a and b and ...` is flat to CPython, not to LibCST.
        # An interpreter older than the project's Python cannot judge it: then only CPython's limit
        # on brackets (the same in every version) applies before LibCST's parse on the large stack.
        if judged_by_host(target):
            python_tree = python_tree_of(text)
        elif brackets > _PYTHON_MAX_BRACKET_DEPTH:
            raise Unparsable("SyntaxError: too many nested parentheses", 1, 1)
        if source.count(b"and") + source.count(b"or") > _MAX_BOOLEAN_OPERATORS:
            raise Unparsable(_TOO_DEEP, 1, 1)
    parse_module = partial(cst.parse_module, config=_parser_config(target))
    try:
        with _nodes_unchecked():
            module = on_a_large_stack(parse_module, source) if deep else parse_module(source)
    except cst.ParserSyntaxError as error:
        raise python_syntax_error(text) or Unparsable(
            f"LibCST cannot parse this file (CPython can): {error.message}", error.raw_line, error.raw_column + 1
        ) from None
    except RecursionError:
        raise Unparsable(_TOO_DEEP, 1, 1) from None
    except Exception as error:
        raise python_syntax_error(text) or Unparsable(
            f"LibCST cannot parse this file (CPython can): {type(error).__name__}: {error}", 1, 1
        ) from None
    return module, python_tree


@contextmanager
def _nodes_unchecked() -> Iterator[None]:
    """LibCST's check of each node it makes (`_validate`, run from `CSTNode.__post_init__`) switched off
    for a parse. It is there for nodes built by hand: its parser's own are valid as made, and the check
    took 13 % of the parse (0.7 s of 5.6 s on the benchmark's finding-dense set; LibCST's source says as
    much beside it).

    Only while no other thread runs (a run's process and its workers), so that no node built by hand
    elsewhere meanwhile goes unchecked: the language server's threads parse with the check. A thread
    started within (`on_a_large_stack`) is this one's: this one waits for it."""
    if threading.active_count() > 1:
        yield
        return
    checked = cst.CSTNode.__post_init__
    # A function that does nothing, not one that asks whether to check: it is called for each of the
    # millions of nodes a parse makes, and the question cost 3 % of the parse.
    cst.CSTNode.__post_init__ = _unchecked
    try:
        yield
    finally:
        cst.CSTNode.__post_init__ = checked


def _unchecked(node: cst.CSTNode) -> None:
    pass


def parses(source: bytes, target: Version | None = None) -> bool:
    """Whether fixed code is still valid Python, to LibCST and to CPython alike (LibCST alone when the
    project's Python, `target`, is newer than the interpreter running: see `judged_by_host`)."""
    return parse_valid(source, target=target) is not None


def parse_valid(source: bytes, encoding: str | None = None, target: Version | None = None) -> ParsedSource | None:
    """`parse(source, encoding, target)` when CPython accepts the code too (what fixed code must be),
    unless CPython is older than `target`; else None."""
    try:
        parsed = parse(source, encoding, target)
    except Unparsable:
        return None
    if parsed.python_tree is not None or not judged_by_host(target) or python_syntax_error(parsed.text) is None:
        return parsed
    return None


def judged_by_host(target: Version | None) -> bool:
    """Whether the interpreter running the linter can judge the syntax of a project on Python `target`
    (None: unknown, taken as this one). An older one cannot read newer syntax (`type X = int` is 3.12):
    LibCST's parser, which reads every version's, judges alone then."""
    return target is None or target <= sys.version_info[:2]


@cache
def _parser_config(target: Version | None) -> cst.PartialParserConfig:
    """LibCST's parser told the project's Python (LibCST 1.x's native parser reads every version's
    syntax whatever it is told; a version it does not know is left out)."""
    if target is not None:
        try:
            return cst.PartialParserConfig(python_version=f"{target[0]}.{target[1]}")
        except ValueError:
            pass
    return cst.PartialParserConfig()


_TOO_DEEP = "SyntaxError: the code is nested too deeply to parse"
# LibCST's native parser overflows an 8 MB stack at 6,000-10,000 levels of nesting, and its time grows
# with the square of the depth (seconds at 3,000 levels of `a + a + ...`).
_LIBCST_SAFE_DEPTH = 3_500
# On the large stack, 100,000 levels of `and` take 3 s and 400 MB.
_MAX_BOOLEAN_OPERATORS = 100_000
_LARGE_STACK_BYTES = 512 * 1024 * 1024
# Every level of nesting in LibCST's tree takes one of these (operators, attribute dots, calls,
# subscripts and displays) or one of the words below; statements nest at most 100 blocks deep.
_NESTING_BYTES = frozenset(b"-+~*/%@&|^<>.([{")
_NOT_NESTING = bytes(b for b in range(256) if b not in _NESTING_BYTES)
_NESTING_WORDS = (b"not", b"await", b"lambda", b"if", b"and", b"or", b"yield")


def _nesting_bound(source: bytes) -> int:
    """An upper bound of how deeply LibCST's tree of `source` nests (strings and comments count too)."""
    bound = 200 + len(source.translate(None, _NOT_NESTING))
    if bound > _LIBCST_SAFE_DEPTH:
        return bound
    return bound + sum(source.count(word) for word in _NESTING_WORDS)


def on_a_large_stack(work: Callable[..., T], *args, recursion_limit: int | None = None) -> T:
    """`work(*args)` in a thread with a large stack (and, if given, a higher recursion limit);
    its exception, if any, is raised here."""
    outcome: list = []

    def target() -> None:
        limit = sys.getrecursionlimit()
        if recursion_limit is not None:
            sys.setrecursionlimit(recursion_limit)
        try:
            outcome.append((True, work(*args)))
        except BaseException as error:
            outcome.append((False, error))
        finally:
            sys.setrecursionlimit(limit)

    previous = threading.stack_size(_LARGE_STACK_BYTES)
    try:
        thread = threading.Thread(target=target, name="conventions-lint-large-stack")
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    succeeded, value = outcome[0]
    if not succeeded:
        raise value
    return value


_PYTHON_MAX_BRACKET_DEPTH = 200
_BRACKET_DELTA = [0] * 256
for _opening, _closing in (b"()", b"[]", b"{}"):
    _BRACKET_DELTA[_opening], _BRACKET_DELTA[_closing] = 1, -1
_NOT_BRACKETS = bytes(b for b in range(256) if not _BRACKET_DELTA[b])


def _bracket_depth(source: bytes) -> int:
    """An upper bound of the bracket nesting depth, counting brackets in strings and comments too."""
    brackets = source.translate(None, _NOT_BRACKETS)
    if len(brackets) <= _PYTHON_MAX_BRACKET_DEPTH:
        return len(brackets)
    return max(accumulate(map(_BRACKET_DELTA.__getitem__, brackets)), default=0)


def decode(source: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of a Python file and its encoding (a PEP 263 cookie, a BOM, or UTF-8), which is
    detected unless the caller knows it."""
    cookie_error = None
    try:
        if encoding is None:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    except SyntaxError as error:
        # Undecodable first lines look like a bad cookie to tokenize; decoding says which byte is wrong.
        encoding, cookie_error = "utf-8", error
    try:
        text = source.decode(encoding)
    except UnicodeDecodeError as error:
        before = source[: error.start]
        row = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise Unparsable(
            f"SyntaxError: file is not valid {encoding}: byte 0x{source[error.start]:02x} cannot be decoded",
            row,
            column,
            encoding,
        ) from None
    except LookupError:
        raise Unparsable(f"SyntaxError: unknown encoding {encoding!r}", 1, 1) from None
    if cookie_error is not None:
        raise Unparsable(f"SyntaxError: {cookie_error.msg}", 1, 1)
    if "\0" in text:
        row = text.count("\n", 0, text.index("\0")) + 1
        raise Unparsable("SyntaxError: file contains a null byte; is it a binary file?", row, 1, encoding)
    return text, encoding


def python_syntax_error(text: str) -> Unparsable | None:
    # CPython's parser names the problem and its place better than LibCST's does.
    try:
        python_tree_of(text)
    except Unparsable as problem:
        return problem
    return None


def python_tree_of(text: str) -> list[ast.stmt]:
    """CPython's tree of `text` (its statements)."""
    try:
        with warnings.catch_warnings():
            # Invalid escape sequences and the like are the linted code's business, not standard error's.
            warnings.simplefilter("ignore")
            return ast.parse(text).body
    except SyntaxError as error:
        raise Unparsable(f"SyntaxError: {error.msg}", error.lineno or 1, error.offset or 1) from None
    except (RecursionError, MemoryError, ValueError):
        raise Unparsable(_TOO_DEEP, 1, 1) from None
