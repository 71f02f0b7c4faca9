"""The first phase: what a module defines and imports, read without LibCST and without parsing it whole.

Every file of a project is summarised before any rule runs, so this has to cost a small
fraction of a lint: the source is cut into its top-level statements (a line that starts
at column 0), and only the small ones that can name something another module uses are
given to CPython's parser (imports, `X = ...`, a class's header, a function's return
annotation). Class bodies are read by their lines. A statement this cannot read (a
top-level string that breaks the cut, syntax newer than the interpreter) is left out:
the summary then knows less, and what it does not know is never guessed.
"""

from __future__ import annotations

import ast
import keyword
import re
import textwrap
import warnings
from functools import lru_cache

from conventions_lint.project_model.expressions import argument, dotted, first_argument, is_annotated, unwrapped
from conventions_lint.project_model.module_summary import CallSummary, ClassSummary, ModuleSummary
from conventions_lint.project_model.rename_scan import other_imports, route_handlers
from conventions_lint.project_model.schema_uses import annotation_names, names_in, route_types, validated
from conventions_lint.project_model.tables import computed_rule, written_table

# A top-level statement starts at column 0 with a name, a keyword or a decorator.
_NEXT_STATEMENT = re.compile(r"\n[A-Za-z_@]")
_FIRST_WORD = re.compile(r"@|[A-Za-z_]\w*")
# One-line imports, read without the parser: `from a.b import c, d as e` and `import a.b as c, d`.
_SIMPLE_FROM = re.compile(r"from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+([\w, \t]+?)[ \t]*(?:#[^\n]*)?\n?")
_SIMPLE_IMPORT = re.compile(r"import[ \t]+([\w., \t]+?)[ \t]*(?:#[^\n]*)?\n?")
_AS = re.compile(r"[ \t]+as[ \t]+")
# A return annotation worth reading names a class: `-> Session`, `-> Optional["Router"]`, not `-> None` or `-> int`.
# `type UserId = int` (Python 3.12): the value alone is read, so an older interpreter reads it too.
_TYPE_STATEMENT = re.compile(r"type[ \t]+([A-Za-z_]\w*)[ \t]*(?:\[[^\]\n]*\])?[ \t]*=[ \t]*([^\n]+)")
_RETURNS = re.compile(r"->[ \t]*(?!None[ \t]*:)[^\n]*[A-Z]")
_ASSIGNMENT = re.compile(r"([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*([A-Za-z_(\[])?")
# Annotations that do not say what class the value is an instance of.
_SAYS_NOTHING_OF_THE_VALUE = frozenset({"TypeAlias", "Final", "Any", "object", "type", "Type"})
_COMPOUND = frozenset({"if", "elif", "else", "try", "except", "finally", "with"})
# What `_header_end` looks at: quotes, comments, brackets and the colon.
_HEADER_SPECIAL = re.compile(r"[\"'#()\[\]{}:]")
_DECORATED_DEF = re.compile(r"@[\w. ]*declared_attr\b[^\n]*\n(?:[ \t]*@[^\n]*\n)*[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)")
# `Generator[T, ...]`: what a dependency function yields, which is what `Depends(f)` hands over.
_GENERATORS = frozenset({"Generator", "AsyncGenerator", "Iterator", "AsyncIterator", "Iterable", "AsyncIterable"})


def summarize(text: str) -> ModuleSummary:
    summary = ModuleSummary()
    starts = [0, *(match.start() + 1 for match in _NEXT_STATEMENT.finditer(text))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes and the like are the linted code's business
        for start, end in zip(starts, [*starts[1:], len(text)]):
            _read_statement(summary, text[start:end])
    summary.handlers = route_handlers(text)
    if summary.handlers:
        routes = route_types(text)
        summary.route_types, summary.answer_types, summary.query_types = (
            routes.spelled,
            routes.answered,
            routes.criteria,
        )
        summary.route_built, summary.route_returned = routes.built, routes.returned
    summary.validated = validated(text)
    if "import" in text:
        summary.other_imports = other_imports(text, {*summary.imports.values(), *summary.star_imports})
    return summary


def _read_statement(summary: ModuleSummary, segment: str) -> None:
    word = _FIRST_WORD.match(segment)
    first = word.group() if word is not None else ""
    if first in ("from", "import"):
        if not _read_simple_import(summary, segment.rstrip("\n") + "\n"):
            _read_imports(summary, _parsed(segment))
    elif first == "class":
        _read_class(summary, segment)
    elif first in ("def", "async"):
        _read_function(summary, segment)
    elif first == "@":
        _read_decorated(summary, segment)
    elif first in _COMPOUND:
        if "import" in segment:
            _read_block_imports(summary, segment)
    elif first == "type" and (alias := _TYPE_STATEMENT.match(segment)) is not None:
        _read_type_statement(summary, alias)
    elif first:
        _read_assignment(summary, segment)


def _read_simple_import(summary: ModuleSummary, segment: str) -> bool:
    """A one-line import without parentheses, read by a regex (most imports are); False for another shape."""
    simple = _SIMPLE_FROM.fullmatch(segment)
    if simple is not None:
        module = simple.group(1)
        for name in simple.group(2).split(","):
            parts = _AS.split(name.strip())
            if len(parts) > 2 or not parts[0].isidentifier():
                return False
            joined = f"{module}.{parts[0]}" if module.rstrip(".") else module + parts[0]
            summary.imports[parts[-1]] = joined
        return True
    simple = _SIMPLE_IMPORT.fullmatch(segment)
    if simple is not None:
        for name in simple.group(1).split(","):
            parts = _AS.split(name.strip())
            if len(parts) == 2:
                summary.imports[parts[1]] = parts[0]
            elif len(parts) == 1 and parts[0]:
                top = parts[0].split(".")[0]
                summary.imports[top] = top
            else:
                return False
        return True
    return False


def _parsed(code: str) -> list[ast.stmt]:
    try:
        return ast.parse(code).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []


def _read_imports(summary: ModuleSummary, statements: list[ast.stmt]) -> None:
    for statement in statements:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname is not None:
                    summary.imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    summary.imports[top] = top
        elif isinstance(statement, ast.ImportFrom):
            module = "." * statement.level + (statement.module or "")
            for alias in statement.names:
                if alias.name == "*":
                    summary.star_imports.append(module)
                    continue
                joined = f"{module}.{alias.name}" if module.rstrip(".") else module + alias.name
                summary.imports[alias.asname or alias.name] = joined
        elif isinstance(statement, (ast.If, ast.Try, ast.With)):
            blocks = [statement.body, getattr(statement, "orelse", []), getattr(statement, "finalbody", [])]
            blocks += [handler.body for handler in getattr(statement, "handlers", [])]
            for block in blocks:
                _read_imports(summary, block)


def _read_block_imports(summary: ModuleSummary, segment: str) -> None:
    """`if TYPE_CHECKING:` / `try:` blocks: their imports count as the module's (as `ImportMap` reads them)."""
    _, _, body = segment.partition("\n")
    _read_imports(summary, _parsed(textwrap.dedent(body)))


def _header_end(segment: str) -> int:
    """Where a `class`/`def` header ends: after the `:` that closes it at bracket depth 0; -1 if unseen."""
    line_end = segment.find("\n")
    first_line = segment if line_end < 0 else segment[:line_end]
    code = first_line.partition("#")[0].rstrip()
    if code.endswith(":") and code.count("(") == code.count(")") and "'" not in code and '"' not in code:
        return len(code)
    depth, index = 0, 0
    # From one character that matters to the next, found by the regex engine, not a loop over each character.
    while (found := _HEADER_SPECIAL.search(segment, index)) is not None:
        index, char = found.start(), found.group()
        if char in "\"'#":
            # A string runs to its quote, a comment to its line's end.
            index = segment.find("\n" if char == "#" else char, index + 1)
            if index < 0:
                return -1
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0:
            return index + 1
        index += 1
    return -1


def _read_class(summary: ModuleSummary, segment: str) -> None:
    end = _header_end(segment)
    if end < 0:
        return
    parsed = _parsed(segment[:end] + " pass")
    if not parsed or not isinstance(parsed[0], ast.ClassDef):
        return
    node = parsed[0]
    found = ClassSummary([dotted(base) or "" for base in node.bases])
    _read_class_body(found, segment[end:])
    summary.classes[node.name] = found


def _read_class_body(found: ClassSummary, body: str) -> None:
    indent = _BODY_INDENT.search(body)
    if indent is None:
        return
    for match in _body_names(indent.group(1)).finditer(body):
        name = match.group(1)
        if keyword.iskeyword(name):
            continue
        found.attributes.append(name)
        if match.group(2) == ":":
            found.field_types += annotation_names(body, match.end())
        if name == "__abstract__":
            found.abstract = body.startswith("True", match.end()) or body[match.end() :].lstrip().startswith("True")
        elif name in ("impl", "type_annotation_map", "__tablename__"):
            statement = _statement_at(body, match.start(), indent.group(1))
            if name == "impl":
                _read_impl(found, statement)
            elif name == "__tablename__":
                found.table, found.table_rule = written_table(statement)
            else:
                _read_annotation_map(found, statement)
    for match in _DECORATED_DEF.finditer(body):
        found.attributes.append(match.group(1))
        if match.group(1) == "__tablename__":
            definition = body.rfind("\n", 0, match.start(1)) + 1
            found.table_rule = computed_rule(_statement_at(body, definition, indent.group(1)))


# The indentation of a class body: that of its first line of code.
_BODY_INDENT = re.compile(r"\n([ \t]+)[^ \t\n#]")


@lru_cache(maxsize=16)
def _body_names(indent: str) -> re.Pattern[str]:
    """`name = ...`, `name: T = ...`, `name: T` at exactly this indentation."""
    return re.compile(rf"^{re.escape(indent)}([A-Za-z_]\w*)[ \t]*(:|=(?!=))[ \t]*", re.MULTILINE)


def _statement_at(body: str, start: int, indent: str) -> ast.stmt | None:
    """The statement that starts at `start`, with the lines indented deeper that continue it."""
    lines = body[start:].split("\n")
    taken = [lines[0]]
    for line in lines[1:]:
        if line.strip() and not line.startswith(indent + " ") and not line.lstrip().startswith((")", "]", "}")):
            break
        taken.append(line)
    parsed = _parsed(textwrap.dedent("\n".join(taken)))
    return parsed[0] if parsed else None


def _read_impl(found: ClassSummary, statement: ast.stmt | None) -> None:
    value = getattr(statement, "value", None)
    if isinstance(value, ast.Call):
        found.impl, found.impl_has_arguments = dotted(value.func), bool(value.args or value.keywords)
    elif value is not None:
        found.impl = dotted(value)


def _read_annotation_map(found: ClassSummary, statement: ast.stmt | None) -> None:
    value = getattr(statement, "value", None)
    if not isinstance(value, ast.Dict):
        return
    for key, mapped in zip(value.keys, value.values):
        if isinstance(key, ast.Name) and key.id == "str":
            found.str_has_length = isinstance(mapped, ast.Call) and bool(mapped.args or mapped.keywords)


def _read_function(summary: ModuleSummary, segment: str) -> None:
    end = _header_end(segment)
    if end < 0 or not _RETURNS.search(segment, 0, end):
        return
    parsed = _parsed(segment[:end] + " ...")
    if not parsed or not isinstance(parsed[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return
    node = parsed[0]
    returned = unwrapped(node.returns)
    yields = False
    if isinstance(returned, ast.Subscript) and (dotted(returned.value) or "").rsplit(".", 1)[-1] in _GENERATORS:
        returned, yields = unwrapped(first_argument(returned)), True
    name = dotted(returned) if returned is not None else None
    if name:
        summary.functions[node.name] = (name, yields)


def _read_decorated(summary: ModuleSummary, segment: str) -> None:
    lines = segment.split("\n")
    rest = next((index for index, line in enumerate(lines) if not line.startswith(("@", " ", "\t", ")"))), None)
    if rest is None:
        return
    definition = "\n".join(lines[rest:])
    if definition.startswith("class"):
        _read_class(summary, definition)
    elif definition.startswith(("def", "async")):
        _read_function(summary, definition)


def _read_assignment(summary: ModuleSummary, segment: str) -> None:
    match = _ASSIGNMENT.match(segment)
    # Only a value that starts with a name can stand for something (not a literal, a string, a number).
    if match is None or match.group(2) is None or match.group(2) in "([":
        return
    parsed = _parsed(segment)
    if not parsed or not isinstance(parsed[0], (ast.Assign, ast.AnnAssign)):
        return
    statement = parsed[0]
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    if len(targets) != 1 or not isinstance(targets[0], ast.Name) or statement.value is None:
        return
    name, value = targets[0].id, statement.value
    if isinstance(value, (ast.Subscript, ast.BinOp)):
        summary.alias_members[name] = names_in(ast.unparse(value))
    annotation = dotted(statement.annotation) if isinstance(statement, ast.AnnAssign) else None
    declared = dotted(unwrapped(statement.annotation)) if isinstance(statement, ast.AnnAssign) else None
    if declared and declared.rsplit(".", 1)[-1] not in _SAYS_NOTHING_OF_THE_VALUE:
        # The annotation says what the name holds, whatever the value: `engine: Engine | None = None`.
        callee = dotted(value.func) if isinstance(value, ast.Call) else None
        summary.calls[name] = _call_summary(value, callee or "", declared)
        return
    if isinstance(value, ast.Call):
        callee = dotted(value.func)
        if callee:
            summary.calls[name] = _call_summary(value, callee)
    elif is_annotated(value) or (annotation or "").rsplit(".", 1)[-1] == "TypeAlias":
        aliased = dotted(unwrapped(value))
        if aliased:
            summary.type_aliases[name] = aliased
    elif isinstance(value, (ast.Name, ast.Attribute)):
        aliased = dotted(value)
        if aliased:
            summary.aliases[name] = aliased


def _call_summary(value: ast.expr, callee: str, annotation: str | None = None) -> CallSummary:
    if not isinstance(value, ast.Call) or not callee:
        return CallSummary(callee, annotation=annotation)
    return CallSummary(
        callee,
        {kw.arg: argument(kw.value) for kw in value.keywords if kw.arg is not None and argument(kw.value)},
        [argument(arg) for arg in value.args],
        annotation,
    )


def _read_type_statement(summary: ModuleSummary, alias: re.Match[str]) -> None:
    try:
        value = ast.parse(alias.group(2).strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    if isinstance(value, (ast.Subscript, ast.BinOp)):
        summary.alias_members[alias.group(1)] = names_in(alias.group(2))
    aliased = dotted(unwrapped(value))
    if aliased:
        summary.type_aliases[alias.group(1)] = aliased
