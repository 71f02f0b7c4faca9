"""Where `await` goes: whether a coroutine is handed on, how to await a call where it stands, and
what making a whole function `async def` takes.

Everything here reads the ancestors of the node being visited (`context.ancestors`,
outermost first), so it works during the single walk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.recognize.handles import Handle, async_counterpart, db_name
from conventions_lint.recognize.syntax import unwrap_optional

if TYPE_CHECKING:
    from conventions_lint.context import FileContext
    from conventions_lint.fixes.builder import FixBuilder

# Node types are looked up on first use, not at import (see lazy_libcst.py), then kept.


@cache
def _handing_on() -> tuple[type[cst.CSTNode], ...]:
    """Parents of a coroutine that await it or pass it to something that will."""
    return (
        cst.Await,
        cst.Arg,
        cst.Return,
        cst.Yield,
        cst.Lambda,
        cst.Element,
        cst.StarredElement,
        cst.ListComp,
        cst.SetComp,
        cst.GeneratorExp,
        cst.WithItem,
    )


@cache
def _deferring() -> tuple[type[cst.CSTNode], ...]:
    """Where an `await` would not run when the function does: a lambda cannot hold one, and one in a
    generator expression turns it into an async generator that its consumer cannot iterate."""
    return cst.Lambda, cst.GeneratorExp


def is_handed_on(ancestors: Sequence[cst.CSTNode]) -> bool:
    """Whether the coroutine being visited is awaited, or given to code that may await it."""
    child, index = ancestors[-1], len(ancestors) - 2
    while index > 0 and isinstance(ancestors[index], cst.IfExp) and ancestors[index].test is not child:
        child, index = ancestors[index], index - 1
    return isinstance(ancestors[index], _handing_on())


def can_await_here(ancestors: Sequence[cst.CSTNode]) -> bool:
    """Whether an `await` at the node being visited would run with its function."""
    deferring = _deferring()
    for node in reversed(ancestors):
        kind = type(node)
        if kind is cst.FunctionDef:
            return True
        if kind in deferring:
            return False
    return False


def has_trailer(parent: cst.CSTNode, child: cst.CSTNode) -> bool:
    """Whether `parent` is `child.name`, `child[...]` or `child(...)`: `await child` needs parentheses there."""
    if isinstance(parent, (cst.Attribute, cst.Subscript)):
        return parent.value is child
    return isinstance(parent, cst.Call) and parent.func is child


def await_expression(expr: cst.BaseExpression, *, parenthesized: bool) -> cst.Await:
    """`await expr`, in parentheses when a trailer follows it: `(await db.execute(q)).scalars()`."""
    parentheses = bool(expr.lpar) or parenthesized
    return cst.Await(
        expr.with_changes(lpar=[], rpar=[]),
        lpar=expr.lpar or ([cst.LeftParen()] if parentheses else []),
        rpar=expr.rpar or ([cst.RightParen()] if parentheses else []),
    )


@dataclass(frozen=True)
class AwaitPlacement:
    """How to await one call in place."""

    call: cst.Call
    # The trailers applied to the call's result, innermost first: `.scalars`, `.scalars()` of
    # `db.execute(q).scalars()`.
    trailers: tuple[cst.CSTNode, ...]
    # `await db.execute(q).all()`: an `await` on the trailers that belongs on the call.
    misplaced: cst.Await | None

    def add_to(self, fix: FixBuilder) -> None:
        # A node's span leaves out its own parentheses: they stay, around the replacement.
        if self.misplaced is not None:
            fix.replace(self.misplaced, self._moved())
        elif self.call.lpar:
            fix.insert_before(self.call.func, "await ")
        elif self.trailers:
            fix.insert_before(self.call, "(await ")
            fix.insert_after(self.call, ")")
        else:
            fix.insert_before(self.call, "await ")

    def _moved(self) -> cst.BaseExpression:
        node: cst.BaseExpression = await_expression(self.call, parenthesized=True)
        for trailer in self.trailers:
            node = trailer.with_changes(**{"func" if isinstance(trailer, cst.Call) else "value": node})
        return node


def place_await(ancestors: Sequence[cst.CSTNode]) -> AwaitPlacement | None:
    """How to await the call being visited (the last of `ancestors`); None where `await` cannot go."""
    if not can_await_here(ancestors):
        return None
    call = ancestors[-1]
    index = len(ancestors) - 1
    while index > 0 and has_trailer(ancestors[index - 1], ancestors[index]):
        index -= 1
    trailers = tuple(reversed(ancestors[index:-1]))
    above = ancestors[index - 1] if index > 0 else None
    misplaced = above if isinstance(above, cst.Await) and trailers else None
    return AwaitPlacement(call, trailers, misplaced)


@dataclass
class AsyncConversion:
    """What making a plain `def` an `async def` takes, learned as the walk passes its body."""

    function: cst.FunctionDef
    # Parameters annotated with the sync `Session` -> that annotation and the (module, name) of its twin.
    switched: dict[cst.Param, tuple[cst.BaseExpression, tuple[str, str]]] = field(default_factory=dict)
    awaits: list[AwaitPlacement] = field(default_factory=list)
    # False once the function holds something the fix cannot convert.
    possible: bool = True

    @property
    def parameters(self) -> tuple[cst.Param, ...]:
        params = self.function.params
        return (*params.posonly_params, *params.params, *params.kwonly_params)

    def add_to(self, fix: FixBuilder) -> None:
        fix.insert_before(self.function, "async ")
        for annotation, (module, name) in self.switched.values():
            fix.replace(annotation, fix.import_name(module, name))
        for placement in self.awaits:
            placement.add_to(fix)

    def switch_annotation(self, context: FileContext, param: cst.Param) -> None:
        annotation = unwrap_optional(param.annotation.annotation)
        # A type alias or `scoped_session` has no twin to write in place.
        if db_name(context, annotation) == "Session":
            self.switched[param] = (annotation, async_counterpart(context, annotation))
        else:
            self.possible = False

    def learn_call(self, handle: Handle, method: str, ancestors: Sequence[cst.CSTNode]) -> None:
        """A database call in the function: await it, or give up when it would stay sync."""
        runs_here = self._runs_in_the_function(ancestors) and self._becomes_async(handle, ancestors[-1])
        placement = place_await(ancestors) if runs_here else None
        # `.query(...)`, `.begin()`, `bulk_*` have no coroutine twin; `with db.connection()` needs `async with`.
        if placement is None or not handle.awaits_when_async(method) or isinstance(ancestors[-2], cst.WithItem):
            self.possible = False
        else:
            self.awaits.append(placement)

    def _runs_in_the_function(self, ancestors: Sequence[cst.CSTNode]) -> bool:
        """Whether the call is in the function's own body or in an `async def` nested in it: in a plain `def`
        nested in it (a closure over the session), an `await` cannot go and the call would get a coroutine."""
        innermost = next((node for node in reversed(ancestors) if isinstance(node, cst.FunctionDef)), None)
        return innermost is self.function or (innermost is not None and innermost.asynchronous is not None)

    def _becomes_async(self, handle: Handle, call: cst.Call) -> bool:
        if handle.is_async is not None:
            return handle.is_async or handle.parameter in self.switched
        # Known by name: a parameter or `self.db` may hold an `AsyncSession`, but a `with` target
        # would need an `async with` around it.
        return handle.parameter in self.parameters or isinstance(call.func.value, cst.Attribute)
