"""Where an added import goes so that ruff's isort rules (I001) find nothing new.

ruff's defaults: sections (`__future__`, standard library, third party, first
party, local) separated by one blank line; within a section `import x` lines
before `from x import ...` lines, each sorted by module, case-insensitively; the
names of one `from` import sorted by type (CONSTANTS, Classes, functions), then
case-insensitively. An import block that is not sorted already is left as it was:
a new line goes after it, as before.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Sequence

FUTURE, STANDARD_LIBRARY, THIRD_PARTY, FIRST_PARTY, LOCAL = range(5)


def first_party_packages(relative_path: str) -> frozenset[str]:
    """The packages ruff counts as first party for a file: its own top directory (`app` for
    `app/db/session.py`, `shop` for `src/shop/...`), as ruff finds them under its `src` (`.` and `src`)."""
    parts = relative_path.split("/")[:-1]
    if parts and parts[0] == "src":
        parts = parts[1:]
    return frozenset(parts[:1])


def section(module: str, first_party: frozenset[str]) -> int:
    if module.startswith("."):
        return LOCAL
    top = module.split(".")[0]
    if top == "__future__":
        return FUTURE
    if top in first_party:
        return FIRST_PARTY
    return STANDARD_LIBRARY if top in sys.stdlib_module_names else THIRD_PARTY


def statement_key(module: str, is_from: bool, first_party: frozenset[str]) -> tuple:
    """The place of `import module` / `from module import ...` in a sorted block."""
    return section(module, first_party), is_from, _natural(module)


def name_key(name: str) -> tuple:
    """The place of a name in `from m import a, B, C_D`: constants, classes, then the rest."""
    if name.isupper() and len(name) > 1:
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return kind, _natural(name)


def is_sorted(keys: Sequence[tuple]) -> bool:
    return all(a <= b for a, b in itertools.pairwise(keys))


def name_position(names: Sequence[str], new: str) -> int | None:
    """Where `new` joins `names` keeping them sorted; None when they are not sorted (it goes last)."""
    keys = [name_key(name) for name in names]
    if not is_sorted(keys):
        return None
    return next((index for index, key in enumerate(keys) if name_key(new) < key), len(names))


def _natural(text: str) -> tuple:
    """ruff's natural order: case-insensitive, digits by value (`v2` before `v10`)."""
    pieces, number = [], ""
    for character in text.lower():
        if character.isdigit():
            number += character
            continue
        if number:
            pieces.append((1, int(number), ""))
            number = ""
        pieces.append((0, 0, character))
    if number:
        pieces.append((1, int(number), ""))
    return tuple(pieces)
