"""What the functions of an Alembic revision do: what CL802 and CL803 ask of `upgrade()`.

`alembic revision --autogenerate` compares the models with the database and writes
schema operations. What it cannot write is hand-written by necessity: statements run on
the data (`op.execute`, `connection.execute`, `op.bulk_insert`, an ORM session), renames
(it sees a dropped and an added table or column), CHECK, PRIMARY KEY and EXCLUDE
constraints, `CREATE INDEX CONCURRENTLY`, indexes on expressions, a type change `USING`
an expression. See "What does Autogenerate Detect" in Alembic's documentation.

A revision's helpers count as its own: `upgrade()` calling `_backfill()`, defined in the
revision, does what `_backfill()` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from conventions_lint.names import last_name
from conventions_lint.recognize.syntax import is_false, keyword, positional, string_value
from conventions_lint.visitor import Service

if TYPE_CHECKING:
    from conventions_lint.context import FileContext

# Alembic's operations (on `op` or on a batch) that change the schema.
_SCHEMA_OPERATIONS = frozenset(
    {
        "create_table",
        "drop_table",
        "rename_table",
        "add_column",
        "drop_column",
        "alter_column",
        "create_index",
        "drop_index",
        "create_unique_constraint",
        "create_foreign_key",
        "create_primary_key",
        "create_check_constraint",
        "create_exclude_constraint",
        "drop_constraint",
        "create_table_comment",
        "drop_table_comment",
        "batch_alter_table",
        # `sa.Enum(...).create(bind)`, `table.drop(bind)`, `metadata.create_all(bind)`
        "create",
        "drop",
        "create_all",
        "drop_all",
    }
)
# Operations autogenerate never writes: it does not detect these constraints, and sees a rename as a drop and an add.
_HAND_ONLY_OPERATIONS = frozenset(
    {"rename_table", "create_check_constraint", "create_primary_key", "create_exclude_constraint", "autocommit_block"}
)
_STATEMENT_RUNNERS = frozenset({"execute", "exec_driver_sql", "bulk_insert"})
_SESSION_FACTORIES = frozenset({"Session", "sessionmaker", "scoped_session"})
_DATA_STATEMENTS = frozenset({"update", "insert", "delete", "select"})
_DML = frozenset({"UPDATE", "INSERT", "DELETE", "SELECT", "WITH", "MERGE", "TRUNCATE", "COPY"})
# Statements that change neither the schema nor the data: a session setting, a transaction boundary.
_NEUTRAL_SQL = frozenset({"PRAGMA", "SET", "RESET", "BEGIN", "COMMIT", "ROLLBACK", "ANALYZE", "VACUUM", "LOCK"})
# PostgreSQL cannot drop a value from an enum type: an upgrade that adds one has nothing a downgrade could undo.
_ENUM_VALUE = re.compile(r"^ALTER\s+TYPE\s+\S+\s+ADD\s+VALUE\b", re.IGNORECASE)


def is_revision(context: FileContext) -> bool:
    return "migrations" in context.roles and context.index.assignment("revision") is not None


def does_work(function: cst.FunctionDef) -> bool:
    """Whether the body holds anything besides `pass`, `...` and a docstring."""
    body = function.body
    statements = [body] if isinstance(body, cst.SimpleStatementSuite) else list(body.body)
    for statement in statements:
        if not isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return True
        for small in statement.body:
            is_placeholder = isinstance(small, cst.Expr) and isinstance(small.value, (cst.BaseString, cst.Ellipsis))
            if not (isinstance(small, cst.Pass) or is_placeholder):
                return True
    return False


def upgrade_doing_work(context: FileContext) -> cst.FunctionDef | None:
    """The revision's `upgrade()`, when it does more than `pass`."""
    upgrade = context.service(RevisionWork).functions.get("upgrade")
    if upgrade is None or not does_work(upgrade) or not is_revision(context):
        return None
    return upgrade


@dataclass
class Work:
    """What a function does, or a function and every helper of the revision it calls."""

    # Something `alembic revision --autogenerate` cannot write.
    hand_only: bool = False
    changes_schema: bool = False
    # Statements run on the rows (or an enum value added): nothing a downgrade of the schema undoes.
    changes_data: bool = False
    calls: set[str] = field(default_factory=set)

    def add(self, other: Work) -> None:
        self.hand_only |= other.hand_only
        self.changes_schema |= other.changes_schema
        self.changes_data |= other.changes_data


class RevisionWork(Service):
    """Fed with the calls of each module-level function; asked once the module is left."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # The module-level functions, by name, and what each does itself.
        self.functions: dict[str, cst.FunctionDef] = {}
        self._functions: dict[str, Work] = {}
        self._top_level: dict[int, str] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if isinstance(self.context.parent, cst.Module):
            self.functions[node.name.value] = node
            self._top_level[id(node)] = node.name.value
            self._functions[node.name.value] = Work()

    def visit_Call(self, node: cst.Call) -> None:
        stack = self.context.function_stack
        name = self._top_level.get(id(stack[0])) if stack else None
        if name is None:
            return
        work = self._functions[name]
        if isinstance(node.func, cst.Name) and node.func.value in self._top_level.values():
            work.calls.add(node.func.value)
        _classify(node, work)

    def of(self, name: str) -> Work:
        """What the module-level function `name` does, with the revision's helpers it calls."""
        total, seen, pending = Work(), set(), [name]
        while pending:
            current = pending.pop()
            if current in seen or current not in self._functions:
                continue
            seen.add(current)
            total.add(self._functions[current])
            pending.extend(self._functions[current].calls)
        return total


def _classify(call: cst.Call, work: Work) -> None:
    name = last_name(call.func)
    if name in _STATEMENT_RUNNERS:
        statement = positional(call)[0].value if positional(call) else None
        schema, data = _statement_effects(statement) if name != "bulk_insert" else (False, True)
        # SQL run by hand, but for a setting of the session (`PRAGMA foreign_keys=OFF`, `SET lock_timeout`).
        work.hand_only |= schema or data
        work.changes_schema |= schema
        work.changes_data |= data
    elif name in _SESSION_FACTORIES:
        work.hand_only = work.changes_data = True
    if isinstance(call.func, cst.Attribute) and name in _SCHEMA_OPERATIONS:
        work.changes_schema = True
    if name in _HAND_ONLY_OPERATIONS or _hand_written_options(call, name):
        work.hand_only = True


def _hand_written_options(call: cst.Call, name: str | None) -> bool:
    """A rename, a type change `USING` an expression, dropping a constraint autogenerate does not
    detect, `CONCURRENTLY`, or an index on an expression."""
    if name == "alter_column" and (keyword(call, "new_column_name") or keyword(call, "postgresql_using")):
        return True
    kind = keyword(call, "type_") if name == "drop_constraint" else None
    if kind is not None and string_value(kind.value) in ("check", "primary"):
        return True
    concurrently = keyword(call, "postgresql_concurrently")
    if concurrently is not None and not is_false(concurrently.value):
        return True
    if name == "create_index":
        columns = keyword(call, "columns") or (positional(call)[2] if len(positional(call)) > 2 else None)
        if columns is not None and isinstance(columns.value, (cst.List, cst.Tuple)):
            return any(
                isinstance(element.value, (cst.Call, cst.Subscript, cst.BinaryOperation))
                for element in columns.value.elements
            )
    return False


def _statement_effects(statement: cst.BaseExpression | None) -> tuple[bool, bool]:
    """(changes the schema, changes the data) for what `execute(...)` is given. A statement not
    spelled out where it is run (a variable, `DDL(...)`) may change the schema."""
    while isinstance(statement, cst.Call):
        name = last_name(statement.func)
        if name in _DATA_STATEMENTS:
            return False, True
        if name == "text":
            statement = positional(statement)[0].value if positional(statement) else None
        elif isinstance(statement.func, cst.Attribute):
            statement = statement.func.value  # `sa.update(t).where(...).values(...)`
        else:
            return True, False
    sql = _sql_text(statement)
    if sql is None:
        return True, False
    schema = data = False
    for part in sql.split(";"):
        words = re.sub(r"--[^\n]*", " ", part).split()
        if not words or words[0].upper() in _NEUTRAL_SQL:
            continue
        if words[0].upper() in _DML or _ENUM_VALUE.match(" ".join(words)):
            data = True
        else:
            schema = True
    return schema, data


def _sql_text(expr: cst.BaseExpression | None) -> str | None:
    """A string literal's value; of an f-string, the text before its first placeholder (its verb)."""
    if isinstance(expr, cst.FormattedString):
        static = []
        for part in expr.parts:
            if not isinstance(part, cst.FormattedStringText):
                break
            static.append(part.value)
        return "".join(static) or None
    return string_value(expr)


# The comments `alembic revision --autogenerate` writes around the commands of upgrade() and downgrade().
AUTOGENERATE_MARKERS = ("### commands auto generated by alembic", "### end alembic commands ###")
# Comments that are not the author's word on the function: a to-do, a tool's directive.
_NOT_A_REASON = re.compile(r"^(todo|fixme|xxx|noqa|type:|pragma|fmt:|pylint:|ruff:|mypy:)", re.IGNORECASE)


def body_comments(function: cst.FunctionDef) -> list[str]:
    """The text of the comments directly in a function's body: on the `def` line, above, beside
    or after its statements."""
    body = function.body
    found = [body.header.comment] if isinstance(body, cst.IndentedBlock) else []
    statements = list(body.body) if isinstance(body, cst.IndentedBlock) else [body]
    for statement in statements:
        found += [line.comment for line in getattr(statement, "leading_lines", ())]
        trailing = getattr(statement, "trailing_whitespace", None)
        found.append(trailing.comment if trailing is not None else None)
    if isinstance(body, cst.IndentedBlock):
        found += [line.comment for line in body.footer]
    return [comment.value.lstrip("#").strip() for comment in found if comment is not None]


def has_autogenerate_marker(function: cst.FunctionDef) -> bool:
    return any(marker in comment.lower() for comment in body_comments(function) for marker in AUTOGENERATE_MARKERS)


def says_why(downgrade: cst.FunctionDef, upgrade: cst.FunctionDef, module: cst.Module) -> bool:
    """Whether an empty `downgrade()` gives its author's reason: a comment other than the autogenerate
    markers, a to-do, a tool's directive or code put aside; or a docstring other than the revision
    template's, which says what the function is (`\"\"\"Unapply add users.\"\"\"`, `\"\"\"Downgrade schema.\"\"\"`)."""
    for comment in body_comments(downgrade):
        is_marker = any(marker in comment.lower() for marker in AUTOGENERATE_MARKERS)
        if comment and not is_marker and not _NOT_A_REASON.match(comment) and not _is_code(comment):
            return True
    docstring = downgrade.get_docstring()
    if not docstring:
        return False
    said = _words(docstring)[1:]
    templates = (_words(upgrade.get_docstring() or "")[1:], _words(_first_line(module.get_docstring() or "")))
    return bool(said) and said not in templates


def _is_code(comment: str) -> bool:
    """A statement put aside (`op.drop_table("users")`), not prose."""
    try:
        compile(comment, "<comment>", "exec")
    except (SyntaxError, ValueError):
        return False
    return "(" in comment or "=" in comment


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0]
