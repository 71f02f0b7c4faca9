"""CL101's fix (rules/relationships.py reports): `back_populates=` for `backref=` in the finding's file,
and the reverse side on the target class, in this file or, in the project phase, in the target's.

The reverse side itself is fixes/backrefs.py's, so both ways add the same attribute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conventions_lint.diagnostic import Applicability
from conventions_lint.fixes.backrefs import complete_backref_fix, fix_message
from conventions_lint.recognize.backrefs import backref_name, table_side
from conventions_lint.recognize.class_body import attribute_names, last_attribute

if TYPE_CHECKING:
    import libcst as cst

    from conventions_lint.context import FileContext
    from conventions_lint.diagnostic import Diagnostic, Fix
    from conventions_lint.fixes.backrefs import AddReverseSide, ReverseSide
    from conventions_lint.fixes.builder import FixBuilder
    from conventions_lint.rule import Project


class ReplacesBackrefs:
    """Mixed into CL101's rule: the fix it offers for a `backref=` argument, started with its `fix`,
    and completed in the project phase when the target class is in another file."""

    context: FileContext

    @classmethod
    def complete_fix(cls, diagnostic: Diagnostic, files: Project) -> Fix | None:
        return complete_backref_fix(diagnostic, files)

    def _backref_fix(
        self,
        arg: cst.Arg,
        options: cst.Call | None,
        reverse: ReverseSide,
        target: str,
        target_class: cst.ClassDef | None,
    ) -> tuple[FixBuilder | None, AddReverseSide | None]:
        """The fix of this file, and the request the project phase completes when the target class is not here."""
        if target_class is not None:
            return self._same_file_fix(arg, options, reverse, target_class), None
        # The target is in another file, or nowhere: the project phase looks for it in the project's facts.
        fix = self.fix(fix_message(target, reverse.name), Applicability.UNSAFE)
        return _back_populates(fix, arg, options), reverse.request(target)

    def _same_file_fix(
        self, arg: cst.Arg, options: cst.Call | None, reverse: ReverseSide, target: cst.ClassDef
    ) -> FixBuilder | None:
        """Both sides are in this file. The reverse side goes after the target's attributes."""
        anchor = last_attribute(target)
        if anchor is None or reverse.name in attribute_names(target):
            return None
        side = table_side(self.context, target)
        # Safe when the keys prove what the reverse side holds; else it is assumed, and may change it.
        safety = Applicability.SAFE if reverse.proven_list(side) is not None else Applicability.UNSAFE
        fix = self.fix(reverse.message(target.name.value, side), safety)
        line = reverse.line(
            side, fix.import_name("sqlalchemy.orm", "Mapped"), fix.import_name("sqlalchemy.orm", "relationship")
        )
        return _back_populates(fix.insert_lines_after(anchor, line), arg, options)


def _back_populates(fix: FixBuilder, arg: cst.Arg, options: cst.Call | None) -> FixBuilder:
    """`backref="posts"` and `backref=backref("posts", ...)` become `back_populates="posts"`, in the name's quotes."""
    fix.replace(arg.keyword, "back_populates")
    if options is not None:
        fix.replace(arg.value, backref_name(options).value)
    return fix
