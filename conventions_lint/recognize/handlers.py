"""Route handler names read as the naming convention writes them: `<verb>_<noun>[_by_<qualifier>]`.

`list_users_by_email` is the verb `list`, the noun `users` and the qualifier
`by_email`; the noun also names the response schema (`get_user` answers a
`UserResponse`, `get_users` a `list[UserResponse]`).
"""

from __future__ import annotations

from dataclasses import dataclass

from conventions_lint.inflect import is_plural, singular

# The verb each method's handler starts with.
METHOD_VERBS = {"get": "get", "post": "create", "put": "update", "patch": "update", "delete": "delete"}
# The synonyms of each CRUD verb: as the first word of a handler's name, they are replaced by the verb of
# its method's family (`list_users` -> `get_users`, `remove_user` -> `delete_user`).
VERB_FAMILIES = {
    "get": frozenset({"get", "read", "list", "fetch", "retrieve", "find", "show"}),
    "create": frozenset({"create", "add", "new", "post", "make", "insert", "register"}),
    "update": frozenset({"update", "edit", "modify", "patch", "put", "change", "set", "replace", "upsert"}),
    "delete": frozenset({"delete", "remove", "destroy", "del", "erase"}),
}
KNOWN_VERBS = frozenset().union(*VERB_FAMILIES.values())
# Words after the resource noun: `get_users_by_email` names `users`.
QUALIFIERS = frozenset({"by", "for", "of", "with", "without", "in", "from", "on", "at", "per", "to", "since", "where"})
# Words that make a name or a class a collection whatever the number of its noun.
COLLECTION_WORDS = frozenset(
    {"all", "batch", "bulk", "collection", "list", "many", "page", "pages", "paginated", "pagination"}
)
# Nouns that name a collection in the singular: `get_prompt_history` answers the prompt's versions.
COLLECTIVE_NOUNS = frozenset({"history", "timeline"})
# The collection words that mean a plain list; the others (`page`, …) stand for a wrapper schema.
_LIST_WORDS = frozenset({"all", "batch", "bulk", "list", "many"})
_RESPONSE_SUFFIX = "Response"


@dataclass(frozen=True)
class HandlerName:
    """`_list_users_by_email` in parts: `_`, `list`, (`users`,), (`by`, `email`)."""

    # Leading underscores, kept by a rename: `_remove_user` becomes `_delete_user`.
    underscores: str
    # The first word when it is a verb (`get`, `read`, `list`, …), else None.
    verb: str | None
    noun: tuple[str, ...]
    qualifier: tuple[str, ...]

    def spelled(self, verb: str, noun: tuple[str, ...] | list[str]) -> str:
        return self.underscores + "_".join([verb, *noun, *self.qualifier])


def crud_family(verb: str | None) -> str | None:
    """The CRUD verb a synonym stands for: `remove` -> `delete`; None for other words."""
    return next((family for family, synonyms in VERB_FAMILIES.items() if verb in synonyms), None)


def parse_handler_name(name: str) -> HandlerName:
    underscores = name[: len(name) - len(name.lstrip("_"))]
    words = name[len(underscores) :].split("_")
    verb = words[0] if words[0] in KNOWN_VERBS else None
    rest = words[1:] if verb is not None else words
    cut = next((i for i, word in enumerate(rest) if word in QUALIFIERS), len(rest))
    return HandlerName(underscores, verb, tuple(rest[:cut]), tuple(rest[cut:]))


@dataclass(frozen=True)
class ConventionalResponse:
    """The `<Entity>Response` schema a handler's name (or path) points to."""

    schema: str
    is_list: bool

    @property
    def annotation(self) -> str:
        return f"list[{self.schema}]" if self.is_list else self.schema


def conventional_response(handler: HandlerName, path: str | None) -> ConventionalResponse | None:
    """`UserResponse` for `get_user`, `list[UserResponse]` for `get_users` or `get_all_users`.

    A name without a noun (`get_by_id`) takes it from the path's last resource:
    `/users/{user_id}` answers one user, `/users` a list. None when no entity can
    be read, or when the name speaks of a wrapper (`get_users_page`).
    """
    words = [word for word in handler.noun if word]
    if words:
        single = not is_plural(words[-1])
    else:
        words, single = path_resource(path)
    listed = [word for word in words if word in COLLECTION_WORDS]
    words = [word for word in words if word not in COLLECTION_WORDS]
    if not words or not _LIST_WORDS.issuperset(listed):
        return None
    schema = "".join(word[:1].upper() + word[1:] for word in (*words[:-1], singular(words[-1]))) + _RESPONSE_SUFFIX
    return ConventionalResponse(schema, is_list=bool(listed) or not single) if schema.isidentifier() else None


def path_resource(path: str | None) -> tuple[list[str], bool]:
    """The words of the last fixed segment of a path, and whether a parameter picks one of them."""
    segments = [segment for segment in (path or "").split("/") if segment]
    for position in range(len(segments) - 1, -1, -1):
        if not segments[position].startswith("{"):
            words = segments[position].replace("-", "_").split("_")
            picked = position < len(segments) - 1
            return words, picked or not is_plural(words[-1])
    return [], True
