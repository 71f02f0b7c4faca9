"""`.gitignore` honoured as git and ruff honour it (ecosystem.md E1): walked files, named files with
`--force-exclude`, the project phase's index, and `--fix`, which never rewrites an ignored file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conventions_lint.config import ConfigResolver, Selection
from conventions_lint.discovery import discover
from conventions_lint.gitignore import GitIgnore
from conventions_lint.settings import CommandLineSettings
from tests.bad_input import check, environment_with_repository, file_snapshot, write_file


@pytest.fixture
def repository(tmp_path, monkeypatch) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _files(*paths: str, **options) -> list[str]:
    command_line = CommandLineSettings(respect_gitignore=options.pop("respect_gitignore", None))
    resolver = ConfigResolver(
        config_file=None, isolated=False, overrides=Selection(), command_line=command_line, **options
    )
    return [source.relative_path for source in discover([Path(p) for p in paths or ["."]], resolver, [])]


def _layout(root: Path) -> None:
    write_file(root, ".gitignore", "generated/\n/env\n*.tmp.py\n")
    write_file(root, ".git/info/exclude", "# local to this clone\nvenv2/\n")
    write_file(root, "app/.gitignore", "*_gen.py\n!keep_gen.py\n")
    for path in (
        "app/main.py",
        "app/schema_gen.py",
        "app/keep_gen.py",
        "app/sub/deep_gen.py",
        "app/draft.tmp.py",
        "app/env/settings.py",
        "generated/models.py",
        "env/lib.py",
        "venv2/lib.py",
        "tools/generated/x.py",
    ):
        write_file(root, path, "x = 1\n")


def test_walks_skip_what_the_gitignore_files_and_info_exclude_ignore(repository) -> None:
    _layout(repository)
    # Nested .gitignore files apply below them, `!` re-includes, `/env` is anchored, a name without `/` is not.
    assert sorted(_files()) == ["app/env/settings.py", "app/keep_gen.py", "app/main.py"]


def test_a_directory_named_inside_an_ignored_one_is_walked_as_ruff_walks_it(repository, monkeypatch) -> None:
    # A downloaded corpus or vendored tree under an ignored directory, linted on purpose: the pattern that hides
    # the directory does not hide what is below it; the ignore files from it down still count.
    _layout(repository)
    write_file(repository, "generated/sub/models.py", "x = 1\n")
    write_file(repository, "generated/sub/schema_gen.py", "x = 1\n")
    write_file(repository, "generated/.gitignore", "*_gen.py\n")
    assert sorted(_files("generated")) == ["generated/models.py", "generated/sub/models.py"]
    monkeypatch.chdir(repository / "generated" / "sub")
    assert _files() == ["models.py"]  # relative to the working directory: no configuration root here


def test_the_decisions_are_gits_own(repository) -> None:
    _layout(repository)
    candidates = [p.relative_to(repository).as_posix() for p in repository.rglob("*.py") if ".git" not in p.parts]
    ignored_by_git = subprocess.run(
        ["git", "check-ignore", "--no-index", *candidates], capture_output=True, text=True, cwd=repository
    ).stdout.split()
    gitignore = GitIgnore()
    ours = [path for path in candidates if gitignore.is_ignored_here_or_above((repository / path).resolve(), False)]
    assert sorted(ours) == sorted(ignored_by_git)
    assert len(ours) == 7


def test_respect_gitignore_can_be_turned_off_in_the_configuration_or_on_the_command_line(repository) -> None:
    _layout(repository)
    every = 10
    assert len(_files(respect_gitignore=False)) == every
    write_file(repository, "pyproject.toml", "[tool.conventions-lint]\nrespect-gitignore = false\n")
    assert len(_files()) == every
    assert len(_files(respect_gitignore=True)) == 3


def test_gitignore_files_outside_a_repository_mean_nothing(tmp_path, monkeypatch) -> None:
    # As in ruff (and git): without a repository there is nothing for .gitignore to apply to.
    monkeypatch.chdir(tmp_path)
    write_file(tmp_path, ".gitignore", "generated/\n")
    write_file(tmp_path, "generated/models.py", "x = 1\n")
    assert _files() == ["generated/models.py"]


def test_a_nested_repository_starts_afresh(repository) -> None:
    write_file(repository, ".gitignore", "vendor_gen.py\n")
    subprocess.run(["git", "init", "-q", str(repository / "vendor")], check=True)
    write_file(repository, "vendor/vendor_gen.py", "x = 1\n")
    write_file(repository, "vendor_gen.py", "x = 1\n")
    assert _files() == ["vendor/vendor_gen.py"]


def test_a_named_ignored_file_is_linted_unless_force_exclude(repository) -> None:
    # As `exclude`: what the user names is linted; pre-commit passes --force-exclude.
    _layout(repository)
    assert _files("generated/models.py", "app/schema_gen.py") == ["generated/models.py", "app/schema_gen.py"]
    assert _files("generated/models.py", "app/schema_gen.py", "app/main.py", force_exclude=True) == ["app/main.py"]


def test_a_worktree_reads_its_main_repositorys_info_exclude(repository) -> None:
    write_file(repository, ".git/info/exclude", "local_only.py\n")
    write_file(repository, "README", "x\n")
    subprocess.run(["git", "add", "README"], check=True, cwd=repository)
    commit = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]
    subprocess.run(commit, check=True, cwd=repository)
    subprocess.run(["git", "worktree", "add", "-q", "linked"], check=True, cwd=repository)
    write_file(repository, "linked/local_only.py", "x = 1\n")
    write_file(repository, "linked/kept.py", "x = 1\n")
    assert _files("linked") == ["linked/kept.py"]


MODEL = """\
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base_class import Base


class {name}(Base):
    __tablename__ = "{table}"

    id: Mapped[int] = mapped_column(primary_key=True)
"""
BASE = "from app.db.base_class import Base\nfrom app.models.user import User\n"


def test_fix_never_rewrites_an_ignored_file_nor_imports_its_models(repository) -> None:
    # E1: `--fix` imported the models of ignored `generated/` and `env/` into db/base.py (CL801).
    write_file(repository, "pyproject.toml", '[tool.conventions-lint]\nselect = ["CL801"]\n')
    write_file(repository, ".gitignore", "generated/\n")
    write_file(repository, ".git/info/exclude", "env/\n")
    write_file(repository, "app/db/base.py", BASE)
    write_file(repository, "app/db/base_class.py", "class Base:\n    pass\n")
    write_file(repository, "app/models/user.py", MODEL.format(name="User", table="users"))
    write_file(repository, "app/models/post.py", MODEL.format(name="Post", table="posts"))
    write_file(repository, "generated/models/legacy.py", MODEL.format(name="Legacy", table="legacy"))
    write_file(repository, "env/models/vendored.py", MODEL.format(name="Vendored", table="vendored"))
    before = file_snapshot(repository / "generated") | file_snapshot(repository / "env")
    for paths in (["."], ["app/models/user.py"]):  # a whole run, and pre-commit's run over one file
        result = subprocess.run(
            [sys.executable, "-m", "conventions_lint", "check", "--no-cache", "--fix", *paths],
            capture_output=True,
            text=True,
            env=environment_with_repository(),
            cwd=repository,
        )
        assert result.returncode == 0, result.stderr
    # Only the checked project's model is imported, where ruff's isort puts it (CL801's import keeps the block sorted).
    assert (repository / "app/db/base.py").read_text() == (
        "from app.db.base_class import Base\nfrom app.models.post import Post\nfrom app.models.user import User\n"
    )
    assert file_snapshot(repository / "generated") | file_snapshot(repository / "env") == before


def test_check_lints_nothing_the_repository_ignores(repository) -> None:
    _layout(repository)
    result = check("--show-files")
    assert (result.exit_code, result.stdout) == (0, "app/env/settings.py\napp/keep_gen.py\napp/main.py\n")


def test_the_language_server_gives_ignored_files_no_diagnostics(repository) -> None:
    # E4 (the server's share of E1): ruff's server returns nothing for what the project leaves out.
    import asyncio

    from tests.lsp_session import server

    write_file(repository, "pyproject.toml", '[tool.conventions-lint]\nselect = ["CL102"]\n')
    write_file(repository, ".gitignore", "generated/\n")
    source = "from sqlalchemy.orm import relationship\n\nauthor = relationship(User)\n"

    async def scenario() -> None:
        async with server(cwd=repository, workspace=repository) as session:
            session.open((repository / "generated/models.py").as_uri(), source)
            assert list((await session.diagnostics()).diagnostics) == []
            session.open((repository / "app/models.py").as_uri(), source)
            assert [d.code for d in (await session.diagnostics()).diagnostics] == ["CL102"]

    asyncio.run(scenario())


def test_stdin_filename_of_an_ignored_file_with_force_exclude_hands_the_buffer_back(repository) -> None:
    # E1's --stdin-filename with --force-exclude, for what .gitignore leaves out as for `exclude`.
    write_file(repository, ".gitignore", "generated/\n")
    source = "from sqlalchemy.orm import relationship\n\nauthor = relationship(User)\n"
    command = [sys.executable, "-m", "conventions_lint", "check", "--no-cache", "--fix", "--force-exclude"]
    ignored = subprocess.run(
        [*command, "--stdin-filename", "generated/models.py"],
        input=source,
        capture_output=True,
        text=True,
        env=environment_with_repository(),
        cwd=repository,
    )
    assert (ignored.returncode, ignored.stdout) == (0, source)
    linted = subprocess.run(
        [*command, "--stdin-filename", "app/models.py"],
        input=source,
        capture_output=True,
        text=True,
        env=environment_with_repository(),
        cwd=repository,
    )
    assert (linted.returncode, linted.stdout) == (0, source.replace("(User)", '("User")'))
