"""The commands beside `check`: `rule`, `rules` and `server`."""

from __future__ import annotations

import json

import click

from conventions_lint.console import fail


@click.command(short_help="Print a rule's documentation (`rule CL101`; every rule's: --all).")
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print every rule's documentation.")
def rule(code: str | None, show_all: bool) -> None:
    """Print the documentation of the rule CODE (e.g. CL101)."""
    from conventions_lint.config import ConfigError, validate_codes
    from conventions_lint.registry import ALL_RULES, RULES_BY_CODE

    if show_all:
        click.echo("\n".join(r.documentation() for r in ALL_RULES))
        return
    if code is None:
        fail("give a rule code (e.g. `conventions-lint rule CL101`) or --all")
    try:
        (canonical,) = validate_codes([code], "rule")
    except ConfigError as error:
        fail(str(error).removeprefix("rule: "))
    if canonical not in RULES_BY_CODE:
        fail(f"{code!r} selects several rules; give one code (`conventions-lint rules` lists them)")
    click.echo(RULES_BY_CODE[canonical].documentation(), nl=False)


@click.command("server", short_help="Run the language server (LSP over standard input and output).")
def server_command() -> None:
    """Run the language server (LSP over standard input and output), for editors."""
    try:
        from conventions_lint.server.main import serve
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] not in ("pygls", "lsprotocol"):
            raise
        fail("the language server needs pygls: pip install 'conventions-lint[server]'")
    serve()


def _fix_columns(rule_type) -> tuple[str, str]:
    """Whether the rule's findings carry a fix, and how safe its fixes are ("varies": each fix says)."""
    availability = rule_type.fix_availability.value
    if availability == "none":
        return "-", "-"
    applicability = rule_type.fix_applicability
    return availability, applicability.value if applicability is not None else "varies"


@click.command("rules", short_help="List every rule: code, name, fix, its safety, on by default or not.")
@click.option("--output-format", type=click.Choice(["text", "markdown", "json"]), default="text", help="Table format.")
def rules_command(output_format: str) -> None:
    """List every rule: code, name, whether it has a fix and how safe it is, and whether it is on by default."""
    from conventions_lint.registry import ALL_RULES

    rows = [(r.code, r.name, *_fix_columns(r), "on" if r.default_enabled else "off") for r in ALL_RULES]
    header = ("code", "name", "fix", "safety", "default")
    if output_format == "json":
        click.echo(json.dumps([dict(zip(header, row)) for row in rows], indent=2))
        return
    if output_format == "markdown":
        click.echo("| " + " | ".join(header) + " |")
        click.echo("|" + "---|" * len(header))
        for row in rows:
            click.echo(f"| {row[0]} | `{row[1]}` | {' | '.join(row[2:])} |")
        return
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
