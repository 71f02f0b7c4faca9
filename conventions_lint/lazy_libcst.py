"""LibCST imported when it is first used, for command-line runs that may not use it at all.

A run answered wholly from the cache parses nothing, yet importing LibCST (it builds
some 250 node dataclasses) costs about a quarter of such a run. So the command line
puts a stand-in under its name: every `import libcst as cst` binds the stand-in, and
the first name looked up on it imports LibCST. Nothing may look one up at import time
(tests/test_lazy_libcst.py checks a cached run). Loading from two threads at once is
not guarded, and forked workers would each load it again: code about to do either
loads it first.

`importlib.util.LazyLoader` does not do here: before Python 3.12 an import statement
for a lazy module that is already in `sys.modules` reads its `__spec__`, which loads it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType


class _StandIn(ModuleType):
    """`sys.modules["libcst"]` until the first name is looked up on it."""

    def __getattr__(self, name: str):
        # Called only for names the stand-in lacks: the first one loads LibCST and copies its names in.
        from conventions_lint.compiled_dataclasses import code_file, reusing_compiled_code

        sys.modules.pop("libcst", None)
        # A context of its own, within the run's (__main__.py): a worker forked before this load keeps
        # what it compiles only through it.
        with reusing_compiled_code(code_file()):
            self.__dict__.update(importlib.import_module("libcst").__dict__)
        # A plain module again: CPython looks names up on a subclass of ModuleType about ten times
        # slower, and the walk looks up `cst.<Node>` all the time.
        self.__class__ = ModuleType
        return getattr(self, name)


def defer_libcst() -> None:
    if "libcst" in sys.modules:
        return
    spec = importlib.util.find_spec("libcst")
    if spec is None:
        return  # the import then fails where it is made, with Python's own message
    stand_in = _StandIn("libcst")
    stand_in.__spec__ = spec  # an import statement reads it; a plain attribute does not load anything
    sys.modules["libcst"] = stand_in


def load_libcst() -> None:
    import libcst

    libcst.Module  # noqa: B018 - looking a name up is what loads it
