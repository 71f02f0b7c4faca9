"""What a module defines at its top level, computed once per file on first use."""

from __future__ import annotations

from functools import cached_property

import libcst as cst

from conventions_lint.names import ImportMap, dotted_name, last_name
from conventions_lint.project_model.vocabulary import (
    CLASS,
    EXTERNAL,
    INSTANCE,
    NO_VOCABULARY,
    OPAQUE,
    Meaning,
    Vocabulary,
)
from conventions_lint.recognize.syntax import class_body_statements, is_true, target_name

_PYDANTIC_BASES = {
    "pydantic": frozenset({"BaseModel", "RootModel"}),
    "pydantic_settings": frozenset({"BaseSettings"}),
}
_SETTINGS_BASES = _PYDANTIC_BASES["pydantic_settings"]
_DECLARATIVE_BASES = frozenset({"DeclarativeBase", "DeclarativeBaseNoMeta", "AsyncAttrs", "MappedAsDataclass"})
_DECLARATIVE_FACTORIES = frozenset({"declarative_base"})
_COLUMN_FACTORIES = frozenset({"Column", "mapped_column"})


class ModuleIndex:
    def __init__(self, module: cst.Module, imports: ImportMap, vocabulary: Vocabulary = NO_VOCABULARY) -> None:
        self.imports = imports
        # What the project says the module's names are: it decides wherever it knows a name.
        self.vocabulary = vocabulary
        self.classes: dict[str, cst.ClassDef] = {}
        self._assignments: dict[str, cst.BaseExpression] = {}
        for statement in module.body:
            if isinstance(statement, cst.ClassDef):
                self.classes[statement.name.value] = statement
            elif isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    name = target_name(small)
                    if name is not None and small.value is not None:
                        self._assignments[name] = small.value

    def assignment(self, name: str) -> cst.BaseExpression | None:
        """The value a top-level `name = value` binds, wherever in the module it stands."""
        return self._assignments.get(name)

    def assigned_from_call(self, name: str, package: str, callables: frozenset[str]) -> bool:
        """Whether top-level `name` is bound to a call of one of `callables` from `package`."""
        value = self._assignments.get(name)
        return isinstance(value, cst.Call) and self.imports.refers_to(value.func, package, callables)

    @cached_property
    def pydantic_classes(self) -> frozenset[str]:
        return self._closure(self.is_pydantic_base)

    @cached_property
    def declarative_bases(self) -> frozenset[str]:
        """`Base = declarative_base()` and `class Base(DeclarativeBase)`: bases, not mapped classes."""
        assigned = {
            name for name in self._assignments if self.assigned_from_call(name, "sqlalchemy", _DECLARATIVE_FACTORIES)
        }
        derived = {
            name
            for name, node in self.classes.items()
            if any(self.imports.refers_to(arg, "sqlalchemy", _DECLARATIVE_BASES) for arg in _bases(node))
        }
        return frozenset(assigned | derived)

    @cached_property
    def _declarative_descendants(self) -> frozenset[str]:
        return self._closure(lambda base: False, set(self.declarative_bases))

    @cached_property
    def mapped_classes(self) -> frozenset[str]:
        return frozenset(name for name, node in self.classes.items() if self.is_mapped(node))

    def is_pydantic(self, node: cst.ClassDef) -> bool:
        meaning = self.vocabulary.get(node.name.value)
        if meaning is not None and meaning.kind == CLASS and OPAQUE not in meaning.flags:
            return _is_pydantic_meaning(meaning)
        return node.name.value in self.pydantic_classes or any(
            self.is_pydantic_base(arg) or last_name(arg) in self.pydantic_classes for arg in _bases(node)
        )

    def is_settings(self, node: cst.ClassDef) -> bool:
        """A `pydantic_settings.BaseSettings` class, here, through local classes or the project's bases."""
        meaning = self.vocabulary.get(node.name.value)
        if meaning is not None and meaning.kind == CLASS and OPAQUE not in meaning.flags:
            return meaning.is_a("pydantic_settings", _SETTINGS_BASES)
        return node.name.value in self.settings_classes or any(
            self.imports.refers_to(arg, "pydantic_settings", _SETTINGS_BASES) or last_name(arg) in self.settings_classes
            for arg in _bases(node)
        )

    def is_settings_layer(self, node: cst.ClassDef) -> bool:
        """A class of pydantic-settings' own kinds, a `BaseSettings` or a settings source
        (`EnvSettingsSource`), here or through the project's bases."""
        meaning = self.vocabulary.get(node.name.value)
        if meaning is not None and meaning.kind == CLASS and OPAQUE not in meaning.flags:
            return any(t.split(".", 1)[0] == "pydantic_settings" for t in meaning.types)
        return self.is_settings(node) or any(
            (self.imports.qualify(arg) or "").split(".", 1)[0] == "pydantic_settings" for arg in _bases(node)
        )

    @cached_property
    def settings_classes(self) -> frozenset[str]:
        return self._closure(lambda base: self.imports.refers_to(base, "pydantic_settings", _SETTINGS_BASES))

    def is_mapped(self, node: cst.ClassDef) -> bool:
        """A declarative class with a table: `__tablename__`, or columns under a declarative base."""
        if node.name.value in self.declarative_bases:
            return False
        body = class_body_statements(node)
        names = {target_name(statement): statement for statement in body}
        if "__abstract__" in names and is_true(names["__abstract__"].value):
            return False
        if "__tablename__" in names or "__table__" in names:
            return True
        return self._has_declarative_ancestor(node) and any(self._is_column(statement) for statement in body)

    def _has_declarative_ancestor(self, node: cst.ClassDef) -> bool:
        for arg in _bases(node):
            meaning = self.vocabulary.get(dotted_name(arg))
            if meaning is not None and meaning.kind in (CLASS, INSTANCE, EXTERNAL):
                if is_declarative_meaning(meaning):
                    return True
                if OPAQUE not in meaning.flags:
                    continue  # the project says what this base is, and it is no declarative base
            name = last_name(arg)
            if name in self._declarative_descendants:
                return True
            # A base imported from elsewhere (`from app.db.base import Base`) is judged by its name.
            if (
                name is not None
                and name not in self.classes
                and (name.endswith("Base") or name == "Model")
                and not self.is_pydantic_base(arg)
            ):
                return True
        return False

    def _is_column(self, statement: cst.BaseSmallStatement) -> bool:
        if (
            isinstance(statement, cst.AnnAssign)
            and last_name(_subscript_value(statement.annotation.annotation)) == "Mapped"
        ):
            return True
        value = getattr(statement, "value", None)
        return isinstance(value, cst.Call) and self.imports.refers_to(value.func, "sqlalchemy", _COLUMN_FACTORIES)

    def is_pydantic_base(self, base: cst.BaseExpression) -> bool:
        if any(self.imports.refers_to(base, package, names) for package, names in _PYDANTIC_BASES.items()):
            return True
        meaning = self.vocabulary.get(dotted_name(base))
        is_known = meaning is not None and meaning.kind in (CLASS, EXTERNAL)
        if is_known and (_is_pydantic_meaning(meaning) or OPAQUE not in meaning.flags):
            # The project says what the base is.
            return _is_pydantic_meaning(meaning)
        # A project base class such as `from app.schemas.base import BaseSchema`.
        module = self.imports.module_of(last_name(base) or "")
        return module is not None and "schema" in module

    def _closure(self, is_root, seed: set[str] | None = None) -> frozenset[str]:
        """Top-level classes that derive, here or through local classes, from a root base."""
        found = set(seed or ())
        changed = True
        while changed:
            changed = False
            for name, node in self.classes.items():
                if name not in found and any(is_root(arg) or last_name(arg) in found for arg in _bases(node)):
                    found.add(name)
                    changed = True
        return frozenset(found)


def _is_pydantic_meaning(meaning: Meaning) -> bool:
    return any(meaning.is_a(package, names) for package, names in _PYDANTIC_BASES.items())


def is_declarative_meaning(meaning: Meaning) -> bool:
    """A declarative base, a class deriving from one, or what `declarative_base()` made."""
    return meaning.is_a("sqlalchemy", _DECLARATIVE_BASES | _DECLARATIVE_FACTORIES | {"DeclarativeMeta"})


def _subscript_value(expr: cst.BaseExpression) -> cst.BaseExpression:
    return expr.value if isinstance(expr, cst.Subscript) else expr


def _bases(node: cst.ClassDef) -> list[cst.BaseExpression]:
    """The base classes, with `Generic`-style subscripts (`RootModel[list[int]]`) taken off."""
    return [_subscript_value(arg.value) for arg in node.bases]
