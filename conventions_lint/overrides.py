"""Reading the command line's file settings (`--exclude`, `--extend-exclude`, `--per-file-ignores`,
`--extend-per-file-ignores`) into `CommandLineSettings` (settings.py)."""

from __future__ import annotations

from conventions_lint.config import ConfigError, checked_glob, validate_codes
from conventions_lint.settings import PerFileIgnores


def globs(values: tuple[str, ...], option: str) -> tuple[str, ...]:
    """`--exclude a,b --exclude c` → ("a", "b", "c"), each a valid glob."""
    return tuple(checked_glob(glob.strip(), option) for value in values for glob in value.split(",") if glob.strip())


def per_file_ignores(values: tuple[str, ...], option: str) -> PerFileIgnores:
    """`--per-file-ignores 'tests/*:CL401,CL402'` (repeatable) → (("tests/*", ("CL401", "CL402")),)."""
    entries = []
    for value in values:
        pattern, colon, codes = value.rpartition(":")
        if not colon or not pattern.strip() or not codes.strip():
            raise ConfigError(f"{option}: expected PATTERN:CODES (e.g. 'tests/*:CL401,CL402'), got {value!r}")
        selectors = validate_codes([code for code in codes.split(",") if code.strip()], f"{option} {value!r}")
        entries.append((checked_glob(pattern.strip(), option), selectors))
    return tuple(entries)
