"""The command line, modelled on `ruff check` / `ruff rule`."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import click

from conventions_lint import __version__
from conventions_lint.config import OUTPUT_FORMATS, ConfigError, ConfigResolver, Selection, validate_codes
from conventions_lint.reporters import WRITERS, read_lines
from conventions_lint.rules import ALL_RULES, RULES_BY_CODE

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(values: tuple[str, ...], option: str) -> tuple[str, ...]:
    """`--select CL1,CL2 --select CL5` → ("CL1", "CL2", "CL5"), each checked against the catalogue."""
    return validate_codes([code for value in values for code in value.split(",") if code.strip()], option)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="conventions-lint", message="%(prog)s %(version)s")
def main() -> None:
    """Lint FastAPI + SQLAlchemy + Pydantic code against the team's conventions."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", multiple=True, metavar="CODES", help="Rules to enable (codes or prefixes, comma-separated); replaces the configured selection.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Rules to enable on top of the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules to disable.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Use this pyproject.toml for every file.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (errors still exit 2).")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), help="How findings are printed (default: concise).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, without the summary line.")
@click.option("--no-cache", is_flag=True, help="Do not use the result cache (there is no cache yet: accepted for forward compatibility).")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks for internal errors.")
def check(paths, select, extend_select, ignore, config_file, isolated, exit_zero, output_format, quiet, no_cache, verbose) -> None:
    """Lint PATHS (files or directories; default: the current directory)."""
    from conventions_lint.runner import run

    try:
        if isolated and config_file is not None:
            raise ConfigError("--isolated and --config cannot be used together")
        overrides = Selection(
            _codes(select, "--select") if select else None,
            _codes(extend_select, "--extend-select"),
            _codes(ignore, "--ignore"),
        )
        resolver = ConfigResolver(config_file=config_file, isolated=isolated, overrides=overrides)
        output_format = output_format or resolver.for_directory(Path.cwd()).output_format
        outcome = run(list(paths) or [Path(".")], resolver, verbose=verbose)
    except ConfigError as error:
        _fail(str(error))
    except Exception as error:  # noqa: BLE001 - the user gets one line, not a traceback
        _fail(traceback.format_exc().rstrip() if verbose else f"internal error: {type(error).__name__}: {error}")
    for problem in outcome.problems:
        click.echo(f"error: {problem}", err=True)
    # "All checks passed!" would be untrue when some paths could not be checked.
    summary_is_untrue = bool(outcome.problems) and not outcome.diagnostics
    WRITERS[output_format](outcome.diagnostics, sys.stdout, quiet=quiet or summary_is_untrue, lines=read_lines)
    if outcome.has_errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if outcome.diagnostics and not exit_zero else EXIT_CLEAN)


@main.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print every rule's documentation.")
def rule(code: str | None, show_all: bool) -> None:
    """Print the documentation of the rule CODE (e.g. CL101)."""
    if show_all:
        click.echo("\n".join(r.documentation() for r in ALL_RULES))
        return
    if code is None:
        _fail("give a rule code (e.g. `conventions-lint rule CL101`) or --all")
    try:
        (canonical,) = validate_codes([code], "rule")
    except ConfigError as error:
        _fail(str(error).removeprefix("rule: "))
    if canonical not in RULES_BY_CODE:
        _fail(f"{code!r} selects several rules; give one code (`conventions-lint rules` lists them)")
    click.echo(RULES_BY_CODE[canonical].documentation(), nl=False)


def _fix_label(rule_type) -> str:
    return rule_type.fix_safety.value if rule_type.fix_safety is not None else "-"


@main.command("rules")
@click.option("--output-format", type=click.Choice(["text", "markdown", "json"]), default="text", help="Table format.")
def rules_command(output_format: str) -> None:
    """List every rule: code, name, planned fix and whether it is on by default."""
    rows = [(r.code, r.name, _fix_label(r), "on" if r.default_enabled else "off") for r in ALL_RULES]
    if output_format == "json":
        keys = ("code", "name", "planned_fix", "default")
        click.echo(json.dumps([dict(zip(keys, row)) for row in rows], indent=2))
        return
    header = ("code", "name", "planned fix", "default")
    if output_format == "markdown":
        click.echo("| " + " | ".join(header) + " |")
        click.echo("|" + "---|" * len(header))
        for row in rows:
            click.echo(f"| {row[0]} | `{row[1]}` | {row[2]} | {row[3]} |")
        return
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
