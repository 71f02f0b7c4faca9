"""`check --fix`, `--diff` and `--stdin-filename` end to end, on files in a temporary project."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conventions_lint.cli import main
from tests.helpers import cli_runner

MODEL = (
    "from sqlalchemy.orm import relationship\n"
    "\n"
    "from app.models.user import User  # the owner\n"
    "\n"
    "\n"
    "class Post(Base):\n"
    "    __tablename__ = 'posts'\n"
    "    author = relationship(User)\n"
)
FIXED = MODEL.replace("relationship(User)", 'relationship("User")')


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.conventions-lint]\nselect = ["CL102"]\n')
    (tmp_path / "app" / "models").mkdir(parents=True)
    (tmp_path / "app" / "models" / "post.py").write_bytes(MODEL.encode())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str, input: bytes | None = None):
    return cli_runner().invoke(main, ["check", *args], input=input)


def test_fix_writes_the_file_and_says_what_it_did(project: Path) -> None:
    result = check("--fix", "--show-fixes", ".")
    assert (result.exit_code, result.output) == (
        0,
        (
            "Fixed 1 error:\n"
            "- app/models/post.py:\n"
            "    1 × CL102 (relationship-target-not-string)\n"
            "\n"
            "Found 1 error (1 fixed, 0 remaining).\n"
        ),
    )
    assert (project / "app/models/post.py").read_text() == FIXED
    again = check("--fix", ".")
    assert (again.exit_code, again.output) == (0, "All checks passed!\n")


def test_without_fix_the_finding_is_marked_fixable(project: Path) -> None:
    result = check(".")
    assert result.exit_code == 1
    assert result.output == (
        'app/models/post.py:8:27: CL102 [*] Pass the class name as a string: `relationship("User")`\n'
        "Found 1 error.\n"
        "[*] 1 fixable with the `--fix` option.\n"
    )


def test_fix_keeps_crlf_and_permission_bits(project: Path) -> None:
    path = project / "app/models/post.py"
    path.write_bytes(MODEL.replace("\n", "\r\n").encode())
    path.chmod(0o640)
    assert check("--fix", ".").exit_code == 0
    assert path.read_bytes() == FIXED.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in path.parent.iterdir()] == ["post.py"]  # no temporary file left behind


def test_exit_non_zero_on_fix_and_fix_only(project: Path) -> None:
    result = check("--fix-only", "--exit-non-zero-on-fix", ".")
    assert (result.exit_code, result.output) == (1, "Fixed 1 error.\n")


@pytest.mark.skipif(shutil.which("patch") is None, reason="the `patch` program is not installed")
def test_diff_changes_nothing_and_applies_with_patch_to_the_same_bytes(project: Path, tmp_path_factory) -> None:
    result = check("--diff", ".")
    assert result.exit_code == 1
    assert result.stdout == (
        "--- app/models/post.py\n"
        "+++ app/models/post.py\n"
        "@@ -5,4 +5,4 @@\n"
        " \n"
        " class Post(Base):\n"
        "     __tablename__ = 'posts'\n"
        "-    author = relationship(User)\n"
        '+    author = relationship("User")\n'
    )
    assert (project / "app/models/post.py").read_text() == MODEL
    subprocess.run(["patch", "-s", "-p0"], input=result.stdout.encode(), check=True, cwd=project)
    assert (project / "app/models/post.py").read_text() == FIXED
    assert check("--diff", ".").exit_code == 0


def test_diff_marks_a_missing_final_newline(project: Path) -> None:
    (project / "app/models/post.py").write_text(MODEL.rstrip("\n"))
    result = check("--diff", ".")
    assert result.stdout.endswith('+    author = relationship("User")\n\\ No newline at end of file\n')


def test_stdin_filename_round_trips_the_fixed_source(project: Path) -> None:
    result = check("--fix", "--stdin-filename", "app/models/post.py", input=MODEL.encode())
    assert result.exit_code == 0
    assert result.stdout == FIXED
    assert (project / "app/models/post.py").read_text() == MODEL  # the file on disk is not touched


def test_stdin_without_fix_reports_on_stdout_with_the_given_name(project: Path) -> None:
    result = check("--stdin-filename", "app/models/post.py", input=MODEL.encode())
    assert result.exit_code == 1
    assert result.stdout.startswith("app/models/post.py:8:27: CL102 [*] ")


def test_a_file_changed_while_being_fixed_is_left_alone(project: Path, monkeypatch) -> None:
    import conventions_lint.file_processing as file_processing

    real_fix = file_processing.fix_source
    path = project / "app/models/post.py"

    def fix_and_meanwhile_edit(*args, **kwargs):
        outcome = real_fix(*args, **kwargs)
        path.write_text(MODEL + "# edited in the editor\n")
        return outcome

    monkeypatch.setattr(file_processing, "fix_source", fix_and_meanwhile_edit)
    result = check("--fix", ".")
    assert result.exit_code == 2
    assert "error: app/models/post.py: changed on disk while it was being fixed; it was left as it is" in result.stderr
    assert path.read_text() == MODEL + "# edited in the editor\n"


def test_a_file_that_cannot_be_written_is_reported_with_its_findings(project: Path, monkeypatch) -> None:
    import conventions_lint.runner as runner

    def refuse(path, original, fixed):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(runner, "write_fixed", refuse)
    result = check("--fix", ".")
    assert result.exit_code == 2
    assert result.stderr == "error: app/models/post.py: cannot write the fixed file: Permission denied\n"
    assert result.stdout.startswith("app/models/post.py:8:27: CL102 [*] ")
    assert (project / "app/models/post.py").read_text() == MODEL


def test_on_stdin_a_dropped_fix_exits_2_with_the_buffer_and_the_other_fixes_on_stdout(
    project: Path, monkeypatch
) -> None:
    # What the README's on-save recipes rely on (ecosystem.md E5: it said exit 2 leaves standard output empty).
    import conventions_lint.fixing as fixing

    real_parse = fixing.parse_valid

    def rejecting_the_user_fix(source: bytes, *args, **kwargs):
        return None if b'relationship("User")' in source else real_parse(source, *args, **kwargs)

    monkeypatch.setattr(fixing, "parse_valid", rejecting_the_user_fix)
    buffer = MODEL + "    editor = relationship(Editor)\n"
    result = check("--fix", "--stdin-filename", "app/models/post.py", input=buffer.encode())
    assert result.exit_code == 2
    assert result.stdout == buffer.replace("relationship(Editor)", 'relationship("Editor")')
    assert result.stderr.startswith(
        "error: app/models/post.py: the fix for CL102 at 8:27 produced invalid code and was not applied"
    )
