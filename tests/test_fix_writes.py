"""What `check --fix` writes, through the command line: odd encodings, line endings and whitespace
linted at the right place, fixed, and kept; writes whole or not at all, even under SIGKILL; mode bits,
symbolic links, latin-1 and a BOM kept.

The project (the `project` fixture of tests/conftest.py) and its good file are those of
tests/test_bad_input.py.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conventions_lint.source import parses
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

project = pytest.fixture(bad_input_project, name="project")

# -- encodings, line endings and whitespace: linted at the right place, fixed, and kept --------------------------------


def _variants() -> dict[str, tuple[bytes, str, bytes]]:
    """name: (file content, expected finding, content after --fix)."""
    latin = "# -*- coding: latin-1 -*-\n# café\n" + MODEL.replace("(User)", "(User)  # é")
    tabs = MODEL.replace("    ", "\t")
    page_break = MODEL.replace("\n\n\nclass", "\n\x0c\n\nclass")
    return {
        "BOM": (b"\xef\xbb\xbf" + MODEL.encode(), FINDING, b"\xef\xbb\xbf" + FIXED.encode()),
        "CRLF": (MODEL.replace("\n", "\r\n").encode(), FINDING, FIXED.replace("\n", "\r\n").encode()),
        "CR": (MODEL.replace("\n", "\r").encode(), FINDING, FIXED.replace("\n", "\r").encode()),
        "latin-1 cookie": (
            latin.encode("latin-1"),
            FINDING.replace("6:27", "8:27"),
            latin.replace("(User)", '("User")').encode("latin-1"),
        ),
        "tabs": (tabs.encode(), FINDING.replace("6:27", "6:24"), tabs.replace("(User)", '("User")').encode()),
        "form feed page break": (page_break.encode(), FINDING, page_break.replace("(User)", '("User")').encode()),
        "no final newline": (MODEL.rstrip("\n").encode(), FINDING, FIXED.rstrip("\n").encode()),
    }


@pytest.mark.parametrize("variant", _variants())
def test_encodings_line_endings_and_whitespace(project: Path, variant: str) -> None:
    data, finding, fixed = _variants()[variant]
    path = write_file(project, GOOD, data)
    result = check(".")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        f"{GOOD}:{finding}\nFound 1 error.\n[*] 1 fixable with the `--fix` option.\n",
        "",
    )
    result = check("--fix", ".")
    assert (result.exit_code, result.stderr) == (0, "")
    assert path.read_bytes() == fixed


def test_a_form_feed_before_a_statement_is_reported_but_not_fixed(project: Path) -> None:
    """LibCST drops a form feed at the start of a statement's line, so its fixes would edit the wrong text:
    the finding is reported (where it is in the text: positions count from where the scan of the text
    places the statement) and its fix is left out."""
    data = MODEL.replace("    author", "\x0c    author").encode()
    path = write_file(project, GOOD, data)
    result = check("--fix", ".")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.startswith(f"{GOOD}:6:28: CL102 Pass the class name")  # no [*]: not fixable
    assert path.read_bytes() == data


# -- writes: whole or not at all, even under SIGKILL; encoding, line endings and mode bits kept ------------------------


def _many_models(root: Path, count: int) -> None:
    (root / "pyproject.toml").write_text('[tool.conventions-lint]\nselect = ["CL102", "CL101"]\n')
    for i in range(count):
        body = MODEL.replace("class Post", f"class Post{i}") + "".join(
            f'    other{j} = relationship(Other{j}, backref="posts{i}_{j}")\n' for j in range(12)
        )
        write_file(root, f"app/models/m{i:03}.py", body)


def test_fixes_written_while_the_process_is_killed_leave_whole_files(tmp_path: Path) -> None:
    """SIGKILL at a random moment of a `--fix` run: every file is the original or the fixed one, never a mix.

    A temporary file (`.<name>.<random>.tmp`) may be left beside the file being written
    when the kill lands between its creation and the rename; it never replaces the file
    partially, and nothing else is ever left.
    """
    original = tmp_path / "original"
    original.mkdir()
    _many_models(original, 120)
    reference = tmp_path / "reference"
    shutil.copytree(original, reference)
    command = [
        sys.executable,
        "-m",
        "conventions_lint",
        "check",
        "--no-cache",
        "--fix",
        "--unsafe-fixes",
        "--quiet",
        ".",
    ]
    started = time.perf_counter()
    subprocess.run(
        command, cwd=reference, capture_output=True, timeout=300, env=environment_with_repository(), check=False
    )
    duration = time.perf_counter() - started
    before, after = file_snapshot(original), file_snapshot(reference)
    assert all(after[name] != before[name] for name in before), "the reference run did not fix every file"
    assert all(parses(data) for data in after.values())

    chooser = random.Random()
    leftovers: list[str] = []
    for trial in range(4):
        work = tmp_path / f"trial{trial}"
        shutil.copytree(original, work)
        process = subprocess.Popen(
            command,
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=environment_with_repository(),
            start_new_session=True,
        )
        if trial % 2:
            # Wait for the first file to be written, so that the kill lands among the writes.
            first = work / "app/models/m000.py"
            deadline = time.monotonic() + 120
            while first.read_bytes() == before["app/models/m000.py"] and time.monotonic() < deadline:
                time.sleep(0.0005)
            time.sleep(chooser.uniform(0, 0.05))
        else:
            time.sleep(chooser.uniform(0.2, duration))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        found = file_snapshot(work)
        for name, data in found.items():
            if name in before:
                assert data in (before[name], after[name]), f"{name} is neither the original nor the fixed file"
            else:
                _, _, file_name = name.rpartition("/")
                assert file_name.startswith(".") and file_name.endswith(".tmp"), f"unexpected file {name}"
                assert file_name[1:].split(".py.")[0] + ".py" in {n.rpartition("/")[2] for n in before}
                leftovers.append(name)
        assert set(before) <= set(found)
    print(f"SIGKILL trials: {len(leftovers)} temporary file(s) left behind: {leftovers}")


@pytest.mark.parametrize("mode", [0o755, 0o700, 0o640, 0o2775])
def test_fix_keeps_the_mode_bits(project: Path, mode: int) -> None:
    path = project / GOOD
    path.chmod(mode)
    assert check("--fix", ".").exit_code == 0
    assert path.read_text() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_fix_through_a_symbolic_link_writes_the_target_and_keeps_the_link(project: Path) -> None:
    target = write_file(project, "lib/real_post.py", MODEL)
    (project / GOOD).unlink()
    (project / GOOD).symlink_to(target)
    assert check("--fix", GOOD).exit_code == 0
    assert (project / GOOD).is_symlink()
    assert target.read_text() == FIXED


def test_fix_keeps_latin_1_and_a_bom_through_the_command_line_with_added_imports(project: Path) -> None:
    """A fix that adds import lines (CL201's `UUID` and `uuid`): the encoding, the BOM and the newlines stay."""
    (project / "pyproject.toml").write_text('[tool.conventions-lint]\nselect = ["CL201"]\nunsafe-fixes = true\n')
    model = (
        "from sqlalchemy import Column, Integer\n\n\nclass Post(Base):\n    __tablename__ = 'posts'\n"
        "    id = Column(Integer, primary_key=True)  # clé, café\n"
    )
    fixed = model.replace(
        "from sqlalchemy import Column, Integer\n",
        "import uuid\n\nfrom sqlalchemy import Column\nfrom sqlalchemy.dialects.postgresql import UUID\n",
    ).replace("Column(Integer, primary_key=True)", "Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)")
    latin = write_file(project, "app/models/latin.py", ("# -*- coding: latin-1 -*-\n" + model).encode("latin-1"))
    bom = write_file(project, "app/models/bom.py", b"\xef\xbb\xbf" + model.replace("\n", "\r\n").encode())
    (project / GOOD).unlink()
    result = check("--fix", ".")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Found 2 errors (2 fixed, 0 remaining).\n", "")
    assert latin.read_bytes() == ("# -*- coding: latin-1 -*-\n" + fixed).encode("latin-1")
    assert bom.read_bytes() == b"\xef\xbb\xbf" + fixed.replace("\n", "\r\n").encode()
