"""Where code runs once, alone: a command-line command, a script's main block. A sync engine or session
there blocks no one else's work (CL504)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.names import dotted_name, last_name

if TYPE_CHECKING:
    from conventions_lint.context import FileContext

_CLI_PACKAGES = frozenset({"click", "typer"})
# `@app.command()`, `@cli.group()`, `@app.callback()`, `@click.command`.
_COMMAND_DECORATORS = frozenset({"command", "group", "callback"})


def runs_as_command(context: FileContext) -> bool:
    """Whether the node visited runs in a one-shot command: under the module's `if __name__ ==
    "__main__":`, or in a function decorated as a command of a module importing typer or click
    (`@workspaces.command("migrate")`; an `async def` one runs alone on the loop its wrapper starts)."""
    functions = [node for node in context.ancestors if isinstance(node, cst.FunctionDef)]
    if not functions:
        return any(isinstance(node, cst.If) and _is_main_guard(node.test) for node in context.ancestors)
    imports_cli = any(target.split(".", 1)[0] in _CLI_PACKAGES for target in context.imports.bindings.values())
    return imports_cli and any(_is_command(decorator) for decorator in functions[0].decorators)


def _is_command(decorator: cst.Decorator) -> bool:
    expr = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
    return isinstance(expr, cst.Attribute) and last_name(expr) in _COMMAND_DECORATORS


def _is_main_guard(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"`."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    right = test.comparisons[0].comparator
    return (
        isinstance(test.comparisons[0].operator, cst.Equal)
        and dotted_name(test.left) == "__name__"
        and isinstance(right, cst.SimpleString)
        and right.evaluated_value == "__main__"
    )
