"""Editing a call's arguments in the call's own layout: one argument a line stays one a line."""

from __future__ import annotations

import libcst as cst


def with_argument(call: cst.Call, index: int, value: str | cst.BaseExpression, name: str | None = None) -> cst.Call:
    """`call` with one more argument at `index`, laid out like its neighbours (one a line stays one a line).

    Comments stay on the line of the argument they follow.
    """
    expression = cst.parse_expression(value) if isinstance(value, str) else value
    arg = cst.Arg(
        expression,
        keyword=cst.Name(name) if name else None,
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
        if name
        else cst.MaybeSentinel.DEFAULT,
    )
    args = list(call.args)
    if not args:
        return call.with_changes(args=[arg])
    separator = _separator(call)
    if index < len(args):
        args.insert(index, arg.with_changes(comma=separator))
        return call.with_changes(args=args)
    last = args[-1]
    trailing = last.comma if isinstance(last.comma, cst.Comma) else None
    # The whitespace before `)` now ends the new argument; the last one keeps its comment.
    end = trailing.whitespace_after if trailing is not None else last.whitespace_after_arg
    link = _comma(last, _rejoined(end, separator.whitespace_after))
    if trailing is not None:
        args[-1] = last.with_changes(comma=link)
        args.append(arg.with_changes(comma=trailing.with_changes(whitespace_after=_bare(end))))
    else:
        args[-1] = last.with_changes(comma=link, whitespace_after_arg=cst.SimpleWhitespace(""))
        args.append(arg.with_changes(whitespace_after_arg=_bare(end)))
    return call.with_changes(args=args)


def without_argument(call: cst.Call, removed: cst.Arg) -> cst.Call:
    """`call` without the argument `removed` (and its comment); a trailing comma stays where it was."""
    args = list(call.args)
    index = next(i for i, arg in enumerate(args) if arg is removed)
    del args[index]
    if not args:
        return call.with_changes(args=(), whitespace_before_args=cst.SimpleWhitespace(""))
    if index == len(args):
        # The argument before it now ends the call, keeping its own comment.
        previous = args[-1]
        if isinstance(removed.comma, cst.Comma):
            end = _rejoined(previous.comma.whitespace_after, removed.comma.whitespace_after)
            args[-1] = previous.with_changes(comma=_comma(previous, end))
        else:
            end = _rejoined(previous.comma.whitespace_after, removed.whitespace_after_arg)
            args[-1] = previous.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=end)
    return call.with_changes(args=args)


def _separator(call: cst.Call) -> cst.Comma:
    """The comma between two arguments, as this call writes it, without any comment."""
    for arg in call.args[:-1]:
        if isinstance(arg.comma, cst.Comma):
            return cst.Comma(whitespace_after=_bare(arg.comma.whitespace_after))
    if isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace):
        return cst.Comma(whitespace_after=_bare(call.whitespace_before_args))
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _comma(arg: cst.Arg, whitespace_after: cst.BaseParenthesizableWhitespace) -> cst.Comma:
    if isinstance(arg.comma, cst.Comma):
        return arg.comma.with_changes(whitespace_after=whitespace_after)
    return cst.Comma(whitespace_after=whitespace_after)


def _rejoined(
    kept: cst.BaseParenthesizableWhitespace, towards: cst.BaseParenthesizableWhitespace
) -> cst.BaseParenthesizableWhitespace:
    """Whitespace keeping the comment of `kept` on its line and going on to the line `towards` leads to."""
    if isinstance(kept, cst.ParenthesizedWhitespace) and isinstance(towards, cst.ParenthesizedWhitespace):
        return kept.with_changes(indent=towards.indent, last_line=towards.last_line)
    return towards


def _bare(whitespace: cst.BaseParenthesizableWhitespace) -> cst.BaseParenthesizableWhitespace:
    if isinstance(whitespace, cst.ParenthesizedWhitespace):
        return whitespace.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    return whitespace
