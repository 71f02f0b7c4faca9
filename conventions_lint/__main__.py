"""The program: `conventions-lint` and `python -m conventions_lint`."""

from __future__ import annotations

import contextlib
import os
import sys
import threading

from conventions_lint.compiled_dataclasses import code_file, reusing_compiled_code


def run() -> None:
    """`main`, with the methods of dataclasses compiled before (compiled_dataclasses.py), then an exit that
    leaves the interpreter's objects to the operating system.

    Python's own exit frees every module, tree and cache entry one by one: 25-30 ms of an
    on-save `--fix` of 0.4 s (mypy exits this way too). Everything the run writes is written
    by then (whole, atomic.py). A thread or a child process still running (the language
    server's), and a profiler or coverage tracer, get Python's exit, which waits for them.
    """
    try:
        # The whole run: the modules of each command (and LibCST) are imported as it needs them.
        with reusing_compiled_code(code_file()):
            from conventions_lint.cli import main

            main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    others = threading.active_count() > 1 or ("multiprocessing" in sys.modules and _children_running())
    # A profiler or a coverage tracer writes its data as Python exits.
    watched = sys.getprofile() is not None or sys.gettrace() is not None
    if others or watched or not (code is None or isinstance(code, int)):
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`): nothing more can be said there
            stream.flush()
    os._exit(code or 0)


def _children_running() -> bool:
    import multiprocessing

    return bool(multiprocessing.active_children())


if __name__ == "__main__":
    run()
