"""Per-file results kept on disk between runs, so an unchanged file is never parsed again.

An entry is keyed by the file's content, the effective settings, the file's display
path and the tool's version; any change to one of them is a miss. Each project root
has one cache file, read once and written once per run, atomically: two runs at once
cannot corrupt it (the later one wins), and a corrupt or foreign file is ignored.
An entry's result and a module's summary are kept as JSON text, decoded when looked up: a
run that needs a few entries (an editor's save) neither decodes nor encodes the rest (on
the corpus's 2,000 files that was 0.2 s of a 0.4 s save).
Entries of files that no longer exist are pruned when the file is written, unless this run
linted them (a buffer on standard input whose file is not on disk yet), by every run but
one over standard input.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
from functools import cache
from pathlib import Path

from conventions_lint import __version__
from conventions_lint.atomic import write_atomically
from conventions_lint.engine import FileResult
from conventions_lint.facts import FileFacts
from conventions_lint.settings import Settings

CACHE_FILE = "results.json"


@cache
def _code_fingerprint() -> str:
    """The tool's own source files, by size and modification time: a development checkout
    changes its rules without changing its version, and must not be served stale results."""
    package = Path(__file__).parent
    stamps = sorted(
        (str(path.relative_to(package)), path.stat().st_size, path.stat().st_mtime_ns) for path in package.rglob("*.py")
    )
    return hashlib.sha256(repr(stamps).encode()).hexdigest()


@cache
def settings_fingerprint(settings: Settings) -> str:
    # The settings are a frozen dataclass of plain values: their repr is stable and complete.
    return hashlib.sha256(f"{__version__}\0{_code_fingerprint()}\0{settings!r}".encode()).hexdigest()


def entry_key(settings: Settings, shown_path: str, source: bytes, vocabulary: str = "") -> str:
    """`vocabulary`: the digest of what the file's names stand for elsewhere in the project (its findings depend on it)."""
    digest = hashlib.sha256(settings_fingerprint(settings).encode())
    digest.update(shown_path.encode())
    digest.update(b"\0")
    digest.update(vocabulary.encode())
    digest.update(b"\0")
    digest.update(source)
    return digest.hexdigest()


def cache_file(directory: Path, root: Path) -> Path:
    """The root's file in the cache `directory`: one outside the project (`--cache-dir`, an absolute or `../`
    `cache-dir`) may serve several projects, so each has a file of its own there."""
    directory = Path(os.path.abspath(directory))
    if directory.is_relative_to(root):
        return directory / CACHE_FILE
    return directory / f"results-{hashlib.sha256(str(root).encode()).hexdigest()[:16]}.json"


class ResultCache:
    """The cache of one project root."""

    def __init__(self, directory: Path, root: Path, *, prune: bool = True) -> None:
        self.path = cache_file(directory, root)
        self.root = root
        self.prune = prune
        data = self._load()
        self.entries: dict[str, dict] = data["entries"]
        # Relative path -> [digest of its bytes, its module summary, the summary's digest] (the project
        # model's first phase), and the digests of the files' vocabularies under the digest of all summaries.
        self.summaries: dict[str, list] = data.get("summaries", {}) if isinstance(data.get("summaries"), dict) else {}
        self.vocabularies = data.get("vocabularies")
        # The files' vocabularies themselves (what a file is linted with), in a file of their own read on first use.
        self._vocabulary_path = self.path.with_name(self.path.name.replace("results", "vocabularies", 1))
        self._vocabulary_texts: dict | None = None
        self._vocabulary_texts_changed = False
        self.changed = False
        # Files this run read or wrote an entry of: kept even when not on disk (an editor's new, unsaved buffer).
        self.used: set[str] = set()

    def _load(self) -> dict:
        try:
            text = self.path.read_text(encoding="utf-8")
            # The cache lives as long as the run: the collector's full passes need not walk it again
            # (a warm run of a 2,000-file tree spent a fifth of its CPU walking it).
            gc.disable()
            try:
                data = json.loads(text)
            finally:
                gc.freeze()
                gc.enable()
        except (OSError, ValueError):
            return {"entries": {}}
        if (
            not isinstance(data, dict)
            or data.get("version") != __version__
            or data.get("code") != _code_fingerprint()
            or not isinstance(data.get("entries"), dict)
        ):
            return {"entries": {}}
        return data

    def result(self, relative_path: str, key: str) -> FileResult | None:
        entry = self.entries.get(relative_path)
        if not isinstance(entry, dict) or entry.get("key") != key or "result" not in entry:
            return None
        try:
            result = FileResult.from_dict(json.loads(entry["result"]))
            self.used.add(relative_path)
            return result
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def facts(self, relative_path: str, key: str) -> FileFacts | None:
        """Facts from a full result or a facts-only entry of the same content and settings."""
        entry = self.entries.get(relative_path)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        try:
            data = json.loads(entry["result"])["facts"] if "result" in entry else json.loads(entry["facts"])
            return FileFacts.from_dict(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def summary_entry(self, relative_path: str, digest: str) -> tuple[str, str] | None:
        """The summary (as stored: JSON text) and its digest, when the file's bytes have `digest`."""
        entry = self.summaries.get(relative_path)
        if not isinstance(entry, list) or len(entry) != 3 or entry[0] != digest or not isinstance(entry[1], str):
            return None
        return entry[1], entry[2]

    def store_summary(self, relative_path: str, digest: str, summary: str, summary_digest: str) -> None:
        self.summaries[relative_path] = [digest, summary, summary_digest]
        self.changed = True

    def vocabulary_digests(self, project_digest: str) -> dict[str, str] | None:
        """The files' vocabulary digests, when they were computed from summaries of this `project_digest`."""
        stored = self.vocabularies
        if not isinstance(stored, dict) or stored.get("key") != project_digest:
            return None
        digests = stored.get("digests")
        return dict(digests) if isinstance(digests, dict) else None

    def store_vocabulary_digests(self, project_digest: str, digests: dict[str, str]) -> None:
        self.vocabularies = {"key": project_digest, "digests": digests}
        self.changed = True

    def vocabulary_texts(self, project_digest: str) -> tuple[dict[str, str], list[str]]:
        """The files' vocabularies as stored (JSON text, `Vocabulary.to_text`) and the project's packages, when
        made from summaries of `project_digest`: what a run that lints a changed file reads instead of
        building the project's model."""
        if self._vocabulary_texts is None:
            self._vocabulary_texts = {}
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(self._vocabulary_path.read_text(encoding="utf-8"))
                if isinstance(data, dict) and data.get("code") == _code_fingerprint():
                    self._vocabulary_texts = data
        stored = self._vocabulary_texts
        if stored.get("key") != project_digest or not isinstance(stored.get("texts"), dict):
            return {}, []
        return stored["texts"], stored.get("packages", [])

    def store_vocabulary_text(
        self, project_digest: str, relative_path: str, text: str, packages: frozenset[str]
    ) -> None:
        """Keep a file's vocabulary; `packages`, the same for every file of the project, is kept once."""
        texts, _ = self.vocabulary_texts(project_digest)
        if not texts:
            self._vocabulary_texts = {
                "code": _code_fingerprint(),
                "key": project_digest,
                "texts": {},
                "packages": sorted(packages),
            }
        self._vocabulary_texts["texts"][relative_path] = text
        self._vocabulary_texts_changed = True

    def store_result(self, relative_path: str, key: str, result: FileResult) -> None:
        self.entries[relative_path] = {"key": key, "result": _text(result.to_dict())}
        self.used.add(relative_path)
        self.changed = True

    def store_facts(self, relative_path: str, key: str, facts: FileFacts) -> None:
        self.entries[relative_path] = {"key": key, "facts": _text(facts.to_dict())}
        self.changed = True

    def save(self) -> None:
        """Write the cache (pruned of vanished files this run did not lint); a failure to write only loses the cache."""
        if self._vocabulary_texts_changed:
            with contextlib.suppress(OSError):
                self._vocabulary_path.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(self._vocabulary_path, _text(self._vocabulary_texts).encode("utf-8"))
        kept, summaries = self.entries, self.summaries
        if self.prune:
            kept = {path: entry for path, entry in kept.items() if path in self.used or (self.root / path).is_file()}
            summaries = {
                path: entry for path, entry in summaries.items() if path in kept or (self.root / path).is_file()
            }
        if not self.changed and len(kept) == len(self.entries) and len(summaries) == len(self.summaries):
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            (self.path.parent / ".gitignore").write_text("*\n")
            write_atomically(
                self.path,
                json.dumps(
                    {
                        "version": __version__,
                        "code": _code_fingerprint(),
                        "entries": kept,
                        "summaries": summaries,
                        "vocabularies": self.vocabularies,
                    },
                    separators=(",", ":"),
                ).encode("utf-8"),
            )


def _text(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"))
