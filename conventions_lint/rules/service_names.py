"""CL603: names of service functions (schema_names.py: schema classes; route_naming.py: route
handlers)."""

from __future__ import annotations

import libcst as cst

from conventions_lint.fixes.renames import RenamesFunctions
from conventions_lint.names import dotted_name, last_name
from conventions_lint.recognize.annotations import holds_plain_data
from conventions_lint.recognize.bindings import Bindings
from conventions_lint.recognize.sessions import SessionTracker
from conventions_lint.rule import Applicability, FixAvailability, Invalid, Rule, Valid

# Background-task frameworks: a module importing one defines tasks of a worker or a scheduler.
_TASK_FRAMEWORKS = frozenset({"apscheduler", "arq", "celery", "docket", "dramatiq", "huey", "rq", "taskiq"})
# The lifecycle of a long-running service (prefect's `Service`, a consumer loop).
_DAEMON_METHODS = frozenset({"start", "stop"})
_DATABASE_PACKAGES = frozenset({"sqlalchemy", "sqlmodel"})


class ServiceFunctionSuffix(RenamesFunctions, Rule):
    """
    ## What it does
    Checks that every public module-level function (`def` or `async def`) of a
    services module ends in `_service` (the `service-suffix` setting). Private
    helpers (`_load_user`), methods and nested functions are not checked.

    ## Why is this bad?
    The suffix marks the business-logic entry points: an endpoint calling
    `create_user_service(...)` is visibly delegating to the service layer, and
    the name cannot be confused with the route handler `create_user` or a
    repository function.

    ## Fix safety
    The fix appends the suffix to the function's name and to every reference
    that Python's scoping rules resolve to it: in its file, and in each file
    of the project that imports it (`from app.services.user import
    get_user` and its uses, `user.get_user`, a re-export in
    `app/services/__init__.py` and its `__all__`, and the files importing it
    from there). A parameter, a local or another function's variable of the
    same name stays, as do attributes of other objects. The edits in other
    files are made when those files are checked in the same run (the fix's
    message names them). It is unsafe: the name is public, and code outside
    the project (another service, a notebook) may import it.

    There is no fix when the new name is already spelled in the file or in a
    file that imports the function, nor where a reference cannot be followed:
    the name in a string of a file that imports its module (`getattr(user,
    "get_user")`), a `*` import of the module, the name bound twice where it
    is defined or imported, a module name two files of the project could
    stand for.

    ## Options
    `roles.services` (globs) says which modules are services modules; by
    default every module under a `services/` directory and every
    `*_service.py`.

    ## Known limits
    Alembic revisions are not looked into: a revision that imports a service
    function keeps the old name.

    A module of the services role is not the service layer of the
    conventions, and is not checked, when it is:
    - a background daemon's: it imports a task framework (`docket`, `celery`,
      `dramatiq`, `arq`, `rq`, `taskiq`, `huey`, `apscheduler`) or defines a
      class with `start` and `stop` methods; its functions are tasks and
      event handlers;
    - a helper module: none of its functions or methods is `async` or takes
      a session (a parameter annotated as one, or named as
      `session-parameters` says), and it imports neither SQLAlchemy, SQLModel
      nor a `models` module (but under `if TYPE_CHECKING:`): formatting,
      conversions, the properties of an analytics integration.

    Nor is a plain `def` whose parameters are all annotated with plain data:
    builtins, other packages' types, the project's classes that are not
    mapped (`extract_connected_components(adjacency: dict[str, list[str]])`,
    a dataclass-to-model converter), and whose body neither names a mapped
    class nor imports a `models` module or SQLAlchemy: a helper computing on
    data, not an entry point. One taking a mapped object
    (`patch_dag_run_note(dag_run: DagRun, note: str)`) or an unannotated
    parameter is checked.

    Nor is a plain `def` (neither `async` nor taking a session) that serves
    its own module alone: the module uses it, and no other file of the
    project imports it, or imports the module whole, and the module's
    `__all__` does not list it (`agg_state(states)` called by the grid
    service, a model-to-dataclass converter called by the module's class).
    It is private in all but its name; the suffix marks the entry points that
    routes and other modules call. An `async` function or one taking a
    session stays checked wherever it is called from: it is a database
    operation of the service layer. Without a project model (a file linted
    alone) which files import a function is unknown, and it is checked.
    """

    code = "CL603"
    name = "service-function-suffix"
    ROLES = frozenset({"services"})
    SERVICES = (*RenamesFunctions.SERVICES, SessionTracker)
    fix_availability = FixAvailability.SOMETIMES
    fix_applicability = Applicability.UNSAFE
    VALID = (
        Valid(
            """
            async def create_user_service(db, payload):
                ...
        """,
            path="app/services/user_service.py",
        ),
        Valid(
            """
            def _normalise_email(email: str) -> str:
                return email.strip().lower()

            async def get_user_service(db, user_id):
                def matches(user):
                    return user.id == user_id
                ...

            class UserService:
                async def create_user(self, payload):
                    ...
        """,
            path="app/services/user.py",
        ),
        Valid(
            """
            def create_user(db, payload):
                ...
        """,
            path="app/crud/user.py",
        ),
        # A daemon's tasks, and helpers that do no database work, are not the service layer.
        Valid(
            """
            from docket import Perpetual

            async def monitor_late_runs(perpetual: Perpetual = Perpetual()):
                ...
        """,
            path="app/services/late_runs.py",
        ),
        # A plain `def` that only its own module uses, and no other file imports, is the module's helper.
        Valid(
            """
            def agg_state(states):
                return max(states, default=None)

            async def get_grid_service(db, run_ids):
                return agg_state([await db.get_state(run_id) for run_id in run_ids])
        """,
            path="app/services/grid.py",
        ),
        Valid(
            """
            def get_workspace_properties(workspace) -> dict:
                return {"users": workspace.users_count}
        """,
            path="app/services/analytics.py",
        ),
    )
    INVALID = (
        Invalid(
            """
            async def create_user(db, payload):
                ...
        """,
            line=1,
            column=11,
            path="app/services/user_service.py",
            fixed="""
            async def create_user_service(db, payload):
                ...
        """,
        ),
        Invalid(
            """
            def _hash(password: str) -> str:
                ...

            def register_user_service(db, payload):
                ...

            def send_welcome_email(user):
                ...
        """,
            line=7,
            column=5,
            path="app/services/user.py",
            fixed="""
            def _hash(password: str) -> str:
                ...

            def register_user_service(db, payload):
                ...

            def send_welcome_email_service(user):
                ...
        """,
        ),
        Invalid(
            """
            async def get_order(db, order_id):
                ...
        """,
            line=1,
            column=11,
            path="app/services/orders.py",
            fixed="""
            async def get_order_service(db, order_id):
                ...
        """,
            others=(
                (
                    "app/api/orders.py",
                    """
                    from app.services import orders
                    from app.services.orders import get_order


                    async def read_order(db, order_id):
                        return await get_order(db, order_id) or await orders.get_order(db, order_id)
                    """,
                ),
            ),
            fixed_others=(
                (
                    "app/api/orders.py",
                    """
                    from app.services import orders
                    from app.services.orders import get_order_service


                    async def read_order(db, order_id):
                        return await get_order_service(db, order_id) or await orders.get_order_service(db, order_id)
                    """,
                ),
            ),
        ),
        Invalid(
            """
            from app.models.invoice import Invoice

            async def get_invoice(db, invoice_id):
                ...

            async def pay_invoice_service(db, invoice_id):
                invoice = await get_invoice(db, invoice_id)
                ...
        """,
            line=3,
            column=11,
            path="app/billing/invoice_service.py",
            fixed="""
            from app.models.invoice import Invoice

            async def get_invoice_service(db, invoice_id):
                ...

            async def pay_invoice_service(db, invoice_id):
                invoice = await get_invoice_service(db, invoice_id)
                ...
        """,
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        self._daemon = False  # the module is a background daemon's
        self._service_layer = False  # it does database work: a function async or taking a session, or models
        # A public function taking plain data only, and whether its body still reaches the database.
        self._helper: cst.FunctionDef | None = None
        self._helper_uses_database = False
        # Public functions that neither are `async` nor take a session: a helper when only their module uses them.
        self._plain: list[cst.FunctionDef] = []

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self._imports(dotted_name(alias.name) or "")

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None:
            self._imports(dotted_name(node.module) or "")

    def _imports(self, module: str) -> None:
        parts = module.split(".")
        self._daemon |= parts[0] in _TASK_FRAMEWORKS
        # The database, or the project's models (`from fief.models import Workspace`), outside `if TYPE_CHECKING:`.
        if parts[0] in _DATABASE_PACKAGES or "models" in parts:
            self._helper_uses_database = True
            self._service_layer |= not any(
                isinstance(node, cst.If) and last_name(node.test) == "TYPE_CHECKING" for node in self.context.ancestors
            )

    def visit_Name(self, node: cst.Name) -> None:
        if self._helper is not None and not self._helper_uses_database:
            meaning = self.context.vocabulary.get(node.value)
            self._helper_uses_database = meaning is not None and meaning.table is not None

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node is self._helper:
            self._helper = None
            if not self._helper_uses_database:
                self._proposals[:] = [proposal for proposal in self._proposals if proposal[0] is not node]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        methods = {item.name.value for item in node.body.body if isinstance(item, cst.FunctionDef)}
        if methods >= _DAEMON_METHODS:
            self._daemon = True

    def leave_Module(self, node: cst.Module) -> None:
        if self._daemon or not self._service_layer:
            self._proposals.clear()
        helpers = [function for function in self._plain if self._module_helper(function.name.value)]
        self._proposals[:] = [proposal for proposal in self._proposals if proposal[0] not in helpers]
        super().leave_Module(node)

    def _module_helper(self, name: str) -> bool:
        """Whether the module's function `name` serves the module alone: its module uses it, and no other file
        of the project imports it (nor the module whole) and its `__all__` does not export it. Without a
        project model, which files import it is unknown: it is taken for an entry point."""
        vocabulary, bindings = self.context.vocabulary, self.context.service(Bindings)
        return (
            vocabulary.known
            and not vocabulary.reached_elsewhere(name)
            and name not in bindings.exported
            and bool(bindings.loads_of(bindings.module_scope, name))
        )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params)
        tracker = self.context.service(SessionTracker)
        does_database_work = node.asynchronous is not None or any(
            tracker.parameter_handle(param) is not None for param in params
        )
        self._service_layer |= does_database_work
        if "services" not in self.context.roles or self.context.enclosing_function or self.context.enclosing_class:
            return
        name, suffix = node.name.value, self.settings.service_suffix
        if not name.startswith("_") and not name.endswith(suffix):
            if not does_database_work:
                self._plain.append(node)
            # `extract_connected_components(adjacency: dict[str, list[str]])` computes on plain data, unless its
            # body names a mapped class or imports models (leave_FunctionDef).
            if (
                not does_database_work
                and params
                and all(
                    param.annotation is not None and holds_plain_data(self.context, param.annotation.annotation)
                    for param in params
                )
            ):
                self._helper, self._helper_uses_database = node, False
            self.propose_rename(
                node, name + suffix, f"Rename `{name}` to `{name}{suffix}`: public service functions end in `{suffix}`"
            )
