"""Worker processes for a run, and what Ctrl-C does to them.

Ctrl-C is the parent's business alone: workers ignore SIGINT (a terminal sends it to the
whole process group, and a worker dying mid-file would only make the pool wait), and the
parent, interrupted while it waits for them, terminates them at once. A
`concurrent.futures` pool cannot do that: leaving it waits for every queued task, which
took 5-27 s on a 2,000-file tree. Writing fixed files and the cache is never cut in the
middle: an interrupt that arrives then is raised when the writing is done.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")


def map_in_workers(function: Callable[[Task], Result], tasks: Sequence[Task], jobs: int) -> list[Result]:
    """`function` over `tasks` in `jobs` worker processes, results in order; an interrupt ends the workers at once."""
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    pool = context.Pool(jobs, initializer=_ignore_interrupts)
    try:
        results = pool.map(function, tasks, chunksize=max(1, len(tasks) // (jobs * 8)))
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.close()
    pool.join()
    return results


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Within the block Ctrl-C waits: files are written whole and as a set, then the interrupt is raised."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only: a run in another thread (the language server's) has none
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt
