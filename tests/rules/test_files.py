"""CL604 module-not-snake-case, CL605 plural-module-name and CL606 test-file-naming: names of files."""

from __future__ import annotations

import pytest

from tests.helpers import found, lint
from tests.helpers import lint_messages as messages

# CL604 module-not-snake-case


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("app/UserProfile.py", "Rename `UserProfile.py` to `user_profile.py`: module names are snake_case"),
        ("app/HTTPClient.py", "Rename `HTTPClient.py` to `http_client.py`: module names are snake_case"),
        ("app/user-profile.py", "Rename `user-profile.py` to `user_profile.py`: module names are snake_case"),
        ("app/user.profile.py", "Rename `user.profile.py` to `user_profile.py`: module names are snake_case"),
        ("app/Types.pyi", "Rename `Types.pyi` to `types.pyi`: module names are snake_case"),
        ("app/2fa.py", "Rename `2fa.py` to a snake_case name that starts with a letter"),
    ],
)
def test_not_snake_case(path: str, message: str) -> None:
    assert messages("x = 1\n", "CL604", path=path) == [message]


@pytest.mark.parametrize(
    "path",
    [
        "app/user_profile.py",
        "app/__init__.py",
        "app/__main__.py",
        "app/_private.py",
        "app/v2.py",
        "app/stubs.pyi",
        "migrations/versions/1a2b_Add_Users.py",
        "app/README.md",
    ],
)
def test_snake_case_and_unchecked_files(path: str) -> None:
    assert messages("x = 1\n", "CL604", path=path) == []


@pytest.mark.parametrize(
    "source",
    [
        "",
        "# a comment\n\n\nimport os\n",
        '\n\n"""Docstring."""\n',
        "#!/usr/bin/env python\nx = 1\n",
    ],
)
def test_file_findings_are_at_the_first_line_and_column(source: str) -> None:
    assert found(lint(source, path="app/UserProfile.py", select=("CL604",))) == [("CL604", 1, 1)]


def test_file_findings_can_be_suppressed_on_the_first_line_or_for_the_file() -> None:
    assert found(lint("# noqa: CL604\nx = 1\n", path="app/UserProfile.py", select=("CL604",))) == []
    assert found(lint("x = 1\n# conventions-lint: noqa\n", path="app/UserProfile.py", select=("CL604",))) == []


# CL605 plural-module-name


@pytest.mark.parametrize(
    ("path", "suggested"),
    [
        ("app/models/users.py", "user.py"),
        ("app/models/people.py", "person.py"),
        ("app/models/addresses.py", "address.py"),
        ("app/models/statuses.py", "status.py"),
        ("app/schemas/user_profiles.py", "user_profile.py"),
        ("app/schemas/categories.py", "category.py"),
        ("app/services/users_service.py", "user_service.py"),
        ("app/services/user_services.py", "user_service.py"),
        ("app/services/users.py", "user.py"),
        ("app/billing/invoices_service.py", "invoice_service.py"),
        ("app/models/analyses.py", "analysis.py"),
    ],
)
def test_plural_modules(path: str, suggested: str) -> None:
    file_name = path.rsplit("/", 1)[-1]
    assert messages("x = 1\n", "CL605", path=path) == [
        f"Rename `{file_name}` to `{suggested}`: model, schema and service modules are named in the singular"
    ]


@pytest.mark.parametrize(
    "path",
    [
        "app/models/user.py",
        "app/models/__init__.py",
        "app/models/status.py",
        "app/models/address.py",
        "app/schemas/analysis.py",
        "app/models/news.py",
        "app/schemas/data.py",
        "app/schemas/user_settings.py",
        "app/api/endpoints/users.py",
        "app/routers/users.py",
        "app/models.py",
        "app/schemas.py",
        "app/services/utils.py",
        "app/models/enums.py",
        "app/schemas/types.py",
        "app/crud/users.py",
        "app/services/_service.py",
    ],
)
def test_singular_exempt_and_unchecked_modules(path: str) -> None:
    assert messages("x = 1\n", "CL605", path=path) == []


def test_plural_exceptions_match_the_name_or_its_last_word() -> None:
    for path in ("app/models/metrics.py", "app/models/user_metrics.py", "app/services/metrics_service.py"):
        assert messages("x = 1\n", "CL605", path=path, plural_exceptions=["metrics"]) == []
    assert messages("x = 1\n", "CL605", path="app/models/metrics.py", plural_exceptions=["users"]) != []


# CL606 test-file-naming


@pytest.mark.parametrize(
    ("path", "suggested"),
    [
        ("tests/users_test.py", "test_users.py"),
        ("tests/user_tests.py", "test_user.py"),
        ("tests/api/users.py", "test_users.py"),
        ("backend/tests/factories.py", "test_factories.py"),
        ("tests/Test_users.py", "test_Test_users.py"),
    ],
)
def test_badly_named_test_files(path: str, suggested: str) -> None:
    file_name = path.rsplit("/", 1)[-1]
    assert messages("x = 1\n", "CL606", path=path) == [
        f"Rename `{file_name}` to `{suggested}` so pytest collects it, "
        "or list it in the `test-helpers` setting if it is a helper"
    ]


@pytest.mark.parametrize(
    "path",
    [
        "tests/test_users.py",
        "tests/conftest.py",
        "tests/__init__.py",
        "tests/api/test_users.py",
        "app/users_test.py",
        "tests/data/users.json",
    ],
)
def test_well_named_and_unchecked_files(path: str) -> None:
    assert messages("x = 1\n", "CL606", path=path) == []


def test_helpers_setting_takes_globs() -> None:
    helpers = ["tests/factories.py", "**/tests/utils/**", "fixtures_*.py"]
    for path in ("tests/factories.py", "backend/tests/utils/client.py", "tests/api/fixtures_users.py"):
        assert messages("x = 1\n", "CL606", path=path, test_helpers=helpers) == []
    assert messages("x = 1\n", "CL606", path="tests/helpers.py", test_helpers=helpers) != []


def test_vendored_code_keeps_its_upstream_names() -> None:
    # arize-phoenix's phoenix/vendor/json_canonicalization_scheme/NumberToJson.py (issue 15: noise).
    path = "phoenix/vendor/json_canonicalization_scheme/NumberToJson.py"
    assert found(lint("x = 1\n", path=path, select=("CL604",))) == []
    assert found(lint("x = 1\n", path="app/_vendor/services/users.py", select=("CL605",))) == []
    # A team whose `vendor/` holds its own code says so with the role.
    assert found(lint("x = 1\n", path=path, select=("CL604",), roles={"vendored": []})) == [("CL604", 1, 1)]
