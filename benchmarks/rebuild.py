#!/usr/bin/env python3
"""The language server's rebuild after a save, on the corpus as one workspace (a copy of it, in a temporary
directory), as its background thread does it (server/index.py): the model built again with the saved file
(`RunModels.with_files`), the files not open compared under the old model and the new (`changed_from`), and
those whose vocabulary changed collected again from disk (`in_new_meanings`).

Usage, from the repository root, after benchmarks/run.py has unpacked the corpus:

    python benchmarks/rebuild.py [--runs N]

Two saves, each made and undone N times after a first one, from the model as the indexing process sends
it (the first save compares every file: no file's vocabulary has been worked out from that model yet): a class added to a module nothing imports, and
prefect's declarative base redefined as a plain class. Prints the first save's seconds and the
median, min and max of the others'.
"""

from __future__ import annotations

import argparse
import pickle
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from run import CORPUS

from conventions_lint.server.linting import Linter, build_index, in_new_meanings
from conventions_lint.server.options import Options

SAVES = {
    "a class added to a module nothing imports": (
        "fastcrud/fastcrud/examples/tier/model.py",
        "class Tier(Base):",
        "class Added(Base):\n    pass\n\n\nclass Tier(Base):",
    ),
    # The README's figure: 25 files of prefect's server derive from it, or name its classes.
    "a declarative base redefined": (
        "prefect/prefect/server/database/orm_models.py",
        "class Base(DeclarativeBase):",
        "class Base:",
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as directory:
        corpus = Path(directory) / "corpus"
        shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns(".conventions_lint_cache"))
        started = time.perf_counter()
        index, models = build_index(corpus, corpus, Options())
        sent = pickle.dumps(models)  # as the indexing process sends the model to the server
        print(f"{len(index)} files indexed in {time.perf_counter() - started:.1f} s")
        linter = Linter([corpus], Options())
        for name, (path, old, new) in SAVES.items():
            target = linter.target((corpus / path).as_uri())
            original = (corpus / path).read_bytes()
            assert old.encode() in original, path
            edited = original.replace(old.encode(), new.encode())
            others = [file for file in index.values() if file.relative_path != target.relative_path]
            current, timings = pickle.loads(sent), []
            for run in range(2 * runs + 1):
                source = edited if run % 2 == 0 else original
                (corpus / path).write_bytes(source)
                started = time.perf_counter()
                rebuilt = current.with_files(target.settings, {target.relative_path: source})
                assert rebuilt is not None
                built = time.perf_counter()
                changed = [file for file in others if rebuilt.changed_from(current, file.settings, file.relative_path)]
                compared = time.perf_counter()
                again = in_new_meanings(changed, current, rebuilt)
                done = time.perf_counter()
                timings.append((built - started, compared - built, done - compared, done - started, len(again)))
                current = rebuilt
            print(f"{name} ({path}):")
            labels = ("rebuild", "comparison", "collecting again", "in all")
            first = ", ".join(f"{label} {seconds:.2f} s" for label, seconds in zip(labels, timings[0]))
            print(f"  first: {first}; {timings[0][-1]} files collected again")
            for number, label in enumerate(labels):
                seconds = [timing[number] for timing in timings[1:]]
                print(
                    f"  then {label}: median {statistics.median(seconds):.3f} s "
                    f"(min {min(seconds):.3f}, max {max(seconds):.3f})"
                )
            print(f"  files collected again: {sorted({timing[-1] for timing in timings})}")


if __name__ == "__main__":
    main()
