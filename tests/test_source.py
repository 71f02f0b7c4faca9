"""A file's source is decoded once per run and parsed once per fix round (conventions_lint/source.py)."""

from __future__ import annotations

import shutil
import threading
from collections import Counter
from pathlib import Path

import libcst as cst
import pytest

import conventions_lint.source as source_module
from conventions_lint.config import ConfigResolver
from conventions_lint.diagnostic import Applicability, FixAvailability
from conventions_lint.fixing import fix_source
from conventions_lint.rule import Rule
from conventions_lint.runner import FixMode, run
from conventions_lint.settings import Selection, Settings
from conventions_lint.source import Unparsable, decode, parse

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def counted(monkeypatch) -> Counter:
    """How often the encoding is detected and LibCST parses, by what they were given."""
    calls: Counter = Counter()
    detect, parse_module = source_module.tokenize.detect_encoding, cst.parse_module

    def detect_encoding(readline):
        first = readline()
        calls["detect", first] += 1
        lines = iter([first])
        return detect(lambda: next(lines, b""))

    def counting_parse(source, *args, **kwargs):
        calls["parse", source] += 1
        return parse_module(source, *args, **kwargs)

    monkeypatch.setattr(source_module.tokenize, "detect_encoding", detect_encoding)
    monkeypatch.setattr(source_module.cst, "parse_module", counting_parse)
    return calls


class _ImportsString(Rule):
    code = "CL994"
    name = "imports-string"
    fix_availability = FixAvailability.ALWAYS
    fix_applicability = Applicability.SAFE

    def visit_Call(self, node: cst.Call) -> None:
        untyped = isinstance(node.args[0].value, cst.Name) and node.args[0].value.value in ("A", "B")
        if isinstance(node.func, cst.Name) and node.func.value in ("column", "text_column") and untyped:
            fix = self.fix("Type it")
            fix.replace(
                node.args[0].value, fix.import_name("sqlalchemy", "String" if node.func.value == "column" else "Text")
            )
            self.report(node, "untyped", fix=fix)


def test_each_fix_round_parses_its_result_once_and_knows_its_encoding(counted: Counter) -> None:
    # Both fixes extend the import line: the second waits for a second round.
    code = "# -*- coding: latin-1 -*-\nfrom sqlalchemy import Column\nx = column(A)  # café\ny = text_column(B)\n"
    settings = Settings(root=Path("/project"))
    outcome = fix_source("m.py", "m.py", code.encode("latin-1"), settings, (_ImportsString,), unsafe=False)
    assert outcome.source == (
        "# -*- coding: latin-1 -*-\nfrom sqlalchemy import Column, String, Text\n"
        "x = column(String)  # café\ny = text_column(Text)\n"
    ).encode("latin-1")
    assert len(outcome.fixed) == 2
    parsed = [source for (kind, source) in counted if kind == "parse" and source.startswith(b"# -*- coding")]
    # The file as it was, then each round's result: each once, by the check that it parses, reused by the lint.
    assert len(parsed) == 3 and all(counted["parse", source] == 1 for source in parsed)
    assert sum(count for (kind, _), count in counted.items() if kind == "detect") == 1


def test_a_run_detects_each_files_encoding_once(counted: Counter, tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(EXAMPLES / "violating", tmp_path / "violating")
    monkeypatch.chdir(tmp_path / "violating")
    resolver = ConfigResolver(config_file=None, isolated=False, overrides=Selection())
    outcome = run([Path(".")], resolver, fix_mode=FixMode(fix=True, unsafe=True, diff=True), jobs=1, use_cache=False)
    assert outcome.fixed and outcome.diffs
    detected = sum(count for (kind, _), count in counted.items() if kind == "detect")
    assert detected == outcome.files_linted == len(outcome.encodings)


@pytest.mark.parametrize(
    ("data", "encoding", "problem"),
    [
        (b"x = 1\n", "utf-8", None),
        (b"\xef\xbb\xbfx = 1\n", "utf-8-sig", None),
        ("# coding: latin-1\nx = 'é'\n".encode("latin-1"), "iso-8859-1", None),
        (b"x = '\xff'\n", "utf-8", "SyntaxError: file is not valid utf-8: byte 0xff cannot be decoded"),
        (b"# coding: klingon\n", "utf-8", "SyntaxError: unknown encoding: klingon"),
        (b"x = 1\n\0", "utf-8", "SyntaxError: file contains a null byte; is it a binary file?"),
    ],
)
def test_decoding_says_the_encoding_even_of_what_it_cannot_decode(data: bytes, encoding: str, problem) -> None:
    if problem is None:
        assert decode(data)[1] == encoding
        return
    with pytest.raises(Unparsable) as raised:
        decode(data)
    assert (raised.value.message, raised.value.encoding) == (problem, encoding)


def test_a_syntax_error_keeps_the_encoding_the_file_was_decoded_in() -> None:
    with pytest.raises(Unparsable) as raised:
        parse("# coding: latin-1\ndef f(:\n".encode("latin-1"))
    assert (raised.value.message, raised.value.row, raised.value.encoding) == (
        "SyntaxError: invalid syntax",
        2,
        "iso-8859-1",
    )


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """The names LibCST's check of a node (`_validate`) is run on."""
    names: list[str] = []
    validate = cst.Name._validate

    def counting_validate(node: cst.Name) -> None:
        names.append(node.value)
        validate(node)

    monkeypatch.setattr(cst.Name, "_validate", counting_validate)
    return names


def test_a_parse_skips_libcsts_check_of_the_nodes_it_makes_and_a_node_built_by_hand_is_checked(checked) -> None:
    parsed = parse(b"user = get_user(user_id)\n")
    assert parsed.module.code == "user = get_user(user_id)\n"
    assert checked == []
    cst.Name("built")
    assert checked == ["built"]
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")


def test_a_parse_checks_the_nodes_it_makes_while_another_thread_runs(checked) -> None:
    """Another thread (the language server's) could build a node by hand meanwhile: it must be checked."""
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    try:
        parse(b"user = get_user(user_id)\n")
    finally:
        waiting.set()
        other.join()
    assert checked == ["user", "get_user", "user_id"]


def test_a_deep_file_parsed_on_a_large_stack_skips_the_check_too(checked) -> None:
    deep = b"x = a" + b" and a" * 4_000 + b"\n"
    assert len(parse(deep).module.body) == 1
    assert checked == []
