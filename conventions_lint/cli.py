"""The command line, modelled on `ruff check` / `ruff rule`.

The commands import what they use when they run: the rule modules take about half a second
to import, which `--version` and `--help` need not wait for, and LibCST must not load before
`main` defers it (lazy_libcst.py).
"""

from __future__ import annotations

import io
import sys
import traceback
from pathlib import Path

import click

from conventions_lint import __version__
from conventions_lint.colour import COLOR_CHOICES, COLOURED_FORMATS, wants_colour
from conventions_lint.console import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    fail,
    report_error,
    report_warning,
)
from conventions_lint.info_commands import rule, rules_command, server_command
from conventions_lint.settings import OUTPUT_FORMATS, Selection

STDIN = Path("-")


def _codes(values: tuple[str, ...], option: str) -> tuple[str, ...]:
    """`--select CL1,CL2 --select CL5` → ("CL1", "CL2", "CL5"), each checked against the catalogue."""
    from conventions_lint.config import validate_codes

    return validate_codes([code for value in values for code in value.split(",") if code.strip()], option)


class _CommandLine(click.Group):
    """Ctrl-C ends any command with exit 130 and no traceback, not click's "Aborted!" and exit 1 (the code for
    findings)."""

    def main(self, *args, **kwargs):
        from conventions_lint.workers import catch_interrupts

        catch_interrupts()
        try:
            return super().main(*args, **kwargs)
        except KeyboardInterrupt:  # while click parses the command line
            sys.exit(EXIT_INTERRUPTED)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:  # before click's own handler turns it into "Aborted!" and exit 1
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=_CommandLine, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="conventions-lint", message="%(prog)s %(version)s")
def main() -> None:
    """Lint FastAPI + SQLAlchemy + Pydantic code against the team's conventions."""
    from conventions_lint.lazy_libcst import defer_libcst

    defer_libcst()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Rules to enable (codes or prefixes, comma-separated); replaces the configured selection.",
)
@click.option("--extend-select", multiple=True, metavar="CODES", help="Rules to enable on top of the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules to disable.")
@click.option("--fix/--no-fix", default=None, help="Apply safe fixes (default: the `fix` setting).")
@click.option("--unsafe-fixes/--no-unsafe-fixes", default=None, help="Also apply (and count as fixable) unsafe fixes.")
@click.option("--fix-only", is_flag=True, help="Apply fixes without reporting what is left.")
@click.option("--diff", is_flag=True, help="Print the changes --fix would make, as a unified diff; change nothing.")
@click.option("--show-fixes", is_flag=True, help="List what was fixed.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when fixes were applied, even with nothing left.")
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Add `# noqa: CODE` comments that silence every current finding, and report nothing.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Record the current findings in this baseline file, and report nothing.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Report only findings that are not in this baseline file (default: the `baseline` setting).",
)
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path),
    help="Read the source from standard input, as if it were this file.",
)
@click.option(
    "--config",
    "config_options",
    multiple=True,
    metavar="PATH | KEY=VALUE",
    help="A configuration file to use for every file (a pyproject.toml or a conventions-lint.toml), or a TOML "
    "`KEY = VALUE` pair that overrides a setting of every configuration (e.g. --config 'id-type = \"int\"'); "
    "repeatable.",
)
@click.option(
    "--show-settings", is_flag=True, help="Print the settings that apply to the first file, and lint nothing."
)
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOBS",
    help="Paths to leave out (globs, comma-separated); replaces the configured `exclude`.",
)
@click.option("--extend-exclude", multiple=True, metavar="GLOBS", help="Paths to leave out on top of `exclude`.")
@click.option(
    "--per-file-ignores",
    multiple=True,
    metavar="GLOB:CODES",
    help="Rules to ignore in matching files, e.g. 'tests/*:CL401,CL402'; replaces the configured ones.",
)
@click.option(
    "--extend-per-file-ignores",
    multiple=True,
    metavar="GLOB:CODES",
    help="Per-file ignores on top of the configured ones.",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help="Skip the files git ignores (.gitignore, .git/info/exclude); default: the `respect-gitignore` setting.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply `exclude` and .gitignore to files named on the command line too (for pre-commit).",
)
@click.option("--show-files", is_flag=True, help="List the files that would be linted, and lint nothing.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (errors still exit 2).")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), help="How findings are printed (default: concise).")
@click.option("--statistics", is_flag=True, help="Print the number of findings per code instead of the findings.")
@click.option(
    "-o",
    "--output-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of standard output.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, without the summary line.")
@click.option(
    "--color",
    type=click.Choice(COLOR_CHOICES),
    default="auto",
    show_default=True,
    help="Colour in the formats for people: auto (on a terminal, unless NO_COLOR; FORCE_COLOR forces it).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the per-file result cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CONVENTIONS_LINT_CACHE_DIR",
    help="Where to keep the result cache (default: the `cache-dir` setting) [env: CONVENTIONS_LINT_CACHE_DIR].",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: one per core; 1: no workers)."
)
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks for internal errors.")
def check(
    paths,
    select,
    extend_select,
    ignore,
    fix,
    unsafe_fixes,
    fix_only,
    diff,
    show_fixes,
    exit_non_zero_on_fix,
    stdin_filename,
    config_options,
    show_settings,
    isolated,
    exclude,
    extend_exclude,
    per_file_ignores,
    extend_per_file_ignores,
    respect_gitignore,
    force_exclude,
    show_files,
    exit_zero,
    output_format,
    statistics,
    output_file,
    quiet,
    color,
    no_cache,
    cache_dir,
    jobs,
    verbose,
    add_noqa,
    write_baseline,
    baseline_file,
) -> None:
    """Lint PATHS (files or directories; default: the current directory)."""
    from conventions_lint.adoption_options import adopt, check_adoption_options
    from conventions_lint.config import ConfigError, ConfigResolver
    from conventions_lint.overrides import globs
    from conventions_lint.overrides import per_file_ignores as file_ignores
    from conventions_lint.registry import REGISTRY
    from conventions_lint.reporters import WRITERS, ReportOptions, fixed_listing, write_statistics
    from conventions_lint.runner import FixMode, run, run_stdin
    from conventions_lint.settings import CommandLineSettings
    from conventions_lint.settings_shown import config_arguments, show_files_of, show_settings_of

    # --add-noqa silences the findings as they are: it never fixes, whatever the `fix` setting says.
    fix_mode = FixMode(fix=False if add_noqa else True if fix_only else fix, unsafe=unsafe_fixes, diff=diff)
    fixed_source = None
    try:
        config_file, config_overrides = config_arguments(config_options)
        if isolated and config_file is not None:
            raise ConfigError("--isolated and --config cannot be used together")
        if STDIN in paths:
            # `-` is standard input, as in ruff: `check -` or `check --stdin-filename app/x.py -`.
            if len(paths) > 1:
                raise ConfigError("`-` (standard input) cannot be given with other paths")
            paths, stdin_filename = (), stdin_filename or STDIN
        if stdin_filename is not None and paths:
            raise ConfigError("--stdin-filename reads one file from standard input: give no PATHS")
        if show_files and stdin_filename is not None:
            raise ConfigError("--show-files lists the files PATHS select: it cannot be used with standard input")
        check_adoption_options(
            add_noqa,
            write_baseline,
            baseline_file,
            fix=fix,
            fix_only=fix_only,
            diff=diff,
            stdin_filename=stdin_filename,
        )
        overrides = Selection(
            _codes(select, "--select") if select else None,
            _codes(extend_select, "--extend-select"),
            _codes(ignore, "--ignore"),
        )
        command_line = CommandLineSettings(
            exclude=globs(exclude, "--exclude") if exclude else None,
            extend_exclude=globs(extend_exclude, "--extend-exclude"),
            per_file_ignores=file_ignores(per_file_ignores, "--per-file-ignores") if per_file_ignores else None,
            extend_per_file_ignores=file_ignores(extend_per_file_ignores, "--extend-per-file-ignores"),
            respect_gitignore=respect_gitignore,
            cache_dir=str(cache_dir.absolute()) if cache_dir else None,
        )
        resolver = ConfigResolver(
            config_file=config_file,
            isolated=isolated,
            overrides=overrides,
            force_exclude=force_exclude,
            command_line=command_line,
            config_overrides=config_overrides,
        )
        if show_files:
            _exit_after(show_files_of(list(paths) or [Path(".")], resolver))
        if show_settings:
            _exit_after(show_settings_of(list(paths) or [stdin_filename or Path(".")], resolver))
        here = resolver.for_directory((stdin_filename or Path("x")).absolute().parent)
        for warning in REGISTRY.silent_selectors(here):
            report_warning(warning)
        output_format = output_format or here.output_format
        if stdin_filename is not None:
            outcome, fixed_source = run_stdin(
                sys.stdin.buffer.read(),
                stdin_filename,
                resolver,
                fix_mode=fix_mode,
                verbose=verbose,
                use_cache=not no_cache,
            )
        else:
            outcome = run(
                list(paths) or [Path(".")],
                resolver,
                fix_mode=fix_mode,
                verbose=verbose,
                jobs=jobs,
                use_cache=not no_cache,
            )
    except ConfigError as error:
        fail(str(error))
    except Exception as error:
        fail(traceback.format_exc().rstrip() if verbose else f"internal error: {type(error).__name__}: {error}")
    for problem in outcome.problems:
        report_error(str(problem))
    if stdin_filename is None and not outcome.files_linted and not outcome.problems:
        report_warning("No Python files found under the given path(s)")
    if not diff:
        # --write-baseline and --add-noqa end the command here; otherwise baselined findings are dropped.
        adopt(
            outcome,
            resolver,
            list(paths),
            stdin_filename,
            fixed_source,
            add_noqa=add_noqa,
            write_baseline=write_baseline,
            baseline_file=baseline_file,
            quiet=quiet,
        )
    # With --output-file, what would go to standard output is collected, then written to the file at once.
    sink = io.StringIO() if output_file is not None else None
    if diff:
        (sys.stdout if sink is None else sink).write("".join(outcome.diffs))
        _save_report(sink, output_file)
        if not quiet:
            click.echo(f"Would fix {len(outcome.fixed)} error{'s' if len(outcome.fixed) != 1 else ''}.", err=True)
        sys.exit(EXIT_ERROR if outcome.has_errors else EXIT_FINDINGS if outcome.diffs else EXIT_CLEAN)
    fixing = fix_mode.fixes(here)
    # With --fix on standard input the fixed source owns standard output, as in ruff.
    report_stream = sys.stderr if fixing and stdin_filename is not None else sys.stdout
    report_stream = report_stream if sink is None else sink
    if fixed_source is not None and fixing:
        sys.stdout.flush()
        sys.stdout.buffer.write(fixed_source)
        sys.stdout.buffer.flush()
    colour = wants_colour(color, report_stream)
    if show_fixes and outcome.fixed:
        report_stream.write(fixed_listing(outcome.fixed))
    if not fix_only:
        # "All checks passed!" would be untrue when some paths could not be checked.
        summary_is_untrue = bool(outcome.problems) and not outcome.diagnostics and not outcome.fixed
        options = ReportOptions(
            quiet=quiet or summary_is_untrue,
            lines=_line_reader(stdin_filename, fixed_source),
            unsafe_fixes=fix_mode.unsafe_for(here),
            fixed=len(outcome.fixed) if fixing else None,
            buffer_only=stdin_filename is not None,
            color=colour and output_format in COLOURED_FORMATS,
        )
        if statistics:
            write_statistics(outcome.diagnostics, report_stream, options, output_format)
        else:
            WRITERS[output_format](outcome.diagnostics, report_stream, options)
    elif outcome.fixed and not quiet and not show_fixes:  # --show-fixes said it already
        report_stream.write(f"Fixed {len(outcome.fixed)} error{'s' if len(outcome.fixed) != 1 else ''}.\n")
    report_stream.flush()  # whole before the exit, whoever holds the stream
    _save_report(sink, output_file)
    if outcome.has_errors:
        sys.exit(EXIT_ERROR)
    if exit_non_zero_on_fix and outcome.fixed:
        sys.exit(EXIT_FINDINGS)
    remaining = outcome.diagnostics and not fix_only
    sys.exit(EXIT_FINDINGS if remaining and not exit_zero else EXIT_CLEAN)


def _exit_after(problems: list) -> None:
    """--show-files and --show-settings print, then end the command (exit 2 when a path could not be read)."""
    for problem in problems:
        report_error(str(problem))
    sys.exit(EXIT_ERROR if problems else EXIT_CLEAN)


def _save_report(sink: io.StringIO | None, output_file: Path | None) -> None:
    """--output-file: the collected report goes to the file in one piece (a temporary file, then a rename)."""
    from conventions_lint.reporters import write_atomically

    if sink is None or output_file is None:
        return
    try:
        write_atomically(output_file, sink.getvalue())
    except OSError as error:
        fail(f"{output_file}: cannot write the report: {error.strerror or error}")


def _line_reader(stdin_filename: Path | None, source: bytes | None):
    """Excerpts come from the file, or from what standard input held for --stdin-filename."""
    from conventions_lint.reporters import read_lines

    if stdin_filename is None or source is None:
        return read_lines
    lines = source.decode("utf-8", errors="replace").splitlines()
    return lambda path: lines


main.add_command(rule)
main.add_command(rules_command)
main.add_command(server_command)
