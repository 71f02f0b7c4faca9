"""Configuration as a ruff user reaches for it (ecosystem.md E1, noise.md N6): standalone conventions-lint.toml
files and their precedence, `extend` for a shared base, `--config KEY=VALUE`, `--show-settings`, a warning for a
selection that can never fire, and CL901's default from pytest's own configuration file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conventions_lint.config import ConfigError, ConfigResolver
from conventions_lint.settings import Selection
from tests.bad_input import check, write_file

ASYNC_TEST = "async def test_users():\n    ...\n"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "violating"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _settings(directory: Path, **options):
    resolver = ConfigResolver(config_file=None, isolated=False, overrides=Selection(), **options)
    return resolver.for_directory(directory)


def test_a_standalone_file_holds_the_keys_without_a_table_prefix(project) -> None:
    # E1: conventions-lint.toml and .conventions-lint.toml were silently ignored.
    write_file(project, "conventions-lint.toml", 'select = ["CL901"]\nstring-length = 80\n')
    write_file(project, "tests/test_users.py", ASYNC_TEST)
    assert _settings(project / "tests").string_length == 80
    result = check("tests")
    assert result.stdout.splitlines()[0].startswith("tests/test_users.py:1:11: CL901 ")


def test_in_one_directory_the_dot_file_beats_the_plain_one_which_beats_pyproject(project) -> None:
    # ruff's order: .ruff.toml, ruff.toml, pyproject.toml.
    write_file(project, "pyproject.toml", "[tool.conventions-lint]\nstring-length = 1\n")
    assert _settings(project).string_length == 1
    write_file(project, "conventions-lint.toml", "string-length = 2\n")
    assert _settings(project).string_length == 2
    write_file(project, ".conventions-lint.toml", "string-length = 3\n")
    assert _settings(project).string_length == 3


def test_a_nearer_directorys_file_wins_whatever_its_kind(project) -> None:
    write_file(project, ".conventions-lint.toml", "string-length = 3\n")
    write_file(project, "app/pyproject.toml", "[tool.conventions-lint]\nstring-length = 4\n")
    assert _settings(project / "app").string_length == 4


@pytest.mark.parametrize("name", ["conventions-lint.toml", ".conventions-lint.toml"])
def test_a_standalone_file_makes_a_project_whose_other_files_count(project, name) -> None:
    # Only a pyproject.toml made a project: with a standalone file, a run that names one file (pre-commit) read none
    # of the others, so the whole-project rules judged it alone (CL801, CL103 vanished).
    shutil.copytree(EXAMPLE, project / "blog")
    with_pyproject = check("blog/app/models/posts.py").stdout
    assert " CL801 " in with_pyproject and " CL103 " in with_pyproject
    (project / "blog/pyproject.toml").unlink()
    write_file(project / "blog", name, "")
    assert check("blog/app/models/posts.py").stdout == with_pyproject


def test_extend_builds_on_a_shared_base(project) -> None:
    # E1: `extend = "../shared.toml"` was an unknown key (the error even suggested `extend-select`).
    write_file(
        project,
        "shared/base.toml",
        'select = ["CL1", "CL4"]\nextend-exclude = ["generated"]\nstring-length = 100\n[roles]\nmodels = ["**/orm/**"]\n',
    )
    write_file(
        project,
        "service/pyproject.toml",
        '[tool.conventions-lint]\nextend = "../shared/base.toml"\nignore = ["CL401"]\nextend-exclude = ["legacy"]\n',
    )
    settings = _settings(project / "service")
    assert settings.root == (project / "service").resolve()
    assert settings.string_length == 100
    assert settings.extend_exclude == ("generated", "legacy")
    assert dict(settings.roles)["models"] == ("**/orm/**",)
    assert dict(settings.roles)["schemas"] == ("**/schemas/**", "**/schemas.py")
    from conventions_lint.registry import REGISTRY

    codes = REGISTRY.enabled_codes(settings)
    assert "CL101" in codes and "CL402" in codes and "CL401" not in codes and "CL501" not in codes


def test_extend_chains_and_cycles(project) -> None:
    write_file(project, "a.toml", 'extend = "b.toml"\n')
    write_file(project, "b.toml", 'extend = "c.toml"\n')
    write_file(project, "c.toml", "string-length = 9\n")
    write_file(project, "conventions-lint.toml", 'extend = "a.toml"\n')
    assert _settings(project).string_length == 9
    write_file(project, "c.toml", 'extend = "a.toml"\n')
    with pytest.raises(ConfigError, match=r"`extend` makes a cycle: .*a\.toml -> .*b\.toml -> .*c\.toml -> .*a\.toml"):
        _settings(project)
    write_file(project, "conventions-lint.toml", 'extend = "missing.toml"\n')
    result = check(".")
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {project / 'conventions-lint.toml'}: `extend`: no such file 'missing.toml'\n",
    )


def test_config_key_value_overrides_every_configuration(project) -> None:
    # E1: no `--config KEY=VALUE`.
    write_file(project, "pyproject.toml", '[tool.conventions-lint]\nselect = ["CL901"]\n')
    write_file(project, "tests/test_users.py", ASYNC_TEST)
    assert check("tests").exit_code == 1
    assert check("--config", 'asyncio-mode = "auto"', "tests").stdout == "All checks passed!\n"
    assert check("--config", "select = ['CL4']", "tests").stdout == "All checks passed!\n"
    assert check("--isolated", "--config", "select = ['CL901']", "tests").exit_code == 1
    bad = check("--config", "string-lenght = 7", "tests")
    assert (bad.exit_code, bad.stderr) == (
        2,
        "error: --config: unknown setting `string-lenght` (did you mean 'string-length'?)\n",
    )
    broken = check("--config", "select = [", "tests")
    assert broken.stderr.startswith("error: --config: 'select = [' is neither a configuration file nor a TOML")


def test_config_path_takes_a_standalone_file_too(project) -> None:
    write_file(project, "ci/lint.toml", 'select = ["CL901"]\n')
    write_file(project, "tests/test_users.py", ASYNC_TEST)
    assert check("--config", "ci/lint.toml", "tests").exit_code == 1
    assert check("--config", "ci/lint.toml", "--config", "select=[]", "tests").exit_code == 0


def test_show_settings_prints_the_resolved_settings_of_a_file(project) -> None:
    # E1: no `--show-settings`.
    write_file(project, "shared.toml", "string-length = 64\n")
    write_file(project, "pyproject.toml", '[tool.conventions-lint]\nextend = "shared.toml"\nselect = ["CL4"]\n')
    write_file(project, "app/models.py", "x = 1\n")
    result = check("--show-settings", "--per-file-ignores", "app/*:CL402", "app/models.py")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[:3] == [
        "Resolved settings for: app/models.py",
        "Settings path: pyproject.toml",
        "Rules that run on it (3): CL401, CL403, CL404",
    ]
    assert 'enabled-codes = ["CL401", "CL402", "CL403", "CL404"]' in lines
    assert "string-length = 64" in lines
    assert 'per-file-ignores = { "app/*" = ["CL402"] }' in lines


def test_a_selection_that_can_never_fire_warns(project) -> None:
    # E1: `--select CL2` with `id-type = "int"` reported nothing, silently.
    write_file(project, "pyproject.toml", '[tool.conventions-lint]\nid-type = "int"\n')
    write_file(project, "app/models.py", "x = 1\n")
    result = check("--select", "CL2", "app")
    assert result.stderr == 'warning: select `CL2` enables no rule: `id-type = "int"` turns every CL2 rule off\n'
    assert check("--select", "CL201,CL4", "app").stderr.startswith("warning: select `CL201` enables no rule")
    assert check("--select", "CL4", "--ignore", "CL4", "app").stderr == (
        "warning: select `CL4` enables no rule: an `ignore` at least as specific turns them off\n"
    )
    assert check("--select", "CL4", "app").stderr == ""


PYTEST_FILES = {
    "pytest.ini": "[pytest]\nasyncio_mode = auto\n",
    ".pytest.ini": "[pytest]\nasyncio_mode = auto\n",
    "setup.cfg": "[metadata]\nname = x\n\n[tool:pytest]\nasyncio_mode = auto\n",
    "tox.ini": "[tox]\nenvlist = py312\n\n[pytest]\nasyncio_mode = auto\n",
    "pyproject.toml": '[project]\nname = "x"\n\n[tool.pytest.ini_options]\nasyncio_mode = "auto"\n',
}


@pytest.mark.parametrize("name", sorted(PYTEST_FILES))
@pytest.mark.parametrize("own_table", [False, True], ids=["without-our-table", "with-our-table"])
def test_cl901_follows_pytests_asyncio_mode_wherever_pytest_reads_it(project, name, own_table) -> None:
    # noise.md N6, ecosystem.md E5: pytest.ini, setup.cfg and tox.ini were never read, and pyproject.toml only with
    # a [tool.conventions-lint] table: every async test was flagged and the safe fix decorated them all.
    write_file(project, name, PYTEST_FILES[name])
    if own_table:
        with (project / "pyproject.toml").open("a") as pyproject:
            pyproject.write('\n[tool.conventions-lint]\nselect = ["CL901"]\n')
    write_file(project, "tests/test_users.py", ASYNC_TEST)
    assert check("--select", "CL901", "tests").stdout == "All checks passed!\n"


def test_an_explicit_asyncio_mode_beats_pytests(project) -> None:
    write_file(project, "pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    write_file(project, "pyproject.toml", '[tool.conventions-lint]\nasyncio-mode = "strict"\n')
    assert _settings(project).asyncio_mode == "strict"
    assert _settings(project, config_overrides={"asyncio-mode": "strict"}).asyncio_mode == "strict"


def test_the_nearest_pytest_configuration_is_the_one_pytest_reads(project) -> None:
    # A pytest.ini counts even without asyncio_mode, and shadows the pyproject.toml above it (pytest's rule).
    write_file(project, "pyproject.toml", '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n')
    write_file(project, "inner/pytest.ini", "[pytest]\naddopts = -q\n")
    write_file(project, "other/tox.ini", "[tox]\nenvlist = py312\n")  # no [pytest]: not pytest's
    assert _settings(project).asyncio_mode == "auto"
    assert _settings(project / "inner").asyncio_mode == "strict"
    assert _settings(project / "other").asyncio_mode == "auto"
