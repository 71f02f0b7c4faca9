"""After a saved file changes the language server's model, only the files whose recorded uses reach it are
compared under the old model and the new: for every file of the example projects, and changes to it that
alter what it defines and imports, the files found changed are those every file's comparison finds (the
old behaviour, with models built afresh), rebuild after rebuild."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conventions_lint.project_model.build import RunModels, build_model, summarize_source
from conventions_lint.server.linting import Linter
from conventions_lint.server.options import Options
from conventions_lint.settings import Settings
from tests.test_server_model import ENTITY_MAPPED, _blog

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _emptied(text: str) -> str:
    return ""


def _without_bases(text: str) -> str:
    return re.sub(r"^class (\w+)\([^)]*\):", r"class \1:", text, flags=re.M)


def _without_first_import(text: str) -> str:
    return re.sub(r"^(from \S+ import [^(\n]+|import [^\n]+)\n", "", text, count=1, flags=re.M)


def _with_a_mapped_class(text: str) -> str:
    return text + "\n\nclass Added(Base):\n    __tablename__ = 'added'\n"


CHANGES = (_emptied, _without_bases, _without_first_import, _with_a_mapped_class)


def _fresh(settings: Settings, sources: dict[str, bytes]) -> RunModels:
    """The models as the server's rebuild made them before: from the summaries alone, nothing carried over."""
    return RunModels(models={settings.root: build_model(sources, settings)})


def _changed_everywhere(settings: Settings, before: RunModels, after: RunModels, paths: list[str]) -> set[str]:
    return {
        path for path in paths if after.vocabulary(settings, path).digest != before.vocabulary(settings, path).digest
    }


def _changed_where_used(settings: Settings, before: RunModels, after: RunModels, paths: list[str]) -> set[str]:
    return {path for path in paths if after.changed_from(before, settings, path)}


def _check_project(project: Path) -> tuple[int, int]:
    """Every change to every file of the project, and back: (changes that alter another file's vocabulary,
    files the restricted comparison left out)."""
    paths = sorted(path.relative_to(project).as_posix() for path in project.rglob("*.py"))
    settings = Linter([project], Options()).target((project / paths[0]).as_uri()).settings
    original = {path: (project / path).read_bytes() for path in paths}
    reference = _fresh(settings, original)
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
            found = _changed_where_used(settings, before, after, others)
            assert (changed, change.__name__, found) == (changed, change.__name__, expected)
            # And back, from the model the first rebuild made.
            back = after.with_files(settings, {changed: original[changed]})
            assert back is not None
            assert _changed_where_used(settings, after, back, others) == expected
            altering += bool(expected)
            left_out += sum(
                1
                for path in others
                if after._vocabularies.get((settings.root, path)) is before._vocabularies.get((settings.root, path))
            )
    return altering, left_out


@pytest.mark.parametrize("name", ["violating", "clean", "shop-violating", "shop-clean"])
def test_the_files_compared_after_a_rebuild_find_what_comparing_every_file_finds(name: str) -> None:
    altering, left_out = _check_project(EXAMPLES / name)
    # Not vacuous: changes reach other files, and files are left out of the comparison.
    assert altering > 0 and left_out > 0


def test_a_redefined_declarative_base_is_found_where_it_is_used(tmp_path: Path) -> None:
    project = _blog(tmp_path)
    (project / "app/db/entity.py").write_text(ENTITY_MAPPED)
    altering, left_out = _check_project(project)
    assert altering > 0 and left_out > 0
