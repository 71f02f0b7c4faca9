"""The scan of logical lines finds exactly the comments Python's tokenizer finds (what `# noqa` is read
from), on the examples, the rule modules and the shapes positions are tested on; where it cannot follow
the text, the tokenizer answers."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

import pytest

import conventions_lint.noqa as noqa
from conventions_lint.line_scan import comments
from conventions_lint.noqa import find_suppressions
from tests.test_positions import TRICKY

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "examples").rglob("*.py")) + sorted((ROOT / "conventions_lint").rglob("*.py"))
NOQA = [
    "x = 1  # noqa: CL101\n# conventions-lint: noqa: CL2\n",
    "s = '# noqa'  # real # noqa\nt = '''\n# not a comment\n'''  # noqa\n",
    "def f(\n    a,  # noqa: CL304\n    # alone\n):  # tail\n    pass\n\n    # indented, after the body\n",
    "x = [\n    1,  # one\n]\\\n\nz = 2 # noqa\n",
    "x = 1\r\n# windows\r\ny = 2  # noqa: CL1\r\n",
    "# only a comment",
    "",
    # A comment on the last line, without a newline; backslashes before a line's first token.
    "x = 1  # noqa\n# the end",
    "\\\nx = 1  # c\n\\\n\ny = 2  # noqa\n",
    # Hashes in f-strings: a format spec's fill, a nested string.
    'x = f"{y!r:#>{w}}"  # c\nz = f\'{y["#"]:{"#"}}\'  # d\n',
]


def _tokenized(text: str) -> list[tuple[int, int, str]]:
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [(token.start[0], token.start[1] + 1, token.string) for token in tokens if token.type == tokenize.COMMENT]


def _cases() -> list:
    texts = [
        pytest.param(path.read_text(encoding="utf-8"), id=str(path.relative_to(ROOT)))
        for path in SOURCES
        if path.name != "broken.py"  # not Python: what LibCST cannot parse is never scanned
    ]
    texts += [pytest.param(text, id=f"tricky-{number}") for number, text in enumerate(TRICKY[:-2])]
    texts += [pytest.param(text, id=f"noqa-{number}") for number, text in enumerate(NOQA)]
    return texts


@pytest.mark.parametrize("text", _cases())
def test_the_scan_finds_the_comments_tokenize_finds(text: str) -> None:
    assert comments(text) == _tokenized(text)


def test_old_mac_line_ends_count_as_lines() -> None:
    # tokenize reads such a file as one line; LibCST, and so every finding's row, counts each `\r`.
    assert comments("x = 1  # one\ry = 2\r# two\r") == [(1, 8, "# one"), (3, 1, "# two")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 3.12 (PEP 701), which tokenize of 3.11 cannot read: replacement fields over lines, with comments
        # (not the file's: no suppression comment can stand there), with the string's own quotes, nested.
        ("x = f'{\n1}'  # over lines\n", [(2, 6, "# over lines")]),
        ("x = f'{y  # in a field\n}'  # c\n", [(2, 5, "# c")]),
        ("x = f\"{'\"'}#\" + f'{f'{'#'}'}'  # c\n", [(1, 32, "# c")]),
        ("x = f'''{f'''{'#'}'''}'''  # c\n", [(1, 28, "# c")]),
    ],
)
def test_the_scan_follows_the_fields_of_any_f_string(text: str, expected: list) -> None:
    assert comments(text) == expected


@pytest.mark.parametrize("text", ["x = 'open\n", "x = 1)\n", "x = f'{1'\n", "x = f'a\nb'\n", "x = f'{y\\z}'\n"])
def test_what_the_scan_cannot_follow_is_left_to_tokenize(text: str) -> None:
    assert comments(text) is None


def test_noqa_falls_back_on_tokenize(monkeypatch) -> None:
    text = NOQA[0] + NOQA[1]
    scanned = find_suppressions(text)
    monkeypatch.setattr(noqa, "comments", lambda text: None)
    assert find_suppressions(text) == scanned
    assert scanned.rows == {1: ("CL101",), 3: (), 6: ()}
    assert scanned.file_codes == ("CL2",)
