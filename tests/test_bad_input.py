"""Bad input files and paths, through the command line.

Each case puts something bad beside a good file (`app/models/post.py`, with one
fixable finding: the `project` fixture of tests/conftest.py) and runs `check` and
`check --fix`: the expected one-line message naming the file and the cause, the exit
code, no traceback (unless `--verbose`), the good file still linted and fixed, and
nothing written to the bad one.

Here: files that do not parse (findings), paths that cannot be linted, a 5 MB file,
and a check that linted code is never run. The rest of the bad input is in
tests/test_bad_config.py (configuration and usage errors) and tests/test_fix_writes.py
(encodings, line endings and whitespace; writes that survive SIGKILL; mode bits kept).

Some cases are also tested, in more detail, elsewhere; they are walked here again
so that these three files are the whole list:
- syntax errors, undecodable files, a missing path, unknown codes, configuration
  errors: tests/test_cli.py;
- a directory named `x.py`, symbolic link loops, unreadable files (as non-root):
  tests/test_discovery.py;
- a file edited while `--fix` runs, a file that cannot be written, CRLF and mode
  bits: tests/test_fix_runs.py; BOM and latin-1 in `fix_source`: tests/test_fixes.py;
- deep nesting in `lint_source`: tests/test_engine.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import conventions_lint.file_processing as file_processing
import conventions_lint.runner as runner
import conventions_lint.source as source_module
from conventions_lint.cli import main
from tests.bad_input import (
    FINDING,
    FIXED,
    GOOD,
    MODEL,
    bad_input_project,
    check,
    environment_with_repository,
    file_snapshot,
    write_file,
)
from tests.helpers import cli_runner

project = pytest.fixture(bad_input_project, name="project")

# -- files that are findings (CL001), not errors: exit 1, the good file linted and fixed, the bad one untouched --

FINDING_CASES = {
    "syntax error": ("app/bad.py", b"def f(:\n    pass\n", "app/bad.py:1:7: CL001 SyntaxError: invalid syntax"),
    "invalid UTF-8": (
        "app/latin.py",
        b'name = "caf\xe9"\n',
        "app/latin.py:1:12: CL001 SyntaxError: file is not valid utf-8: byte 0xe9 cannot be decoded",
    ),
    "binary file named .py": (
        "app/logo.py",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        "app/logo.py:1:1: CL001 SyntaxError: file is not valid utf-8: byte 0x89 cannot be decoded",
    ),
    "valid UTF-8 with a null byte": (
        "app/blob.py",
        b"x = 1\n\x00\x01\x02\x03\n",
        "app/blob.py:2:1: CL001 SyntaxError: file contains a null byte; is it a binary file?",
    ),
    "bad coding cookie": (
        "app/cookie.py",
        b"# -*- coding: klingon -*-\nx = 1\n",
        "app/cookie.py:1:1: CL001 SyntaxError: unknown encoding: klingon",
    ),
    "brackets nested too deeply": (
        "app/deep.py",
        ("x = " + "(" * 1000 + ")" * 1000 + "\n").encode(),
        "app/deep.py:1:205: CL001 SyntaxError: too many nested parentheses",
    ),
    "indentation too deep": (
        "app/indented.py",
        "".join(" " * i + "if x:\n" for i in range(150)).encode() + b" " * 150 + b"pass\n",
        "app/indented.py:101:1: CL001 SyntaxError: too many levels of indentation",
    ),
    "unary chain too deep": (
        "app/unary.py",
        b"x = " + b"-" * 100_000 + b"1\n",
        "app/unary.py:1:1: CL001 SyntaxError: the code is nested too deeply to parse",
    ),
    "attribute chain too deep": (
        "app/chain.py",
        b"x = a" + b".b" * 50_000 + b"\n",
        "app/chain.py:1:1: CL001 SyntaxError: the code is nested too deeply to parse",
    ),
    "elif chain too deep": (
        "app/elif.py",
        b"if a:\n    pass\n" + b"elif a:\n    pass\n" * 20_000,
        "app/elif.py:1:1: CL001 SyntaxError: the code is nested too deeply to parse",
    ),
}


@pytest.mark.parametrize("case", FINDING_CASES)
def test_a_file_that_does_not_parse_is_a_finding_and_the_others_are_linted_and_fixed(project: Path, case: str) -> None:
    relative, data, message = FINDING_CASES[case]
    bad = write_file(project, relative, data)
    result = check("--select", "ALL", "--isolated", "--exit-zero", "--quiet", relative)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [message] and result.stderr == ""

    result = check(".")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == "".join(sorted([f"{message}\n", f"{GOOD}:{FINDING}\n"])) + (
        "Found 2 errors.\n[*] 1 fixable with the `--fix` option.\n"
    )
    result = check("--fix", ".")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        f"{message}\nFound 2 errors (1 fixed, 1 remaining).\n",
        "",
    )
    assert bad.read_bytes() == data
    assert (project / GOOD).read_text() == FIXED


def test_valid_python_that_libcst_fails_on_is_a_finding_not_a_crash(project: Path, monkeypatch) -> None:
    """An error inside LibCST other than a ParserSyntaxError (its validation raised a TypeError on a
    ternary before source.py skipped it in a parse). Only files some selected rule needs parsed meet LibCST."""

    def fails(*args, **kwargs):
        raise TypeError("super(type, obj): obj must be an instance or subtype of type")

    monkeypatch.setattr(source_module.cst, "parse_module", fails)
    write_file(project, "app/models/post.py", MODEL)
    result = check("--fix", "--select", "ALL", "--isolated", "app/models/post.py")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == (
        "app/models/post.py:1:1: CL001 LibCST cannot parse this file (CPython can): TypeError: "
        "super(type, obj): obj must be an instance or subtype of type\n"
        "Found 1 error (0 fixed, 1 remaining).\n"
    )
    assert (project / "app/models/post.py").read_text() == MODEL


def test_a_ternary_whose_check_fails_inside_libcst_is_linted_and_fixed(project: Path) -> None:
    """LibCST's check of an `else(` with no space raises a TypeError; its parser reads it right, and a parse skips the check."""
    write_file(project, "app/models/ternary.py", MODEL + "x = 1 if y else(lambda: 2)\n")
    result = check("--fix", "--select", "ALL", "--isolated", "app/models/ternary.py")
    assert (result.exit_code, result.stderr) == (1, "")
    assert (
        result.stdout.splitlines()[0]
        == "app/models/ternary.py:4:7: CL104 Add timestamp columns `created_at` and `updated_at` to `Post`"
    )
    assert (project / "app/models/ternary.py").read_text() == FIXED + "x = 1 if y else(lambda: 2)\n"


@pytest.mark.parametrize("case", ["syntax error", "invalid UTF-8", "binary file named .py", "unary chain too deep"])
def test_on_standard_input_a_file_that_does_not_parse_comes_back_unchanged(project: Path, case: str) -> None:
    """What an editor's on-save hook gets: the finding on standard error, its buffer byte for byte on standard output."""
    relative, data, message = FINDING_CASES[case]
    result = cli_runner().invoke(main, ["check", "--no-cache", "--fix", "--stdin-filename", relative], input=data)
    assert result.exit_code == 1
    assert result.stdout_bytes == data
    assert result.stderr == f"{message}\nFound 1 error (0 fixed, 1 remaining).\n"
    assert not (project / relative).exists()


def test_deep_nesting_cannot_crash_the_process(project: Path) -> None:
    """LibCST's native parser dies of a stack overflow (SIGSEGV) on deep nesting; in a subprocess, to survive if it does.

    `a and b and ...` is valid and flat to CPython, but nests to LibCST.
    """
    write_file(project, "app/boolean.py", b"x = a" + b" and a" * 20_000 + b"\n")
    write_file(project, "app/plus.py", b"x = 1" + b" + 1" * 100_000 + b"\n")
    write_file(project, "app/ternary.py", b"x = " + b"1 if y else " * 20_000 + b"1\n")
    write_file(project, "app/lambdas.py", b"x = " + b"lambda: " * 20_000 + b"1\n")
    write_file(project, "app/calls.py", b"x = f" + b"()" * 50_000 + b"\n")
    started = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "conventions_lint",
            "check",
            "--no-cache",
            "--select",
            "ALL",
            "--isolated",
            "--fix",
            "--unsafe-fixes",
            ".",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment_with_repository(),
    )
    elapsed = time.perf_counter() - started
    assert completed.returncode == 1, completed.stderr
    assert (completed.stderr, "Traceback" in completed.stdout) == ("", False)
    too_deep = "1:1: CL001 SyntaxError: the code is nested too deeply to parse"
    for name in ("calls", "lambdas", "plus", "ternary"):
        assert f"app/{name}.py:{too_deep}\n" in completed.stdout
    assert "app/boolean.py" not in completed.stdout  # linted: CPython accepts it, and so does LibCST on a large stack
    assert 'relationship("User")' in (project / GOOD).read_text()
    assert elapsed < 60, f"deep nesting took {elapsed:.1f} s"


def test_the_linted_codes_syntax_warnings_stay_off_standard_error(project: Path) -> None:
    write_file(project, GOOD, MODEL + 'x = [0x1for y in z]\npattern = "\\d+"\n')
    completed = subprocess.run(
        [sys.executable, "-m", "conventions_lint", "check", "--no-cache", "."],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment_with_repository(),
    )
    assert (completed.returncode, completed.stderr) == (1, "")


def test_an_empty_file_and_one_of_blank_lines_are_clean(project: Path) -> None:
    write_file(project, "app/empty.py", b"")
    write_file(project, "app/blank.py", b"\n\n  \n\t\n")
    write_file(project, "app/eof_comment.py", b"# only a comment, no newline")
    result = check("--select", "ALL", "--isolated", "app/empty.py", "app/blank.py", "app/eof_comment.py")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "All checks passed!\n", "")


# -- paths that cannot be linted: exit 2, one line on standard error, the rest linted and fixed -----------------------


def _expect_problem(project: Path, message: str, *paths: str) -> None:
    for fixing in ((), ("--fix",)):
        (project / GOOD).write_text(MODEL)
        before = {k: v for k, v in file_snapshot(project).items() if k != GOOD}
        result = check(*fixing, *(paths or (".",)))
        assert result.exit_code == 2
        assert result.stderr == f"error: {message}\n"
        if fixing:
            assert result.stdout == "Found 1 error (1 fixed, 0 remaining).\n"
            assert (project / GOOD).read_text() == FIXED
        else:
            assert result.stdout == f"{GOOD}:{FINDING}\nFound 1 error.\n[*] 1 fixable with the `--fix` option.\n"
        assert {k: v for k, v in file_snapshot(project).items() if k != GOOD} == before


def test_a_path_that_does_not_exist(project: Path) -> None:
    _expect_problem(project, "app/missing.py: no such file or directory", "app/missing.py", "app")


def test_a_symbolic_link_loop(project: Path) -> None:
    (project / "app" / "a.py").symlink_to("b.py")
    (project / "app" / "b.py").symlink_to("a.py")
    result = check(".")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: app/a.py: broken or looping symbolic link\nerror: app/b.py: broken or looping symbolic link\n"
    )
    assert result.stdout.startswith(f"{GOOD}:{FINDING}\n")
    (project / "app" / "b.py").unlink()
    _expect_problem(project, "app/a.py: broken or looping symbolic link")


def test_a_directory_named_like_a_python_file_is_walked(project: Path) -> None:
    write_file(project, "app/x.py/inner.py", "y = 1\n")
    result = check("app/x.py", GOOD)
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == f"{GOOD}:{FINDING}\nFound 1 error.\n[*] 1 fixable with the `--fix` option.\n"


def test_a_fifo_or_a_device_in_the_tree_is_skipped_not_read(project: Path) -> None:
    """A FIFO would block the run forever, a link to /dev/zero would fill the memory."""
    os.mkfifo(project / "app" / "pipe.py")
    _expect_problem(project, "app/pipe.py: not a regular file (a FIFO, a socket or a device); skipped")
    (project / "app" / "pipe.py").unlink()
    (project / "app" / "zero.py").symlink_to("/dev/zero")
    _expect_problem(project, "app/zero.py: not a regular file (a FIFO, a socket or a device); skipped")


def test_an_unreadable_file(project: Path, monkeypatch) -> None:
    """Root reads any file whatever its mode (tests/test_discovery.py chmods as non-root): the read is made to fail."""
    write_file(project, "app/secret.py", "x = 1\n")
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "secret.py":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    _expect_problem(project, "app/secret.py: cannot read file: Permission denied")


def test_a_file_deleted_between_discovery_and_reading(project: Path, monkeypatch) -> None:
    real_discover = runner.discover

    def discover_then_delete(*args, **kwargs):
        for source in real_discover(*args, **kwargs):
            if source.path.name == "gone.py":
                source.path.unlink()
            yield source

    monkeypatch.setattr(runner, "discover", discover_then_delete)
    for fixing in ((), ("--fix",)):
        write_file(project, "app/gone.py", "x = 1\n")
        write_file(project, GOOD, MODEL)
        result = check(*fixing, ".")
        assert result.exit_code == 2
        assert result.stderr == "error: app/gone.py: cannot read file: No such file or directory\n"
        assert (project / GOOD).read_text() == (FIXED if fixing else MODEL)
        assert not (project / "app" / "gone.py").exists()


def test_a_file_deleted_while_fix_runs_is_not_brought_back(project: Path, monkeypatch) -> None:
    # Edited meanwhile: tests/test_fix_runs.py::test_a_file_changed_while_being_fixed_is_left_alone.
    write_file(project, "app/models/other.py", MODEL)
    real_fix = file_processing.fix_source

    def fix_and_meanwhile_delete(*args, **kwargs):
        outcome = real_fix(*args, **kwargs)
        (project / "app/models/other.py").unlink(missing_ok=True)
        return outcome

    monkeypatch.setattr(file_processing, "fix_source", fix_and_meanwhile_delete)
    result = check("--fix", "--jobs", "1", ".")
    assert result.exit_code == 2
    assert result.stderr == "error: app/models/other.py: cannot write the fixed file: No such file or directory\n"
    assert not (project / "app/models/other.py").exists()
    assert (project / GOOD).read_text() == FIXED
    assert sorted(p.name for p in (project / "app/models").iterdir()) == ["post.py"]  # no temporary file left


def test_an_internal_error_is_one_line_unless_verbose(project: Path, monkeypatch) -> None:
    # The whole run failing: tests/test_cli.py::test_an_internal_error_is_one_line_unless_verbose.
    real_lint = file_processing.lint_source

    def crash_on_other(path, *args, **kwargs):
        if path.endswith("other.py"):
            raise ValueError("unexpected node")
        return real_lint(path, *args, **kwargs)

    monkeypatch.setattr(file_processing, "lint_source", crash_on_other)
    monkeypatch.setattr(
        file_processing, "fix_source", lambda *args, **kwargs: (_ for _ in ()).throw(ValueError("no fixing"))
    )
    write_file(project, "app/models/other.py", MODEL)
    result = check("--jobs", "1", ".")
    assert result.exit_code == 2
    assert result.stderr == "error: app/models/other.py: internal error while linting: ValueError: unexpected node\n"
    assert result.stdout.startswith(f"{GOOD}:{FINDING}\n")
    verbose = check("--jobs", "1", ".", verbose=True)
    assert verbose.exit_code == 2
    assert "Traceback (most recent call last)" in verbose.stderr and "ValueError: unexpected node" in verbose.stderr
    fixing = check("--fix", "--jobs", "1", ".")
    assert fixing.exit_code == 2
    assert fixing.stderr == (
        "error: app/models/other.py: internal error while linting: ValueError: no fixing\n"
        "error: app/models/post.py: internal error while linting: ValueError: no fixing\n"
    )
    assert file_snapshot(project)["app/models/other.py"] == MODEL.encode()


# -- a 5 MB file -------------------------------------------------------------------------------------------------------


def _five_megabytes_of_models() -> bytes:
    header = (
        "import uuid\nfrom datetime import datetime\n\n"
        "from sqlalchemy import DateTime, ForeignKey, String, func\n"
        "from sqlalchemy.orm import Mapped, mapped_column, relationship\n\n"
        "from app.db.base_class import Base\n\n\n"
    )
    model = (
        'class Post{i}(Base):\n    __tablename__ = "posts_{i}"\n\n'
        "    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)\n"
        "    title: Mapped[str] = mapped_column(String(255))\n"
        '    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))\n'
        "    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())\n"
        "    updated_at: Mapped[datetime] = mapped_column(\n"
        "        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()\n    )\n"
        '    author: Mapped["User"] = relationship(back_populates="posts_{i}")\n\n\n'
    )
    parts, size, i = [header], len(header), 0
    while size < 5_000_000:
        parts.append(model.format(i=i))
        size += len(parts[-1])
        i += 1
    return "".join(parts).encode()


def test_a_5_mb_file_is_skipped_saying_why(project: Path) -> None:
    """Over `max-file-bytes` (1 MiB by default) a file is not read: LibCST would need seconds and
    gigabytes for it (see the slow test below), and such a file is generated, not written."""
    data = _five_megabytes_of_models() + MODEL.split("\n\n\n")[1].encode()
    write_file(project, "app/models/big.py", data)
    _expect_problem(
        project,
        f"app/models/big.py: {len(data) / 1e6:.1f} MB is over `max-file-bytes` (1.0 MB); "
        "skipped: exclude the file, or raise `max-file-bytes` in [tool.conventions-lint]",
    )
    assert (project / "app/models/big.py").read_bytes() == data
    result = cli_runner().invoke(main, ["check", "--no-cache", "--stdin-filename", "app/models/big.py"], input=data)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("error: app/models/big.py: 5.0 MB is over `max-file-bytes`")


def test_a_large_file_under_the_limit_is_linted(project: Path) -> None:
    """Half a megabyte of model classes, with one finding at the very end."""
    data = _five_megabytes_of_models()[:500_000]
    data = data[: data.rindex(b"\n\n\nclass ")] + b"\n\n\n" + MODEL.split("\n\n\n")[1].encode()
    write_file(project, "app/models/big.py", data)
    result = check("app/models/big.py")
    assert (result.exit_code, result.stderr) == (1, "")
    rows = data.count(b"\n")
    assert result.stdout.startswith(f"app/models/big.py:{rows}:27: CL102 ")


@pytest.mark.slow
def test_a_5_mb_file_with_the_limit_lifted(project: Path, report_summary) -> None:
    """The whole 5 MB when `max-file-bytes = 0` asks for it: LibCST alone parses it in about 25 s."""
    (project / "pyproject.toml").write_text(
        '[tool.conventions-lint]\nselect = ["CL001", "CL002", "CL102"]\nmax-file-bytes = 0\n'
    )
    data = _five_megabytes_of_models() + MODEL.split("\n\n\n")[1].encode()
    write_file(project, "app/models/big.py", data)
    started = time.perf_counter()
    result = check("app/models/big.py")
    elapsed = time.perf_counter() - started
    assert (result.exit_code, result.stderr) == (1, "")
    rows = data.count(b"\n")
    assert result.stdout.startswith(f"app/models/big.py:{rows}:27: CL102 ")
    report_summary("5 MB file", f"{len(data) / 1e6:.1f} MB, {rows} lines of model classes: linted in {elapsed:.1f} s")


# -- the code being linted is never run --------------------------------------------------------------------------------


def test_linted_code_is_never_imported_or_run(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    payload = (
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text(__name__)\n"
        "raise SystemExit('this module was imported')\n"
    )
    project = tmp_path / "project"
    (project / "app").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[tool.conventions-lint]\nselect = ["ALL"]\n')
    # Every role and every file a Python tool might be tempted to import.
    for relative in (
        "app/__init__.py",
        "app/models/__init__.py",
        "app/models/user.py",
        "app/db/base.py",
        "app/db/base_class.py",
        "app/core/config.py",
        "app/main.py",
        "app/api/v1/endpoints/users.py",
        "alembic/env.py",
        "alembic/versions/ae1027a6acf_init.py",
        "tests/conftest.py",
        "tests/test_users.py",
        "conftest.py",
        "setup.py",
        "sitecustomize.py",
        "usercustomize.py",
        "noxfile.py",
    ):
        write_file(project, relative, payload + MODEL.replace("class Post", f"class Post{len(relative)}"))
    script = Path(sys.executable).parent / "conventions-lint"
    launcher = [str(script)] if script.exists() else [sys.executable, "-I", "-m", "conventions_lint"]
    for options in (["--no-cache"], [], ["--fix", "--unsafe-fixes"], ["--diff"], ["--statistics"]):
        completed = subprocess.run(
            [*launcher, "check", *options, "."],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=300,
            env=environment_with_repository(),
        )
        assert completed.returncode in (0, 1), completed.stderr
        assert not marker.exists(), f"linted code ran, with {options}: {marker.read_text()}"
    stdin = subprocess.run(
        [*launcher, "check", "--fix", "--stdin-filename", "app/models/user.py"],
        cwd=project,
        input=payload,
        capture_output=True,
        text=True,
        timeout=300,
        env=environment_with_repository(),
    )
    assert stdin.returncode in (0, 1), stdin.stderr
    assert not marker.exists()
