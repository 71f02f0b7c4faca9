"""What the command line says on standard error, and its exit codes."""

from __future__ import annotations

import sys

import click

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# 128 + SIGINT, what a shell reports for a program that Ctrl-C stopped.
EXIT_INTERRUPTED = 130


def fail(message: str) -> None:
    report_error(message)
    sys.exit(EXIT_ERROR)


def report_error(message: str) -> None:
    paint = stderr_palette()
    click.echo(f"{paint.error()}: {message}", err=True, color=paint.enabled)


def report_warning(message: str) -> None:
    paint = stderr_palette()
    click.echo(f"{paint.warning()}: {message}", err=True, color=paint.enabled)


def stderr_palette():
    from conventions_lint.colour import Palette, wants_colour

    context = click.get_current_context(silent=True)
    choice = (context.params.get("color") if context is not None else None) or "auto"
    return Palette(wants_colour(choice, sys.stderr))
