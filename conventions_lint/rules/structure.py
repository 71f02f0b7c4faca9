"""CL8, structure: the project's layout as Alembic needs it (whole-project rules)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from conventions_lint.diagnostic import Applicability, Fix, FixAvailability
from conventions_lint.fixes.base_imports import base_import_edits
from conventions_lint.fixes.import_order import first_party_packages
from conventions_lint.globs import matches
from conventions_lint.module_paths import import_root, module_name
from conventions_lint.rule import Invalid, Project, ProjectFinding, ProjectRule, Valid

_NOT_APPLICATION = frozenset({"tests", "migrations"})
_BASE = "# Import all models here so Alembic can see them.\nfrom app.db.base_class import Base\n"
_BASE_DEFINING_BASE = """from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


from app.models.user import User  # noqa: F401,E402
"""


class ModelNotImportedInBase(ProjectRule):
    """
    ## What it does
    Checks that every mapped class is imported by the project's `db/base.py`
    (the `db-base` setting: globs, default `**/db/base.py`), the module that
    Alembic's `env.py` imports to see every table. Importing the class, its
    module, or the module with `*` all count. Nothing is checked when the
    project has no such file, or more than one.

    Modules are named from where `db/base.py`'s own imports start
    (`backend/app/db/base.py` importing `app.…` names `backend/app/models/user.py`
    `app.models.user`). Test and migration modules (the `roles` setting), and
    files no import can name, are not checked.

    ## Why is this bad?
    `alembic revision --autogenerate` compares the database with the tables
    registered on `Base.metadata`. A model that nothing imports before that
    comparison is invisible to it: its table is never created, or worse,
    autogenerate proposes to drop it.

    ## Fix safety
    Safe: the fix adds `from <module> import <Class>` after the last import of
    `db/base.py`. Importing a model module runs no code but its definitions.
    """

    code = "CL801"
    name = "model-not-imported-in-base"
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.SAFE
    VALID = (
        Valid(
            """
            from sqlalchemy.orm import Mapped, mapped_column

            from app.db.base_class import Base


            class User(Base):
                __tablename__ = "users"
                id: Mapped[int] = mapped_column(primary_key=True)
        """,
            path="app/models/user.py",
            others=(("app/db/base.py", _BASE + "from app.models.user import User\n"),),
        ),
        # The whole module imported, or with `*`, counts too.
        Valid(
            """
            from app.db.base_class import Base


            class Role(Base):
                __tablename__ = "roles"
        """,
            path="app/models/role.py",
            others=(("app/db/base.py", _BASE + "from app.models import role\n"),),
        ),
        # Tests map classes of their own, which the application never imports.
        Valid(
            """
            from app.db.base_class import Base


            class Widget(Base):
                __tablename__ = "widgets"
        """,
            path="tests/test_mapping.py",
            others=(("app/db/base.py", _BASE),),
        ),
        # No db/base.py in the project: nothing to check against.
        Valid(
            """
            from app.db.base_class import Base


            class Tag(Base):
                __tablename__ = "tags"
        """,
            path="app/models/tag.py",
        ),
    )
    INVALID = (
        Invalid(
            """
            from app.db.base_class import Base


            class Invoice(Base):
                __tablename__ = "invoices"
        """,
            line=4,
            column=7,
            path="app/models/invoice.py",
            others=(("app/db/base.py", _BASE + "from app.models.user import User\n"),),
            fixed_others=(
                (
                    "app/db/base.py",
                    _BASE + "from app.models.invoice import Invoice\nfrom app.models.user import User\n",
                ),
            ),
        ),
        Invalid(
            """
            from app.db.base_class import Base


            class Role(Base):
                __table__ = roles_table
        """,
            line=4,
            column=7,
            path="app/models/role.py",
            others=(("app/db/base.py", "import os\n\nVERSION = 1\n"),),
            fixed_others=(("app/db/base.py", "import os\nfrom app.models.role import Role\n\nVERSION = 1\n"),),
        ),
        # Joined to the import of the class's module; modules named as db/base.py's imports name them.
        Invalid(
            """
            from app.db.base_class import Base


            class User(Base):
                __tablename__ = "users"


            class Admin(Base):
                __tablename__ = "admins"
        """,
            line=8,
            column=7,
            path="backend/app/models/user.py",
            others=(("backend/app/db/base.py", _BASE + "from app.models.user import User\n"),),
            fixed_others=(("backend/app/db/base.py", _BASE + "from app.models.user import Admin, User\n"),),
        ),
        # db/base.py defines `Base` and imports the models after it, as the models import `Base` from it:
        # the import joins them (above `class Base` it would be circular), sorted, with their `noqa` comment.
        Invalid(
            """
            from app.db.base import Base


            class Order(Base):
                __tablename__ = "orders"
        """,
            line=4,
            column=7,
            path="app/models/order.py",
            others=(("app/db/base.py", _BASE_DEFINING_BASE),),
            fixed_others=(
                (
                    "app/db/base.py",
                    _BASE_DEFINING_BASE.replace(
                        "from app.models.user",
                        "from app.models.order import Order  # noqa: F401,E402\nfrom app.models.user",
                    ),
                ),
            ),
        ),
        # Neighbours listed in `__all__` (rather than marked with a `noqa` for F401): the class is listed too.
        Invalid(
            """
            from app.db.base_class import Base


            class Tag(Base):
                __tablename__ = "tags"
        """,
            line=4,
            column=7,
            path="app/models/tag.py",
            others=(("app/db/base.py", _BASE + 'from app.models.user import User\n\n__all__ = ["Base", "User"]\n'),),
            fixed_others=(
                (
                    "app/db/base.py",
                    _BASE
                    + 'from app.models.tag import Tag\nfrom app.models.user import User\n\n__all__ = ["Base", "User", "Tag"]\n',
                ),
            ),
        ),
        Invalid(
            """
            from shop.db.base_class import Base


            class Tag(Base):
                __tablename__ = "tags"
        """,
            line=4,
            column=7,
            path="src/shop/models/tag.py",
            others=(("src/shop/db/base.py", ""),),
            fixed_others=(("src/shop/db/base.py", "from shop.models.tag import Tag\n"),),
        ),
    )

    @classmethod
    def check_project(cls, files: Project) -> Iterable[ProjectFinding]:
        bases = [file for file in files if any(matches(glob, file.relative_path) for glob in file.settings.db_base)]
        if len(bases) != 1:
            return
        base = bases[0]
        names = {target.rsplit(".", 1)[-1] for target in base.facts.imports.values()}
        modules = {*base.facts.imports.values(), *base.facts.star_imports}
        root = import_root(base.relative_path, (*base.facts.imports.values(), *base.facts.star_imports))
        models = {module_name(file.relative_path, root) for file in files if file.facts.mapped_classes}
        missing = []
        for file in files:
            module = module_name(file.relative_path, root)
            # Classes that db/base.py defines itself are registered whenever it is imported. Tests and
            # revisions map classes of their own that no application imports; so does a file no
            # import can name (outside the package's directory).
            if (
                not file.reported
                or file is base
                or module is None
                or module in modules
                or file.settings.roles_of(file.relative_path) & _NOT_APPLICATION
            ):
                continue
            missing += [(file, module, name) for name in file.facts.mapped_classes if name not in names]
        # An import of a name db/base.py binds already, or of two classes of one name, would shadow one (F811).
        bound = {*base.facts.imports, *(base.facts.base_module.defined if base.facts.base_module else ())}
        wanted = Counter(name for _, _, name in missing)
        first_party = first_party_packages(base.relative_path) | {module.split(".")[0] for module in models if module}
        for file, module, name in missing:
            edits = ()
            if wanted[name] == 1 and name not in bound:
                filename = None if base.path == file.path else base.path
                edits = base_import_edits(base.facts, filename, module, name, models, first_party)
            fix = Fix(f"Import `{name}` in `{base.path}`", Applicability.SAFE, edits) if edits else None
            span = file.facts.class_spans[name]
            yield ProjectFinding(
                file.path,
                f"Import `{name}` in `{base.path}` so Alembic autogenerate sees its table",
                span,
                (span.start.row,),
                fix,
            )
