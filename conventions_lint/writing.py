"""Writing fixed files (never over someone else's edit) and showing fixes as a diff."""

from __future__ import annotations

import difflib
from pathlib import Path

from conventions_lint.atomic import write_atomically
from conventions_lint.fixes.text import split_lines


class FileChangedError(Exception):
    """The file on disk is no longer what was linted: another program wrote it meanwhile."""


def write_fixed(path: Path, original: bytes, fixed: bytes) -> None:
    """Replace `path`'s content with `fixed` if it still holds `original`, atomically."""
    if path.resolve().read_bytes() != original:
        raise FileChangedError("changed on disk while it was being fixed; it was left as it is")
    write_atomically(path, fixed)


def unified_diff(path: str, before: str, after: str) -> str:
    """A diff that `patch -p0` and `git apply -p0` take, end-of-file newline state included."""
    lines = difflib.unified_diff(split_lines(before), split_lines(after), fromfile=path, tofile=path)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
