"""Baselines: record today's findings once, then report only the ones that are new.

A baseline is a JSON file:

    {
      "tool": "conventions-lint",
      "version": 1,
      "findings": [
        {"file": "app/models/user.py", "code": "CL401", "source": "email = Column(String)", "count": 1}
      ]
    }

A finding is known by its file (the posix path relative to the baseline file's
directory), its code and its source: the text of the line it starts on with runs of
whitespace made one space and the ends trimmed (empty for a finding about the whole
module, such as its name). Line numbers are left out, so a
finding stays baselined when code above it moves; `count` says how many findings
share that key, so a third copy of two baselined identical lines is new. Entries
are sorted by file, code and source, one field per line, so that the file diffs
well under version control.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from conventions_lint.atomic import write_atomically
from conventions_lint.diagnostic import Diagnostic, Location
from conventions_lint.fixes.text import split_lines

FORMAT_VERSION = 1
TOOL = "conventions-lint"
# An internal error is a bug to report, never a finding to accept.
NEVER_BASELINED = frozenset({"CL002"})

LineReader = Callable[[str], list[str]]


class BaselineError(Exception):
    """A baseline that cannot be read or written: one line for the user, exit code 2."""


class Key(NamedTuple):
    file: str
    code: str
    source: str


def normalise(line: str) -> str:
    return " ".join(line.split())


def source_lines(data: bytes, encoding: str) -> list[str]:
    """The lines of a Python file's bytes, without line endings, numbered as the findings number them."""
    text = data.decode(encoding, errors="replace")
    return [line.rstrip("\r\n") for line in split_lines(text)]


def line_reader(read: Callable[[str], bytes], encodings: Mapping[str, str]) -> LineReader:
    """`read(path)` turned into a cached reader of lines; a file that cannot be read has none.
    `encodings`: each file's, as the run decoded it (`RunResult.encodings`)."""
    cache: dict[str, list[str]] = {}

    def lines(path: str) -> list[str]:
        if path not in cache:
            try:
                cache[path] = source_lines(read(path), encodings.get(path, "utf-8"))
            except OSError:
                cache[path] = []
        return cache[path]

    return lines


def _relative(path: str, directory: Path) -> str:
    absolute = Path(path).absolute()
    # The directory is resolved (a symbolic link above it does not count), the file's name is kept.
    where = absolute.parent.resolve() / absolute.name
    try:
        return where.relative_to(directory).as_posix()
    except ValueError:
        try:
            return Path(os.path.relpath(where, directory)).as_posix()
        except ValueError:  # another drive, on Windows
            return where.as_posix()


def key_of(d: Diagnostic, directory: Path, lines: LineReader) -> Key:
    """`d`'s key in a baseline kept in `directory` (absolute and resolved)."""
    source = lines(d.path)
    row = d.location.row
    # A finding about the whole module (its name, say) is not about its first line: lines added above keep it.
    whole_module = d.location == Location(1, 1) and d.span.end.row > len(source)
    text = normalise(source[row - 1]) if 0 < row <= len(source) and not whole_module else ""
    return Key(_relative(d.path, directory), d.code, text)


def _directory(baseline: Path) -> Path:
    return baseline.absolute().parent.resolve()


def counts_of(diagnostics: Iterable[Diagnostic], baseline: Path, lines: LineReader) -> Counter[Key]:
    directory = _directory(baseline)
    return Counter(key_of(d, directory, lines) for d in diagnostics if d.code not in NEVER_BASELINED)


def dumps(counts: Counter[Key]) -> str:
    findings = [
        {"file": key.file, "code": key.code, "source": key.source, "count": count}
        for key, count in sorted(counts.items())
        if count > 0
    ]
    document = {"tool": TOOL, "version": FORMAT_VERSION, "findings": findings}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def loads(text: str, where: str) -> Counter[Key]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{where}: the baseline is not valid JSON: {error}") from None

    def wrong(detail: str) -> BaselineError:
        return BaselineError(f"{where}: not a {TOOL} baseline: {detail}; write it again with `--write-baseline`")

    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise wrong('expected an object with a "findings" list')
    if document.get("version") != FORMAT_VERSION:
        raise wrong(f"unsupported version {document.get('version')!r} (this version reads {FORMAT_VERSION})")
    counts: Counter[Key] = Counter()
    for number, entry in enumerate(document["findings"], 1):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(name), str) for name in Key._fields):
            raise wrong(f'finding {number} needs the strings "file", "code" and "source"')
        count = entry.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise wrong(f'finding {number}: "count" must be a positive integer, got {count!r}')
        counts[Key(entry["file"], entry["code"], entry["source"])] += count
    return counts


def load(path: Path) -> Counter[Key]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: the baseline file does not exist; write it with `conventions-lint check --write-baseline {path}`"
        ) from None
    except OSError as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: the baseline is not UTF-8 text") from None
    return loads(text, str(path))


def write(path: Path, diagnostics: Iterable[Diagnostic], lines: LineReader) -> int:
    """Record `diagnostics` in `path` (atomically: a reader sees the old baseline or the new one); how many."""
    counts = counts_of(diagnostics, path, lines)
    data = dumps(counts).encode("utf-8")
    try:
        write_atomically(path, data)
    except OSError as error:
        raise BaselineError(f"{path}: cannot write the baseline: {error.strerror or error}") from None
    return sum(counts.values())


def new_findings(
    diagnostics: Iterable[Diagnostic],
    baseline_for: Callable[[str], Path | None],
    lines: LineReader,
    preload: Iterable[Path] = (),
) -> list[Diagnostic]:
    """The findings that are not in their file's baseline, in their order.

    `baseline_for(path)` names the baseline that applies to a file (None: none does);
    the `preload` baselines are read even when no finding needs them, so that a
    missing or broken one is an error whatever was found. When there are more
    findings with a key than the baseline counts, the first ones (in the order
    given: by position) are the baselined ones and the rest are new.
    """
    remaining: dict[Path, Counter[Key]] = {path: load(path) for path in preload}
    new = []
    for d in diagnostics:
        baseline = baseline_for(d.path)
        if baseline is None or d.code in NEVER_BASELINED:
            new.append(d)
            continue
        if baseline not in remaining:
            remaining[baseline] = load(baseline)
        key = key_of(d, _directory(baseline), lines)
        if remaining[baseline][key] > 0:
            remaining[baseline][key] -= 1
        else:
            new.append(d)
    return new
