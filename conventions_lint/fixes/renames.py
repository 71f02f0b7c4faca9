"""Fixes that rename a module-level function and its references in one file (CL601, CL603)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    from conventions_lint.context import FileContext


class RenamesFunctions:
    """Mixed into a rule whose fix renames a module-level function and its references in the file.

    References are the `Name`s the walk passes, gathered as it goes, so the findings
    are reported when the module is left. Attribute names (`users.get_user`) and
    keyword names belong to other objects, and strings (`url_path_for("get_user")`)
    are not names: they stay. A rename gets no fix when the new name is already
    bound or used in the file, or when two renames would share it, since one
    function would shadow the other; nor when the function is a method or nested,
    whose callers cannot be told apart by name.
    """

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self._references: dict[str, list[cst.Name]] = defaultdict(list)
        self._imported: set[str] = set()
        self._import_depth = 0
        self._proposals: list[tuple[cst.FunctionDef, str, str, bool]] = []

    def propose_rename(self, function: cst.FunctionDef, new_name: str, message: str) -> None:
        """Report `function` (at its name, once the module is left) with a fix renaming it to `new_name`."""
        module_level = self.context.enclosing_function is None and self.context.enclosing_class is None
        self._proposals.append((function, new_name, message, module_level))

    def visit_Import(self, node: cst.Import) -> None:
        self._import_depth += 1

    def leave_Import(self, node: cst.Import) -> None:
        self._import_depth -= 1

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._import_depth += 1

    def leave_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._import_depth -= 1

    def visit_Name(self, node: cst.Name) -> None:
        parent = self.context.parent
        if (isinstance(parent, cst.Attribute) and parent.attr is node) or (
            isinstance(parent, cst.Arg) and parent.keyword is node
        ):
            return
        if self._import_depth:
            self._imported.add(node.value)  # an import binds its own object, even under the old name
        else:
            self._references[node.value].append(node)

    def leave_Module(self, node: cst.Module) -> None:
        taken = {*self._references, *self._imported, *self.context.index.classes, *self.context.imports.bindings}
        for function, new_name, message, module_level in self._proposals:
            fix = None
            if module_level and new_name not in taken:
                taken.add(new_name)
                old_name = function.name.value
                fix = self.fix(f"Rename `{old_name}` to `{new_name}`")
                for reference in self._references[old_name]:
                    fix.replace(reference, new_name)
            self.report(function.name, message, fix=fix)
