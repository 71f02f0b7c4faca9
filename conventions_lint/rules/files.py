"""CL6, files: module and test file names, decided from the path alone."""

from __future__ import annotations

import re

import libcst as cst

from conventions_lint.globs import matches
from conventions_lint.inflect import is_plural, singular
from conventions_lint.rule import Invalid, Rule, Valid

_SNAKE_CASE_FILE = re.compile(r"^[a-z_][a-z0-9_]*\.pyi?$")
_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


class ModuleNotSnakeCase(Rule):
    """
    ## What it does
    Checks that a Python file's name is snake_case: lower-case letters, digits
    and underscores, not starting with a digit (`user_profile.py`, not
    `UserProfile.py` or `user-profile.py`). Alembic revision files are not
    checked: Alembic names them. Nor is vendored code, third-party modules
    copied into the project (the `vendored` role: by default under a
    `vendor/`, `_vendor/`, `vendored/`, `_vendored/` or `third_party/`
    directory): they keep their upstream names, which a later copy of the
    upstream code would bring back.

    ## Why is this bad?
    A module name is an identifier in every `import`: a name with a dash or a
    leading digit cannot be imported at all, and mixed case breaks on
    case-insensitive file systems and reads unlike the rest of the code (PEP 8).
    """

    code = "CL604"
    name = "module-not-snake-case"
    VALID = (
        Valid("# app/services/user_profile.py\n", path="app/services/user_profile.py"),
        Valid("# app/__init__.py\n", path="app/__init__.py"),
        Valid("# alembic/versions/3f2a1b4c5d6e_add_users.py\n", path="alembic/versions/3f2a1b4c5d6e_add_users.py"),
        Valid("# app/vendor/jcs/NumberToJson.py\n", path="app/vendor/jcs/NumberToJson.py"),
    )
    INVALID = (
        Invalid("# app/services/UserProfile.py\n", line=1, column=1, path="app/services/UserProfile.py"),
        Invalid("# app/api/user-profile.py\n", line=1, column=1, path="app/api/user-profile.py"),
        Invalid("\n\nimport os\n", line=1, column=1, path="scripts/2fa.py"),
    )

    @classmethod
    def concerns(cls, source: bytes, roles: frozenset[str], file_name: str, settings) -> bool:
        return not _SNAKE_CASE_FILE.match(file_name)

    def visit_Module(self, node: cst.Module) -> None:
        file_name = self.context.file_name
        roles = self.context.roles
        if not file_name.endswith((".py", ".pyi")) or "migrations" in roles or "vendored" in roles:
            return
        if _SNAKE_CASE_FILE.match(file_name):
            return
        stem, extension = file_name.rsplit(".", 1)
        suggested = re.sub(r"[^a-z0-9_]+", "_", _WORD_BOUNDARY.sub("_", stem).lower()) + "." + extension
        if _SNAKE_CASE_FILE.match(suggested):
            self.report(node, f"Rename `{file_name}` to `{suggested}`: module names are snake_case")
        else:
            self.report(node, f"Rename `{file_name}` to a snake_case name that starts with a letter")


# Words that say what kind of code a module holds rather than name an entity: `custom_types.py`.
_PLURAL_KIND_WORDS = frozenset(
    {
        "constants",
        "dependencies",
        "deps",
        "enums",
        "errors",
        "exceptions",
        "fields",
        "helpers",
        "hooks",
        "mixins",
        "signals",
        "tools",
        "types",
        "utils",
        "validators",
    }
)
# A module named for its role holds all of them: `app/models.py`.
_ROLE_MODULES = frozenset({"models", "schemas", "services"})


class PluralModuleName(Rule):
    """
    ## What it does
    Checks that model, schema and service modules are named after their entity
    in the singular: `user.py`, not `users.py`; `user_profile.py`, not
    `user_profiles.py`; `user_service.py`, not `users_service.py`. The last
    word of the name is checked, knowing irregular plurals (`people`,
    `children`) and uncountable nouns (`status`, `news`, `data`).

    Endpoint modules are exempt (`endpoints/users.py` serves `/users`), and so
    are `__init__.py`, modules named for a kind of code rather than an entity
    (`utils.py`, `enums.py`, `exceptions.py`, `models.py`, …) and the names
    listed in the `plural-exceptions` setting, and vendored code (the
    `vendored` role), which keeps its upstream names.

    ## Why is this bad?
    A module holds the `User` model, the `User*` schemas or the user service:
    naming it in the singular matches the class it defines, and a fixed rule
    saves the team from guessing whether it is `user.py` or `users.py`.
    """

    code = "CL605"
    name = "plural-module-name"
    ROLES = frozenset({"models", "schemas", "services"})
    VALID = (
        Valid("# app/models/user.py\n", path="app/models/user.py"),
        Valid("# app/_vendor/services/users.py\n", path="app/_vendor/services/users.py"),
        Valid("# app/api/endpoints/users.py\n", path="app/api/endpoints/users.py"),
        Valid("# app/schemas/status.py\n", path="app/schemas/status.py"),
        Valid("# app/models/enums.py\n", path="app/models/enums.py"),
        Valid("# app/services/address_service.py\n", path="app/services/address_service.py"),
        Valid("# app/schemas/user_settings.py\n", path="app/schemas/user_settings.py"),
        Valid(
            "# app/models/metrics.py\n", path="app/models/metrics.py", settings=(("plural-exceptions", ["metrics"]),)
        ),
    )
    INVALID = (
        Invalid("# app/models/users.py\n", line=1, column=1, path="app/models/users.py"),
        Invalid("# app/schemas/user_profiles.py\n", line=1, column=1, path="app/schemas/user_profiles.py"),
        Invalid("# app/services/categories_service.py\n", line=1, column=1, path="app/services/categories_service.py"),
        Invalid("# app/models/people.py\n", line=1, column=1, path="app/models/people.py"),
    )

    def visit_Module(self, node: cst.Module) -> None:
        roles = self.context.roles
        file_name = self.context.file_name
        if "endpoints" in roles or "vendored" in roles or not roles & {"models", "schemas", "services"}:
            return
        stem, _, extension = file_name.rpartition(".")
        if extension not in ("py", "pyi") or stem.startswith("__"):
            return
        suffix = self.settings.service_suffix
        if "services" not in roles or not stem.endswith(suffix) or stem == suffix:
            suffix = ""
        noun = stem[: len(stem) - len(suffix)]
        head, _, last = noun.rpartition("_")
        allowed = {*self.settings.plural_exceptions, *_PLURAL_KIND_WORDS}
        if not is_plural(last) or stem in _ROLE_MODULES or not allowed.isdisjoint({stem, noun, last}):
            return
        suggested = f"{head}_{singular(last)}" if head else singular(last)
        self.report(
            node,
            f"Rename `{file_name}` to `{suggested}{suffix}.{extension}`: "
            "model, schema and service modules are named in the singular",
        )


class TestFileNaming(Rule):
    """
    ## What it does
    Checks that every Python file under a tests directory is a test module
    (`test_*.py`), `conftest.py` or `__init__.py`. Helper modules can be allowed
    with the `test-helpers` setting, a list of globs (`tests/factories.py`,
    `tests/utils/**`).

    ## Why is this bad?
    pytest collects `test_*.py` files only: tests in `users_test.py` or
    `user_tests.py` never run, and CI stays green without them. Fixtures that
    belong in `conftest.py` and helpers that are not listed are easy to miss.
    """

    __test__ = False  # its name starts with "Test": keep pytest from collecting it
    code = "CL606"
    name = "test-file-naming"
    ROLES = frozenset({"tests"})
    VALID = (
        Valid("# tests/test_users.py\n", path="tests/test_users.py"),
        Valid("# tests/api/conftest.py\n", path="tests/api/conftest.py"),
        Valid("# tests/__init__.py\n", path="tests/__init__.py"),
        Valid(
            "# tests/factories.py\n", path="tests/factories.py", settings=(("test-helpers", ["tests/factories.py"]),)
        ),
        Valid("# app/services/user_service.py\n", path="app/services/user_service.py"),
    )
    INVALID = (
        Invalid("# tests/users_test.py\n", line=1, column=1, path="tests/users_test.py"),
        Invalid("# tests/api/users.py\n", line=1, column=1, path="tests/api/users.py"),
        Invalid(
            "# backend/tests/factories.py\n",
            line=1,
            column=1,
            path="backend/tests/factories.py",
            settings=(("test-helpers", ["tests/utils/**"]),),
        ),
    )

    def visit_Module(self, node: cst.Module) -> None:
        file_name = self.context.file_name
        if "tests" not in self.context.roles or not file_name.endswith(".py"):
            return
        if file_name.startswith("test_") or file_name in ("conftest.py", "__init__.py"):
            return
        if any(matches(pattern, self.context.relative_path) for pattern in self.settings.test_helpers):
            return
        stem = file_name[: -len(".py")]
        suggested = f"test_{stem.removesuffix('_test').removesuffix('_tests')}.py"
        self.report(
            node,
            f"Rename `{file_name}` to `{suggested}` so pytest collects it, "
            "or list it in the `test-helpers` setting if it is a helper",
        )
