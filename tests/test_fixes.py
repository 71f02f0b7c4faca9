"""The fix machinery: node edits become text edits, imports are added once, rounds converge."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest

from conventions_lint.diagnostic import Applicability, FixAvailability
from conventions_lint.engine import lint_source
from conventions_lint.fixing import fix_source
from conventions_lint.rule import Rule
from conventions_lint.settings import Settings


class QuoteStringNames(Rule):
    """Test rule: `String` (from sqlalchemy) becomes `String(255)`, importing what it needs."""

    code = "CL901"
    name = "test-string"
    fix_availability = FixAvailability.ALWAYS
    fix_applicability = Applicability.SAFE

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "column":
            fix = self.fix("Bound it")
            spelled = fix.import_name("sqlalchemy", "String")
            fix.replace(node.args[0].value, f"{spelled}(255)")
            self.report(node, "unbounded", fix=fix)


class AddsUuidImportAndLine(Rule):
    code = "CL902"
    name = "test-uuid"
    fix_availability = FixAvailability.ALWAYS
    fix_applicability = Applicability.UNSAFE

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if node.name.value == "Model" and not self.context.imports.qualify(cst.Name("uuid")):
            fix = self.fix("Add an id")
            uuid = fix.import_name("uuid")
            fix.insert_lines_after(node.body.body[-1], f"id = {uuid}.uuid4()")
            self.report(node.name, "no id", fix=fix)


SETTINGS = Settings(root=Path("/project"))


def fixed(source: str, *rules: type[Rule], unsafe: bool = False, newline: str = "\n") -> str:
    code = textwrap.dedent(source).lstrip("\n").replace("\n", newline)
    return fix_source("m.py", "m.py", code.encode(), SETTINGS, rules, unsafe=unsafe).source.decode()


def test_existing_from_import_is_extended_once_for_several_fixes() -> None:
    source = """
        from sqlalchemy import Column  # the columns
        x = column(Text)
        y = column(Text)
        """
    assert fixed(source, QuoteStringNames) == textwrap.dedent("""\
        from sqlalchemy import Column, String  # the columns
        x = column(String(255))
        y = column(String(255))
        """)


def test_module_alias_is_reused() -> None:
    source = "import sqlalchemy as sa\n\nx = column(Text)\n"
    assert fixed(source, QuoteStringNames) == "import sqlalchemy as sa\n\nx = column(sa.String(255))\n"


class RelationshipCalls(Rule):
    """Test rule: `link(...)` becomes `sqlalchemy.orm.relationship(...)`, spelled as the file can."""

    code = "CL903"
    name = "test-relationship"
    fix_availability = FixAvailability.ALWAYS
    fix_applicability = Applicability.SAFE

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "link":
            fix = self.fix("Call relationship")
            fix.replace(node.func, fix.import_name("sqlalchemy.orm", "relationship"))
            self.report(node, "link", fix=fix)


def test_a_package_alias_does_not_spell_its_submodules() -> None:
    # `import sqlalchemy as sa` does not load `sqlalchemy.orm`: `sa.orm.relationship` may fail at import time.
    source = "import sqlalchemy as sa\n\nx = link('User')\n"
    assert fixed(source, RelationshipCalls) == (
        "import sqlalchemy as sa\nfrom sqlalchemy.orm import relationship\n\nx = relationship('User')\n"
    )
    source = "from sqlalchemy import orm\n\nx = link('User')\n"
    assert fixed(source, RelationshipCalls) == "from sqlalchemy import orm\n\nx = orm.relationship('User')\n"


def test_new_import_goes_after_the_last_import_and_keeps_crlf() -> None:
    source = '''
        """Doc."""
        import os

        x = column(Text)
        '''
    assert fixed(source, QuoteStringNames, newline="\r\n") == (
        '"""Doc."""\r\nimport os\r\n\r\nfrom sqlalchemy import String\r\n\r\nx = column(String(255))\r\n'
    )


def test_without_imports_a_new_one_goes_above_the_decorators_of_the_first_definition() -> None:
    # Found by the long fuzzing run: placed at the first statement's `def`, it split it from `@app.get`.
    source = """
        @app.get("/")
        # between
        @cache
        def read():
            return column(Text)
        """
    assert fixed(source, QuoteStringNames) == (
        'from sqlalchemy import String\n\n\n@app.get("/")\n# between\n@cache\ndef read():\n    return column(String(255))\n'
    )


def test_parenthesised_import_gets_one_name_a_line() -> None:
    source = """
        from sqlalchemy import (
            Column,
            Integer,
        )
        x = column(Text)
        """
    assert fixed(source, QuoteStringNames) == textwrap.dedent("""\
        from sqlalchemy import (
            Column,
            Integer,
            String,
        )
        x = column(String(255))
        """)


def test_a_clashing_local_name_means_no_fix() -> None:
    source = "from graphene import String\nx = column(Text)\n"
    assert fixed(source, QuoteStringNames) == source


def test_unsafe_fixes_wait_for_unsafe_mode_and_lines_keep_indentation() -> None:
    source = """
        class Model:
            name = 1
        """
    assert fixed(source, AddsUuidImportAndLine) == "class Model:\n    name = 1\n"
    assert (
        fixed(source, AddsUuidImportAndLine, unsafe=True)
        == "import uuid\n\n\nclass Model:\n    name = 1\n    id = uuid.uuid4()\n"
    )


def test_a_file_without_final_newline_keeps_that_state() -> None:
    assert fixed("x = column(Text)", QuoteStringNames) == "from sqlalchemy import String\n\nx = column(String(255))"


class BreaksTheCode(Rule):
    code = "CL903"
    name = "test-breaks"
    fix_availability = FixAvailability.ALWAYS
    fix_applicability = Applicability.SAFE

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value in ("broken", "column"):
            fix = self.fix("Break it" if node.func.value == "broken" else "Rename it")
            fix.replace(node.func, "def(" if node.func.value == "broken" else "col")
            self.report(node, "call", fix=fix)


def test_a_fix_that_breaks_the_code_is_dropped_and_the_others_applied() -> None:
    outcome = fix_source("m.py", "m.py", b"broken()\ncolumn()\n", SETTINGS, (BreaksTheCode,), unsafe=False)
    assert outcome.source == b"broken()\ncol()\n"
    assert [(d.code, d.location.row) for d in outcome.dropped] == [("CL903", 1)]
    assert [(d.code, d.location.row) for d in outcome.fixed] == [("CL903", 2)]


def test_overlapping_fixes_wait_for_the_next_round() -> None:
    # Both fixes extend the same import line; the second is recomputed on the first's result.
    class AddsText(QuoteStringNames):
        code = "CL904"

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == "text_column":
                fix = self.fix("Use Text")
                fix.replace(node.args[0].value, fix.import_name("sqlalchemy", "Text"))
                self.report(node, "text", fix=fix)

    source = "from sqlalchemy import Column\nx = column(A)\ny = text_column(B)\n"
    assert fixed(source, QuoteStringNames, AddsText) == (
        "from sqlalchemy import Column, String, Text\nx = column(String(255))\ny = text_column(Text)\n"
    )


def test_bom_and_latin_1_are_kept() -> None:
    rules = (QuoteStringNames,)
    bom = "\ufeffx = column(Text)  # café\n".encode()
    assert fix_source("m.py", "m.py", bom, SETTINGS, rules, unsafe=False).source == (
        "\ufefffrom sqlalchemy import String\n\nx = column(String(255))  # café\n".encode()
    )
    latin = "# -*- coding: latin-1 -*-\nx = column(Text)  # café\n".encode("latin-1")
    assert fix_source("m.py", "m.py", latin, SETTINGS, rules, unsafe=False).source == (
        "# -*- coding: latin-1 -*-\nfrom sqlalchemy import String\n\nx = column(String(255))  # café\n".encode(
            "latin-1"
        )
    )


def test_a_module_of_the_same_name_is_not_the_name_in_it() -> None:
    class NeedsDatetime(QuoteStringNames):
        code = "CL905"

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == "stamp":
                fix = self.fix("Stamp it")
                fix.replace(node.func, fix.import_name("datetime", "datetime") + ".now")
                self.report(node, "stamp", fix=fix)

    assert fixed("import datetime\nx = stamp()\n", NeedsDatetime) == "import datetime\nx = datetime.datetime.now()\n"


def test_a_rule_declares_its_fixes_safety_and_each_fix_has_an_applicability() -> None:
    class SometimesSafe(QuoteStringNames):
        code = "CL905"
        fix_applicability = None

    # A rule whose fixes differ in safety says which each one is: one that does not is a rule failure.
    [failure] = lint_source("m.py", "m.py", b"x = column(A)\n", SETTINGS, (SometimesSafe,)).diagnostics
    assert failure.code == "CL002"
    assert failure.message.endswith("ValueError: CL905's fixes differ in applicability: say whether this fix is safe")


def test_a_rule_that_declares_no_fix_cannot_make_one() -> None:
    class FixesAfterAll(QuoteStringNames):
        code = "CL905"
        fix_availability = FixAvailability.NONE
        fix_applicability = None

    [failure] = lint_source("m.py", "m.py", b"x = column(A)\n", SETTINGS, (FixesAfterAll,)).diagnostics
    assert failure.message.endswith("ValueError: CL905 declares no fix (fix_availability) but made one")


def test_how_safe_fixes_are_is_no_answer_to_whether_there_are_any() -> None:
    with pytest.raises(TypeError, match="NoFix declares fixes that are safe but no fix"):

        class NoFix(Rule):
            code = "CL905"
            name = "no-fix"
            fix_applicability = Applicability.SAFE
