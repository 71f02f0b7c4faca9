"""What a rename may follow, read from a module's text for its summary: the functions under a route
decorator and the imports of indented lines (project_model/renamable.py)."""

from __future__ import annotations

import re

# The patterns that scan a whole module for a line's start find it by the newline before it, which the regex
# engine looks for several times faster than a `^` it tries at every character (22 ms to 5 ms a pattern over
# the benchmark's 227 finding-dense files): they search `lines(text)`, whose first line has one too.
# Any receiver (`@router.get(`, `@(app).post(`, `@api.v1.put(`): wider than the rule's, never narrower.
ROUTE_DECORATOR = re.compile(r"\n[ \t]*@[^\n]*\.[ \t]*(?:get|post|put|patch|delete|api_route)[ \t]*\(")
_DEF = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)", re.MULTILINE)
# An import at any indentation (a function's, or one the summary could not parse): the module and its names.
_FROM = re.compile(r"\n[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n]*)")
_IMPORT = re.compile(r"\n[ \t]*import[ \t]+([\w., \t]+)")
_AS = re.compile(r"[ \t]+as[ \t]+")


def lines(text: str) -> str:
    """`text` with a newline before its first line, for the patterns that find a line's start by one."""
    return "\n" + text


def route_handlers(text: str) -> list[str]:
    """The functions under a route decorator, at any depth."""
    found = []
    text = lines(text)
    for decorator in ROUTE_DECORATOR.finditer(text):
        definition = _DEF.search(text, decorator.end())
        if definition is not None:
            found.append(definition.group(1))
    return sorted(set(found))


def other_imports(text: str, read: set[str]) -> list[str]:
    """What the imports of the text name, as `ModuleSummary.imports` writes it (`m.f` for `from m import f`,
    `a` for `import a.b`, `a.b` for `import a.b as m`), and `a.b` for `import a.b` too (the module it reaches,
    importers.py), but those `read` already."""
    found = set()
    text = lines(text)
    for match in _FROM.finditer(text):
        module = match.group(1)
        names = match.group(2).split("#")[0] if "(" not in match.group(2) else match.group(2)
        for name in re.sub(r"#[^\n]*|[()\\]", " ", names).split(","):
            imported = _AS.split(name.strip())[0].strip()
            if imported.isidentifier() or imported == "*":
                found.add(f"{module}.{imported}" if module.rstrip(".") else module + imported)
        if names.rstrip().endswith("\\") or not names.strip():
            found.add(module)  # names continued on the next line: the module alone is known to be imported
    for match in _IMPORT.finditer(text):
        for name in filter(None, map(str.strip, match.group(1).split(","))):
            parts = _AS.split(name)
            found.update({parts[0], parts[0].split(".")[0]} if len(parts) == 1 else {parts[0]})
    return sorted(found - read)
