"""The README's set-up sections are true (ecosystem.md E5): installing from the repository, the pre-commit snippet
and hook ids, the CL901 default, and what exit 2 leaves on standard output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conventions_lint.pytest_config import _FILES as PYTEST_FILES
from tests.bad_input import environment_with_repository, write_file

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())


def _section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_installing_names_the_repository_form_and_the_published_one() -> None:
    # E5: `pip install conventions-lint` failed (the package is on no index) and nothing said how else.
    installing = _section("Installing")
    assert 'pip install "conventions-lint @ git+$REPO"' in installing
    assert 'git clone "$REPO" && pip install ./conventions-lint' in installing
    assert "`pip install conventions-lint`" in installing
    # Every command that installs it (CI examples, the language server's section) does so from the repository.
    commands = re.findall(r"^[\s-]*(?:run: )?(pip install ['\"]?conventions-lint[^#\n]*)", README, flags=re.M)
    assert len(commands) == 6
    assert [c for c in commands if "@ git+" not in c and "./conventions-lint" not in c] == []


def test_the_repository_form_installs(tmp_path) -> None:
    command = re.search(r'^pip install "conventions-lint @ git\+\$REPO"', README, flags=re.M)
    assert command is not None
    target = tmp_path / "site"
    requirement = f"conventions-lint @ git+file://localhost{ROOT.as_posix()}"  # the README's, with REPO this clone
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), requirement],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert (target / "conventions_lint" / "cli.py").is_file()


def _pre_commit_snippet() -> str:
    return re.search(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", README, flags=re.S).group(1)


def test_the_pre_commit_section_lists_the_hook_ids_with_what_they_run() -> None:
    # E5: the hook ids were found only in .pre-commit-hooks.yaml.
    rows = re.findall(r"^\| `([\w-]+)` \| `([^`]+)` \|", _section("pre-commit"), flags=re.M)
    assert rows == [(hook["id"], hook["entry"]) for hook in HOOKS]


def test_the_pre_commit_snippet_is_a_valid_configuration_of_our_hooks(tmp_path) -> None:
    snippet = _pre_commit_snippet()
    ours = [repo for repo in yaml.safe_load(snippet)["repos"] if "conventions-lint" in repo["repo"]]
    assert [hook["id"] for repo in ours for hook in repo["hooks"]] == ["conventions-lint-fix"]
    assert {hook["id"] for repo in ours for hook in repo["hooks"]} <= {hook["id"] for hook in HOOKS}
    config = write_file(tmp_path, ".pre-commit-config.yaml", snippet)
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or "pre-commit"
    validated = subprocess.run([pre_commit, "validate-config", str(config)], capture_output=True, text=True)
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_the_hooks_pass_python_files_only_as_a_walk_lints_them() -> None:
    # E1: `types_or: [python, pyi]` made pre-commit lint stubs that a CI run (a walk) skipped.
    assert [hook.get("types") for hook in HOOKS] == [["python"]] * len(HOOKS)
    assert not any("types_or" in hook for hook in HOOKS)


def test_the_asyncio_mode_default_is_documented_as_it_works() -> None:
    # E5: "defaults to pytest's asyncio_mode" held only with a [tool.conventions-lint] table, pytest.ini unread.
    configuration = _section("Configuration")
    paragraph = configuration.split("`asyncio-mode` (CL901) defaults to", 1)[1].split("\n\n", 1)[0]
    assert "whether\nor not there is a conventions-lint table" in paragraph
    for name, _ in PYTEST_FILES:
        assert f"`{name}`" in paragraph


def test_exit_2_on_standard_input_is_documented_as_it_works(tmp_path) -> None:
    # E5: "2 means ... nothing on standard output" while a dropped fix exits 2 with the buffer on standard output.
    recipe = _section("Editors").split("### On save, with the command line\n", 1)[1]
    assert "nothing on standard output" not in recipe.split("**Neovim**")[0]
    assert "holds the buffer when one fix was\ndropped" in recipe
    # The other case it names: an invalid configuration file leaves standard output empty.
    write_file(tmp_path, "pyproject.toml", "[tool.conventions-lint]\nselect = [\n")
    result = subprocess.run(
        [sys.executable, "-m", "conventions_lint", "check", "--fix", "--quiet", "--stdin-filename", "app/x.py"],
        input="x = 1\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**environment_with_repository(), "NO_COLOR": "1"},
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert os.path.basename(result.stderr.split(":")[1]) == "pyproject.toml"


def test_the_exit_code_table_lists_every_code_the_command_exits_with() -> None:
    # E3: Ctrl-C exits 130 now, which the table did not list.
    from conventions_lint import console

    table = _section("Usage").split("### Exit codes\n", 1)[1]
    listed = [int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.M)]
    assert listed == sorted(value for name, value in vars(console).items() if name.startswith("EXIT_"))


def test_the_configuration_block_lists_every_setting_with_its_default() -> None:
    # E1: `fixable` / `unfixable` worked but were written nowhere a user would look.
    from conventions_lint.config import _KEYS, _SELECTION_KEYS, tomllib  # tomli on Python 3.10
    from conventions_lint.settings import Settings

    block = re.search(r"Every key is optional; these are the defaults:\n\n```toml\n(.*?)```", README, re.S).group(1)
    listed = tomllib.loads(block)["tool"]["conventions-lint"]
    without_default = re.findall(r"^# ([\w-]+) = ", block, flags=re.M)  # shown commented out
    assert sorted([*listed, *without_default]) == sorted([*_KEYS, *_SELECTION_KEYS])
    defaults = Settings()
    for key in ("fixable", "unfixable", "cache-dir", "respect-gitignore"):
        value = tuple(listed[key]) if isinstance(listed[key], list) else listed[key]
        assert value == getattr(defaults, _KEYS[key][0]), key
