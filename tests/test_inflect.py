from __future__ import annotations

import pytest

from conventions_lint.inflect import is_plural, is_uncountable, plural, singular

PAIRS = [
    ("user", "users"),
    ("category", "categories"),
    ("key", "keys"),
    ("address", "addresses"),
    ("class", "classes"),
    ("process", "processes"),
    ("box", "boxes"),
    ("batch", "batches"),
    ("dish", "dishes"),
    ("cache", "caches"),
    ("epoch", "epochs"),
    ("movie", "movies"),
    ("bus", "buses"),
    ("campus", "campuses"),
    ("virus", "viruses"),
    ("alias", "aliases"),
    ("lens", "lenses"),
    ("response", "responses"),
    ("database", "databases"),
    ("course", "courses"),
    ("schema", "schemas"),
    ("photo", "photos"),
    ("hero", "heroes"),
    ("archive", "archives"),
    ("size", "sizes"),
    ("quiz", "quizzes"),
    ("analysis", "analyses"),
    ("crisis", "crises"),
    ("person", "people"),
    ("child", "children"),
    ("woman", "women"),
    ("mouse", "mice"),
    ("criterion", "criteria"),
    ("matrix", "matrices"),
    ("knife", "knives"),
    ("leaf", "leaves"),
    ("api", "apis"),
    ("id", "ids"),
]


@pytest.mark.parametrize(("one", "many"), PAIRS)
def test_singular_and_plural_are_inverse(one: str, many: str) -> None:
    assert plural(one) == many
    assert singular(many) == one
    assert is_plural(many) and not is_plural(one)


@pytest.mark.parametrize("word", ["status", "news", "series", "species", "data", "metadata", "settings", "media"])
def test_uncountable_words_are_the_same_in_both_numbers(word: str) -> None:
    assert is_uncountable(word)
    assert singular(word) == plural(word) == word
    assert not is_plural(word)


@pytest.mark.parametrize(
    "word", ["address", "access", "business", "status", "focus", "analysis", "basis", "canvas", "gas", "previous"]
)
def test_words_ending_in_s_that_are_singular(word: str) -> None:
    assert not is_plural(word)
    assert singular(word) == word


def test_plural_forms_ending_in_ses_go_back_to_the_right_singular() -> None:
    assert singular("statuses") == "status"
    assert singular("addresses") == "address"
    assert singular("causes") == "cause"
    assert singular("analyses") == "analysis"
    assert singular("indices") == "index"


def test_plural_of_a_plural_is_unchanged() -> None:
    assert plural("users") == "users"
    assert plural("people") == "people"


def test_case_is_kept() -> None:
    assert singular("Users") == "User"
    assert plural("Person") == "People"
    assert singular("IDs") == "ID"
    assert plural("ID") == "IDs"
    assert is_plural("Categories")
    assert not is_plural("Status")


def test_short_words_are_left_alone() -> None:
    assert singular("os") == "os"
    assert singular("is") == "is"
    assert not is_plural("us")
