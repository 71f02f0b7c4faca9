"""What a rename may follow, read from a module's text for its summary: the functions under a route
decorator and the imports of indented lines (project_model/renamable.py)."""

from __future__ import annotations

import re

# Any receiver (`@router.get(`, `@(app).post(`, `@api.v1.put(`): wider than the rule's, never narrower.
ROUTE_DECORATOR = re.compile(r"^[ \t]*@[^\n]*\.[ \t]*(?:get|post|put|patch|delete|api_route)[ \t]*\(", re.MULTILINE)
_DEF = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)", re.MULTILINE)
# An import at any indentation (a function's, or one the summary could not parse): the module and its names.
_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n]*)", re.MULTILINE)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w., \t]+)", re.MULTILINE)
_AS = re.compile(r"[ \t]+as[ \t]+")


def route_handlers(text: str) -> list[str]:
    """The functions under a route decorator, at any depth."""
    found = []
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
