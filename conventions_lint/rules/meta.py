"""CL0: findings about the lint run itself. The engine emits these; they have no visitors."""

from __future__ import annotations

from conventions_lint.rule import Invalid, Rule, Valid


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
