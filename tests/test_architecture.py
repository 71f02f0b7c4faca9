"""The package's layers: its import graph has no cycle, and every rule is registered.

The graph is read from the source, not from what an import run happens to load: every
import counts, those under `if TYPE_CHECKING:` and inside functions too, since each of
them is a dependency that one innocent change can turn into a "partially initialized
module" error. Importing `a.b.c` runs `a` and `a.b` first, so it depends on them as well,
unless they are packages of the importing module itself (those were imported before it).
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import conventions_lint
from conventions_lint.registry import ALL_RULES, discover_rules
from conventions_lint.rule import Rule

PACKAGE = Path(conventions_lint.__file__).parent


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module name -> the modules of `package` it imports, by any import statement anywhere in it."""
    modules: dict[str, Path] = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        this_package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = this_package.split(".")[: len(this_package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                # `from a import b` imports the module `a.b` when there is one, else a name of `a`.
                imported.add(base)
                imported.update(f"{base}.{alias.name}" for alias in node.names)
        own_packages = set(_with_ancestors(name))
        implied = {package for target in imported for package in _with_ancestors(target)[:-1]} - own_packages
        graph[name] = {module for module in imported | implied if module in modules and module != name}
    return graph


def _with_ancestors(dotted: str) -> list[str]:
    parts = dotted.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts) + 1)]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            successor = next(successors, None)
            if successor is not None:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_package_imports_without_a_cycle() -> None:
    assert cycles(import_graph(PACKAGE)) == []


def test_a_cycle_through_type_checking_and_function_imports_is_found(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from pkg import low\n")
    (package / "top.py").write_text("from pkg.sub import middle\n")
    (package / "sub" / "middle.py").write_text("from ..low import thing\n")
    (package / "low.py").write_text(
        textwrap.dedent(
            """
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from pkg.top import T
            def f():
                import pkg.sub
            thing = 1
            """
        )
    )
    graph = import_graph(package)
    assert graph["pkg.top"] == {"pkg.sub", "pkg.sub.middle"}
    assert graph["pkg.sub.middle"] == {"pkg.low"}
    assert cycles(graph) == [["pkg.low", "pkg.sub", "pkg.sub.middle", "pkg.top"]]


def _subclasses(cls: type) -> set[type]:
    found = set()
    for subclass in cls.__subclasses__():
        found |= {subclass, *_subclasses(subclass)}
    return found


def test_every_rule_class_of_the_package_is_registered() -> None:
    defined = {rule for rule in _subclasses(Rule) if rule.__module__.startswith("conventions_lint.rules.")}
    assert defined == set(ALL_RULES)
    assert [rule.code for rule in ALL_RULES] == sorted({rule.code for rule in ALL_RULES})


def test_a_new_rule_module_needs_no_list_to_be_registered(tmp_path: Path, monkeypatch) -> None:
    package = tmp_path / "more_rules"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "extra.py").write_text(
        "from conventions_lint.rule import Rule\n\n\nclass Extra(Rule):\n    code = 'CL999'\n    name = 'extra'\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import more_rules

    assert [(rule.code, rule.__module__) for rule in discover_rules(more_rules)] == [("CL999", "more_rules.extra")]
