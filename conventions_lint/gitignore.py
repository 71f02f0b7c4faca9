"""`.gitignore` as git reads it, for `respect-gitignore` (on by default, as in ruff).

Inside a git repository a path is ignored by the patterns of `.git/info/exclude` and of
every `.gitignore` from the repository's top down to the path's directory; a deeper file
overrides a shallower one, and within a file the last matching pattern wins (`!` patterns
re-include). The pattern semantics are pathspec's `GitIgnoreSpec`, which follows git's
own tests. As in ruff, `.gitignore` files outside a git repository mean nothing, and a
nested repository (a submodule) starts afresh. Git's global excludes file is not read.
"""

from __future__ import annotations

from pathlib import Path

import pathspec

# (directory the patterns are relative to, the patterns), from the repository's top down.
Layers = tuple[tuple[Path, pathspec.GitIgnoreSpec], ...]


class GitIgnore:
    """Which paths git ignores; each directory's layers are read once per instance (one run).

    `floor`: a directory above which no ignore file is read. A directory the command line names inside
    an ignored one is walked as ruff walks it (its ancestors' patterns would otherwise leave out all of it).
    """

    def __init__(self, floor: Path | None = None) -> None:
        self._layers: dict[Path, Layers] = {}
        self._floor = floor

    def is_ignored(self, located: Path, is_dir: bool) -> bool:
        """`located`: the path's real directory joined with its name (a symbolic link is judged where it is)."""
        for base, spec in reversed(self.layers(located.parent)):
            relative = located.relative_to(base).as_posix() + ("/" if is_dir else "")
            verdict = spec.check_file(relative).include
            if verdict is not None:
                return verdict
        return False

    def is_ignored_here_or_above(self, located: Path, is_dir: bool) -> bool:
        """For a path named on the command line: it, or a directory it is in, is ignored (git never looks inside
        an ignored directory, so a `!` pattern cannot bring its files back)."""
        if self.is_ignored(located, is_dir):
            return True
        return any(self.is_ignored(parent, True) for parent in self._below_floor(_inside_repository(located.parent)))

    def _below_floor(self, directories: list[Path]) -> list[Path]:
        """Those of `directories` (innermost first) that the floor holds: the floor and what is above it are
        the tree the walk was named inside, whose own patterns do not count."""
        if self._floor is None:
            return directories
        return [d for d in directories if d != self._floor and self._floor in d.parents]

    def ignored_directory_holding(self, directory: Path) -> Path | None:
        """The outermost ignored directory that is `directory` (resolved) or holds it, if any: the one a pattern
        hides (pathspec's patterns match what is below a directory as well as the directory)."""
        return next((d for d in reversed(_inside_repository(directory)) if self.is_ignored(d, True)), None)

    def layers(self, directory: Path) -> Layers:
        """The pattern layers that apply in `directory` (resolved)."""
        if directory not in self._layers:
            self._layers[directory] = self._read_layers(directory)
        return self._layers[directory]

    def _read_layers(self, directory: Path) -> Layers:
        git = directory / ".git"
        if directory == self._floor:
            inherited = ()
        elif git.exists():
            # A repository's top (or a submodule's): what lies above it does not apply.
            inherited: Layers = _layer(directory, _git_directory(git) / "info" / "exclude")
        elif directory.parent == directory:
            return ()
        else:
            inherited = self.layers(directory.parent)
            if not inherited and not _in_repository(directory):
                return ()
        return inherited + _layer(directory, directory / ".gitignore")


def _layer(base: Path, file: Path) -> Layers:
    try:
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    # The default info/exclude holds only comments.
    return ((base, spec),) if any(pattern.include is not None for pattern in spec.patterns) else ()


def _in_repository(directory: Path) -> bool:
    return any((parent / ".git").exists() for parent in (directory, *directory.parents))


def _inside_repository(directory: Path) -> list[Path]:
    """`directory` and its parents below the repository's top, innermost first; none outside a repository."""
    below = []
    for parent in (directory, *directory.parents):
        if (parent / ".git").exists():
            return below
        below.append(parent)
    return []


def _git_directory(git: Path) -> Path:
    """`.git` itself, or where a `.git` file (a worktree's, a submodule's) points; a worktree's `info/exclude`
    is its main repository's."""
    if git.is_dir():
        return git
    try:
        pointer = git.read_text(encoding="utf-8").strip()
    except OSError:
        return git
    if not pointer.startswith("gitdir:"):
        return git
    directory = (git.parent / pointer.removeprefix("gitdir:").strip()).resolve()
    try:
        common = (directory / "commondir").read_text(encoding="utf-8").strip()
    except OSError:
        return directory
    return (directory / common).resolve()
