"""Where a file calls its own functions: what making one `async def` must await with it (CL503).

A module-level function is called by its name (`find(...)`), a method through
`self` or `cls` (`self.find(...)`). Any other use of the name (a callback handed
on, a decorator's registration, `scheduler.add_job(find)`) would get a coroutine
nobody awaits, except `Depends(find)`: FastAPI awaits what it is given. Nor may another file of
the project reach it (the project model's `Vocabulary.reached_elsewhere`): a module-level
function its imports name, a method of a module any of whose names they import (an instance
of its class may come through any of them), nor a base class (a method of a class with one may
override the base's, which calls it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.recognize.awaits import AwaitPlacement, place_await

if TYPE_CHECKING:
    from conventions_lint.context import FileContext


@dataclass(frozen=True)
class _Call:
    caller: cst.FunctionDef | None
    awaited: bool
    placement: AwaitPlacement | None


class FunctionUses:
    """Fed by a rule's visitors as the walk goes; asked once the module is left."""

    def __init__(self, context: FileContext) -> None:
        self.context = context
        self._methods: set[cst.FunctionDef] = set()
        # Methods of a class with a base: the base (defined elsewhere) may call them, as their overrides.
        self._overriding: set[cst.FunctionDef] = set()
        self._module_level: set[cst.FunctionDef] = set()
        self._calls: dict[str, list[_Call]] = defaultdict(list)
        # Names used other than by a call or in `Depends(...)`, counted.
        self._other_uses: dict[str, int] = defaultdict(int)

    def define(self, function: cst.FunctionDef) -> None:
        if self.context.enclosing_function not in (None, function):
            return
        owner = self.context.enclosing_class
        (self._methods if owner is not None else self._module_level).add(function)
        if owner is not None and any(_last(base.value) != "object" for base in owner.bases):
            self._overriding.add(function)

    def see_call(self, call: cst.Call) -> None:
        key = _key(call.func)
        if key is not None:
            ancestors = self.context.ancestors
            self._calls[key].append(
                _Call(self.context.enclosing_function, isinstance(ancestors[-2], cst.Await), place_await(ancestors))
            )

    def see_name(self, node: cst.Name) -> None:
        parent = self.context.parent
        kind = type(parent)
        if (
            (kind is cst.Call and parent.func is node)
            or (kind is cst.Attribute and parent.attr is node)
            or ((kind is cst.FunctionDef or kind is cst.ClassDef) and parent.name is node)
            or (kind is cst.Arg and parent.keyword is node)
            or self._in_depends()
        ):
            return
        self._other_uses[node.value] += 1

    def see_attribute(self, node: cst.Attribute) -> None:
        parent = self.context.parent
        key = _key(node)
        if key is not None and not (isinstance(parent, cst.Call) and parent.func is node) and not self._in_depends():
            self._other_uses[key] += 1

    def awaitable_calls(self, function: cst.FunctionDef) -> list[AwaitPlacement] | None:
        """The calls to await once `function` is `async def`; None when one cannot be awaited (it is in
        a plain `def`, at module level, in a lambda), the function is used other than called, or another
        file or a base class may call it."""
        key = f"self.{function.name.value}" if function in self._methods else function.name.value
        if self._other_uses.get(key) or self._reached_elsewhere(function):
            return None
        placements = []
        for call in self._calls.get(key, ()):
            # A call in a plain `def` (the function itself, recursing, included), at module level or in a lambda.
            if call.caller is None or call.caller.asynchronous is None or call.placement is None:
                return None
            if not call.awaited:
                placements.append(call.placement)
        return placements

    def _reached_elsewhere(self, function: cst.FunctionDef) -> bool:
        vocabulary = self.context.vocabulary
        if function in self._methods:
            return function in self._overriding or vocabulary.reached_elsewhere(None)
        return function in self._module_level and vocabulary.reached_elsewhere(function.name.value)

    def _in_depends(self) -> bool:
        ancestors = self.context.ancestors
        return (
            len(ancestors) > 2
            and type(ancestors[-2]) is cst.Arg
            and type(ancestors[-3]) is cst.Call
            and _last(ancestors[-3].func) == "Depends"
        )


def _key(func: cst.BaseExpression) -> str | None:
    if type(func) is cst.Name:
        return func.value
    if type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value in ("self", "cls"):
        return f"self.{func.attr.value}"
    return None


def _last(func: cst.BaseExpression) -> str | None:
    if type(func) is cst.Name:
        return func.value
    return func.attr.value if type(func) is cst.Attribute else None
