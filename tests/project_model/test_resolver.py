"""The resolver on the shapes real apps use to name things: re-exports, stars, packages, monorepos."""

from __future__ import annotations

from conventions_lint.project_model.resolver import ProjectModel
from conventions_lint.project_model.summary import summarize
from conventions_lint.project_model.vocabulary import CLASS, EXTERNAL, INSTANCE, MODULE, OPAQUE, Vocabulary
from tests.helpers import dedent_source


def vocabulary(files: dict[str, str], path: str, implied: dict[str, str] | None = None) -> Vocabulary:
    model = ProjectModel({name: summarize(dedent_source(code)) for name, code in files.items()}, implied)
    return model.vocabulary(path)


def test_a_re_export_in_a_package_init_resolves_to_the_definition() -> None:
    files = {
        "app/schemas/__init__.py": "from .base import AppSchema as Schema\n",
        "app/schemas/base.py": "from pydantic import BaseModel\n\n\nclass AppSchema(BaseModel):\n    pass\n",
        "app/items.py": "from app.schemas import Schema\nfrom app import schemas\n\n\nclass Item(schemas.Schema):\n    pass\n",
    }
    found = vocabulary(files, "app/items.py")
    assert found.get("Schema").qualified == "app.schemas.base.AppSchema"
    assert found.get("schemas").kind == MODULE
    assert found.get("Item").types == ("pydantic.BaseModel",)
    assert found.get("schemas.Schema").qualified == "app.schemas.base.AppSchema"


def test_a_star_import_resolves_what_the_starred_module_defines() -> None:
    files = {
        "app/db/session.py": "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker()\n",
        "app/db/__init__.py": "from .session import *\n",
        "app/jobs.py": "from app.db import SessionLocal\n",
    }
    meaning = vocabulary(files, "app/jobs.py").get("SessionLocal")
    assert (meaning.kind, meaning.types) == (INSTANCE, ("sqlalchemy.orm.sessionmaker",))


def test_a_module_name_two_apps_share_resolves_to_the_importers_own() -> None:
    base = "from pydantic import BaseModel\n\n\nclass Base(BaseModel):\n    pass\n"
    plain = "class Base:\n    pass\n"
    files = {
        "one/app/schemas/base.py": base,
        "two/app/schemas/base.py": plain,
        "one/app/items.py": "from app.schemas.base import Base\n",
        "two/app/items.py": "from app.schemas.base import Base\n",
        "elsewhere.py": "from app.schemas.base import Base\n",
    }
    assert vocabulary(files, "one/app/items.py").get("Base").types == ("pydantic.BaseModel",)
    assert vocabulary(files, "two/app/items.py").get("Base").types == ()
    # Equally near both: which one is meant cannot be told, and nothing is guessed.
    assert vocabulary(files, "elsewhere.py").get("Base") is None


def test_a_class_on_a_base_the_project_cannot_resolve_is_opaque() -> None:
    files = {"app/models.py": "from vendor.orm import Model\n\n\nclass Item(Model):\n    pass\n"}
    item = vocabulary(files, "app/models.py").get("Item")
    assert (item.kind, OPAQUE in item.flags) == (CLASS, True)
    declared = vocabulary(files, "app/models.py", {"vendor.orm.Model": "pydantic.BaseModel"}).get("Item")
    assert OPAQUE not in declared.flags and declared.is_a("pydantic", {"BaseModel"})


def test_a_cycle_of_aliases_or_bases_resolves_to_nothing_instead_of_recursing() -> None:
    files = {
        "app/a.py": "from app.b import B as A\n\n\nclass C(D):\n    pass\n\n\nclass D(C):\n    pass\n",
        "app/b.py": "from app.a import A as B\n",
    }
    found = vocabulary(files, "app/a.py")
    assert found.get("A") is None
    assert found.get("C").kind == CLASS


def test_an_import_from_outside_the_project_is_listed_only_when_it_is_renamed_on_the_way() -> None:
    files = {
        "app/db.py": "from sqlalchemy.orm import Session as SyncSession\n",
        "app/jobs.py": "from sqlalchemy.orm import Session\nfrom app.db import SyncSession\n",
    }
    found = vocabulary(files, "app/jobs.py")
    assert found.get("Session") is None
    assert (found.get("SyncSession").kind, found.get("SyncSession").qualified) == (EXTERNAL, "sqlalchemy.orm.Session")


def test_the_vocabulary_digest_changes_with_a_meaning_and_only_then() -> None:
    files = {
        "app/base.py": "from pydantic import BaseModel\n\n\nclass Base(BaseModel):\n    pass\n",
        "app/items.py": "from app.base import Base\n",
    }
    before = vocabulary(files, "app/items.py").digest
    assert (
        vocabulary({**files, "app/base.py": files["app/base.py"] + "\n# a comment\n"}, "app/items.py").digest == before
    )
    assert vocabulary({**files, "app/base.py": "class Base:\n    pass\n"}, "app/items.py").digest != before


def test_f3_a_table_name_computed_by_a_bases_declared_attr_is_known_only_in_the_two_forms_read() -> None:
    base = """
        from sqlalchemy.orm import DeclarativeBase, declared_attr


        class Base(DeclarativeBase):
            @declared_attr.directive
            def __tablename__(cls) -> str:
                \"\"\"Named after the class.\"\"\"
                return cls.__name__.lower()


        class Named(DeclarativeBase):
            @declared_attr
            def __tablename__(self):
                return self.__name__


        class Snake(DeclarativeBase):
            @declared_attr.directive
            def __tablename__(cls) -> str:
                return to_snake(cls.__name__)
    """
    models = """
        from app.db.base import Base, Named, Snake


        class Team(Base):
            pass


        class Coach(Base):
            __tablename__ = "coaches"


        class HeadCoach(Coach):
            pass


        class Player(Named):
            pass


        class Referee(Snake):
            pass


        class Both(Base, Named):
            pass
    """
    found = vocabulary({"app/db/base.py": base, "app/models.py": models}, "app/models.py")
    tables = {
        name: found.get(name).table for name in ("Base", "Team", "Coach", "HeadCoach", "Player", "Referee", "Both")
    }
    assert tables == {
        "Base": None,
        "Team": "team",
        "Coach": "coaches",
        "HeadCoach": None,
        "Player": "Player",
        "Referee": None,
        "Both": None,
    }
