"""The methods `dataclasses` writes are compiled once and kept (conventions_lint/compiled_dataclasses.py)."""

from __future__ import annotations

import dataclasses
import importlib.util
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conventions_lint import compiled_dataclasses
from conventions_lint.compiled_dataclasses import code_file, reusing_compiled_code


@pytest.fixture(autouse=True)
def bytecode_written(monkeypatch) -> None:
    # As on a machine where PYTHONDONTWRITEBYTECODE is not set.
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def _point_class() -> type:
    @dataclasses.dataclass(frozen=True)
    class Point:
        x: int
        y: int = 0

    return Point


def _kept(path: Path) -> dict:
    data = path.read_bytes()
    assert data.startswith(importlib.util.MAGIC_NUMBER)
    return marshal.loads(data[len(importlib.util.MAGIC_NUMBER) :])


def test_a_text_compiled_in_one_run_is_not_compiled_again(tmp_path: Path, monkeypatch) -> None:
    kept = tmp_path / "kept.marshal"
    with reusing_compiled_code(kept):
        _point_class()
    texts = _kept(kept)
    assert any("def __init__(self,x:_type_x,y:_type_y=_dflt_y)" in text for text in texts)

    def compile_again(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(compiled_dataclasses, "compile", compile_again, raising=False)
    written = kept.stat().st_mtime_ns
    with reusing_compiled_code(kept):
        point = _point_class()
    assert point(1) == point(1, 0) != point(2)
    assert hash(point(1)) == hash(point(1, 0))
    assert repr(point(1)) == "_point_class.<locals>.Point(x=1, y=0)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        point(1).x = 2
    assert not hasattr(dataclasses, "exec")
    assert kept.stat().st_mtime_ns == written  # nothing new: not written again


def test_the_methods_are_those_exec_would_make(tmp_path: Path) -> None:
    # This module, like the one that compiles, has `from __future__ import annotations`: inherited, it would
    # turn the annotations of the generated `__init__` into the names of `dataclasses`' locals.
    plain = _point_class()
    for _ in range(2):  # compiled, then from the file
        with reusing_compiled_code(tmp_path / "kept.marshal"):
            kept = _point_class()
        assert (
            kept.__init__.__annotations__ == plain.__init__.__annotations__ == {"x": "int", "y": "int", "return": None}
        )
        assert kept.__init__.__code__.co_code == plain.__init__.__code__.co_code


def test_texts_kept_by_other_runs_stay_up_to_a_bound(tmp_path: Path, monkeypatch) -> None:
    kept = tmp_path / "kept.marshal"
    other = {"a text of another run": compile("", "<string>", "exec")}
    kept.write_bytes(importlib.util.MAGIC_NUMBER + marshal.dumps(other))
    with reusing_compiled_code(kept):
        _point_class()
    assert len(_kept(kept)) == 7 and "a text of another run" in _kept(kept)
    # Past the bound (texts of an older LibCST, say), the file starts again from this run's.
    monkeypatch.setattr(compiled_dataclasses, "_MOST_KEPT", 6)
    kept.write_bytes(importlib.util.MAGIC_NUMBER + marshal.dumps(other))
    with reusing_compiled_code(kept):
        _point_class()
    assert len(_kept(kept)) == 6 and "a text of another run" not in _kept(kept)


def test_within_another_each_keeps_its_own_and_the_outer_one_comes_back(tmp_path: Path) -> None:
    with reusing_compiled_code(tmp_path / "outer.marshal"):
        outer = dataclasses.exec
        with reusing_compiled_code(tmp_path / "inner.marshal"):
            _point_class()
        assert dataclasses.exec is outer

        @dataclasses.dataclass
        class Pair:
            left: str
            right: str

    assert not hasattr(dataclasses, "exec")
    assert any("def __init__(self,x:_type_x" in text for text in _kept(tmp_path / "inner.marshal"))
    assert any("def __init__(self,left:_type_left" in text for text in _kept(tmp_path / "outer.marshal"))
    assert not any("_type_x" in text for text in _kept(tmp_path / "outer.marshal"))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not marshal data at all",
        b"\x00\x00\r\n" + marshal.dumps({}),  # another interpreter's
        importlib.util.MAGIC_NUMBER + b"\xff\x00",
        importlib.util.MAGIC_NUMBER + marshal.dumps(["a list"]),
    ],
)
def test_a_file_that_cannot_be_read_is_made_again(tmp_path: Path, content: bytes) -> None:
    kept = tmp_path / "kept.marshal"
    kept.write_bytes(content)
    with reusing_compiled_code(kept):
        point = _point_class()
    assert point(3).x == 3
    assert any("def __eq__" in text for text in _kept(kept))


def test_code_kept_under_a_text_is_used_only_if_it_is_code(tmp_path: Path) -> None:
    kept = tmp_path / "kept.marshal"
    with reusing_compiled_code(kept):
        _point_class()
    kept.write_bytes(importlib.util.MAGIC_NUMBER + marshal.dumps(dict.fromkeys(_kept(kept), "not code")))
    with reusing_compiled_code(kept):
        assert _point_class()(1).y == 0


def test_nothing_is_written_where_python_writes_no_bytecode(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    with reusing_compiled_code(tmp_path / "kept.marshal"):
        _point_class()
    assert not (tmp_path / "kept.marshal").exists()


def test_a_place_that_cannot_be_written_to_is_no_error(tmp_path: Path) -> None:
    (tmp_path / "a file").write_text("")
    with reusing_compiled_code(tmp_path / "a file" / "kept.marshal"):
        assert _point_class()(1).x == 1


def test_the_file_is_in_the_user_s_cache_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert code_file() == tmp_path / "conventions-lint" / f"dataclass-methods.{sys.implementation.cache_tag}.marshal"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert code_file() == tmp_path / "home" / ".cache" / "conventions-lint" / code_file().name


def test_a_run_keeps_libcst_s_methods_and_reads_them_back(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "models.py").write_text("from sqlalchemy import Column, String\n\nname = Column(String)\n")
    command = [sys.executable, "-m", "conventions_lint", "check", "--no-cache", "--isolated", "--output-format", "json"]
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    runs = [subprocess.run(command, cwd=project, env=environment, capture_output=True, timeout=120) for _ in range(2)]
    assert [run.returncode for run in runs] == [1, 1]
    assert runs[0].stdout == runs[1].stdout and b'"CL401"' in runs[0].stdout
    [kept] = (tmp_path / "cache").rglob("dataclass-methods.*.marshal")
    texts = _kept(kept)
    # LibCST's node classes (hundreds of generated methods), and this package's.
    assert len([text for text in texts if " def __init__(self" in text]) > 150
    assert any(" def __init__(self,row:_type_row,column:_type_column)" in text for text in texts)
