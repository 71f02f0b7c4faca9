"""`[tool.conventions-lint]`: rule selection, validation of every key, and which pyproject.toml applies."""

from __future__ import annotations

from pathlib import Path

import pytest

from conventions_lint.config import (
    ConfigError,
    ConfigResolver,
    read_section,
    settings_from_section,
    validate_codes,
)
from conventions_lint.diagnostic import Applicability
from conventions_lint.registry import REGISTRY, Registry
from conventions_lint.settings import Selection, Settings


def _fake_rule(code: str, default_enabled: bool = True) -> type:
    return type(f"Fake{code}", (), {"code": code, "default_enabled": default_enabled})


@pytest.fixture
def catalogue() -> Registry:
    """A fixed set of codes, so selection results do not move as rules are added."""
    rules = tuple(_fake_rule(code) for code in ("CL001", "CL002", "CL101", "CL102", "CL501", "CL502"))
    return Registry((*rules, _fake_rule("CL901", default_enabled=False)))


DEFAULTS = {"CL001", "CL002", "CL101", "CL102", "CL501", "CL502"}


def _layer(**selectors) -> Selection:
    return Selection(**{key: tuple(value) if value is not None else None for key, value in selectors.items()})


@pytest.mark.parametrize(
    ("selectors", "expected"),
    [
        ({}, DEFAULTS),
        ({"select": ["CL1"]}, {"CL101", "CL102"}),
        ({"select": ["CL"]}, DEFAULTS | {"CL901"}),  # a prefix also picks rules that are off by default
        ({"select": ["ALL"]}, DEFAULTS | {"CL901"}),
        ({"select": []}, set()),
        ({"select": ["ALL"], "ignore": ["CL"]}, set()),  # ALL is the least specific selector
        ({"select": ["CL101"], "ignore": ["CL1"]}, {"CL101"}),  # the more specific selector wins
        ({"select": ["CL1"], "ignore": ["CL101"]}, {"CL102"}),
        ({"select": ["CL1"], "ignore": ["CL1"]}, set()),  # a tie goes to ignore
        ({"extend_select": ["CL901"]}, DEFAULTS | {"CL901"}),
        ({"ignore": ["CL0"]}, DEFAULTS - {"CL001", "CL002"}),
        ({"ignore": ["ALL"], "extend_select": ["CL5"]}, {"CL501", "CL502"}),
    ],
)
def test_one_layer_of_selectors(catalogue, selectors, expected) -> None:
    assert catalogue.codes(_layer(**selectors)) == expected


@pytest.mark.parametrize(
    ("file", "command_line", "expected"),
    [
        ({"select": ["CL1"]}, {"extend_select": ["CL501"]}, {"CL101", "CL102", "CL501"}),
        ({"select": ["CL1"]}, {"ignore": ["CL102"]}, {"CL101"}),
        # As in ruff, `--select` starts again: the file's ignore and extend-select no longer apply.
        ({"ignore": ["CL102"]}, {"select": ["CL1"]}, {"CL101", "CL102"}),
        ({"extend_select": ["CL901"]}, {"select": ["CL001"]}, {"CL001"}),
        # A later layer re-enables what an earlier one ignored.
        ({"ignore": ["CL1"]}, {"extend_select": ["CL101"]}, DEFAULTS - {"CL102"}),
        ({"select": ["CL5"]}, {}, {"CL501", "CL502"}),
    ],
)
def test_command_line_layer_applies_on_top_of_the_file(catalogue, file, command_line, expected) -> None:
    assert catalogue.codes(_layer(**file).then(_layer(**command_line))) == expected


def test_codes_are_normalised_and_validated(catalogue) -> None:
    assert validate_codes(["cl101", " CL1 ", "ALL", "all", "CL"], "--select", catalogue) == (
        "CL101",
        "CL1",
        "ALL",
        "ALL",
        "CL",
    )


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ("CL1O2", "--select: unknown rule code 'CL1O2' (did you mean 'CL102'?)"),
        ("CL103", "--select: unknown rule code 'CL103' (did you mean 'CL101'?)"),  # a tie: the first in order
        ("CL9011", "--select: unknown rule code 'CL9011' (did you mean 'CL901'?)"),
        ("CL9999", "--select: unknown rule code 'CL9999'"),
        ("E501", "--select: unknown rule code 'E501' (did you mean 'CL501'?)"),
        ("F401", "--select: unknown rule code 'F401'"),
        ("", "--select: unknown rule code ''"),
        (101, "--select: expected rule codes, got 101"),
    ],
)
def test_unknown_codes_are_named_with_the_closest_match(catalogue, selector, message) -> None:
    with pytest.raises(ConfigError) as raised:
        validate_codes([selector], "--select", catalogue)
    assert str(raised.value) == message


def _settings(section: dict) -> Settings:
    return settings_from_section(section, Path("/project"), "pyproject.toml")


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"selec": ["CL"]}, "unknown setting `selec` (did you mean 'select'?)"),
        ({"extend_exclude": []}, "unknown setting `extend_exclude` (did you mean 'extend-exclude'?)"),
        ({"colour": True}, "unknown setting `colour`"),
        ({"select": "CL001"}, "`select` must be a list of rule codes"),
        ({"ignore": ["CL0O1"]}, "`ignore`: unknown rule code 'CL0O1' (did you mean 'CL001'?)"),
        ({"string-length": "255"}, "`string-length` must be an integer, got '255'"),
        ({"string-length": True}, "`string-length` must be an integer, got True"),
        ({"string-length": 0}, "`string-length` must be a positive integer"),
        ({"max-file-bytes": -1}, "`max-file-bytes` must be a number of bytes, or 0 for no limit"),
        ({"force-exclude": "yes"}, "`force-exclude` must be true or false, got 'yes'"),
        ({"exclude": "build"}, "`exclude` must be a list, got 'build'"),
        ({"exclude": ["build", 3]}, "`exclude` must be a list of strings"),
        ({"extend-exclude": ["[oops"]}, "`extend-exclude`: unclosed '[' in glob '[oops'"),
        (
            {"output-format": "xml"},
            "`output-format` must be one of concise, full, json, json-lines, grouped, github, gitlab, junit, sarif",
        ),
        ({"per-file-ignores": []}, "`per-file-ignores` must be a table, got []"),
        ({"per-file-ignores": {"tests/*": "CL001"}}, "`per-file-ignores` 'tests/*' must be a list, got 'CL001'"),
        (
            {"per-file-ignores": {"tests/*": ["CL5O2"]}},
            "`per-file-ignores` 'tests/*': unknown rule code 'CL5O2' (did you mean 'CL502'?)",
        ),
        ({"per-file-ignores": {"[x": ["CL001"]}}, "`per-file-ignores`: unclosed '[' in glob '[x'"),
        ({"roles": {"model": ["db/**"]}}, "unknown role `model` (did you mean 'models'?)"),
        ({"roles": {"models": "db/**"}}, "`roles.models` must be a list, got 'db/**'"),
        ({"fix": "yes"}, "`fix` must be true or false, got 'yes'"),
        ({"cache-dir": 1}, "`cache-dir` must be a string, got 1"),
    ],
)
def test_bad_settings_are_named(section, message) -> None:
    with pytest.raises(ConfigError) as raised:
        _settings(section)
    assert str(raised.value) == f"pyproject.toml: {message}"


def test_cache_dir_is_read() -> None:
    assert _settings({"cache-dir": ".cache"}).cache_dir == ".cache"


def test_fix_settings_are_read_and_extend_safe_fixes_adjusts_applicability() -> None:
    settings = _settings(
        {"fix": True, "unsafe-fixes": True, "extend-safe-fixes": ["CL4"], "extend-unsafe-fixes": ["CL401"]}
    )
    assert (settings.fix, settings.unsafe_fixes) == (True, True)
    assert settings.applicability("CL401", Applicability.SAFE) is Applicability.UNSAFE
    assert settings.applicability("CL402", Applicability.UNSAFE) is Applicability.SAFE
    assert settings.applicability("CL101", Applicability.UNSAFE) is Applicability.UNSAFE


def test_values_are_read_into_settings() -> None:
    settings = _settings(
        {
            "string-length": 100,
            "max-file-bytes": 0,
            "extend-exclude": ["legacy/**"],
            "force-exclude": True,
            "output-format": "json",
            "schema-suffixes": ["In", "Out"],
            "per-file-ignores": {"tests/*": ["CL0"]},
        }
    )
    assert settings.root == Path("/project")
    assert settings.string_length == 100
    assert settings.max_file_bytes == 0 and not settings.is_too_large(10**9)
    assert settings.extend_exclude == ("legacy/**",)
    assert settings.force_exclude is True
    assert settings.output_format == "json"
    assert settings.schema_suffixes == ("In", "Out")
    assert settings.per_file_ignores == (("tests/*", ("CL0",)),)


def test_per_file_ignores_take_prefixes_and_all(catalogue) -> None:
    settings = _settings(
        {
            "select": ["CL"],
            "per-file-ignores": {"tests/**": ["CL5"], "legacy.py": ["ALL"], "app/models/*.py": ["cl101"]},
        }
    )

    def codes(path: str) -> set[str]:
        return {rule.code for rule in catalogue.rules_for(settings, path)}

    everything = DEFAULTS | {"CL901"}
    assert codes("app/service.py") == everything
    assert codes("tests/unit/test_user.py") == everything - {"CL501", "CL502"}
    assert codes("app/legacy.py") == set()  # a pattern without `/` matches any component
    assert codes("app/models/user.py") == everything - {"CL101"}
    assert codes("app/models/sub/user.py") == everything


def test_roles_default_and_replace_only_the_roles_given() -> None:
    default = _settings({})
    assert default.roles_of("app/models/user.py") == {"models"}
    assert default.roles_of("app/user_service.py") == {"services"}
    assert default.roles_of("app/api/routers/users.py") == {"endpoints"}
    assert default.roles_of("db/migrations/versions/0001_init.py") == {"migrations"}
    assert default.roles_of("tests/models/test_user.py") == {"models", "tests"}
    assert default.roles_of("app/main.py") == set()
    custom = _settings({"roles": {"models": ["app/db/*.py"]}})
    assert custom.roles_of("app/db/user.py") == {"models"}
    assert custom.roles_of("app/models/user.py") == set()
    assert custom.roles_of("app/schemas/user.py") == {"schemas"}


@pytest.mark.parametrize(
    ("section", "path", "excluded"),
    [
        ({}, "build", True),
        ({}, ".venv", True),
        ({}, "app/node_modules", True),
        ({}, "conventions_lint.egg-info", True),
        ({}, "app/build.py", False),
        # Without `/` a pattern is matched against the last component only: the walk prunes directories.
        ({}, "build/app/models.py", False),
        ({"extend-exclude": ["legacy"]}, "app/legacy", True),
        ({"extend-exclude": ["app/legacy"]}, "app/legacy", True),
        ({"extend-exclude": ["app/legacy"]}, "lib/app/legacy", False),
        ({"extend-exclude": ["**/generated_*.py"]}, "app/db/generated_models.py", True),
        ({"extend-exclude": ["legacy/"]}, "legacy", True),
        ({"exclude": ["legacy"]}, "build", False),  # `exclude` replaces the defaults
        ({"exclude": ["legacy"]}, "legacy", True),
    ],
)
def test_exclusion_of_one_path(section, path, excluded) -> None:
    assert _settings(section).is_excluded(path) is excluded


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_invalid_toml_names_the_file_line_and_column(tmp_path) -> None:
    pyproject = _write(tmp_path / "pyproject.toml", '[tool.conventions-lint]\nselect = ["CL001"\nignore = []\n')
    with pytest.raises(ConfigError) as raised:
        read_section(pyproject)
    assert str(raised.value) == f"{pyproject}: invalid TOML: Unclosed array (at line 3, column 1)"


def test_section_shapes(tmp_path) -> None:
    assert read_section(_write(tmp_path / "a.toml", '[tool.ruff]\nselect = ["E"]\n')) is None
    assert read_section(_write(tmp_path / "b.toml", "[tool.conventions-lint]\n")) == {}
    not_a_table = _write(tmp_path / "c.toml", '[tool]\nconventions-lint = "on"\n')
    with pytest.raises(ConfigError, match=r"c\.toml: \[tool\.conventions-lint\] must be a table$"):
        read_section(not_a_table)
    with pytest.raises(ConfigError, match=r"missing\.toml: cannot read configuration: No such file or directory$"):
        read_section(tmp_path / "missing.toml")


def _resolver(**options) -> ConfigResolver:
    options.setdefault("config_file", None)
    options.setdefault("isolated", False)
    options.setdefault("overrides", Selection())
    return ConfigResolver(**options)


def test_nearest_pyproject_with_a_section_applies(tmp_path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.conventions-lint]\nstring-length = 10\n")
    _write(tmp_path / "app" / "pyproject.toml", "[project]\nname = 'app'\n")  # no section: looked past
    _write(tmp_path / "app" / "inner" / "pyproject.toml", "[tool.conventions-lint]\nstring-length = 20\n")
    (tmp_path / "app" / "inner" / "deeper").mkdir()
    resolver = _resolver()
    outer = resolver.for_directory(tmp_path / "app")
    assert (outer.root, outer.string_length) == (tmp_path.resolve(), 10)
    inner = resolver.for_directory(tmp_path / "app" / "inner" / "deeper")
    assert (inner.root, inner.string_length) == ((tmp_path / "app" / "inner").resolve(), 20)


def test_without_any_configuration_the_working_directory_is_the_root(tmp_path, monkeypatch) -> None:
    (tmp_path / "app").mkdir()
    monkeypatch.chdir(tmp_path)
    settings = _resolver().for_directory(tmp_path / "app")
    assert settings.root == tmp_path
    assert settings.string_length == 255


def test_config_option_applies_to_every_directory(tmp_path) -> None:
    chosen = _write(tmp_path / "conf" / "pyproject.toml", "[tool.conventions-lint]\nstring-length = 30\n")
    _write(tmp_path / "app" / "pyproject.toml", "[tool.conventions-lint]\nstring-length = 40\n")
    settings = _resolver(config_file=chosen).for_directory(tmp_path / "app")
    assert (settings.root, settings.string_length) == ((tmp_path / "conf").resolve(), 30)


def test_config_option_needs_the_section(tmp_path) -> None:
    chosen = _write(tmp_path / "pyproject.toml", "[tool.ruff]\n")
    with pytest.raises(ConfigError) as raised:
        _resolver(config_file=chosen)
    assert str(raised.value) == f"{chosen}: no [tool.conventions-lint] section"


def test_isolated_reads_no_file_at_all(tmp_path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.conventions-lint\n")
    assert _resolver(isolated=True).for_directory(tmp_path).string_length == 255


def test_a_broken_pyproject_is_an_error_when_reached(tmp_path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.conventions-lint]\nselect = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        _resolver().for_directory(tmp_path)


def test_command_line_selection_overrides_each_file(catalogue, tmp_path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.conventions-lint]\nselect = ["CL1"]\n')
    resolver = _resolver(overrides=Selection(ignore=("CL102",)))
    assert catalogue.enabled_codes(resolver.for_directory(tmp_path)) == {"CL101"}


def test_relative_paths_are_below_the_root_then_the_working_directory(tmp_path, monkeypatch) -> None:
    _write(tmp_path / "project" / "pyproject.toml", "[tool.conventions-lint]\n")
    (tmp_path / "project" / "app").mkdir()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    resolver = _resolver()
    settings = resolver.for_directory(tmp_path / "project")
    assert resolver.relative_path(settings, Path("project/app/models.py")) == "app/models.py"
    assert resolver.relative_path(settings, Path("elsewhere/models.py")) == "elsewhere/models.py"
    outside = Path("/definitely/not/here.py")
    assert resolver.relative_path(settings, outside) == "/definitely/not/here.py"


def test_integer_ids_turn_the_uuid_rules_off_however_selected() -> None:
    settings = _settings({"id-type": "int", "select": ["ALL"]})
    assert not any(code.startswith("CL2") for code in REGISTRY.enabled_codes(settings))
    assert "CL101" in REGISTRY.enabled_codes(settings)
    assert any(code.startswith("CL2") for code in REGISTRY.enabled_codes(_settings({"select": ["ALL"]})))
    with pytest.raises(ConfigError, match="`id-type` must be one of uuid, int, got 'bigint'"):
        _settings({"id-type": "bigint"})
