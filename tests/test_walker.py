"""What the walk feeds: rules and the per-file services they share, and which node types it visits."""

from __future__ import annotations

import dataclasses
import inspect
import textwrap
import typing
from pathlib import Path

import libcst as cst
import pytest

from conventions_lint.engine import FileResult, lint_source
from conventions_lint.node_children import SKIPPED_FIELDS
from conventions_lint.recognize.sessions import SessionTracker, SessionTrackingRule
from conventions_lint.registry import ALL_RULES
from conventions_lint.rule import Rule
from conventions_lint.settings import Settings
from conventions_lint.visitor import UNVISITED_NODE_TYPES, Service, subscriptions


def _node_classes() -> set[type]:
    return {
        value
        for value in vars(cst).values()
        if isinstance(value, type)
        and issubclass(value, cst.CSTNode)
        and dataclasses.is_dataclass(value)
        and not inspect.isabstract(value)
    }


def _node_types_in(hint, classes: set[type]) -> set[type]:
    if typing.get_origin(hint) is not None:
        return {found for argument in typing.get_args(hint) for found in _node_types_in(argument, classes)}
    if isinstance(hint, type) and issubclass(hint, cst.CSTNode):
        return {node_type for node_type in classes if issubclass(node_type, hint)}
    return set()


def test_the_unvisited_node_types_are_those_that_stand_only_in_skipped_fields() -> None:
    classes = _node_classes()
    reached, pending = {cst.Module}, [cst.Module]
    while pending:
        node_type = pending.pop()
        hints = typing.get_type_hints(node_type)
        for field in dataclasses.fields(node_type):
            if field.name in SKIPPED_FIELDS or field.name.startswith("whitespace"):
                continue
            for child in _node_types_in(hints[field.name], classes) - reached:
                reached.add(child)
                pending.append(child)
    assert {node_type.__name__ for node_type in classes - reached} == UNVISITED_NODE_TYPES


def test_a_visitor_of_a_node_type_the_walk_skips_is_refused_where_it_is_defined() -> None:
    with pytest.raises(TypeError, match=r"ReadsComments.visit_Comment: the walk never visits Comment nodes"):

        class ReadsComments(Rule):
            code = "CL990"
            name = "reads-comments"

            def visit_Comment(self, node: cst.Comment) -> None:
                self.report(node, "a comment")


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_every_visitor_method_of_a_rule_names_a_node_type(rule: type[Rule]) -> None:
    methods = {name for name in dir(rule) if name.startswith(("visit_", "leave_"))}
    assert methods == {method for _, _, method in subscriptions(rule)}


class _SeesTheFunction(SessionTrackingRule):
    code = "CL991"
    name = "sees-the-function"

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._check(node, "entered")

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._check(node, "still in")

    def _check(self, node: cst.FunctionDef, when: str) -> None:
        if self.sessions.function is node:
            self.report(node.name, f"{when} {node.name.value} with tracker {id(self.sessions)}")


class _AlsoSeesIt(_SeesTheFunction):
    code = "CL992"


def _lint(source: str, *rules: type[Rule]) -> FileResult:
    code = textwrap.dedent(source).lstrip("\n").encode()
    return lint_source("m.py", "m.py", code, Settings(root=Path("/project")), rules)


def test_a_service_is_fed_before_the_rules_going_down_and_after_them_going_up_once_for_all() -> None:
    result = _lint("def outer():\n    def inner():\n        pass\n", _SeesTheFunction, _AlsoSeesIt)
    messages = [(d.code, d.span.start.row, d.message.rpartition(" ")[0]) for d in result.diagnostics]
    assert messages == [
        ("CL991", 1, "entered outer with tracker"),
        ("CL991", 1, "still in outer with tracker"),
        ("CL992", 1, "entered outer with tracker"),
        ("CL992", 1, "still in outer with tracker"),
        ("CL991", 2, "entered inner with tracker"),
        ("CL991", 2, "still in inner with tracker"),
        ("CL992", 2, "entered inner with tracker"),
        ("CL992", 2, "still in inner with tracker"),
    ]
    # One tracker for the file, whatever the number of rules asking it.
    assert len({d.message.rpartition(" ")[2] for d in result.diagnostics}) == 1


class _Fragile(Service):
    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "boom":
            raise ValueError("cannot follow this")


class _UsesTheFragileService(Rule):
    code = "CL993"
    name = "uses-the-fragile-service"
    SERVICES = (_Fragile,)

    def visit_Call(self, node: cst.Call) -> None:
        self.report(node, "a call")


def test_a_failing_service_stops_the_rules_that_use_it_and_no_other() -> None:
    result = _lint("f()\nboom\ng()\n", _UsesTheFragileService, _SeesTheFunction)
    assert [(d.code, d.span.start.row) for d in result.diagnostics] == [("CL993", 1), ("CL002", 2)]
    assert "Rule CL993 (uses-the-fragile-service) failed on this file: CL993 raised ValueError: cannot follow this" in (
        result.diagnostics[1].message
    )


def test_the_session_rules_share_the_tracker_and_define_no_walk_of_their_own() -> None:
    session_rules = [rule for rule in ALL_RULES if issubclass(rule, SessionTrackingRule)]
    assert len(session_rules) == 5
    assert [rule.SERVICES for rule in session_rules] == [(SessionTracker,)] * 5
    assert not any(subscriptions(SessionTrackingRule))
