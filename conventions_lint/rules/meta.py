"""CL0: findings about the lint run itself. The engine emits these; they have no visitors."""

from __future__ import annotations

from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid


class SyntaxErrorRule(Rule):
    """
    ## What it does
    Reports a file that cannot be parsed: a syntax error, a file that is not
    valid in its declared encoding, or a binary file with a `.py` name.

    ## Why is this bad?
    No other rule can look at a file that does not parse, so none of its
    conventions are checked. The other files are still linted.
    """

    code = "CL001"
    name = "syntax-error"
    VALID = (
        Valid("def get_user(user_id: str) -> str:\n    return user_id\n"),
        Valid(""),
        Valid("# only a comment\n"),
    )
    INVALID = (
        Invalid("def get_user(user_id:\n    return user_id\n", line=1, column=13),
        Invalid("x = 1\nclass User(\n", line=2, column=11),
        Invalid("if True:\nprint('not indented')\n", line=2, column=1),
    )


class InternalErrorRule(Rule):
    """
    ## What it does
    Reports that a rule raised an exception on this file. The rule is skipped
    for the rest of the file, the other rules and files go on, and the exit
    code becomes 2 so that CI notices.

    ## Why is this bad?
    It is a bug in conventions-lint, not in your code: the findings for this
    file may be incomplete. Please report it with the file (or a reduced copy).
    """

    code = "CL002"
    name = "internal-error"


class UnusedNoqa(Rule):
    """
    ## What it does
    Reports `# noqa: CLxxx` codes that silence nothing on their line: the
    finding they were written for has been fixed, or never was there. Only
    conventions-lint's own codes of rules that are enabled are judged; other
    tools' codes (`E501`, `F401`, …) and a blanket `# noqa` are left alone, and
    so are codes of whole-project rules (CL103, CL801), which a single file's
    pass cannot judge. An unknown `CL` code is always reported.

    ## Why is this bad?
    A stale `# noqa` hides the next real finding on that line, and tells the
    reader about a problem that no longer exists.

    ## Fix safety
    Safe: the fix removes the unused codes, or the whole comment when none is
    left (keeping any other text in the comment).

    It is always offered: a code is removed only when its rule ran on the
    file and reported nothing on that line, so the comment silences
    nothing it silenced before. Other tools' codes (`E501`) and a blanket
    `# noqa` are never touched.
    """

    code = "CL003"
    name = "unused-noqa"
    fix_availability = FixAvailability.ALWAYS
    fix_applicability = Applicability.SAFE
    VALID = (
        Valid(
            'from sqlalchemy.orm import relationship\n\nposts = relationship("Post")\n',
            settings=(("extend-select", ["CL102"]),),
        ),
        Valid(
            "from sqlalchemy.orm import relationship\n\nposts = relationship(Post)  # noqa: CL102\n",
            settings=(("extend-select", ["CL102"]),),
        ),
        Valid("import os  # noqa: F401\nvalue = 1  # noqa\n"),
    )
    INVALID = (
        Invalid(
            'from sqlalchemy.orm import relationship\n\nposts = relationship("Post")  # noqa: CL102\n',
            line=3,
            column=31,
            settings=(("extend-select", ["CL102"]),),
            fixed='from sqlalchemy.orm import relationship\n\nposts = relationship("Post")\n',
        ),
        Invalid(
            "from sqlalchemy.orm import relationship\n\nposts = relationship(Post)  # noqa: CL102, CL401, E501\n",
            line=3,
            column=29,
            settings=(("extend-select", ["CL102", "CL401"]),),
            fixed="from sqlalchemy.orm import relationship\n\nposts = relationship(Post)  # noqa: CL102, E501\n",
        ),
        Invalid(
            "value = 1  # noqa: CL999  # kept for the migration\n",
            line=1,
            column=12,
            fixed="value = 1  # kept for the migration\n",
        ),
    )
