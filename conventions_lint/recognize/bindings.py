"""Which binding each name of a file refers to, on the rules' walk: Python's scoping rules, as
LibCST's ScopeProvider applies them, without the second traversal of the module it costs.

A rename must change the function and every reference to it, and nothing else: not a
parameter, a local or another function's variable of the same name. Each `Name` is placed
in its scope as it is passed (a default value or a decorator belongs to the scope around
the function, a comprehension's first iterable to the one around the comprehension), and
the loads are resolved when the module is left, once every scope's bindings are known: a
function scope sees the functions around it and the module, never a class body around it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import libcst as cst

from conventions_lint.names import dotted_name
from conventions_lint.recognize.syntax import literal_value
from conventions_lint.visitor import Service


@dataclass(frozen=True)
class _NodeTypes:
    """Sets of concrete node types, tested with `type(node) in ...` (`isinstance` goes through ABCMeta,
    walker.py); made at the first walk, not at import: a run answered from the cache never loads
    LibCST (lazy_libcst.py)."""

    comprehensions: frozenset[type]
    scopes: frozenset[type]
    # Where the scope of a node's children may differ from its own.
    boundaries: frozenset[type]
    containers: frozenset[type]
    # The field of a statement or expression that binds the name (or the tuple of names) it holds.
    binding_fields: dict[type, str]


@cache
def _types() -> _NodeTypes:
    comprehensions = frozenset({cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp})
    scopes = frozenset({cst.FunctionDef, cst.Lambda, cst.ClassDef, *comprehensions})
    return _NodeTypes(
        comprehensions=comprehensions,
        scopes=scopes,
        boundaries=frozenset({*scopes, cst.Parameters, cst.Param, cst.CompFor}),
        containers=frozenset({cst.Tuple, cst.List, cst.Element, cst.StarredElement}),
        binding_fields={
            cst.AssignTarget: "target",
            cst.AnnAssign: "target",
            cst.AugAssign: "target",
            cst.For: "target",
            cst.CompFor: "target",
            cst.AsName: "name",
            cst.NamedExpr: "target",
            cst.Del: "target",
            cst.FunctionDef: "name",
            cst.ClassDef: "name",
            cst.Param: "name",
            cst.MatchAs: "name",
            cst.MatchStar: "name",
            cst.MatchMapping: "rest",
        },
    )


@dataclass
class Scope:
    kind: type
    parent: Scope | None
    # Name -> how many times the scope binds it (assignments, definitions, imports, `del`).
    bound: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    declared_global: set[str] = field(default_factory=set)
    declared_nonlocal: set[str] = field(default_factory=set)

    def binds(self, name: str) -> bool:
        return name in self.bound and name not in self.declared_nonlocal and name not in self.declared_global


@dataclass(frozen=True)
class Load:
    """A name read where it stands, and the attributes read off it (`users.get_user`: `get_user`).

    `statements`: those it stands in, outermost first, kept for a name imported above it (whose
    place another file's rename may need: placing a node costs the code of its innermost statement).
    """

    node: cst.Name
    scope: Scope
    attributes: tuple[cst.Name, ...]
    statements: tuple[cst.CSTNode, ...] = ()


@dataclass(frozen=True)
class ImportBinding:
    """A name an import binds: `from app.x import f` binds `f` to `app.x.f` (`alias` is the `f` that names
    it in the import), `import app.x as m` binds `m` to the module `app.x`."""

    scope: Scope
    local: str
    target: str
    alias: cst.Name | None
    renamed: bool
    is_module: bool
    # The statements the import stands in, outermost first: where `alias` is placed from.
    statements: tuple[cst.CSTNode, ...] = ()


class Bindings(Service):
    """The scopes of a file and what each load of a name refers to (`loads_of`, once the module is left)."""

    # What a failure of it says (CL002), when no rule uses it: the fact collector does.
    code = "bindings"
    name = "name-bindings"

    def __init__(self, context) -> None:
        super().__init__(context)
        # Whether the walk fed it to the end: if it failed on the way, what it knows is not all there is.
        self.complete = False
        self.module_scope = Scope(cst.Module, None)
        self._scopes: dict[int, Scope] = {}
        self._loads: list[Load] = []
        self._resolved: dict[tuple[int, str], list[Load]] | None = None
        self.imports: list[ImportBinding] = []
        # Modules imported with `*` (relative ones with their dots), in the scope that imports them.
        self.star_imports: list[str] = []
        # Every identifier the file spells as a name (not as an attribute or a keyword), whatever it stands
        # for: what a new name must not be.
        self.spelled: set[str] = set()
        # Identifier-like string constants (`url_path_for("get_user")`, `getattr(m, "f")`) and the
        # strings of the module's `__all__`, which name its module-level bindings.
        self.strings: dict[str, list[cst.SimpleString]] = defaultdict(list)
        self.exported: dict[str, list[cst.SimpleString]] = defaultdict(list)
        # The statement each of those strings stands in, by id: where it is placed from.
        self.exported_in: dict[int, tuple[cst.CSTNode, ...]] = {}
        self._import_depth = 0
        self._imported: set[str] = set()
        # The scope each node passed stands in, by id (the tree outlives the walk): its children's too.
        self._standing: dict[int, Scope] = {}

    def loads_of(self, scope: Scope, name: str) -> list[Load]:
        """The loads that refer to `scope`'s binding of `name` (the module's for a module-level one)."""
        if self._resolved is None:
            self._resolved = defaultdict(list)
            for load in self._loads:
                target = _resolve(load.scope, load.node.value, self.module_scope)
                if target is not None:
                    self._resolved[(id(target), load.node.value)].append(load)
        return self._resolved.get((id(scope), name), [])

    def visit_Module(self, node: cst.Module) -> None:
        self._scopes[id(node)] = self.module_scope

    def leave_Module(self, node: cst.Module) -> None:
        self.complete = True

    def _enter(self, node: cst.CSTNode) -> None:
        self._scopes[id(node)] = Scope(type(node), self._scope_around(len(self.context.ancestors) - 1))

    visit_FunctionDef = visit_Lambda = visit_ClassDef = _enter
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _enter

    def visit_Import(self, node: cst.Import) -> None:
        self._import_depth += 1
        scope = self._scope_around(len(self.context.ancestors) - 1)
        for alias in node.names:
            module = dotted_name(alias.name) or ""
            if alias.asname is not None:
                local = alias.asname.name.value
                self.imports.append(ImportBinding(scope, local, module, None, True, True))
            else:
                local = module.split(".")[0]  # `import app.x` binds `app`, and imports `app.x`
                self.imports.append(ImportBinding(scope, local, module, None, False, True))
            scope.bound[local] += 1
            self.spelled.add(local)
            self._imported.add(local)

    def leave_Import(self, node: cst.Import) -> None:
        self._import_depth -= 1

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._import_depth += 1
        scope = self._scope_around(len(self.context.ancestors) - 1)
        module = "." * len(node.relative) + (dotted_name(node.module) or "" if node.module is not None else "")
        if isinstance(node.names, cst.ImportStar):
            self.star_imports.append(module)
            return
        statements = self.context.statements()
        for alias in node.names:
            name = alias.name
            if not isinstance(name, cst.Name):
                continue
            target = f"{module}.{name.value}" if module.rstrip(".") else module + name.value
            renamed = alias.asname is not None and isinstance(alias.asname.name, cst.Name)
            local = alias.asname.name.value if renamed else name.value
            # `from app import services` binds a module or a name: which, only the project knows.
            self.imports.append(ImportBinding(scope, local, target, name, renamed, False, statements))
            scope.bound[local] += 1
            self.spelled.update((local, name.value))
            self._imported.add(local)

    def leave_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._import_depth -= 1

    def visit_Global(self, node: cst.Global) -> None:
        scope = self._scope_around(len(self.context.ancestors) - 1)
        scope.declared_global.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        scope = self._scope_around(len(self.context.ancestors) - 1)
        scope.declared_nonlocal.update(item.name.value for item in node.names)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = literal_value(node)
        if not isinstance(value, str) or not value.isidentifier():
            return
        ancestors = self.context.ancestors
        if _in_dunder_all(ancestors, self.module_scope is self._scope_around(len(ancestors) - 1)):
            self.exported[value].append(node)
            self.exported_in[id(node)] = self.context.statements()
        else:
            self.strings[value].append(node)

    def visit_Name(self, node: cst.Name) -> None:
        ancestors = self.context.ancestors
        parent = ancestors[-2] if len(ancestors) > 1 else None
        if (
            (type(parent) is cst.Attribute and parent.attr is node)  # another object's attribute
            or (type(parent) is cst.Arg and parent.keyword is node)  # a parameter's name at a call
        ):
            return
        self.spelled.add(node.value)
        if self._import_depth or type(parent) is cst.NameItem:  # bound by `visit_Import*`, `visit_Global`
            return
        binder = _binder(ancestors)
        if binder is None:
            self._add_load(node, ancestors)
            return
        if type(binder) is cst.AugAssign:
            self._add_load(node, ancestors)
        scope = self._scope_around(len(ancestors) - 1)
        if type(binder) is cst.NamedExpr:
            while scope.kind in _types().comprehensions:  # an assignment expression binds around the comprehension
                scope = scope.parent
        if node.value in scope.declared_global:
            scope = self.module_scope
        scope.bound[node.value] += 1

    def _add_load(self, node: cst.Name, ancestors: list[cst.CSTNode]) -> None:
        attributes, index = [], len(ancestors) - 2
        while index >= 0 and type(ancestors[index]) is cst.Attribute and ancestors[index].value is ancestors[index + 1]:
            attributes.append(ancestors[index].attr)
            index -= 1
        statements = self.context.statements() if node.value in self._imported else ()
        self._loads.append(Load(node, self._scope_around(len(ancestors) - 1), tuple(attributes), statements))

    def _scope_around(self, index: int) -> Scope:
        """The scope the node at `ancestors[index]` stands in: its parent's, known once a sibling asked,
        unless the parent is where a scope begins (a function, its parameters, a comprehension's `for`)."""
        ancestors = self.context.ancestors
        pending, at, scope = [], index - 1, None
        boundaries = _types().boundaries
        while at >= 0 and type(ancestors[at]) not in boundaries:
            scope = self._standing.get(id(ancestors[at]))
            if scope is not None:
                break
            pending.append(ancestors[at])
            at -= 1
        if scope is None:
            scope = self._climb(index)
        for node in pending:
            self._standing[id(node)] = scope
        return scope

    def _climb(self, index: int) -> Scope:
        ancestors, scopes = self.context.ancestors, _types().scopes
        for at in range(index - 1, -1, -1):
            holder = ancestors[at]
            if type(holder) in scopes and _is_inside(holder, ancestors[at + 1 :]):
                return self._scopes[id(holder)]
        return self.module_scope


def _is_inside(scope: cst.CSTNode, below: list[cst.CSTNode]) -> bool:
    """Whether the node at the end of `below` (the path down from `scope`) is in `scope`'s own namespace:
    a function's parameters' names and body, not their defaults, annotations or decorators; a class's
    body; a comprehension but its first iterable."""
    child = below[0]
    if isinstance(scope, (cst.FunctionDef, cst.Lambda)):
        if child is scope.body:
            return True
        if child is scope.params and len(below) > 2 and isinstance(below[1], cst.Param):
            return below[2] is below[1].name
        return False
    if isinstance(scope, cst.ClassDef):
        return child is scope.body
    if child is scope.for_in:
        return not (len(below) > 1 and below[1] is scope.for_in.iter)
    return True


def _binder(ancestors: list[cst.CSTNode]) -> cst.CSTNode | None:
    """The statement or expression that binds the name at the end of `ancestors`, if it is a target."""
    index = len(ancestors) - 1
    types = _types()
    while index > 0 and type(ancestors[index - 1]) in types.containers:
        container = ancestors[index - 1]
        if type(container) in (cst.Tuple, cst.List) and not any(e is ancestors[index] for e in container.elements):
            return None
        index -= 1
    if index == 0:
        return None
    holder, child = ancestors[index - 1], ancestors[index]
    attribute = types.binding_fields.get(type(holder))
    return holder if attribute is not None and getattr(holder, attribute) is child else None


def _resolve(scope: Scope, name: str, module: Scope) -> Scope | None:
    """The scope whose binding `name` read in `scope` is, None for a builtin or an unbound name."""
    if name in scope.declared_global:
        return module if name in module.bound else None
    current: Scope | None = scope
    while current is not None:
        if (current is scope or current.kind is not cst.ClassDef) and current.binds(name):
            return current
        current = current.parent
    return None


def _in_dunder_all(ancestors: list[cst.CSTNode], at_module_level: bool) -> bool:
    """Whether the string at the end of `ancestors` is an item of the module's `__all__ = [...]` (or `+=`)."""
    if not at_module_level or len(ancestors) < 4:
        return False
    element, sequence, statement = ancestors[-2], ancestors[-3], ancestors[-4]
    if not isinstance(element, cst.Element) or not isinstance(sequence, (cst.List, cst.Tuple)):
        return False
    if isinstance(statement, (cst.Assign, cst.AugAssign, cst.AnnAssign)) and statement.value is sequence:
        targets = [t.target for t in statement.targets] if isinstance(statement, cst.Assign) else [statement.target]
        return any(isinstance(target, cst.Name) and target.value == "__all__" for target in targets)
    return False
