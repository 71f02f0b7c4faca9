"""Linting snippets in tests, the same way the CLI lints files."""

from __future__ import annotations

import json
import os
import re
import tempfile
import textwrap
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner, Result

from conventions_lint import __version__
from conventions_lint.cli import main
from conventions_lint.config import ConfigResolver, settings_from_section
from conventions_lint.diagnostic import Diagnostic
from conventions_lint.fixes.apply import fix_source
from conventions_lint.registry import ALL_RULES, REGISTRY, RULES_BY_CODE
from conventions_lint.runner import FixMode, lint_sources, run
from conventions_lint.settings import Selection


def lint(
    source: str, *, path: str = "app/module.py", select: tuple[str, ...] = ("CL",), **settings
) -> list[Diagnostic]:
    section = {"select": list(select), **{key.replace("_", "-"): value for key, value in settings.items()}}
    configured = settings_from_section(section, Path("/project"), "test settings")
    code = dedent_source(source)
    return lint_sources({path: code}, configured)


def found(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.start.row, d.span.start.column) for d in diagnostics]


def fix(
    source: str, *, path: str = "app/module.py", select: tuple[str, ...] = ("CL",), unsafe: bool = False, **settings
) -> str:
    """The source after `--fix` (and `--unsafe-fixes` when `unsafe`), with only `select`ed rules."""
    section = {"select": list(select), **{key.replace("_", "-"): value for key, value in settings.items()}}
    configured = settings_from_section(section, Path("/project"), "test settings")
    code = dedent_source(source)
    rules = REGISTRY.rules_for(configured, path)
    return fix_source(path, path, code.encode(), configured, rules, unsafe=unsafe).source.decode()


def dedent_source(code: str) -> str:
    """A triple-quoted snippet as `lint` and `fix` see it: dedented, without its leading newlines."""
    return textwrap.dedent(code).lstrip("\n")


def crlf_source(code: str) -> str:
    """`dedent_source(code)` with CRLF line endings."""
    return dedent_source(code).replace("\n", "\r\n")


def _toml(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(key)} = {_toml(item)}" for key, item in value.items()) + " }"
    return json.dumps(value)


@contextmanager
def project_tree(files: dict[str, str], *, select: tuple[str, ...] = ("CL",), **settings):
    """A project on disk with `files` and its pyproject.toml; the working directory is its root."""
    section = {"select": list(select), **{key.replace("_", "-"): value for key, value in settings.items()}}
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "pyproject.toml").write_text(
            "[tool.conventions-lint]\n" + "".join(f"{key} = {_toml(value)}\n" for key, value in section.items())
        )
        for path, code in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(dedent_source(code))
        previous = os.getcwd()
        os.chdir(root)
        try:
            yield root
        finally:
            os.chdir(previous)


def run_tree(root: Path, paths: list[str] | None = None, **fix_mode):
    """`conventions-lint check` (with `FixMode` options) over a project_tree."""
    resolver = ConfigResolver(config_file=None, isolated=False, overrides=Selection())
    return run([Path(p) for p in paths or ["."]], resolver, fix_mode=FixMode(**fix_mode))


def read_tree(root: Path, paths) -> dict[str, str]:
    return {path: (root / path).read_text() for path in paths}


def cli_runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout, as the tests read them apart: click 8.2 always
    does, click 8.1 (which Fixit, of the `bench` extra, holds the environment at) only when asked."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click 8.2 removed the option
        return CliRunner()


def lint_messages(source: str, code: str, **options) -> list[str]:
    """The messages of `code`'s findings in `source` (linted with `lint`'s `options`)."""
    return [d.message for d in lint(source, select=(code,), **options)]


MODEL_FILE = "app/models/user.py"


def lint_model_file(source: str, *, select: tuple[str, ...] = ("CL104",), path: str = MODEL_FILE) -> list[Diagnostic]:
    """Lint a models module, with the timestamp rule (CL104) unless `select` says otherwise."""
    return lint(source, path=path, select=select)


def fix_model_file(source: str, *, select: tuple[str, ...] = ("CL104",), unsafe: bool = True) -> str:
    """A models module after `--fix --unsafe-fixes` (unless not `unsafe`), with the timestamp rule by default."""
    return fix(source, path=MODEL_FILE, select=select, unsafe=unsafe)


def mapped_class(imports: str, *columns: str) -> str:
    """A mapped class; its first column is on line 6 + the number of import lines."""
    body = "".join(f"    {column}\n" for column in columns)
    return f'{imports}\n\n\nclass User(Base):\n    __tablename__ = "users"\n\n{body}'


def first_column_row(imports: str) -> int:
    """The line of `mapped_class(imports, ...)`'s first column."""
    return 7 + imports.count("\n")


def lint_identifier_rules(source: str, *, path: str = MODEL_FILE) -> list[Diagnostic]:
    """Lint with the integer identifier rules (CL2)."""
    return lint(source, path=path, select=("CL2",))


def lint_relationship_rules(source: str, *codes: str) -> list[Diagnostic]:
    """Lint a models module with the relationship rules `codes`, CL101-CL103 when none are given."""
    return lint(source, path="app/models/post.py", select=codes or ("CL101", "CL102", "CL103"))


# Reading the CI output formats back: tests/test_output_formats.py and tests/test_output_options.py ------

ANNOTATION = re.compile(r"^::error (?P<properties>[^:]*)::(?P<message>.*)$")


def unescape_annotation(text: str) -> str:
    for escaped, char in (("%3A", ":"), ("%2C", ","), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def github_annotations(text: str) -> list[tuple[dict[str, str], str]]:
    found = []
    for line in text.splitlines():
        match = ANNOTATION.match(line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match["properties"].split(","))
        found.append(
            (
                {key: unescape_annotation(value) for key, value in properties.items()},
                unescape_annotation(match["message"]),
            )
        )
    return found


def check_sarif_structure(log: dict) -> None:
    """The fields SARIF 2.1.0 requires, and those this format promises, checked by hand."""
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("conventions-lint", __version__)
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in ALL_RULES]
    for descriptor in rules:
        rule = RULES_BY_CODE[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] and "\n" not in descriptor["shortDescription"]["text"]
        assert descriptor["fullDescription"]["text"] == rule.documentation()
        assert descriptor["help"] == {"text": rule.documentation(), "markdown": rule.documentation()}
        # There is no hosted documentation to point to.
        assert "helpUri" not in descriptor
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"none", "note", "warning", "error"}
        assert isinstance(result["message"]["text"], str)
        for location in result["locations"]:
            physical = location["physicalLocation"]
            assert not physical["artifactLocation"]["uri"].startswith("/")
            region = physical["region"]
            assert 1 <= region["startLine"] <= region["endLine"] and region["startColumn"] >= 1
        for fix in result.get("fixes", []):
            assert fix["artifactChanges"]
            for change in fix["artifactChanges"]:
                assert change["artifactLocation"]["uri"] and change["replacements"]
                for replacement in change["replacements"]:
                    assert set(replacement["deletedRegion"]) == {"startLine", "startColumn", "endLine", "endColumn"}
                    assert isinstance(replacement["insertedContent"]["text"], str)


# Bad input through the command line: tests/test_bad_input.py, test_bad_config.py and test_fix_writes.py --
# Each test puts something bad beside a good file (`GOOD`, holding `MODEL`, with one fixable finding) in the
# project `bad_input_project` makes (each of those modules has it as its `project` fixture).

MODEL = (
    "from sqlalchemy.orm import relationship\n"
    "\n"
    "\n"
    "class Post(Base):\n"
    '    __tablename__ = "posts"\n'
    "    author = relationship(User)\n"
)
FIXED = MODEL.replace("relationship(User)", 'relationship("User")')
GOOD = "app/models/post.py"
FINDING = '6:27: CL102 [*] Pass the class name as a string: `relationship("User")`'
REPOSITORY = Path(__file__).resolve().parents[1]


def check(*args: str, verbose: bool = False) -> Result:
    result = cli_runner().invoke(main, ["check", "--no-cache", *args, *(["--verbose"] if verbose else [])])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    if not verbose:
        assert "Traceback" not in result.output
    return result


def write_file(root: Path, relative: str, data: bytes | str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def file_snapshot(root: Path) -> dict[str, bytes]:
    # Not Path.read_bytes, which a test makes fail.
    return {
        p.relative_to(root).as_posix(): open(p, "rb").read()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.name != "pyproject.toml"
    }


def environment_with_repository() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPOSITORY)}


def bad_input_project(tmp_path: Path, monkeypatch) -> Path:
    """The good file `GOOD` in a project selecting CL001, CL002 and CL102, made the working directory."""
    (tmp_path / "pyproject.toml").write_text('[tool.conventions-lint]\nselect = ["CL001", "CL002", "CL102"]\n')
    (tmp_path / "app" / "models").mkdir(parents=True)
    (tmp_path / GOOD).write_text(MODEL)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# The head of a routes module, for the route rules' tests (CL3xx, CL601).
ROUTER = """
from fastapi import APIRouter, status

router = APIRouter()
"""
