"""The adoption options of `check`: --add-noqa, --write-baseline and --baseline."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from conventions_lint.config import ConfigResolver
from conventions_lint.console import EXIT_CLEAN, EXIT_ERROR, fail, report_error


def check_adoption_options(
    add_noqa: bool,
    write_baseline: Path | None,
    baseline_file: Path | None,
    *,
    fix: bool | None,
    fix_only: bool,
    diff: bool,
    stdin_filename: Path | None,
) -> None:
    """--add-noqa and --write-baseline record the findings as they are, in files: they go with neither fixes nor stdin."""
    from conventions_lint.config import ConfigError

    for option, given, clashing in (
        (
            "--add-noqa",
            add_noqa,
            (
                ("--fix", fix),
                ("--fix-only", fix_only),
                ("--diff", diff),
                ("--stdin-filename", stdin_filename is not None),
                ("--write-baseline", write_baseline is not None),
            ),
        ),
        (
            "--write-baseline",
            write_baseline is not None,
            (
                ("--diff", diff),
                ("--stdin-filename", stdin_filename is not None),
                ("--baseline", baseline_file is not None),
            ),
        ),
    ):
        other = next((name for name, used in clashing if used), None)
        if given and other is not None:
            raise ConfigError(f"{option} cannot be used with {other}")


def adopt(
    outcome,
    resolver: ConfigResolver,
    paths: list[Path],
    stdin_filename: Path | None,
    fixed_source: bytes | None,
    *,
    add_noqa: bool,
    write_baseline: Path | None,
    baseline_file: Path | None,
    quiet: bool,
) -> None:
    """--write-baseline (then exit), the baseline filter, then --add-noqa (then exit)."""
    from conventions_lint import baseline

    lines = baseline.line_reader(_current_bytes(outcome, stdin_filename, fixed_source), outcome.encodings)
    try:
        if write_baseline is not None:
            count = baseline.write(write_baseline, outcome.diagnostics, lines)
            if not quiet:
                click.echo(
                    f"Wrote {count} finding{'s' if count != 1 else ''} to the baseline {write_baseline}.", err=True
                )
            _echo_internal_errors(outcome.diagnostics)
            sys.exit(EXIT_ERROR if outcome.has_errors else EXIT_CLEAN)

        @functools.cache
        def baseline_for(path: str) -> Path | None:
            return baseline_file or _configured_baseline(resolver.for_directory(Path(path).absolute().parent))

        # The baselines that apply where the run starts are read even when nothing was found: a wrong one is an error.
        starts = [stdin_filename.absolute().parent] if stdin_filename is not None else paths or [Path(".")]
        preload = (
            [baseline_file]
            if baseline_file is not None
            else [
                _configured_baseline(resolver.for_directory(start if start.is_dir() else start.absolute().parent))
                for start in starts
            ]
        )
        outcome.diagnostics = baseline.new_findings(
            outcome.diagnostics, baseline_for, lines, preload=[path for path in preload if path is not None]
        )
    except baseline.BaselineError as error:
        fail(str(error))
    if add_noqa:
        from conventions_lint.add_noqa import add_noqa as add_comments  # it parses: see lazy_libcst.py

        added = add_comments(outcome.diagnostics, outcome.encodings)
        for problem in added.problems:
            report_error(str(problem))
        if not quiet:
            click.echo(f"Added {added.added} noqa directive{'s' if added.added != 1 else ''}.", err=True)
        _echo_internal_errors(outcome.diagnostics)
        sys.exit(EXIT_ERROR if outcome.has_errors or added.problems else EXIT_CLEAN)


def _configured_baseline(settings) -> Path | None:
    return settings.root / settings.baseline if settings.baseline else None


def _current_bytes(outcome, stdin_filename: Path | None, fixed_source: bytes | None):
    """A file's content as the findings see it: after fixes, or as standard input held it."""
    from conventions_lint.display_paths import display_path

    stdin_path = display_path(stdin_filename) if stdin_filename is not None else None

    def read(path: str) -> bytes:
        if path == stdin_path and fixed_source is not None:
            return fixed_source
        if path in outcome.fixed_contents:
            return outcome.fixed_contents[path]
        return Path(path).read_bytes()

    return read


def _echo_internal_errors(diagnostics) -> None:
    """CL002 can be neither silenced nor baselined: --add-noqa and --write-baseline still show it."""
    for d in diagnostics:
        if d.code == "CL002":
            click.echo(f"error: {d.path}:{d.location.row}:{d.location.column}: {d.code} {d.message}", err=True)
