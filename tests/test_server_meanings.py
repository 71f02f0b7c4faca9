"""After a saved file changes the language server's model, only the files whose recorded uses reach it are
compared under the old model and the new: for every file of the example projects, and changes to it that
alter what it defines and imports, the files found changed are those every file's comparison finds (the
old behaviour, with models built afresh), rebuild after rebuild."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conventions_lint.config import settings_from_section
from conventions_lint.project_model.build import RunModels, build_model, summarize_source
from conventions_lint.server.linting import Linter
from conventions_lint.server.options import Options
from conventions_lint.settings import Settings
from tests.test_server_model import ENTITY_MAPPED, _blog, vocabularies_worked_out

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _emptied(text: str) -> str:
    return ""


def _without_bases(text: str) -> str:
    return re.sub(r"^class (\w+)\([^)]*\):", r"class \1:", text, flags=re.M)


def _without_first_import(text: str) -> str:
    return re.sub(r"^(from \S+ import [^(\n]+|import [^\n]+)\n", "", text, count=1, flags=re.M)


def _with_a_mapped_class(text: str) -> str:
    return text + "\n\nclass Added(Base):\n    __tablename__ = 'added'\n"


def _functions_renamed(text: str) -> str:
    return re.sub(r"^(async def|def) (\w+)\(", r"\1 \2_renamed(", text, flags=re.M)


CHANGES = (_emptied, _without_bases, _without_first_import, _with_a_mapped_class, _functions_renamed)


def _fresh(settings: Settings, sources: dict[str, bytes]) -> RunModels:
    """The models as the server's rebuild made them before: from the summaries alone, nothing carried over."""
    return RunModels(models={settings.root: build_model(sources, settings)})


def _changed_everywhere(settings: Settings, before: RunModels, after: RunModels, paths: list[str]) -> set[str]:
    return {
        path for path in paths if after.vocabulary(settings, path).digest != before.vocabulary(settings, path).digest
    }


def _changed_where_used(settings: Settings, before: RunModels, after: RunModels, paths: list[str]) -> set[str]:
    return {path for path in paths if after.changed_from(before, settings, path)}


def _check_project(settings: Settings, original: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """Every change to every file of the project, and back: (changes that alter another file's vocabulary,
    the files whose vocabulary the new model did not work out again to compare)."""
    paths = sorted(original)
    reference = _fresh(settings, original)
    worked_out = vocabularies_worked_out(monkeypatch)
    altering = left_out = 0
    for changed in paths:
        others = [path for path in paths if path != changed]
        text = original[changed].decode()
        for change in CHANGES:
            edited = change(text).encode()
            if summarize_source(edited) == summarize_source(original[changed]):
                continue
            # As the server holds it after its first rebuild: every file's vocabulary worked out.
            before = _fresh(settings, original)
            for path in paths:
                before.vocabulary(settings, path)
            after = before.with_files(settings, {changed: edited})
            assert after is not None
            expected = _changed_everywhere(settings, reference, _fresh(settings, {**original, changed: edited}), others)
            worked_out.clear()
            found = _changed_where_used(settings, before, after, others)
            assert (changed, change.__name__, found) == (changed, change.__name__, expected)
            left_out += len(others) - len(worked_out)
            # And back, from the model the first rebuild made.
            back = after.with_files(settings, {changed: original[changed]})
            assert back is not None
            assert _changed_where_used(settings, after, back, others) == expected
            altering += bool(expected)
    return altering, left_out


def _check_directory(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    paths = sorted(path.relative_to(project).as_posix() for path in project.rglob("*.py"))
    settings = Linter([project], Options()).target((project / paths[0]).as_uri()).settings
    return _check_project(settings, {path: (project / path).read_bytes() for path in paths}, monkeypatch)


@pytest.mark.parametrize("name", ["violating", "clean", "shop-violating", "shop-clean"])
def test_the_files_compared_after_a_rebuild_find_what_comparing_every_file_finds(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    altering, left_out = _check_directory(EXAMPLES / name, monkeypatch)
    # Not vacuous: changes reach other files, and files are left out of the comparison.
    assert altering > 0 and left_out > 0


def test_a_redefined_declarative_base_is_found_where_it_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _blog(tmp_path)
    (project / "app/db/entity.py").write_text(ENTITY_MAPPED)
    altering, left_out = _check_directory(project, monkeypatch)
    assert altering > 0 and left_out > 0


# What a rename may follow from a file changes with the routes of a module it imports in a function, though
# none of its names stands for anything there; what other files import of a module, with their imports.
FOLLOWING = {
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/cases.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get('/cases')\nasync def list_cases():\n    return []\n",
    "app/api/users.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get('/users')\nasync def list_users():\n    return []\n",
    "app/jobs.py": "def run():\n    from app.api.cases import list_cases\n\n    return list_cases\n",
    "app/main.py": "import app.api\n\n\ndef routes():\n    return app.api\n",
    "app/tools.py": "from app.api import users\n",
}


def test_what_the_whole_project_says_of_a_file_is_compared_wherever_it_may_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = settings_from_section({"select": ["CL"]}, Path("/project"), "test settings")
    original = {path: text.encode() for path, text in FOLLOWING.items()}
    altering, left_out = _check_project(settings, original, monkeypatch)
    assert altering > 0 and left_out > 0
