"""Worker processes for a run, and what Ctrl-C does to them.

Ctrl-C is the parent's business alone: workers ignore SIGINT (a terminal sends it to the
whole process group, and a worker dying mid-file would only make the pool wait), and the
parent, interrupted while it waits for them, terminates them at once. A
`concurrent.futures` pool cannot do that: leaving it waits for every queued task, which
took 5-27 s on a 2,000-file tree. Writing fixed files and the cache is never cut in the
middle: an interrupt that arrives then is raised when the writing is done.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

Item = TypeVar("Item")
Task = TypeVar("Task")
Result = TypeVar("Result")


class Workers:
    """`jobs` worker processes, forked when made. A run makes them before it reads its files and builds its
    project model: a forked worker keeps every page of its parent at the fork, so one forked later held a
    copy of them all, and its peak (the tree of its biggest file on top) was 232 MB on the corpus; 186 MB
    then, and 165 MB with the biggest files first (`map`)."""

    def __init__(self, jobs: int) -> None:
        import multiprocessing  # not loaded by a run without workers (an editor's, a commit's): 4 ms of its start

        context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
        self.jobs = jobs
        self._pool = context.Pool(jobs, initializer=_ignore_interrupts)

    def map(
        self,
        function: Callable[[Task], Result],
        items: Sequence[Item],
        size: Callable[[Item], int],
        make_task: Callable[[Item], Task],
    ) -> list[Result]:
        """`function` over the task `make_task` makes of each of `items`, results in order; an interrupt ends the
        workers at once.

        The biggest items (by `size`) go first, in small chunks: a worker meets the biggest tree while its heap
        is fresh, not on top of the pages a hundred earlier files left fragmented, and no worker is left with
        one big file when the others are done. Tasks are made as the workers take them (in the pool's thread
        that hands them out), so the first files are linted while the parent makes the tasks of the rest
        (their project vocabularies, 0.2 s on the corpus)."""
        order = sorted(range(len(items)), key=lambda i: -size(items[i]))
        try:
            done = list(
                self._pool.imap(
                    function,
                    (make_task(items[i]) for i in order),
                    chunksize=max(1, len(items) // (self.jobs * 32)),
                )
            )
        except BaseException:
            self._pool.terminate()
            raise
        results: list[Result] = [None] * len(items)  # type: ignore[list-item]
        for i, result in zip(order, done):
            results[i] = result
        return results

    def close(self) -> None:
        self._pool.close()
        self._pool.join()


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


_interrupted = threading.Event()


def _on_interrupt(number: int, frame) -> None:
    _interrupted.set()
    raise KeyboardInterrupt


def catch_interrupts() -> None:
    """Ctrl-C raises KeyboardInterrupt as usual, and is remembered: native code that Python calls back into
    (LibCST's parser) can turn the exception into one of its own, which a file's lint reports and goes on, so a
    run also stops at the next file (`stop_if_interrupted`). A SIGINT that the parent ignores stays ignored."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_interrupt)


def stop_if_interrupted() -> None:
    if _interrupted.is_set():
        raise KeyboardInterrupt


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Within the block Ctrl-C waits: files are written whole and as a set, then the interrupt is raised."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only: a run in another thread (the language server's) has none
        return
    stop_if_interrupted()
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        _interrupted.set()
        raise KeyboardInterrupt
