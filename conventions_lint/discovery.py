"""Which files a run lints: walking directories, honouring excludes, reporting what cannot be read."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from conventions_lint.config import ConfigResolver, Settings


@dataclass(frozen=True)
class SourceFile:
    path: Path
    settings: Settings
    # Posix path under the settings' root: what role, exclude and per-file-ignore globs match.
    relative_path: str


@dataclass(frozen=True)
class Problem:
    """A path that could not be linted: printed as one line, and the exit code becomes 2."""

    path: str
    cause: str

    def __str__(self) -> str:
        return f"{self.path}: {self.cause}"


def discover(paths: list[Path], resolver: ConfigResolver, problems: list[Problem]) -> Iterator[SourceFile]:
    seen: set[Path] = set()
    for path in paths:
        if not os.path.lexists(path):
            problems.append(Problem(str(path), "no such file or directory"))
        elif path.is_dir():
            yield from _walk_directory(path, resolver, seen, problems)
        elif path.is_symlink() and not path.exists():
            problems.append(Problem(str(path), "broken or looping symbolic link"))
        else:
            source = _source_file(path, resolver)
            if source.settings.force_exclude and _excluded(source.settings, source.relative_path):
                continue
            if path.resolve() not in seen:
                seen.add(path.resolve())
                yield source


def _source_file(path: Path, resolver: ConfigResolver) -> SourceFile:
    settings = resolver.for_directory(path.parent)
    return SourceFile(path, settings, resolver.relative_path(settings, path))


def _excluded(settings: Settings, relative_path: str) -> bool:
    # An excluded directory excludes everything below it.
    parts = relative_path.split("/")
    return any(settings.is_excluded("/".join(parts[: i + 1])) for i in range(len(parts)))


def _walk_directory(top: Path, resolver: ConfigResolver, seen: set[Path], problems: list[Problem]) -> Iterator[SourceFile]:
    def on_error(error: OSError) -> None:
        problems.append(Problem(error.filename or str(top), f"cannot read directory: {error.strerror or error}"))

    for directory, subdirectories, files in os.walk(top, onerror=on_error):
        here = Path(directory)
        settings = resolver.for_directory(here)
        subdirectories[:] = sorted(
            name for name in subdirectories
            if not settings.is_excluded(resolver.relative_path(settings, here / name))
        )
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = here / name
            source = _source_file(path, resolver)
            if _excluded(source.settings, source.relative_path):
                continue
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield source
