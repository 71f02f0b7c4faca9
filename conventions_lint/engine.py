"""The per-file step: bytes in, diagnostics and project facts out.

`lint_source` is a pure function of (path, source, settings, rules), so it can run in
worker processes and be cached by content hash. It orchestrates: the source is decoded
and parsed by source.py, walked by walker.py, placed by positions.py and filtered by
noqa.py. Positions are computed only for files that have something to report, since
LibCST's PositionProvider costs about as much as the parse itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.diagnostic import DeferredFix, Diagnostic, point
from conventions_lint.fact_collector import FactCollector, may_have_facts
from conventions_lint.facts import FileFacts
from conventions_lint.fixes.text import split_lines
from conventions_lint.garbage import collected_after
from conventions_lint.name_use_collector import follows_names
from conventions_lint.noqa import (
    UNUSED_NOQA,
    Suppressions,
    find_suppressions,
    unused_noqa,
)
from conventions_lint.placing import TooDeep
from conventions_lint.positions import SpanFinder
from conventions_lint.project_model.roles import ALEMBIC_ENV, content_roles, rules_for_roles
from conventions_lint.project_model.vocabulary import NO_VOCABULARY, Vocabulary
from conventions_lint.recognize.bindings import Bindings
from conventions_lint.registry import RULES_BY_CODE
from conventions_lint.rule import ProjectRule, Rule
from conventions_lint.settings import Settings
from conventions_lint.source import (
    ParsedSource,
    Unparsable,
    Version,
    decode,
    judged_by_host,
    parse,
    python_syntax_error,
)
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

    @property
    def encoding(self) -> str:
        """The file's encoding, as its pass decoded it (UTF-8 for a file that could not be decoded)."""
        return self.facts.encoding


@collected_after
def lint_source(
    path: str,
    relative_path: str,
    source: bytes,
    settings: Settings,
    rule_types: Sequence[type[Rule]],
    parsed: ParsedSource | None = None,
    vocabulary: Vocabulary = NO_VOCABULARY,
) -> FileResult:
    """The findings of `rule_types` (the rules chosen for this file: `Registry.rules_for`) and the file's facts.

    `parsed`: `source` parsed already (a fix round checks that its result parses), not parsed again.
    `vocabulary`: what the file's names stand for in its project (the project model's answer for this file).
    """
    roles = settings.roles_of(relative_path) | content_roles(source, relative_path)
    file_name = relative_path.rsplit("/", 1)[-1]
    rule_types = rules_for_roles(tuple(rule_types), roles)
    enabled = {rule_type.code for rule_type in rule_types}
    concerned = [
        rule for rule in rule_types if subscriptions(rule) and rule.concerns(source, roles, file_name, settings)
    ]
    follows = "migrations" not in roles and follows_names(source, relative_path, settings, vocabulary)
    wants_facts = follows or ("migrations" not in roles and may_have_facts(source, relative_path, settings))
    if not concerned and not wants_facts and not (UNUSED_NOQA in enabled and b"noqa" in source):
        return _without_rules(path, source, enabled, settings.target_version)
    try:
        parsed = parsed or parse(source, target=settings.target_version)
    except Unparsable as problem:
        return _unparsable(path, problem, enabled)
    context = FileContext(path, relative_path, parsed.module, settings, vocabulary, roles)
    try:
        return _walked(parsed, path, context, concerned, enabled, follows, wants_facts)
    finally:
        # The services and the findings' fixes hold the context, which holds them: let go, the tree is
        # freed when the lint returns, by reference counting, not by a pass of the collector (garbage.py).
        context.services.clear()
        context.reports.clear()


def _walked(
    parsed: ParsedSource,
    path: str,
    context: FileContext,
    concerned: list[type[Rule]],
    enabled: set[str],
    follows: bool,
    wants_facts: bool,
) -> FileResult:
    text, module, settings = parsed.text, parsed.module, context.settings
    rules: list[Rule] = [rule_type(context) for rule_type in concerned]
    failures: list[RuleFailure] = []
    services = _services(context, rules, follows)
    collector = FactCollector(context)
    Walker(context, rules, [*services, collector] if wants_facts else services, failures.append).walk(module)

    suppressions = find_suppressions(text)
    if not context.reports and not failures and not collector.needs_positions and not suppressions.directives:
        return FileResult(path, [], collector.facts(None, parsed.text, parsed.encoding), suppressions)
    try:
        spans = SpanFinder(module, text)
        result = _positioned(parsed, path, spans, settings, context, collector, failures, suppressions, enabled)
    except TooDeep as error:  # nested too deeply even for positions on a large stack
        return _unparsable(path, Unparsable(f"SyntaxError: {error}", 1, 1, parsed.encoding), enabled)
    # Alembic's env.py is never fixed (fixes.md F8): its findings stand without them.
    return result if _round_trips(module, text) and ALEMBIC_ENV not in context.roles else _without_fixes(result)


def _services(context: FileContext, rules: list[Rule], follows_names: bool = False) -> list[Service]:
    """One of each service the rules use, for this file; `Bindings` also when the facts record name uses."""
    for kind in [kind for rule in rules for kind in rule.SERVICES] + ([Bindings] if follows_names else []):
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
    parsed: ParsedSource,
    path: str,
    spans: SpanFinder,
    settings: Settings,
    context: FileContext,
    collector: FactCollector,
    failures: list[RuleFailure],
    suppressions: Suppressions,
    enabled: set[str],
) -> FileResult:
    """Turn the walk's reports into positioned, noqa-filtered findings with their fixes."""
    text = parsed.text
    diagnostics, deferred = [], []
    lines = split_lines(text) if suppressions.directives or any(r.fix is not None for r in context.reports) else []
    used: dict[int, set[str]] = {}
    for report in context.reports:
        # Reported once the walk had left it (at the module's end): where the node stands is known
        # when it is a statement, a line's part or a definition's name; the fix's edits are below it.
        statements = report.statements or spans.known_statements_of(report.node)
        span = spans.of(report.node, statements)
        rows = {span.start.row, span.end.row}
        if report.statement is not None:
            statement = spans.of(report.statement, statements)
            rows |= {statement.start.row, statement.end.row}
        silencing_row = suppressions.suppressing_row(report.code, rows)
        if silencing_row is not None:
            used.setdefault(silencing_row, set()).add(report.code)
            continue
        fix = (
            report.fix.resolve(partial(spans.of, statements=statements), lines, settings.applicability)
            if report.fix is not None and settings.can_fix(report.code)
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
    return FileResult(
        path, diagnostics, collector.facts(spans.of, parsed.text, parsed.encoding), suppressions, deferred
    )


def _without_rules(path: str, source: bytes, enabled: set[str], target: Version | None) -> FileResult:
    """A file no enabled rule can concern: only whether it is valid Python, which CPython's
    own parser tells several times faster than LibCST's (LibCST's, when CPython is older than the
    project's Python and refuses: newer syntax is no error there)."""
    try:
        text, encoding = decode(source)
    except Unparsable as undecodable:
        return _unparsable(path, undecodable, enabled)
    problem = python_syntax_error(text)
    if problem is not None and not judged_by_host(target):
        try:
            parse(source, encoding, target)
            problem = None
        except Unparsable as refused:
            problem = refused
    if problem is not None:
        problem.encoding = encoding
        return _unparsable(path, problem, enabled)
    return FileResult(path, [], FileFacts(encoding=encoding), find_suppressions(text))


def collect_facts(
    path: str,
    relative_path: str,
    source: bytes,
    settings: Settings,
    parsed: ParsedSource | None = None,
    vocabulary: Vocabulary = NO_VOCABULARY,
) -> FileFacts | None:
    """The project facts of a file that is not being linted; None when it does not parse.
    `parsed`: `source` parsed already (a project fix checked its result), not parsed again."""
    try:
        parsed = parsed or parse(source, target=settings.target_version)
    except Unparsable:
        return None
    context = FileContext(path, relative_path, parsed.module, settings, vocabulary)
    services = _services(context, [], follows_names(source, relative_path, settings, vocabulary))
    collector = FactCollector(context)
    Walker(context, [], [*services, collector], lambda failure: None).walk(parsed.module)
    try:
        spans = SpanFinder(parsed.module, parsed.text) if collector.needs_positions else None
        return collector.facts(spans.of if spans is not None else None, parsed.text, parsed.encoding)
    except TooDeep:
        return None


def no_facts(source: bytes) -> FileFacts | None:
    """The facts of a file with none to collect, not parsed: its encoding, which another file's fix would
    write it in; None when it does not decode, as `collect_facts` says of a file that does not parse."""
    try:
        return FileFacts(encoding=decode(source)[1])
    except Unparsable:
        return None


def _unparsable(path: str, problem: Unparsable, enabled: set[str]) -> FileResult:
    """The result of a file that does not parse: CL001, if enabled, and nothing else."""
    diagnostic = Diagnostic(path, SYNTAX_ERROR, problem.message, point(problem.row, problem.column), problem.row)
    return FileResult(path, [diagnostic] if SYNTAX_ERROR in enabled else [], FileFacts(encoding=problem.encoding))


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
