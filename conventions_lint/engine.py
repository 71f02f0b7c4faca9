"""The per-file step: bytes in, diagnostics and project facts out.

`lint_source` is a pure function of (path, source, settings, rules), so it can run in
worker processes and be cached by content hash. Positions are computed only for
files that have something to report, since LibCST's PositionProvider costs
about as much as the parse itself.
"""

from __future__ import annotations

import ast
import io
import threading
import tokenize
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import accumulate

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.diagnostic import DeferredFix, Diagnostic, point
from conventions_lint.facts import FactCollector, FileFacts, may_have_facts
from conventions_lint.fixes.text import split_lines
from conventions_lint.noqa import (
    UNUSED_NOQA,
    Suppressions,
    find_suppressions,
    unused_noqa,
)
from conventions_lint.positions import SpanFinder, TooDeep
from conventions_lint.registry import RULES_BY_CODE
from conventions_lint.rule import ProjectRule, Rule
from conventions_lint.settings import Settings
from conventions_lint.visitor import Service, subscriptions
from conventions_lint.walker import RuleFailure, Walker

SYNTAX_ERROR = "CL001"
INTERNAL_ERROR = "CL002"
_UNSUPPRESSIBLE = frozenset({SYNTAX_ERROR, INTERNAL_ERROR})


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic]
    facts: FileFacts = field(default_factory=FileFacts)
    suppressions: Suppressions = field(default_factory=Suppressions)
    # Findings whose fix the project phase completes (`Diagnostic.deferred`): it reports them,
    # with or without a fix, so they are kept apart from `diagnostics` to be reported once.
    deferred: list[Diagnostic] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
            "facts": self.facts.to_dict(),
            "suppressions": self.suppressions.to_dict(),
            "deferred": [d.to_dict() for d in self.deferred],
        }

    @classmethod
    def from_dict(cls, data: dict) -> FileResult:
        return cls(
            data["path"],
            [Diagnostic.from_dict(d) for d in data["diagnostics"]],
            FileFacts.from_dict(data["facts"]),
            Suppressions.from_dict(data["suppressions"]),
            [Diagnostic.from_dict(d) for d in data["deferred"]],
        )


def lint_source(
    path: str, relative_path: str, source: bytes, settings: Settings, rule_types: Sequence[type[Rule]]
) -> FileResult:
    """The findings of `rule_types` (the rules chosen for this file: `Registry.rules_for`) and the file's facts."""
    enabled = {rule_type.code for rule_type in rule_types}
    roles, file_name = settings.roles_of(relative_path), relative_path.rsplit("/", 1)[-1]
    concerned = [
        rule for rule in rule_types if subscriptions(rule) and rule.concerns(source, roles, file_name, settings)
    ]
    wants_facts = may_have_facts(source, relative_path, settings)
    if not concerned and not wants_facts and not (UNUSED_NOQA in enabled and b"noqa" in source):
        return _without_rules(path, source, enabled)
    try:
        text, module, python_tree = _parse(source)
    except _Unparsable as problem:
        diagnostics = [problem.diagnostic(path)] if SYNTAX_ERROR in enabled else []
        return FileResult(path, diagnostics)

    context = FileContext(path, relative_path, module, settings)
    rules: list[Rule] = [rule_type(context) for rule_type in concerned]
    collector = FactCollector(context)
    failures: list[RuleFailure] = []
    services = _services(context, rules)
    Walker(context, rules, [*services, collector] if wants_facts else services, failures.append).walk(module)

    suppressions = find_suppressions(text)
    if not context.reports and not failures and not collector.needs_positions and not suppressions.directives:
        return FileResult(path, [], collector.facts(None), suppressions)
    try:
        spans = SpanFinder(module, text, python_tree)
        result = _positioned(path, text, spans, settings, context, collector, failures, suppressions, enabled)
    except TooDeep as error:  # nested too deeply even for positions on a large stack
        problem = _Unparsable(f"SyntaxError: {error}", 1, 1)
        return FileResult(path, [problem.diagnostic(path)] if SYNTAX_ERROR in enabled else [])
    return result if _round_trips(module, text) else _without_fixes(result)


def _services(context: FileContext, rules: list[Rule]) -> list[Service]:
    """One of each service the rules use, for this file."""
    for rule in rules:
        for kind in rule.SERVICES:
            if kind not in context.services:
                context.services[kind] = kind(context)
    return list(context.services.values())


def _round_trips(module: cst.Module, text: str) -> bool:
    """Whether LibCST's tree holds every character of the file, so positions and fixes are exact.

    LibCST drops a form feed that starts a statement's line (`\\f    x = 1` reads back as
    `    x = 1`): the columns after it are one short, and a fix would edit the wrong text.
    """
    if "\f" not in text:
        return True
    try:
        return module.code == text
    except RecursionError:
        return False


def _without_fixes(result: FileResult) -> FileResult:
    """The findings of a file LibCST does not reproduce exactly: their fixes would land off target."""
    diagnostics = [replace(d, fix=None) for d in result.diagnostics]
    diagnostics += [replace(d, deferred=None) for d in result.deferred if d.deferred.edits]
    deferred = [d for d in result.deferred if not d.deferred.edits]
    return replace(result, diagnostics=sorted(diagnostics, key=lambda d: d.sort_key), deferred=deferred)


def _positioned(
    path: str,
    text: str,
    spans: SpanFinder,
    settings: Settings,
    context: FileContext,
    collector: FactCollector,
    failures: list[RuleFailure],
    suppressions: Suppressions,
    enabled: set[str],
) -> FileResult:
    """Turn the walk's reports into positioned, noqa-filtered findings with their fixes."""
    diagnostics, deferred = [], []
    lines = split_lines(text) if suppressions.directives or any(r.fix is not None for r in context.reports) else []
    used: dict[int, set[str]] = {}
    for report in context.reports:
        span = spans.of(report.node, report.statements)
        rows = {span.start.row, span.end.row}
        if report.statement is not None:
            statement = spans.of(report.statement, report.statements)
            rows |= {statement.start.row, statement.end.row}
        silencing_row = suppressions.suppressing_row(report.code, rows)
        if silencing_row is not None:
            used.setdefault(silencing_row, set()).add(report.code)
            continue
        fix = (
            report.fix.resolve(partial(spans.of, statements=report.statements), lines, settings.applicability)
            if report.fix is not None
            else None
        )
        if report.deferred is not None and (fix is not None or report.fix is None):
            request = DeferredFix(report.deferred, fix.edits if fix is not None else ())
            deferred.append(Diagnostic(path, report.code, report.message, span, span.start.row, deferred=request))
        else:
            # With its fix or none; none also when a deferred fix cannot write its part in this file.
            diagnostics.append(Diagnostic(path, report.code, report.message, span, span.start.row, fix))
    if UNUSED_NOQA in enabled:
        diagnostics += unused_noqa(path, suppressions, used, _judgeable(enabled, failures), lines)
    for failure in failures:
        span = spans.of(failure.node)
        message = f"Rule {failure.rule.code} ({failure.rule.name}) failed on this file: {failure}"
        diagnostics.append(Diagnostic(path, INTERNAL_ERROR, message, span, span.start.row))
    diagnostics.sort(key=lambda d: d.sort_key)
    return FileResult(path, diagnostics, collector.facts(spans.of), suppressions, deferred)


def _without_rules(path: str, source: bytes, enabled: set[str]) -> FileResult:
    """A file no enabled rule can concern: only whether it is valid Python, which CPython's
    own parser tells several times faster than LibCST's."""
    try:
        text = _decode(source)
        problem = _python_syntax_error(text)
    except _Unparsable as undecodable:
        problem = undecodable
    if problem is not None:
        return FileResult(path, [problem.diagnostic(path)] if SYNTAX_ERROR in enabled else [])
    return FileResult(path, [], suppressions=find_suppressions(text))


def collect_facts(path: str, relative_path: str, source: bytes, settings: Settings) -> FileFacts | None:
    """The project facts of a file that is not being linted; None when it does not parse."""
    try:
        text, module, python_tree = _parse(source)
    except _Unparsable:
        return None
    context = FileContext(path, relative_path, module, settings)
    collector = FactCollector(context)
    Walker(context, [], [collector], lambda failure: None).walk(module)
    try:
        return collector.facts(SpanFinder(module, text, python_tree).of if collector.needs_positions else None)
    except TooDeep:
        return None


def _judgeable(enabled: set[str], failures: list[RuleFailure]) -> Callable[[str], bool]:
    """Codes whose `# noqa` this pass can call unused: per-file rules that ran to the end.

    A prefix (`CL4`) is judged when every rule it covers is; an unknown CL code always is.
    """
    failed = {failure.rule.code for failure in failures}
    judged = {code for code in enabled if not issubclass(RULES_BY_CODE[code], ProjectRule) and code not in failed}

    def judgeable(selector: str) -> bool:
        covered = [code for code in RULES_BY_CODE if code.startswith(selector)]
        return all(code in judged for code in covered)

    return judgeable


def is_suppressed(result: FileResult, diagnostic: Diagnostic, statement_rows: tuple[int, ...] = ()) -> bool:
    """Whether a finding made outside the file's own pass (the project phase) is noqa'd."""
    if diagnostic.code in _UNSUPPRESSIBLE:
        return False
    rows = {diagnostic.span.start.row, diagnostic.span.end.row, *statement_rows}
    return result.suppressions.suppresses(diagnostic.code, rows)


def parses(source: bytes) -> bool:
    """Whether fixed code is still valid Python, to LibCST and to CPython alike."""
    try:
        text, _, python_tree = _parse(source)
    except _Unparsable:
        return False
    return python_tree is not None or _python_syntax_error(text) is None


class _Unparsable(Exception):
    def __init__(self, message: str, row: int, column: int) -> None:
        super().__init__(message)
        self.message, self.row, self.column = message, row, column

    def diagnostic(self, path: str) -> Diagnostic:
        return Diagnostic(path, SYNTAX_ERROR, self.message, point(self.row, self.column), self.row)


def _parse(source: bytes) -> tuple[str, cst.Module, list[ast.stmt] | None]:
    """The text, LibCST's tree and, when it had to judge first, CPython's (whose positions are reused)."""
    text = _decode(source)
    python_tree = None
    deep = _bracket_depth(source) > _PYTHON_MAX_BRACKET_DEPTH or _nesting_bound(source) > _LIBCST_SAFE_DEPTH
    if deep:
        # LibCST's native parser crashes the whole process (a stack overflow, uncatchable) on deep
        # enough nesting, and takes seconds a statement well before that: CPython's parser, which
        # refuses what is nested too deeply, judges first, and its verdict is final. What it
        # accepts is parsed on a large stack: `a and b and ...` is flat to CPython, not to LibCST.
        python_tree = _python_tree(text)
        if source.count(b"and") + source.count(b"or") > _MAX_BOOLEAN_OPERATORS:
            raise _Unparsable(_TOO_DEEP, 1, 1)
    try:
        return text, _on_a_large_stack(cst.parse_module, source) if deep else cst.parse_module(source), python_tree
    except cst.ParserSyntaxError as error:
        raise _python_syntax_error(text) or _Unparsable(
            f"LibCST cannot parse this file (CPython can): {error.message}", error.raw_line, error.raw_column + 1
        ) from None
    except RecursionError:
        raise _Unparsable(_TOO_DEEP, 1, 1) from None
    except Exception as error:
        raise _python_syntax_error(text) or _Unparsable(
            f"LibCST cannot parse this file (CPython can): {type(error).__name__}: {error}", 1, 1
        ) from None


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


def _on_a_large_stack(work, *args):
    """`work(*args)` in a thread with a large stack; its exception, if any, is raised here."""
    outcome: list = []

    def target() -> None:
        try:
            outcome.append((True, work(*args)))
        except BaseException as error:
            outcome.append((False, error))

    previous = threading.stack_size(_LARGE_STACK_BYTES)
    try:
        thread = threading.Thread(target=target, name="conventions-lint-parse")
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


def _decode(source: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    except SyntaxError as error:
        # Undecodable first lines look like a bad cookie to tokenize; decoding says which byte is wrong.
        encoding, cookie_error = "utf-8", error
    else:
        cookie_error = None
    try:
        text = source.decode(encoding)
    except UnicodeDecodeError as error:
        before = source[: error.start]
        row = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise _Unparsable(
            f"SyntaxError: file is not valid {encoding}: byte 0x{source[error.start]:02x} cannot be decoded",
            row,
            column,
        ) from None
    except LookupError:
        raise _Unparsable(f"SyntaxError: unknown encoding {encoding!r}", 1, 1) from None
    if cookie_error is not None:
        raise _Unparsable(f"SyntaxError: {cookie_error.msg}", 1, 1)
    if "\0" in text:
        row = text.count("\n", 0, text.index("\0")) + 1
        raise _Unparsable("SyntaxError: file contains a null byte; is it a binary file?", row, 1)
    return text


def _python_syntax_error(text: str) -> _Unparsable | None:
    # CPython's parser names the problem and its place better than LibCST's does.
    try:
        _python_tree(text)
    except _Unparsable as problem:
        return problem
    return None


def _python_tree(text: str) -> list[ast.stmt]:
    try:
        with warnings.catch_warnings():
            # Invalid escape sequences and the like are the linted code's business, not standard error's.
            warnings.simplefilter("ignore")
            return ast.parse(text).body
    except SyntaxError as error:
        raise _Unparsable(f"SyntaxError: {error.msg}", error.lineno or 1, error.offset or 1) from None
    except (RecursionError, MemoryError, ValueError):
        raise _Unparsable(_TOO_DEEP, 1, 1) from None
