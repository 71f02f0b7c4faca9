"""String literals read without compiling them (recognize/syntax.py): the same values LibCST's evaluation gives."""

from __future__ import annotations

import libcst as cst
import pytest

from conventions_lint.recognize.syntax import literal_value

LITERALS = [
    "'plain'",
    '"double"',
    "''",
    '"""triple\nlines"""',
    "'''single triple'''",
    "u'unicode prefix'",
    "U'upper'",
    "r'raw \\d+ \\' quote'",
    'R"raw upper \\n"',
    "'escaped \\n newline'",
    "'\\x41 hex'",
    "'\\N{BULLET} named'",
    "'line \\\ncontinued'",
    "b'bytes'",
    "rb'raw bytes \\d'",
    "Br'mixed case bytes'",
    "'quote \" inside'",
    '"""a "quoted" word"""',
    '"""ends in a quote\\""""',
    "'carriage\\rreturn'",
]


@pytest.mark.parametrize("literal", LITERALS)
def test_a_literal_reads_as_libcst_evaluates_it(literal: str) -> None:
    string = cst.parse_expression(literal)
    assert isinstance(string, cst.SimpleString)
    assert literal_value(string) == string.evaluated_value


def test_a_carriage_return_in_a_triple_quoted_literal_is_evaluated_as_python_reads_it() -> None:
    module = cst.parse_module('x = """a\r\nb"""\r\n')
    string = module.body[0].body[0].value
    assert literal_value(string) == string.evaluated_value
