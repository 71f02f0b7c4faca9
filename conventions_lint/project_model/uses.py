"""Which files' summaries each file's answers were worked out from, recorded as the model works them out.

The model's answers about a file's names (what a name resolves to, what a class is) are memoised per
file, and each one reads its own file's summary and asks for answers about other files. Whenever an
answer about one file asks for one about another, that is recorded here as the first file using the
second (whether the answer asked for is worked out then, found memoised, or still being worked out
further up a cycle). What a file's answers can depend on is then every file it reaches by these uses,
itself included: a change to a set of files can alter the answers of the files that reach one of them
and of no other, as long as the project's set of files (which says what every import names) is the same.

The language server asks this when a saved file changes the project's model (server/index.py): the
answers of the other files are kept, and only the files reaching a changed one are compared.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable


class Uses:
    def __init__(self, used: dict[str, set[str]] | None = None, vocabularies: Iterable[str] = ()) -> None:
        # File -> the other files its answers asked about.
        self.used: dict[str, set[str]] = used if used is not None else {}
        # The files whose vocabulary was worked out: every use it made is recorded.
        self.vocabularies: set[str] = set(vocabularies)
        # The files whose answers are being worked out, innermost last: the model appends a file's before it
        # works one out, and takes it off after.
        self.working: list[str] = []
        # The language server works out answers in a thread while the event loop may ask for others: one at a
        # time, so that a use is recorded for the file that made it.
        self.lock = threading.RLock()

    def __getstate__(self) -> dict:
        return {"used": self.used, "vocabularies": self.vocabularies}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["used"], state["vocabularies"])

    def asked(self, path: str) -> None:
        """An answer about `path` was asked for while the innermost answer being worked out is another file's."""
        if path:  # not a framework's name
            self.used.setdefault(self.working[-1], set()).add(path)

    def reaching(self, changed: Iterable[str]) -> set[str]:
        """The files whose answers may use one of the `changed` files' summaries: those, and every file
        reaching one of them by its uses."""
        users: dict[str, list[str]] = {}
        for path, used in self.used.items():
            for other in used:
                users.setdefault(other, []).append(path)
        found = set(changed)
        pending = list(found)
        while pending:
            for user in users.get(pending.pop(), ()):
                if user not in found:
                    found.add(user)
                    pending.append(user)
        return found

    def without(self, affected: set[str]) -> Uses:
        """The uses of the files not `affected`: their answers hold as they are under the model to come."""
        kept = {path: set(used) for path, used in self.used.items() if path not in affected}
        return Uses(kept, self.vocabularies - affected)
