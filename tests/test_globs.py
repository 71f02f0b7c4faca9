"""Path globs for exclude, per-file-ignores and roles, matched against posix paths below the root."""

from __future__ import annotations

import pytest

from conventions_lint.globs import GlobError, compile_glob, matches


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("**/models/**", "app/models/user.py"),
        ("**/models/**", "models/user.py"),  # `**/` also matches no directory at all
        ("**/models/**", "a/b/models/c/d.py"),
        ("**/models.py", "models.py"),
        ("**/models.py", "app/models.py"),
        ("tests/*.py", "tests/test_user.py"),
        ("app/**/versions/*.py", "app/versions/0001.py"),
        ("app/**/versions/*.py", "app/db/alembic/versions/0001.py"),
        ("app/**", "app/x/y.py"),
        ("**", "anything/at/all.py"),
        ("*_service.py", "app/services/user_service.py"),  # no `/`: any single component
        ("build", "build"),
        ("build", "app/build/x.py"),
        ("build/", "app/build"),  # a trailing `/` is ignored
        ("?.py", "a.py"),
        ("[abc].py", "b.py"),
        ("[!abc].py", "d.py"),
        ("[]].py", "].py"),  # `]` first in a class is a literal
        ("file[.]py", "file.py"),
        ("a+b(c).py", "a+b(c).py"),  # regex characters are literals
        ("dir\\x.py", "dir\\x.py"),
    ],
)
def test_pattern_matches(pattern: str, path: str) -> None:
    assert matches(pattern, path)


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("**/models/**", "app/models"),  # the directory itself has nothing after `models/`
        ("**/models/**", "app/models.py"),
        ("**/models.py", "app/old_models.py"),
        ("tests/*.py", "tests/unit/test_user.py"),  # `*` stays within one component
        ("tests/*.py", "app/tests/test_user.py"),  # a pattern with `/` is anchored at the root
        ("app/**", "app"),
        ("*.py", "app/module.pyc"),
        ("?.py", "ab.py"),
        ("x/a?b", "x/a/b"),  # `?` is never a `/`
        ("[abc].py", "d.py"),
        ("[!abc].py", "a.py"),
        ("Models", "app/models/user.py"),  # case matters
        ("file[.]py", "filexpy"),
        ("a+b.py", "aab.py"),
        ("build", "app/builder/x.py"),
    ],
)
def test_pattern_does_not_match(pattern: str, path: str) -> None:
    assert not matches(pattern, path)


def test_star_never_crosses_a_directory() -> None:
    assert compile_glob("app/*").match("app/x.py")
    assert not compile_glob("app/*").match("app/x/y.py")


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("[abc", "unclosed '[' in glob '[abc'"),
        ("app/[!", "unclosed '[' in glob 'app/[!'"),
        ("[z-a].py", "invalid glob '[z-a].py': bad character range z-a at position 1"),
    ],
)
def test_malformed_globs_raise_glob_error(pattern: str, message: str) -> None:
    with pytest.raises(GlobError) as raised:
        compile_glob(pattern)
    assert str(raised.value) == message
