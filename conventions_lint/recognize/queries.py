"""The 1.x `Query` chain and its 2.0 spelling.

`db.query(User).filter(User.email == email).first()` becomes
`db.execute(select(User).where(User.email == email).limit(1)).scalars().first()`: the
statement-building methods move onto `select(...)` and the terminal method onto the
result, as in SQLAlchemy's 2.0 migration guide. Only chains whose every step has a
`Select` method of the same meaning are rewritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.recognize.awaits import await_expression, has_trailer

if TYPE_CHECKING:
    from conventions_lint.fixes.builder import FixBuilder

# Query methods that build the statement -> the `Select` method of the same meaning.
_STATEMENT_METHODS = {
    "filter": "where",
    "where": "where",
    "filter_by": "filter_by",
    "join": "join",
    "outerjoin": "outerjoin",
    "options": "options",
    "order_by": "order_by",
    "group_by": "group_by",
    "having": "having",
    "distinct": "distinct",
    "limit": "limit",
    "offset": "offset",
}
# Steps after which `select(func.count()).select_from(M)` counts what `Query.count()` counts.
_COUNT_PRESERVING = frozenset({"filter", "where", "filter_by", "join", "outerjoin"})
# Terminal method -> the `Result` methods returning the same: for one entity, for rows of several.
_RESULT_METHODS = {
    "all": (("scalars", "all"), ("all",)),
    "first": (("scalars", "first"), ("first",)),
    "one": (("scalar_one",), ("one",)),
    "one_or_none": (("scalar_one_or_none",), ("one_or_none",)),
}


@dataclass(frozen=True)
class LegacyQuery:
    """`receiver.query(...).step(...)….terminal(...)`."""

    query: cst.Call
    steps: tuple[cst.Call, ...]
    terminal: cst.Call
    # `db.query(M).get(pk).name`: an `await` put before the rewrite needs parentheses.
    followed_by_trailer: bool

    @property
    def result_method(self) -> str:
        """What the rewrite calls on the receiver: `execute`, `get` or `scalar`."""
        name = _method(self.terminal)
        return "get" if name == "get" else "scalar" if name == "count" else "execute"

    @property
    def is_rewritable(self) -> bool:
        entities = self._entities
        name = _method(self.terminal)
        steps = {_method(step) for step in self.steps}
        if name == "get":
            return entities == "entity" and not steps and _plain_arguments(self.terminal, 1)
        if name == "count":
            return entities == "entity" and steps <= _COUNT_PRESERVING and not self.terminal.args
        return entities is not None and name in _RESULT_METHODS and not self.terminal.args

    def rewrite(self, fix: FixBuilder, *, awaited: bool) -> None:
        """Replace the chain with its 2.0 spelling (check `is_rewritable` first)."""
        receiver = self.query.func.value
        # A node's span leaves out its own parentheses: they stay, around the replacement.
        terminal = self.terminal.with_changes(lpar=[], rpar=[])
        name = _method(terminal)
        if name == "get":
            entity = self.query.args[0].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            replacement = terminal.with_changes(func=_attribute(receiver, "get"), args=[entity, *terminal.args])
        elif name == "count":
            func = fix.import_name("sqlalchemy", "func")
            counted = cst.parse_expression(f"{fix.import_name('sqlalchemy', 'select')}({func}.count())")
            statement = cst.Call(_attribute(counted, "select_from"), [cst.Arg(self.query.args[0].value)])
            replacement = terminal.with_changes(
                func=_attribute(receiver, "scalar"), args=[cst.Arg(self._with_steps(statement))]
            )
        else:
            replacement = self._executed(terminal, receiver, fix.import_name("sqlalchemy", "select"), awaited)
        if awaited and name in ("get", "count"):
            parenthesized = self.followed_by_trailer and not self.terminal.lpar
            replacement = await_expression(replacement, parenthesized=parenthesized)
        fix.replace(self.terminal, replacement)

    def _executed(self, terminal: cst.Call, receiver: cst.BaseExpression, select: str, awaited: bool) -> cst.Call:
        statement = self._with_steps(self.query.with_changes(func=cst.parse_expression(select)))
        name = _method(terminal)
        if name == "first":
            # `Query.first()` fetches one row only.
            statement = cst.Call(_attribute(statement, "limit"), [cst.Arg(cst.Integer("1"))])
        result: cst.BaseExpression = cst.Call(_attribute(receiver, "execute"), [cst.Arg(statement)])
        if awaited:
            result = await_expression(result, parenthesized=True)
        *leading, last = _RESULT_METHODS[name][0 if self._entities == "entity" else 1]
        for method in leading:
            result = cst.Call(_attribute(result, method))
        return terminal.with_changes(func=terminal.func.with_changes(value=result, attr=cst.Name(last)))

    def _with_steps(self, statement: cst.BaseExpression) -> cst.BaseExpression:
        for step in self.steps:
            method = cst.Name(_STATEMENT_METHODS[_method(step)])
            statement = step.with_changes(func=step.func.with_changes(value=statement, attr=method))
        return statement

    @property
    def _entities(self) -> str | None:
        """ "entity" for `query(User)` (results are `User`s), "rows" for `query(User.id, User.name)`."""
        args = self.query.args
        if not args or any(arg.keyword is not None or arg.star for arg in args):
            return None
        if len(args) > 1:
            return "rows"
        # A single column (`query(User.id)`) also gives rows: only a class name is surely an entity.
        value = args[0].value
        return "entity" if isinstance(value, cst.Name) and value.value[:1].isupper() else None


def read_legacy_query(ancestors: Sequence[cst.CSTNode]) -> LegacyQuery | None:
    """The chain from the `query(...)` call being visited (the last of `ancestors`) to its first
    method that does not build the statement; None when it has none (`q = db.query(User)`)."""
    steps: list[cst.Call] = []
    index = len(ancestors) - 1
    while index >= 2:
        attribute, call = ancestors[index - 1], ancestors[index - 2]
        if not (
            isinstance(attribute, cst.Attribute)
            and attribute.value is ancestors[index]
            and isinstance(call, cst.Call)
            and call.func is attribute
        ):
            return None
        index -= 2
        if _method(call) not in _STATEMENT_METHODS:
            return LegacyQuery(ancestors[-1], tuple(steps), call, has_trailer(ancestors[index - 1], call))
        steps.append(call)
    return None


def _method(call: cst.Call) -> str:
    return call.func.attr.value


def _plain_arguments(call: cst.Call, count: int) -> bool:
    return len(call.args) == count and all(arg.keyword is None and not arg.star for arg in call.args)


def _attribute(value: cst.BaseExpression, name: str) -> cst.Attribute:
    return cst.Attribute(value=value, attr=cst.Name(name))
