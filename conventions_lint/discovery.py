"""Which files a run lints: walking directories, honouring excludes, reporting what cannot be read."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from conventions_lint.config import ConfigResolver
from conventions_lint.gitignore import GitIgnore
from conventions_lint.settings import Settings


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


BROKEN_LINK = "broken or looping symbolic link"
NOT_A_REGULAR_FILE = "not a regular file (a FIFO, a socket or a device); skipped"
# Stub files describe types, not the code the conventions are about: skipped whether walked or named, so a
# pre-commit run (which names them) and a CI run (which walks) agree.
STUB_SUFFIX = ".pyi"


def is_walked_source(name: str) -> bool:
    """The files a directory walk lints; a file named on the command line is linted whatever its suffix."""
    return name.endswith(".py")


def is_skipped(path: Path, settings: Settings, resolver: ConfigResolver, gitignore: GitIgnore) -> bool:
    """Whether a path named on the command line (or standard input's --stdin-filename) is left alone:
    a stub, or with `force-exclude` a path that `exclude` or git's ignore files leave out."""
    if path.suffix == STUB_SUFFIX and not path.is_dir():
        return True
    return settings.force_exclude and is_left_out(path, settings, resolver, gitignore)


def is_left_out(path: Path, settings: Settings, resolver: ConfigResolver, gitignore: GitIgnore | None = None) -> bool:
    """Whether `exclude` / `extend-exclude` or, with `respect-gitignore`, git's ignore files leave out this path
    or a directory it is in (what a walk would never reach)."""
    if excluded_here_or_above(settings, resolver.relative_path(settings, path)):
        return True
    located = path.parent.resolve() / path.name
    return settings.respect_gitignore and (gitignore or GitIgnore()).is_ignored_here_or_above(located, path.is_dir())


def gitignore_below(top: Path, gitignore: GitIgnore | None = None) -> GitIgnore:
    """The ignore files a walk from `top` reads. Named inside an ignored directory (a vendored tree, a
    downloaded corpus, an editor's workspace there): as in ruff, what is below it is judged by the ignore
    files from that directory down, not by the pattern above it that hides the whole tree."""
    gitignore = gitignore or GitIgnore()
    hidden_by = gitignore.ignored_directory_holding(top.resolve())
    return GitIgnore(floor=hidden_by) if hidden_by is not None else gitignore


def discover(paths: list[Path], resolver: ConfigResolver, problems: list[Problem]) -> Iterator[SourceFile]:
    seen: set[Path] = set()
    gitignore = GitIgnore()
    for path in paths:
        if not os.path.lexists(path):
            problems.append(Problem(str(path), "no such file or directory"))
        elif _is_broken_link(path):
            problems.append(Problem(str(path), BROKEN_LINK))
        else:
            # As in ruff, a path given by name is linted even when excluded, unless `force-exclude` is set.
            settings = resolver.for_directory(path if path.is_dir() else path.parent)
            if is_skipped(path, settings, resolver, gitignore):
                continue
            if path.is_dir():
                yield from _walk_directory(path, resolver, gitignore, seen, problems)
            else:
                relative_path = resolver.relative_path(settings, path)
                yield from _first_time(SourceFile(path, settings, relative_path), path.resolve(), seen)


def _is_broken_link(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


def _first_time(source: SourceFile, resolved: Path, seen: set[Path]) -> Iterator[SourceFile]:
    # A file reached twice (a path given twice, or through a symbolic link) is linted once.
    if resolved not in seen:
        seen.add(resolved)
        yield source


def excluded_here_or_above(settings: Settings, relative_path: str) -> bool:
    parts = relative_path.split("/")
    return any(settings.is_excluded("/".join(parts[: i + 1])) for i in range(len(parts)))


def _walk_directory(
    top: Path, resolver: ConfigResolver, gitignore: GitIgnore, seen: set[Path], problems: list[Problem]
) -> Iterator[SourceFile]:
    def on_error(error: OSError) -> None:
        where = Path(error.filename) if error.filename else top
        problems.append(Problem(str(where), f"cannot read directory: {error.strerror or error}"))

    gitignore = gitignore_below(top, gitignore)
    # Symbolic links to directories are not followed, so a link back up the tree cannot loop.
    for directory, subdirectories, files in os.walk(top, onerror=on_error):
        here = Path(directory)
        # Resolved once: a file's place is its directory's real path and its own name.
        real_here = here.resolve()
        settings = resolver.for_directory(here)
        ignored = gitignore.is_ignored if settings.respect_gitignore else _nothing_ignored
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if not settings.is_excluded(resolver.relative_path(settings, here / name, real_here / name))
            and not ignored(real_here / name, True)
        )
        for name in sorted(files):
            if not is_walked_source(name):
                continue
            path, located = here / name, real_here / name
            relative_path = resolver.relative_path(settings, path, located)
            if settings.is_excluded(relative_path) or ignored(located, False):
                continue
            is_link = path.is_symlink()
            if is_link and not path.exists():
                problems.append(Problem(str(path), BROKEN_LINK))
            elif not path.is_file():
                # Reading a FIFO would block the run forever, and a device (a link to /dev/zero) never ends.
                problems.append(Problem(str(path), NOT_A_REGULAR_FILE))
            else:
                yield from _first_time(
                    SourceFile(path, settings, relative_path), path.resolve() if is_link else located, seen
                )


def _nothing_ignored(located: Path, is_dir: bool) -> bool:
    return False
