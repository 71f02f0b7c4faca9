"""The row a file's last leading import ends on (`FileFacts.import_end_row`, where fixes add imports) is
read off a scan of the file's first logical lines, and is the row LibCST's PositionProvider (the oracle)
gives the end of that statement, whatever the head of the file looks like."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

import conventions_lint.fact_collector as fact_collector
from conventions_lint.engine import collect_facts
from conventions_lint.line_scan import leading_lines
from conventions_lint.settings import Settings

SETTINGS = Settings(root=Path("/project"))

HEADS = {
    "docstring and imports": '"""Users."""\n\nimport os\nfrom app import models\n\n\ndef f():\n    pass\n',
    "docstring alone": '"""Only a docstring,\nover two lines."""\n\nx = 1\n',
    "comments and blank lines": "#!/usr/bin/env python\n# coding: utf-8\n\n\nimport os  # why\n\n# c\nimport re\nx = 1\n",
    "parenthesised over lines": "from app.models import (\n    User,  # the user\n    Item,\n)\nx = 1\n",
    "continued with a backslash": "from app.models import User, \\\n    Item\nimport re\n",
    "two on a line": "import os; import re\nfrom a import b\nclass A:\n    pass\n",
    "assignments between": "import os\n__all__ = [\n    'a',\n]\nfrom b import c  # ')'\nif x:\n    import d\n",
    "strings with brackets and hashes": "'''doc ( [ # '''\nimport os\ns = ')]}#'\nfrom a import b\n",
    "windows line ends": '"""d"""\r\nimport os\r\nfrom a import (\r\n    b,\r\n)\r\nx = 1\r\n',
    "old mac line ends": "import os\rfrom a import b\rx = 1\r",
    "no final newline": "import os\nfrom a import b",
    "import last in the file": "x = 1\nimport os\n",
    "a backslash continuing a blank line": "import os\n\\\n\nimport re\nx = 1\n",
    "f-strings before": "x = f\"{'a'}\" ; y = f'{x!r}'\nimport os\n",
}


def _oracle(text: str) -> int:
    module = cst.parse_module(text)
    last = None
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        if any(isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body) or (
            statement is module.body[0] and isinstance(statement.body[0], cst.Expr)
        ):
            last = statement
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return positions[last].end.line


@pytest.mark.parametrize("text", HEADS.values(), ids=HEADS.keys())
def test_the_last_import_ends_where_libcst_places_it(text: str) -> None:
    facts = collect_facts("app/users.py", "app/users.py", text.encode(), SETTINGS)
    assert facts is not None
    assert facts.import_end_row == _oracle(text)


@pytest.mark.parametrize("text", HEADS.values(), ids=HEADS.keys())
def test_the_code_generation_it_falls_back_on_agrees(text: str, monkeypatch) -> None:
    monkeypatch.setattr(fact_collector, "leading_lines", lambda text, count: None)
    facts = collect_facts("app/users.py", "app/users.py", text.encode(), SETTINGS)
    assert facts is not None
    assert facts.import_end_row == _oracle(text)


def test_the_scan_stops_at_the_lines_asked_for() -> None:
    # An unterminated string further down is never reached.
    assert leading_lines("import os\nfrom a import (\n  b)\ns = 'open\n", 2) == ([0, 10], 3)
    assert leading_lines("import os\n", 2) is None
    assert leading_lines("s = 'open\nimport os\n", 1) is None


def test_the_row_is_the_texts_where_libcst_does_not_generate_it_back() -> None:
    # LibCST's code drops a backslash before a line's first token (`import re` on row 2 there).
    text = "import os\n\\\nimport re\nx = 1\n"
    facts = collect_facts("app/users.py", "app/users.py", text.encode(), SETTINGS)
    assert facts is not None
    assert facts.import_end_row == 3


def test_a_scan_that_pairs_an_import_with_another_line_is_not_believed(monkeypatch) -> None:
    text = "x = 1\nimport os\nimport re\ny = 2\n"
    # As if the scan had missed the first line: the line it gives for `import os` starts with `import re`.
    monkeypatch.setattr(fact_collector, "leading_lines", lambda text, count: ([10, 20, 30], 4))
    facts = collect_facts("app/users.py", "app/users.py", text.encode(), SETTINGS)
    assert facts is not None
    assert facts.import_end_row == 3
