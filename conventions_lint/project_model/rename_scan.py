"""What a rename may follow, read from a module's text for its summary: the functions under a route
decorator and the imports of indented lines (project_model/renamable.py)."""

from __future__ import annotations

import re

_ROUTE_DECORATOR = re.compile(
    r"^[ \t]*@[ \t]*[\w. \t]*\.[ \t]*(?:get|post|put|patch|delete|api_route)[ \t]*\(", re.MULTILINE
)
_DEF = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)", re.MULTILINE)
# An indented import (a function's, or one under `if`/`try`): the module and what it takes from it.
_NESTED_FROM = re.compile(r"^[ \t]+from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n]*)", re.MULTILINE)
_NESTED_IMPORT = re.compile(r"^[ \t]+import[ \t]+([\w., \t]+)", re.MULTILINE)
_AS = re.compile(r"[ \t]+as[ \t]+")


def route_handlers(text: str) -> list[str]:
    """The functions under a route decorator, at any depth."""
    found = []
    for decorator in _ROUTE_DECORATOR.finditer(text):
        definition = _DEF.search(text, decorator.end())
        if definition is not None:
            found.append(definition.group(1))
    return sorted(set(found))


def nested_imports(text: str) -> list[str]:
    """What indented imports name, as `ModuleSummary.imports` writes it: `m.f` for `from m import f`, `m` for `import m`."""
    found = set()
    for match in _NESTED_FROM.finditer(text):
        module = match.group(1)
        names = match.group(2).split("#")[0] if "(" not in match.group(2) else match.group(2)
        for name in re.sub(r"#[^\n]*|[()\\]", " ", names).split(","):
            imported = _AS.split(name.strip())[0].strip()
            if imported.isidentifier() or imported == "*":
                found.add(f"{module}.{imported}" if module.rstrip(".") else module + imported)
        found.add(module)  # what it takes may be unreadable here: the module itself is named either way
    for match in _NESTED_IMPORT.finditer(text):
        found.update(_AS.split(name.strip())[0] for name in match.group(1).split(",") if name.strip())
    return sorted(found)
