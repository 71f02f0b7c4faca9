"""What a route is besides a CRUD operation on a resource: an action (`POST /{id}/join`, `/export`), a
webhook receiver, an HTML form post. The CRUD rules (naming, `201 Created`) have nothing to say about those.
Nor does CL301 ask a response model of a page, a redirect, or another service's answer relayed.
"""

from __future__ import annotations

import re

import libcst as cst

from conventions_lint.context import FileContext
from conventions_lint.inflect import is_plural, singular
from conventions_lint.names import last_name
from conventions_lint.recognize.fastapi import CRUD_METHODS, Route, is_response_class
from conventions_lint.recognize.handlers import (
    COLLECTION_WORDS,
    VERB_FAMILIES,
    HandlerName,
    crud_family,
    parse_handler_name,
    path_resource,
)
from conventions_lint.recognize.pydantic import CAMEL_WORD, is_page_response
from conventions_lint.recognize.returns import ReturnTracker
from conventions_lint.recognize.syntax import string_value, subscript_args, unwrap_optional
from conventions_lint.recognize.upstream import relays_upstream

# Verbs that name an operation other than create/read/update/delete, as the last segment of a path
# (`/{incident_id}/join`, `/reset-password`, `/password/change`) or the first word of a handler's name.
# The CRUD verbs (`create`, `add`, `update`, `delete`, `remove`, ...) are not here: `POST /items/{id}/delete`
# is a delete spelled as a POST, not an action.
ACTION_VERBS = frozenset(
    {
        "accept",
        "activate",
        "approve",
        "archive",
        "assign",
        "authenticate",
        "authorize",
        "ban",
        "block",
        "cancel",
        "change",
        "check",
        "checkout",
        "claim",
        "clear",
        "clone",
        "close",
        "compact",
        "compile",
        "complete",
        "confirm",
        "connect",
        "convert",
        "copy",
        "count",
        "deactivate",
        "decline",
        "decrement",
        "deploy",
        "diff",
        "disable",
        "disconnect",
        "dismiss",
        "download",
        "duplicate",
        "embed",
        "enable",
        "enroll",
        "evaluate",
        "exchange",
        "execute",
        "export",
        "fail",
        "flush",
        "follow",
        "forgot",
        "fork",
        "format",
        "generate",
        "grant",
        "hide",
        "import",
        "increment",
        "inspect",
        "install",
        "invite",
        "join",
        "kick",
        "leave",
        "like",
        "load",
        "lock",
        "login",
        "logout",
        "mark",
        "merge",
        "move",
        "mute",
        "paginate",
        "pause",
        "pin",
        "ping",
        "preview",
        "process",
        "publish",
        "pull",
        "purge",
        "push",
        "query",
        "react",
        "receive",
        "redeem",
        "refresh",
        "regenerate",
        "reindex",
        "reject",
        "release",
        "reload",
        "rename",
        "reopen",
        "reorder",
        "request",
        "rerun",
        "resend",
        "reset",
        "resolve",
        "restart",
        "restore",
        "resume",
        "retry",
        "revoke",
        "rotate",
        "run",
        "scan",
        "search",
        "send",
        "serve",
        "share",
        "signin",
        "signout",
        "signup",
        "skip",
        "snooze",
        "sort",
        "start",
        "stop",
        "submit",
        "subscribe",
        "suspend",
        "sync",
        "take",
        "test",
        "toggle",
        "track",
        "transfer",
        "trigger",
        "unarchive",
        "unassign",
        "unban",
        "unblock",
        "unfollow",
        "uninstall",
        "unlike",
        "unload",
        "unlock",
        "unmute",
        "unpin",
        "unpublish",
        "unshare",
        "unsubscribe",
        "upload",
        "validate",
        "verify",
        "vote",
        "watch",
    }
)
_NOT_RESPONSE_SCHEMAS = ("typing", "typing_extensions", "collections", "builtins", "fastapi", "starlette")
# A path or handler that receives another service's calls: `/webhooks/stripe`, `/slack/events` answered by
# `slack_events`, an OAuth `/callback`.
_WEBHOOK_WORDS = frozenset({"webhook", "webhooks", "hook", "hooks", "callback", "callbacks"})
# A handler named for a batch without a CRUD verb (airflow's `bulk_connections` on `PATCH /connections`)
# may create, update and delete in one call: no one verb names it. A batch path alone says nothing of the
# operation (`PUT /records/bulk` answered by `upsert_records_bulk` updates, prefect's `POST .../bulk` creates).
_BATCH_WORDS = frozenset({"bulk", "batch"})
_ACTION_WORDS = ACTION_VERBS | _BATCH_WORDS
# The last word of a token endpoint's path (`/token`, `/{id}/access-token`): it issues a credential, which
# OAuth 2 answers with `200 OK` (RFC 6749, 5.1); a collection of stored tokens (`/api-tokens`) is a resource.
_TOKEN = "token"
_WORD = re.compile(r"[a-z0-9]+")
# The first word of a route's own description when it creates something: `summary="Create trace annotations"`.
_CREATING_WORDS = frozenset({"create", "creates", "add", "adds", "insert", "inserts", "register", "registers"})


def _segment_words(segment: str) -> list[str]:
    """`reset-password` -> [`reset`, `password`]; `resetPassword` -> [`reset`, `password`]."""
    return _WORD.findall(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", segment).lower())


def _fixed_segments(path: str | None) -> list[str]:
    return [segment for segment in (path or "").split("/") if segment and not segment.startswith("{")]


def is_action_route(route: Route) -> bool:
    """A route whose last fixed path segment holds a verb: `/{incident_id}/join`, `/reset-password`,
    `/password/change`, `/backchannel-logout`, `/api/copy/{idx}`; a token endpoint (`/token`,
    `/{id}/access-token`); or one that receives a webhook."""
    segments = _fixed_segments(route.path)
    words = _segment_words(segments[-1]) if segments else []
    if not ACTION_VERBS.isdisjoint(words) or words[-1:] == [_TOKEN]:
        return True
    return receives_webhook(route)


def is_named_for_action(function: cst.FunctionDef) -> bool:
    """A handler whose name starts with an action verb (`toggle_skill`, `generate_title`, `export_models`)
    or names a batch (`bulk_connections`)."""
    return function.name.value.lstrip("_").split("_", 1)[0] in _ACTION_WORDS


def links_resources(route: Route) -> bool:
    """A handler named for adding one resource to another (`add_user_to_group`): it creates neither."""
    handler = parse_handler_name(route.function.name.value)
    return crud_family(handler.verb) == "create" and handler.qualifier[:1] == ("to",)


def is_crud_route(context: FileContext, route: Route) -> bool:
    """Whether a route is a CRUD operation on a resource, which the naming convention and `201 Created` are
    about: not an action, a token endpoint or a webhook by its path, not a link between two
    resources, not a page, a redirect or a file for a browser. (A handler named for an action, `signup` with
    a `UserCreate` body, may still create: naming says nothing more of it, `201 Created` does.)"""
    return not (is_action_route(route) or links_resources(route) or answers_raw_response(context, route))


def receives_webhook(route: Route) -> bool:
    """A path or handler naming a webhook or callback (`/webhooks/stripe`, `slack_webhook`, `/callback`),
    or a handler named for another service's events (`slack_events` on `/slack/events`). A CRUD handler of
    webhooks as a resource (`create_channel_webhook`, `delete_webhook`) manages them, it does not receive one."""
    handler = parse_handler_name(route.function.name.value)
    if crud_family(handler.verb) is not None and handler.noun and handler.noun[-1] in _WEBHOOK_WORDS:
        return False
    path_words = {word for segment in _fixed_segments(route.path) for word in _segment_words(segment)}
    handler_words = route.function.name.value.lower().split("_")
    if _WEBHOOK_WORDS & (path_words | set(handler_words)):
        return True
    return handler_words[-1] == "events" and len(handler_words) > 1 and handler_words[0] not in ("get", "list")


def answers_raw_response(context: FileContext, route: Route) -> bool:
    """A route that answers a browser or a file rather than a JSON resource: `response_class=HTMLResponse`,
    `RedirectResponse`, `StreamingResponse`, ..., or a handler annotated to return such a `Response`.
    FastAPI sends a returned response object as it is, with its own status code."""
    response_class = route.keyword("response_class")
    if response_class is not None and "JSON" not in (last_name(response_class.value) or "JSON"):
        return True
    returns = route.function.returns
    return (
        returns is not None
        and is_response_class(context, returns.annotation)
        and "JSON" not in (last_name(returns.annotation) or "")
    )


def leaves_answer_undeclared(context: FileContext, route: Route, *, annotation_declares: bool) -> bool:
    """Whether a CRUD route of the API answers a body that nothing declares (what CL301 asks of it): no
    `response_model=`, `response_class=` or bodiless status on the decorator, not a page or a redirect the
    handler builds, not another service's answer it relays, and no return annotation naming a `Response`
    class, or any return annotation when `annotation_declares` (the `allow-return-annotation` setting)."""
    if route.method not in CRUD_METHODS:
        return False
    if route.states_response or not route.in_schema:
        return False
    if context.service(ReturnTracker).answers_a_browser(route.function):
        return False  # a page or a redirect: no body a schema could describe
    if relays_upstream(context, route.function):
        return False  # another service's answer: a schema of the team's would filter what it adds
    returns = route.function.returns
    if returns is None:
        return True
    return not (annotation_declares or is_response_class(context, returns.annotation))


def takes_body_of(context: FileContext, route: Route, suffix: str) -> bool:
    """Whether a parameter of the handler is annotated with a class named `*<suffix>` (`payload: UserCreate`,
    `Annotated[UserCreate, Body()]`, `list[ItemCreate]`)."""
    for param in (*route.function.params.params, *route.function.params.kwonly_params):
        annotation = param.annotation.annotation if param.annotation is not None else None
        while isinstance(annotation, cst.Subscript):
            annotation = next(iter(subscript_args(annotation)), None)
        name = last_name(annotation) if annotation is not None else None
        if name is not None and name.endswith(suffix) and name != suffix:
            return True
    return False


def says_it_creates(context: FileContext, route: Route) -> bool:
    """Whether a route says it creates, whatever its handler's name: it declares `201 Created`, takes a
    `*Create` body, or its `summary=` (else its docstring) starts with "Create" (`annotate_traces` with
    `summary="Create trace annotations"`, but not `embeddings`, "Generate embeddings via Ollama")."""
    if route.status_code == 201 or takes_body_of(context, route, "Create"):
        return True
    summary = route.keyword("summary")
    text = string_value(summary.value) if summary is not None else None
    words = (text if text is not None else route.function.get_docstring() or "").split(maxsplit=1)
    return bool(words) and words[0].lower() in _CREATING_WORDS


def method_verb_noun(context: FileContext, route: Route, handler: HandlerName, verb: str) -> list[str] | None:
    """The noun of a handler's name for the method's CRUD `verb` to lead (`totp` of `totp_delete`), or None
    when the name or the path says another operation than the method's (`update_config` on a POST), or a
    POST's name says none and the route does not say it creates (`embeddings`)."""
    noun = list(handler.noun)
    if handler.verb is None:
        # `totp_delete` names the operation last: `delete_totp`, not `delete_totp_delete`.
        trailing = [word for word in noun if word in VERB_FAMILIES[verb]]
        noun = [word for word in noun if word not in trailing] or noun
        if any(crud_family(word) not in (None, verb) for word in noun):
            return None  # `user_remove` on a POST: the name says another operation than the method
        if verb == "create" and not trailing and not says_it_creates(context, route):
            return None  # `flow_run_history`, `embeddings`: a POST that queries or computes, unless it says it creates
    elif crud_family(handler.verb) != verb or "or" in noun:
        # `update_config` or `upsert_evaluation` on a POST: `create_config` would change what it says;
        # `upsert_or_delete_secrets` names two operations.
        return None
    if names_another_operation(route, verb):
        return None  # `add_members_by_id` on `POST /{id}/update/members/add`: the path says it updates
    return noun


def names_another_operation(route: Route, verb: str) -> bool:
    """Whether a fixed segment of the path is a CRUD verb of another operation than the method's `verb`:
    `POST /{id}/update/members/add` updates the channel whatever its last segment says."""
    words = (word for segment in _fixed_segments(route.path) for word in _segment_words(segment))
    return any(crud_family(word) not in (None, verb) for word in words)


def noun_of_path(route: Route) -> list[str]:
    """The resource a name without a noun (`register`, `list`) is about, from its path: `/users` gives
    `create_user` or `get_users`; none when the path names no resource (`/register`)."""
    words, single = path_resource(route.path)
    if not words or crud_family(words[0]) is not None or words[0] in ACTION_VERBS:
        return []
    if single or route.method != "get":
        return [*words[:-1], singular(words[-1])]
    return words


def is_single_schema(context: FileContext, response: cst.BaseExpression) -> bool:
    """A schema class named for one entity (`UserResponse`, not `UsersPage`, `Page[User]`, `dict` or a
    model holding a page of them)."""
    response = unwrap_optional(response)
    name = last_name(response)
    if name is None or not name[:1].isupper() or is_page_response(context, response):
        return False
    qualified = context.imports.qualify(response)
    if qualified is not None and qualified.split(".", 1)[0] in _NOT_RESPONSE_SCHEMAS:
        return False
    return not any(word.lower() in COLLECTION_WORDS or is_plural(word) for word in CAMEL_WORD.findall(name))
