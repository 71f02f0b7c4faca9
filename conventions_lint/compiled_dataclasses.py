"""The methods `dataclasses` writes, compiled once and kept in the user's cache directory.

Importing LibCST (about 145 ms, the biggest part of an on-save run's start) spends more than half
of its time compiling the same source text at every start: for each of its ~250 node dataclasses,
`dataclasses` writes `__init__`, `__eq__`, `__hash__`, `__setattr__`… as text and `exec`s it (about
600 texts); this package's own dataclasses add about 400 more. As Python keeps a module's compiled
code in `__pycache__`, this keeps the code of those texts, one file per interpreter
(`sys.implementation.cache_tag`, checked against `importlib.util.MAGIC_NUMBER` as a `.pyc` is),
and hands `dataclasses` the code compiled before for a text it meets again. `import libcst` then
takes about 60 ms.

The code is what `exec` would compile from the text (same file name, no inherited `__future__`
flags), so the classes are the same. It is not written under `PYTHONDONTWRITEBYTECODE`,
as bytecode is not, nor where the cache directory cannot be written to.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import importlib.util
import marshal
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import CodeType


def code_file() -> Path | None:
    """Where the compiled texts are kept: the user's cache directory, as Black keeps its cache (beside the
    package's own bytecode, `pip uninstall` would leave the file, and the directory would still import)."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    try:
        root = _cache_root()
    except RuntimeError:  # no home directory to be found
        return None
    return None if root is None else root / "conventions-lint" / f"dataclass-methods.{tag}.marshal"


def _cache_root() -> Path | None:
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) if local else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"


# Texts kept at most: past that (after upgrades of LibCST or of this package), the file starts again.
_MOST_KEPT = 4096


@contextlib.contextmanager
def reusing_compiled_code(path: Path | None) -> Iterator[None]:
    """Within it, every text `dataclasses` executes is compiled at most once across runs (kept in `path`).
    It may be entered within itself (the load of LibCST within a run): the inner one keeps its own texts."""
    if path is None:
        yield
        return
    known = _load(path)
    compiled: dict[str, CodeType] = {}

    def exec_compiled(source, globals=None, locals=None, /) -> None:
        if type(source) is str:
            code = known.get(source)
            if type(code) is not CodeType:
                # As `exec` compiles a text: its file name, and none of this module's `__future__` flags.
                code = compiled[source] = compile(source, "<string>", "exec", dont_inherit=True)
            source = code
        builtins.exec(source, globals, locals)

    # A module-level name comes before the builtin one: this reaches `dataclasses`' calls alone.
    outer = vars(dataclasses).get("exec")
    dataclasses.exec = exec_compiled
    try:
        yield
    finally:
        if outer is None:
            del dataclasses.exec
        else:
            dataclasses.exec = outer
        if compiled and not sys.dont_write_bytecode:
            _keep(path, compiled)


def _keep(path: Path, compiled: dict[str, CodeType]) -> None:
    from conventions_lint.atomic import write_atomically  # tempfile: only when there is something to write

    # Read again: a forked worker, or another run, may have kept texts of its own meanwhile.
    kept = _load(path)
    if len(kept) + len(compiled) > _MOST_KEPT:
        kept = {}
    kept.update(compiled)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, importlib.util.MAGIC_NUMBER + marshal.dumps(kept))


def _load(path: Path) -> dict[str, object]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    magic = importlib.util.MAGIC_NUMBER
    if not data.startswith(magic):
        return {}
    try:
        known = marshal.loads(data[len(magic) :])
    except (EOFError, ValueError, TypeError):
        return {}
    return known if isinstance(known, dict) else {}
