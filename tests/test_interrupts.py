"""Ctrl-C (ecosystem.md E3): the run stops within about a second, its workers too, whether the terminal
signals the whole process group or only the parent gets SIGINT; nothing is left half-written; exit 130.

Through a real process on a tree big enough to still be running when the signal comes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bad_input import REPOSITORY, environment_with_repository, file_snapshot, write_file

# Within a second as asked; the margin is for a machine shared by many test runs.
PROMPT = 1.5
MODELS = (REPOSITORY / "examples/violating/app/models").glob("*.py")


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory) -> Path:
    """About 1,000 model files that break conventions with fixes (several seconds of work for two workers)."""
    root = tmp_path_factory.mktemp("big")
    write_file(root, "pyproject.toml", "[tool.conventions-lint]\n")
    sources = [path.read_text() for path in sorted(MODELS)]
    for package in range(1000 // len(sources) + 1):
        for number, source in enumerate(sources):
            write_file(root, f"app/p{package}/models/m{number}.py", source)
    return root


def _children(pid: int) -> list[int]:
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry))
    return children


def _parsing(pid: int) -> bool:
    try:
        return "libcst" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _interrupt(root: Path, jobs: str, whole_group: bool) -> tuple[int, float, list[int], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "conventions_lint", "check", "--no-cache", "--fix", "--unsafe-fixes", "--jobs", jobs],
        cwd=root,
        env=environment_with_repository(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal gives a command
        # A shell starts a command with Ctrl-C's default action, even when this test runs where SIGINT is ignored
        # (a background job): Python keeps an inherited SIG_IGN, as it should.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # Wait for the run to be busy: its workers exist, or without workers it parses (LibCST's native parser is
    # loaded on first use).
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (len(workers) == int(jobs) if jobs != "1" else _parsing(process.pid)):
        time.sleep(0.05)
        workers = _children(process.pid) if jobs != "1" else []
    time.sleep(0.5)
    assert process.poll() is None, "the run ended before the interrupt: the tree is too small to test it"
    sent = time.monotonic()
    if whole_group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        os.kill(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    return process.returncode, time.monotonic() - sent, workers, stderr.decode()


@pytest.mark.parametrize(
    ("jobs", "whole_group"),
    [("2", True), ("2", False), ("1", True)],
    ids=["ctrl-c-in-a-terminal", "sigint-to-the-parent-only", "no-workers"],
)
def test_ctrl_c_stops_the_run_and_its_workers_promptly_and_changes_nothing(big_tree, jobs, whole_group) -> None:
    before = file_snapshot(big_tree)
    code, took, workers, stderr = _interrupt(big_tree, jobs, whole_group)
    assert code == 130, stderr
    assert took < PROMPT, f"stopped {took:.2f} s after the interrupt"
    assert "Traceback" not in stderr and "Aborted!" not in stderr
    assert not [pid for pid in workers if _alive(pid)], "workers outlived the run"
    # Fixes are written at the end of a run, as a set: an interrupted run wrote nothing, not even a temporary file.
    assert file_snapshot(big_tree) == before
