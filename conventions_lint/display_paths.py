"""How a run names a file to the user: in findings, problems, diffs and the settings it shows.

Apart from the run (runner.py) because what only shows paths (`--show-settings`, reading a file back as the
findings saw it) should not import the machinery of a lint run to do so.
"""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: Path) -> str:
    """Paths as the user would type them: relative to the working directory, also above it (`../db/base.py`
    from a subdirectory of the project); absolute when the two share nothing but the filesystem's root."""
    if not path.is_absolute():
        return path.as_posix()
    here = Path.cwd()
    try:
        return path.relative_to(here).as_posix()
    except ValueError:
        pass
    shared = os.path.commonpath([here, path])
    if shared == os.path.dirname(shared):  # the root (or a drive's)
        return path.as_posix()
    return Path(os.path.relpath(path, here)).as_posix()
