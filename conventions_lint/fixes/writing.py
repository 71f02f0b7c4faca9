"""Writing fixed files: atomically, with the file's mode kept, never over someone else's edit."""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import tempfile
from pathlib import Path

from conventions_lint.fixes.text import split_lines


class FileChangedError(Exception):
    """The file on disk is no longer what was linted: another program wrote it meanwhile."""


def write_fixed(path: Path, original: bytes, fixed: bytes) -> None:
    """Replace `path`'s content with `fixed` if it still holds `original`.

    The new content goes to a temporary file in the same directory, which then
    replaces the file in one rename: a reader (or a crash) sees the old file or
    the new one, never half of either. A symlink's target is written, not the link.
    """
    target = path.resolve()
    if target.read_bytes() != original:
        raise FileChangedError("changed on disk while it was being fixed; it was left as it is")
    mode = stat.S_IMODE(target.stat().st_mode)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(fixed)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def unified_diff(path: str, before: str, after: str) -> str:
    """A diff that `patch -p0` and `git apply -p0` take, end-of-file newline state included."""
    lines = difflib.unified_diff(
        split_lines(before), split_lines(after), fromfile=path, tofile=path
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
