"""`--output-file`: the report goes to a file, whole or not at all."""

from __future__ import annotations

from pathlib import Path

from conventions_lint.atomic import write_atomically as write_bytes_atomically


def write_atomically(path: Path, text: str) -> None:
    """Write the report (UTF-8, `\\n` line ends) to `path`, creating its directories."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomically(path, text.encode("utf-8"))
