"""Markers and reporting for the opt-in runs (`pytest -m realworld`, `pytest -m slow`; see pyproject.toml).

Tests that measure something (the real-world corpus) hand their summary to the
`report_summary` fixture; it is printed in the terminal summary at the end of the
run, so it shows in a plain `pytest -m realworld` run, without `-s`.
"""

from __future__ import annotations

import pytest

_SUMMARIES: list[tuple[str, str]] = []


@pytest.fixture
def report_summary():
    """`report_summary(title, text)`: print `text` under `title` in the terminal summary."""

    def add(title: str, text: str) -> None:
        _SUMMARIES.append((title, text))

    return add


def pytest_terminal_summary(terminalreporter) -> None:
    for title, text in _SUMMARIES:
        terminalreporter.write_sep("=", title)
        terminalreporter.write_line(text.rstrip("\n"))
