"""Path globs as ruff and .gitignore users write them: `**/models/**`, `tests/*.py`."""

from __future__ import annotations

import re
from functools import cache


class GlobError(ValueError):
    pass


@cache
def compile_glob(pattern: str) -> re.Pattern[str]:
    """A regex for `pattern`; `**/` matches zero or more directories, `*` stays within one."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end == -1:
                raise GlobError(f"unclosed '[' in glob {pattern!r}")
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    try:
        return re.compile("".join(out) + r"\Z")
    except re.error as error:
        raise GlobError(f"invalid glob {pattern!r}: {error}") from None


def matches(pattern: str, relative_path: str) -> bool:
    """Match a posix path; a pattern without `/` also matches any single path component."""
    regex = compile_glob(pattern.rstrip("/"))
    if regex.match(relative_path):
        return True
    return "/" not in pattern.rstrip("/") and any(regex.match(part) for part in relative_path.split("/"))
