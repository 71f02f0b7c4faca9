"""Applying fixes: to one file, in rounds (pick non-overlapping fixes, apply, re-lint, until nothing
changes), and the project phase's across files. Beside the runner, above the engine it re-lints with;
rules describe fixes with fixes/ below.

As in ruff, overlapping fixes are not merged: the later one waits for the next
round, where it is computed afresh on the fixed text. Every round's result is
re-parsed; a fix that would break the file is dropped and reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from conventions_lint.diagnostic import Applicability, Diagnostic, Edit, Fix
from conventions_lint.engine import FileResult, lint_source
from conventions_lint.fixes.text import apply_edits
from conventions_lint.garbage import collected_after
from conventions_lint.project_model.vocabulary import NO_VOCABULARY, Vocabulary
from conventions_lint.rule import Rule
from conventions_lint.settings import Settings
from conventions_lint.source import ParsedSource, Version, parse_valid

MAX_ROUNDS = 20
# The project phase's rounds (runner.py), each of the fixes that edit across files, linted again after it.
PROJECT_ROUNDS = 5


@dataclass
class FixOutcome:
    source: bytes
    result: FileResult
    fixed: list[Diagnostic] = field(default_factory=list)
    # Fixes left out because the code they produced did not parse.
    dropped: list[Diagnostic] = field(default_factory=list)


def is_applicable(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.applicability is Applicability.SAFE or unsafe)


@collected_after
def fix_source(
    path: str,
    relative_path: str,
    source: bytes,
    settings: Settings,
    rules: Sequence[type[Rule]],
    *,
    unsafe: bool,
    vocabulary: Vocabulary = NO_VOCABULARY,
    parsed: ParsedSource | None = None,
) -> FixOutcome:
    """`parsed`: `source` parsed already (its encoding detected), as after the project's edits."""
    result = lint_source(path, relative_path, source, settings, rules, parsed, vocabulary=vocabulary)
    outcome = FixOutcome(source, result)
    if not any(is_applicable(d.fix, unsafe) for d in result.diagnostics):
        return outcome
    encoding = result.encoding
    seen = {source}
    for _ in range(MAX_ROUNDS):
        # A fix dropped once would be proposed again, unchanged, in every later round.
        refused = {_identity(d) for d in outcome.dropped}
        chosen = choose_fixes(
            [d for d in outcome.result.diagnostics if is_applicable(d.fix, unsafe) and _identity(d) not in refused]
        )
        if not chosen:
            break
        fixed_source, applied, parsed = _apply_parsing(
            outcome.source, encoding, chosen, outcome.dropped, settings.target_version
        )
        if not applied or fixed_source in seen:
            break
        seen.add(fixed_source)
        outcome.source, outcome.fixed = fixed_source, outcome.fixed + applied
        # Checking that the fixed code parses parsed it: the round's lint uses that tree.
        outcome.result = lint_source(path, relative_path, fixed_source, settings, rules, parsed, vocabulary=vocabulary)
        last_round = parsed
    if outcome.source != source:
        _prune_imports(outcome, source, last_round, path, relative_path, settings, rules, vocabulary)
    return outcome


def _prune_imports(
    outcome: FixOutcome,
    original: bytes,
    last_round: ParsedSource,
    path: str,
    relative_path: str,
    settings: Settings,
    rules: Sequence[type[Rule]],
    vocabulary: Vocabulary,
) -> None:
    """Remove the library imports the fixes left unused (ruff's F401 would flag them next)."""
    # Its visitors subclass LibCST's: imported when a fix is made, not when a cached run starts (lazy_libcst).
    from conventions_lint.fixes.unused_imports import unused_after_fixes, without_imports

    encoding = last_round.encoding
    unused = unused_after_fixes(original.decode(encoding), last_round.text, relative_path)
    pruned = _encoded(without_imports(last_round.module, unused), encoding) if unused else None
    parsed = parse_valid(pruned, encoding) if pruned is not None else None
    if parsed is not None:
        outcome.source = pruned
        outcome.result = lint_source(path, relative_path, pruned, settings, rules, parsed, vocabulary=vocabulary)


def choose_fixes(candidates: Sequence[Diagnostic], *, across_files: bool = False) -> list[Diagnostic]:
    """Fixes whose edits do not overlap, first come first served; identical edits may be shared.

    Edits in another file than the finding's are the project phase's business
    (`across_files`); the file-by-file rounds leave such fixes out.
    """
    chosen: list[Diagnostic] = []
    taken: set[tuple[str, Edit]] = set()
    for diagnostic in sorted(candidates, key=lambda d: (d.fix.edits[0] if d.fix.edits else d.span.start, d.sort_key)):
        edits = diagnostic.fix.edits
        if not across_files and any(edit.filename is not None for edit in edits):
            continue
        fresh = [(edit.filename or diagnostic.path, edit) for edit in edits]
        fresh = [item for item in fresh if item not in taken]
        if any(
            place == other_place and _overlap(edit, other, across_files)
            for place, edit in fresh
            for other_place, other in taken
        ):
            continue
        chosen.append(diagnostic)
        taken.update(fresh)
    return chosen


def _overlap(a: Edit, b: Edit, insertions_may_share: bool) -> bool:
    """Whether two edits touch the same text.

    Within a file, two different insertions at one place conflict: they are
    mostly import lines, and the second, recomputed a round later, merges into
    the first instead of duplicating it. The project phase's insertions (one
    import line a model, in db/base.py) may share a place, in a fixed order.
    """
    if a.location == a.end_location == b.location == b.end_location:
        return not insertions_may_share
    return a.location < b.end_location and b.location < a.end_location


def apply_project_fixes(
    diagnostics: Sequence[Diagnostic],
    contents: Mapping[str, bytes],
    encodings: Mapping[str, str],
    *,
    unsafe: bool,
    targets: Mapping[str, Version | None] | None = None,
) -> tuple[dict[str, ParsedSource], list[Diagnostic], list[Diagnostic]]:
    """Apply the whole-project fixes (which may edit several files) to `contents`, each file in its
    encoding (as its pass, or the indexing of its facts, decoded it), its fixed code valid for its
    project's Python (`targets`: `Settings.target_version` by path).

    Returns the new contents of the files that changed (parsed: they were checked), the fixes applied
    and the fixes dropped because a file they touch would no longer parse (or is unknown).
    """
    chosen = choose_fixes([d for d in diagnostics if is_applicable(d.fix, unsafe)], across_files=True)
    failed: set[Diagnostic] = set()
    while True:
        # A fix is all or nothing: one that fails in any file is undone in all of them, and the
        # files it touched are checked again without it, until every remaining fix holds.
        remaining = [d for d in chosen if d not in failed]
        changed, newly_failed = _apply_in_each_file(remaining, contents, encodings, targets or {})
        if not newly_failed:
            break
        failed |= newly_failed
    applied = [d for d in chosen if d not in failed]
    return changed, applied, sorted(failed, key=lambda d: d.sort_key)


def _apply_in_each_file(
    chosen: list[Diagnostic],
    contents: Mapping[str, bytes],
    encodings: Mapping[str, str],
    targets: Mapping[str, Version | None],
) -> tuple[dict[str, ParsedSource], set[Diagnostic]]:
    """Each file's edits applied; the fixes that leave a file unparsable (or touch an unknown one) fail,
    found one by one as in `_apply_parsing`, so that one bad fix does not take the others down."""
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in chosen:
        for path in dict.fromkeys(edit.filename or diagnostic.path for edit in diagnostic.fix.edits):
            by_file.setdefault(path, []).append(diagnostic)
    changed: dict[str, ParsedSource] = {}
    failed: set[Diagnostic] = set()
    for path, fixes in sorted(by_file.items()):
        source = contents.get(path)
        if source is None:
            failed.update(fixes)
            continue
        encoding = encodings[path]
        text = source.decode(encoding)

        def attempt(
            kept: list[Diagnostic], path: str = path, text: str = text, encoding: str = encoding
        ) -> ParsedSource | None:
            edits = sorted({edit for d in kept for edit in d.fix.edits if (edit.filename or d.path) == path})
            fixed = _encoded(apply_edits(text, edits), encoding)
            return parse_valid(fixed, encoding, targets.get(path)) if fixed is not None else None

        fixed = attempt(fixes)
        if fixed is None:
            kept: list[Diagnostic] = []
            for diagnostic in fixes:
                if attempt([*kept, diagnostic]) is not None:
                    kept.append(diagnostic)
                else:
                    failed.add(diagnostic)
            fixed = attempt(kept) if kept else None
        if fixed is not None:
            changed[path] = fixed
    return changed, failed


def _apply_parsing(
    source: bytes, encoding: str, chosen: list[Diagnostic], dropped: list[Diagnostic], target: Version | None
) -> tuple[bytes, list[Diagnostic], ParsedSource | None]:
    """The source with the `chosen` fixes that keep it valid, those fixes, and its parse (None when
    no fix is kept); the others are `dropped`."""
    text = source.decode(encoding)
    together = _encoded(apply_edits(text, _edits(chosen)), encoding)
    parsed = parse_valid(together, encoding, target) if together is not None else None
    if parsed is not None:
        return together, chosen, parsed
    # Find the culprits: keep each fix that still leaves the file valid.
    kept: list[Diagnostic] = []
    kept_source, kept_parse = source, None
    for diagnostic in chosen:
        attempt = _encoded(apply_edits(text, _edits([*kept, diagnostic])), encoding)
        parsed = parse_valid(attempt, encoding, target) if attempt is not None else None
        if parsed is not None:
            kept.append(diagnostic)
            kept_source, kept_parse = attempt, parsed
        else:
            dropped.append(diagnostic)
    return kept_source, kept, kept_parse


def _identity(diagnostic: Diagnostic) -> tuple:
    """What stays the same about a fix when earlier fixes move it to other lines."""
    return diagnostic.code, diagnostic.message, tuple(edit.content for edit in diagnostic.fix.edits)


def _edits(diagnostics: list[Diagnostic]) -> list[Edit]:
    return sorted({edit for d in diagnostics for edit in d.fix.edits})


def _encoded(text: str, encoding: str) -> bytes | None:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return None
