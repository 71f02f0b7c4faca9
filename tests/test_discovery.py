"""Which files a run lints: walking, excludes, nested configuration and paths that cannot be read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conventions_lint.config import ConfigResolver
from conventions_lint.discovery import discover
from conventions_lint.runner import run
from conventions_lint.settings import Selection


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _touch(root: Path, *relative_paths: str, text: str = "x = 1\n") -> None:
    for relative in relative_paths:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _pyproject(directory: Path, body: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pyproject.toml").write_text(f"[tool.conventions-lint]\n{body}\n")


def _discover(*paths: str) -> tuple[list[str], list[str]]:
    """The linted files (relative to their configuration root) and the problems, in order."""
    resolver = ConfigResolver(config_file=None, isolated=False, overrides=Selection())
    problems = []
    files = [source.relative_path for source in discover([Path(p) for p in paths], resolver, problems)]
    return files, [str(problem) for problem in problems]


def test_default_excludes(project) -> None:
    _touch(project, "app/main.py", "app/build_tools.py", "app/venv_helpers.py", "README.md", "app/notes.txt")
    _touch(
        project,
        ".git/hooks/x.py",
        ".venv/lib/x.py",
        "venv/x.py",
        "build/x.py",
        "dist/x.py",
        "app/__pycache__/x.py",
        "web/node_modules/x.py",
        "pkg.egg-info/x.py",
        ".tox/x.py",
        ".mypy_cache/x.py",
    )
    assert _discover(".") == (["app/build_tools.py", "app/main.py", "app/venv_helpers.py"], [])


def test_exclude_replaces_the_defaults(project) -> None:
    _pyproject(project, 'exclude = ["legacy"]')
    _touch(project, "build/x.py", "legacy/x.py", "app/legacy/y.py", "app/main.py")
    assert _discover(".") == (["app/main.py", "build/x.py"], [])


def test_extend_exclude_adds_to_the_defaults(project) -> None:
    _pyproject(project, 'extend-exclude = ["legacy", "app/generated_*.py", "lib/vendored/"]')
    _touch(
        project,
        "build/x.py",
        "legacy/x.py",
        "app/legacy/y.py",
        "app/generated_models.py",
        "app/main.py",
        "lib/generated_models.py",
        "lib/vendored/z.py",
        "other/lib/vendored/z.py",
    )
    # A pattern with `/` is anchored at the configuration root; one without matches any directory or file name.
    assert _discover(".") == (["app/main.py", "lib/generated_models.py", "other/lib/vendored/z.py"], [])


def test_nested_pyproject_files(project) -> None:
    _pyproject(project, 'extend-exclude = ["skip_me"]')
    _pyproject(project / "services" / "billing", 'extend-exclude = ["local"]')
    (project / "services" / "pyproject.toml").write_text("[project]\nname = 'services'\n")  # no section: ignored
    _touch(
        project,
        "skip_me/a.py",
        "services/skip_me/b.py",
        "services/billing/local/c.py",
        "services/billing/skip_me/d.py",
        "services/billing/api/e.py",
        "app/f.py",
    )
    # billing has its own root, and settings do not inherit from a parent pyproject.toml (as in ruff).
    assert _discover(".") == (["app/f.py", "api/e.py", "skip_me/d.py"], [])


def test_linting_below_the_root_keeps_paths_relative_to_the_root(project) -> None:
    _pyproject(project, 'extend-exclude = ["app/legacy"]')
    _touch(project, "app/legacy/a.py", "app/models/b.py")
    os.chdir(project / "app")
    assert _discover(".") == (["app/models/b.py"], [])


def test_explicitly_passed_excluded_paths_are_linted(project) -> None:
    _pyproject(project, 'extend-exclude = ["generated"]')
    _touch(project, "build/gen.py", "app/generated/models.py", "app/generated/more/x.py")
    assert _discover("build/gen.py", "app/generated") == (
        ["build/gen.py", "app/generated/models.py", "app/generated/more/x.py"],
        [],
    )


def test_force_exclude_applies_to_explicitly_passed_paths(project) -> None:
    _pyproject(project, 'extend-exclude = ["generated"]\nforce-exclude = true')
    _touch(project, "build/gen.py", "app/generated/models.py", "app/generated/more/x.py", "app/main.py")
    assert _discover("build/gen.py", "app/generated", "app/generated/more/x.py", "app/main.py") == (["app/main.py"], [])


def test_excluded_directory_names_above_the_walk_do_not_count(tmp_path, monkeypatch) -> None:
    _touch(tmp_path, "build/proj/app/main.py", "build/proj/build/x.py")
    monkeypatch.chdir(tmp_path)
    assert _discover("build/proj") == (["build/proj/app/main.py"], [])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    absolute = f"{tmp_path.resolve().as_posix()}/build/proj/app/main.py"
    assert _discover(str(tmp_path / "build" / "proj")) == ([absolute], [])


def test_a_directory_named_like_a_python_file_is_walked(project) -> None:
    _touch(project, "pkg/x.py/inner.py", "pkg/x.py/notes.md")
    assert _discover(".") == (["pkg/x.py/inner.py"], [])
    assert _discover("pkg/x.py") == (["pkg/x.py/inner.py"], [])


def test_each_file_is_linted_once(project) -> None:
    _touch(project, "app/main.py")
    (project / "alias.py").symlink_to("app/main.py")
    assert _discover("app/main.py", "app", "./app/main.py") == (["app/main.py"], [])
    assert _discover(".") == (["alias.py"], [])  # the link is walked first and its target is the same file


def test_symbolic_link_loops_and_broken_links_are_reported_and_the_run_goes_on(project) -> None:
    _touch(project, "app/main.py")
    (project / "a.py").symlink_to("b.py")
    (project / "b.py").symlink_to("a.py")
    (project / "dangling.py").symlink_to("missing.py")
    (project / "app" / "up").symlink_to("..")  # a directory loop: links to directories are not followed
    (project / "app" / "self").symlink_to("self")
    looping = "broken or looping symbolic link"
    assert _discover(".") == (["app/main.py"], [f"a.py: {looping}", f"b.py: {looping}", f"dangling.py: {looping}"])
    assert _discover("a.py", "app") == (["app/main.py"], [f"a.py: {looping}"])


def test_a_missing_path_is_reported_and_the_others_are_linted(project) -> None:
    _touch(project, "app/main.py")
    assert _discover("missing.py", "app", "gone/") == (
        ["app/main.py"],
        ["missing.py: no such file or directory", "gone: no such file or directory"],
    )


def test_explicit_files_are_linted_whatever_their_extension(project) -> None:
    _touch(project, "scripts/manage", "app/main.py")
    assert _discover("scripts/manage") == (["scripts/manage"], [])
    assert _discover("scripts") == ([], [])


def test_unreadable_files_and_directories_are_reported(project, monkeypatch) -> None:
    # Permission bits do not stop root (CI runs as root), so the refusals are made by hand.
    _touch(project, "app/secret.py", "app/main.py", "locked/x.py")
    real_read, real_scandir = Path.read_bytes, os.scandir

    def read_bytes(path: Path) -> bytes:
        if path.name == "secret.py":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path)

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "scandir", scandir)
    resolver = ConfigResolver(config_file=None, isolated=False, overrides=Selection())
    outcome = run([Path(".")], resolver, use_cache=False)
    assert outcome.files_linted == 1
    assert [str(problem) for problem in outcome.problems] == [
        "app/secret.py: cannot read file: Permission denied",
        "locked: cannot read directory: Permission denied",
    ]
