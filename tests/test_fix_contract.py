"""The contract of issue 14 for fixes, each field-report case (fixes.md) a test.

Fixed code stays ruff-clean where the original was (imports sorted where they were,
no import left unused, no name imported twice); a run writes only the files it
was asked to check; `fixable`, `unfixable`, `extend-safe-fixes` and
`extend-unsafe-fixes` govern every rule's fixes, cross-file ones included.
"""

from __future__ import annotations

import pytest

from conventions_lint.diagnostic import Applicability
from tests.helpers import dedent_source, fix, lint, project_tree, read_tree, run_tree

BASE_DEFINING_BASE = """\
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


from app.models.user import User  # noqa: F401,E402
"""


def _model(name: str, table: str) -> str:
    return f'from app.db.base import Base\n\n\nclass {name}(Base):\n    __tablename__ = "{table}"\n'


def test_f1_model_import_goes_after_base_beside_its_neighbours_with_their_noqa() -> None:
    files = {
        "app/db/base.py": BASE_DEFINING_BASE,
        "app/models/user.py": _model("User", "users"),
        "app/models/order.py": _model("Order", "orders"),
    }
    with project_tree(files, select=("CL801",)) as root:
        run_tree(root, fix=True)
        assert read_tree(root, ["app/db/base.py"])["app/db/base.py"] == BASE_DEFINING_BASE.replace(
            "from app.models.user", "from app.models.order import Order  # noqa: F401,E402\nfrom app.models.user"
        )


def test_f1_classes_of_one_name_in_several_files_get_no_import_that_would_shadow_another() -> None:
    files = {
        "app/db/base.py": "from app.db.base_class import Base\n",
        **{f"app/models/{module}.py": _model("A", module) for module in ("one", "two", "three")},
    }
    with project_tree(files, select=("CL801",)) as root:
        outcome = run_tree(root, fix=True)
        assert [(d.code, d.fix) for d in outcome.diagnostics] == [("CL801", None)] * 3
        assert (root / "app/db/base.py").read_text() == files["app/db/base.py"]


def test_f1_extend_unsafe_fixes_makes_the_cross_file_fix_unsafe() -> None:
    files = {"app/db/base.py": "from app.db.base_class import Base\n", "app/models/order.py": _model("Order", "orders")}
    with project_tree(files, select=("CL801",), extend_unsafe_fixes=["CL801"]) as root:
        [finding] = run_tree(root).diagnostics
        assert finding.fix.applicability is Applicability.UNSAFE
        assert run_tree(root, fix=True).fixed == []
        assert [d.code for d in run_tree(root, fix=True, unsafe=True).fixed] == ["CL801"]


def test_unfixable_and_fixable_withhold_fixes_of_any_rule() -> None:
    files = {
        "app/db/base.py": "from app.db.base_class import Base\n",
        "app/models/order.py": _model("Order", "orders"),
        "app/schemas/order.py": "from pydantic import BaseModel\n\n\nclass OrderResponse(BaseModel):\n    id: int\n",
    }
    with project_tree(files, select=("CL801", "CL403"), unfixable=["CL8"]) as root:
        assert {d.code: d.fix is not None for d in run_tree(root).diagnostics} == {"CL801": False, "CL403": True}
    with project_tree(files, select=("CL801", "CL403"), fixable=["CL801"]) as root:
        assert {d.code: d.fix is not None for d in run_tree(root).diagnostics} == {"CL801": True, "CL403": False}
    # The more specific selector wins, as in ruff.
    with project_tree(files, select=("CL801", "CL403"), unfixable=["CL"], fixable=["CL403"]) as root:
        assert {d.code: d.fix is not None for d in run_tree(root).diagnostics} == {"CL801": False, "CL403": True}


def test_f9_async_test_in_a_file_without_imports_gets_the_import_above_its_decorator() -> None:
    assert fix("async def test_x(): ...\n", path="tests/test_one.py", select=("CL901",)) == (
        "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_x(): ...\n"
    )
    two = "async def test_x():\n    ...\n\n\nasync def test_y():\n    ...\n"
    assert fix(two, path="tests/test_two.py", select=("CL901",)) == (
        "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    ...\n\n\n"
        "@pytest.mark.asyncio\nasync def test_y():\n    ...\n"
    )


def test_f6_an_integer_type_the_key_fix_replaces_is_no_longer_imported() -> None:
    source = 'from sqlalchemy import Column, Integer\n\n\nclass User(Base):\n    __tablename__ = "users"\n\n'
    source += "    id = Column(Integer, primary_key=True)\n"
    assert fix(source, path="app/models/user.py", select=("CL201",), unsafe=True).startswith(
        "import uuid\n\nfrom sqlalchemy import Column\nfrom sqlalchemy.dialects.postgresql import UUID\n\n\n"
    )


def test_an_import_a_fix_needs_goes_in_its_sorted_place_and_section() -> None:
    source = "from sqlalchemy.orm import Session\n\nfrom app.models.user import User\n\n\n"
    source += "def get(db: Session, user_id: int) -> User | None:\n    return db.query(User).filter(User.id == user_id).first()\n"
    assert fix(source, path="app/services/user.py", select=("CL505",), unsafe=True).startswith(
        "from sqlalchemy import select\nfrom sqlalchemy.orm import Session\n\nfrom app.models.user import User\n"
    )


def _cl503(source: str) -> tuple[list[bool], str]:
    path = "app/services/orders.py"
    findings = lint(source, path=path, select=("CL503",))
    return [d.fix is not None for d in findings], fix(source, path=path, select=("CL503",), unsafe=True)


def test_f5_no_async_fix_for_a_session_of_a_type_the_project_defines_or_a_sync_caller() -> None:
    source = """
        from sqlalchemy import select

        from app.db.session import Session as SyncSession
        from app.models import Grant


        class GrantService:
            def find(self, session: SyncSession, client_id: str):
                return session.execute(select(Grant).where(Grant.client_id == client_id)).scalar_one_or_none()

            def has_grant(self, session: SyncSession, client_id: str) -> bool:
                return self.find(session, client_id) is not None
    """
    assert _cl503(source) == ([False], dedent_source(source))


def test_f5_a_function_without_database_io_is_not_reported() -> None:
    # noise.md N6: `session.add` queues, it does no I/O; statement builders return a `Select`.
    source = """
        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession


        def mark_closed(session: AsyncSession, order) -> None:
            order.status = "closed"
            session.add(order)


        def users_query(session: AsyncSession):
            return select(User)
    """
    assert _cl503(source) == ([], dedent_source(source))


def test_f5_no_async_fix_under_a_decorator_that_calls_the_function() -> None:
    source = """
        from contextlib import contextmanager
        from functools import lru_cache

        from sqlalchemy.orm import Session


        @contextmanager
        def unit_of_work(session: Session):
            yield session
            session.commit()


        @lru_cache(maxsize=128)
        def lookup_profile(email: str, db_session: Session):
            return db_session.execute(email)
    """
    assert _cl503(source) == ([False, False], dedent_source(source))


def test_f5_the_calls_in_async_functions_are_awaited_in_the_same_fix() -> None:
    source = """
        from sqlalchemy.orm import Session


        def count(db: Session) -> int:
            return db.execute(query).scalar()


        async def report(db: Session) -> str:
            return str(count(db))


        def handler_of(scheduler) -> None:
            scheduler.add_job(count)
    """
    # Handed on as a callback: no fix.
    assert _cl503(source) == ([False], dedent_source(source))
    awaited = source.replace(
        "\n\n        def handler_of(scheduler) -> None:\n            scheduler.add_job(count)\n", "\n"
    )
    assert _cl503(awaited) == (
        [True],
        dedent_source(
            awaited.replace(
                "from sqlalchemy.orm", "from sqlalchemy.ext.asyncio import AsyncSession\n        from sqlalchemy.orm"
            )
            .replace("def count(db: Session)", "async def count(db: AsyncSession)")
            .replace("return db.execute(query).scalar()", "return (await db.execute(query)).scalar()")
            .replace("str(count(db))", "str(await count(db))")
        ),
    )


def test_f5_no_fix_when_a_plain_def_calls_the_function() -> None:
    source = """
        from sqlalchemy.orm import Session


        def count(db: Session) -> int:
            return db.execute(query).scalar()


        def report(db: Session) -> str:
            return str(count(db))
    """
    assert _cl503(source) == ([False], dedent_source(source))


def test_f5_no_fix_when_a_plain_def_nested_in_the_function_uses_the_session() -> None:
    # airflow's Deadline.handle_miss: its nested get_simple_context() calls session.get(), which an
    # AsyncSession would turn into an un-awaited coroutine (pytest -m realworld: a CL502 after fixing).
    source = """
        from sqlalchemy.orm import Session


        class Deadline:
            def handle_miss(self, session: Session) -> None:
                def get_simple_context():
                    return session.get(DagRun, self.dagrun_id)

                session.add(Trigger(context=get_simple_context()))
                session.flush()
    """
    # Both functions do database work on a sync session; neither can be made async alone.
    assert _cl503(source) == ([False, False], dedent_source(source))


ORDERS_SERVICE = """\
from sqlalchemy.orm import Session


def count_orders(db: Session) -> int:
    return db.execute(query).scalar()


class OrderService:
    def close(self, db: Session, order) -> None:
        db.execute(close_query(order))
"""


@pytest.mark.parametrize(
    ("caller", "fixed"),
    [
        ("from app.api.deps import get_db\n", (True, True)),
        ("from app.services.orders import count_orders\n", (False, False)),
        ("from .orders import count_orders\n", (False, False)),
        ("from app.services.orders import OrderService\n", (True, False)),
        ("def service():\n    from app.services.orders import OrderService\n", (True, False)),
        ("from app.services import orders\n", (False, False)),
        ("import app.services.orders\n", (False, False)),
        ("from app import services\n", (False, False)),
        ("from app.services.orders import *\n", (False, False)),
    ],
)
def test_f5_no_async_fix_for_a_function_another_file_may_call(caller: str, fixed: tuple[bool, bool]) -> None:
    # A caller outside the file is not awaited by the fix: it would get a coroutine. A module-level function
    # is reached by its name; a method through any name of its module (an instance may come through one).
    files = {"app/services/orders.py": ORDERS_SERVICE, "app/services/reports.py": caller}
    with project_tree(files, select=("CL503",)) as root:
        for paths in (None, ["app/services/orders.py"]):  # the project's whole, or the file alone (pre-commit)
            findings = run_tree(root, paths).diagnostics
            assert [(d.span.start.row, d.fix is not None) for d in findings] == list(zip((4, 9), fixed))


def test_f5_no_async_fix_for_a_method_a_base_class_may_call() -> None:
    # airflow's `_get_dep_statuses` overrides BaseTIDep's, which calls `self._get_dep_statuses(...)` in its own file.
    source = """
        from sqlalchemy.orm import Session

        from app.deps.base import BaseDep


        class SlotsDep(BaseDep):
            def _get_dep_statuses(self, ti, session: Session):
                return session.execute(slots_query(ti)).all()


        class Slots:
            def free(self, session: Session):
                return session.execute(free_query()).all()
    """
    findings, fixed = _cl503(source)
    assert findings == [False, True]
    assert "async def free(self, session: AsyncSession)" in fixed
    assert "    def _get_dep_statuses(self, ti, session: Session):" in fixed


def test_f5_the_rounds_do_not_turn_a_session_async_behind_cl503s_guard() -> None:
    # With CL504 in the same run, `Session(bind=engine)` became `AsyncSession(...)` while `.query()` stayed.
    source = """
        from sqlalchemy.orm import Session

        from app.db.session import engine


        def list_users():
            session = Session(bind=engine)
            return session.query(User).all()
    """
    path = "app/services/users.py"
    assert fix(source, path=path, select=("CL503", "CL504"), unsafe=True) == dedent_source(source)


AUDIT_EVENT = """\
from sqlalchemy import Column, Integer
from sqlalchemy.dialects.postgresql import UUID as PgUUID

from app.db.base import Base


class AuditEvent(Base):
    __tablename__ = "audit_event"
    id = Column(Integer, primary_key=True)
    uuid = Column(PgUUID(as_uuid=True), unique=True, nullable=False)
"""


def test_f4_the_uuid_module_is_imported_under_a_name_a_column_named_uuid_does_not_hide() -> None:
    assert fix(AUDIT_EVENT, path="app/models/audit.py", select=("CL105", "CL201"), unsafe=True) == (
        "import uuid as uuid_\n\n"
        "from sqlalchemy.dialects.postgresql import UUID as PgUUID\n"
        "from sqlalchemy.orm import Mapped, mapped_column\n\n"
        "from app.db.base import Base\n\n\n"
        "class AuditEvent(Base):\n"
        '    __tablename__ = "audit_event"\n'
        "    id: Mapped[uuid_.UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True, default=uuid_.uuid4)\n"
        "    uuid: Mapped[uuid_.UUID] = mapped_column(PgUUID(as_uuid=True), unique=True, nullable=False)\n"
    )


def test_f4_an_import_of_the_uuid_type_itself_serves_and_other_classes_keep_the_module() -> None:
    source = "from uuid import UUID\n\n" + AUDIT_EVENT + '\n\nclass Tag(Base):\n    __tablename__ = "tag"\n'
    source += "    id = Column(Integer, primary_key=True)\n"
    fixed = fix(source, path="app/models/audit.py", select=("CL105", "CL201"), unsafe=True)
    assert fixed.startswith("import uuid\nimport uuid as uuid_\nfrom uuid import UUID\n\n")
    assert (
        "    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True, default=uuid_.uuid4)\n" in fixed
    )
    assert "    uuid: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), unique=True, nullable=False)\n" in fixed
    assert fixed.endswith(
        "    id: Mapped[uuid.UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True, default=uuid.uuid4)\n"
    )


def test_a_name_a_fix_would_import_is_not_imported_over_a_module_variable_of_that_name() -> None:
    source = 'from fastapi import APIRouter\n\nrouter = APIRouter()\nstatus = {"ok": True}\n\n\n'
    source += '@router.post("/users")\nasync def create_user(payload: dict) -> dict:\n    return payload\n'
    assert [(d.code, d.fix) for d in lint(source, path="app/api/users.py", select=("CL302",))] == [("CL302", None)]
    # A local of the handler is not where the decorator is evaluated.
    local = source.replace('status = {"ok": True}\n', "").replace(
        "    return payload", '    status = "created"\n    return {**payload, "status": status}'
    )
    assert fix(local, path="app/api/users.py", select=("CL302",), unsafe=True).startswith(
        "from fastapi import APIRouter, status\n"
    )


def test_f6_a_primary_key_that_is_a_foreign_key_gets_no_random_default() -> None:
    source = "from sqlalchemy import Column, ForeignKey, Integer\n\n\nclass Profile(Base):\n"
    source += (
        '    __tablename__ = "profile"\n    member_id = Column(Integer, ForeignKey("member.id"), primary_key=True)\n'
    )
    assert fix(source, path="app/models/profile.py", select=("CL201",), unsafe=True) == (
        "from sqlalchemy import Column, ForeignKey\nfrom sqlalchemy.dialects.postgresql import UUID\n\n\n"
        'class Profile(Base):\n    __tablename__ = "profile"\n'
        '    member_id = Column(UUID(as_uuid=True), ForeignKey("member.id"), primary_key=True)\n'
    )
    with_default = source.replace("primary_key=True)", "primary_key=True, default=0)")
    assert [(d.code, d.fix) for d in lint(with_default, path="app/models/profile.py", select=("CL201",))] == [
        ("CL201", None)
    ]


def test_f6_the_foreign_key_and_legacy_column_fixes_agree_on_the_uuid_type() -> None:
    source = "from sqlalchemy import Column, ForeignKey, Integer\nfrom sqlalchemy.dialects.postgresql import UUID\n"
    source += '\nfrom app.db.base import Base\n\n\nclass Book(Base):\n    __tablename__ = "book"\n'
    source += '    author_id = Column(Integer, ForeignKey("author.id"), nullable=True)\n'
    with project_tree({"app/models/book.py": source}, select=("CL105", "CL202")) as root:
        run_tree(root, fix=True, unsafe=True)
        assert (root / "app/models/book.py").read_text() == (
            "import uuid\n\nfrom sqlalchemy import ForeignKey\nfrom sqlalchemy.dialects.postgresql import UUID\n"
            "from sqlalchemy.orm import Mapped, mapped_column\n\nfrom app.db.base import Base\n\n\n"
            'class Book(Base):\n    __tablename__ = "book"\n'
            '    author_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), ForeignKey("author.id"), '
            "nullable=True)\n"
        )


ARTICLE = """\
import uuid

from sqlalchemy import Column, ForeignKey, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base

article_tags = Table(
    "article_tags",
    Base.metadata,
    Column("article_id", ForeignKey("article.id"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id"), primary_key=True),
)


class Article(Base):
    __tablename__ = "article"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tags: Mapped[list["Tag"]] = relationship("Tag", secondary=article_tags, backref="articles")
"""
TAG = """\
import uuid

from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class Tag(Base):
    __tablename__ = "tag"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
"""


def test_f2_secondary_table_is_named_by_its_table_name_in_the_other_file() -> None:
    files = {"app/models/article.py": ARTICLE, "app/models/tag.py": TAG}
    with project_tree(files, select=("CL101",)) as root:
        run_tree(root, fix=True, unsafe=True)
        fixed = read_tree(root, files)
    assert fixed["app/models/article.py"] == ARTICLE.replace('backref="articles"', 'back_populates="articles"')
    # `Article`, which the added annotation names, is imported for type checkers only (F821, no cycle).
    assert fixed["app/models/tag.py"] == TAG.replace(
        "import uuid\n", "import uuid\nfrom typing import TYPE_CHECKING\n"
    ).replace("import Mapped, mapped_column", "import Mapped, mapped_column, relationship").replace(
        "from app.db.base import Base\n",
        "from app.db.base import Base\n\nif TYPE_CHECKING:\n    from app.models.article import Article\n",
    ) + (
        '    articles: Mapped[list["Article"]] = relationship("Article", back_populates="tags", '
        'secondary="article_tags")\n'
    )


F3_MODELS = """\
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import DeclarativeBase, declared_attr, relationship


class Base(DeclarativeBase):
    @declared_attr.directive
    def __tablename__(cls) -> str:
        return cls.__name__.lower()


class Team(Base):
    id = Column(Integer, primary_key=True)
    coach_id = Column(Integer, ForeignKey("coach.id"))


class Player(Base):
    id = Column(Integer, primary_key=True)
    team_id = Column(Integer, ForeignKey("team.id"))
    team = relationship("Team", backref="squad_member")
"""


def test_f3_a_computed_table_name_proves_the_reverse_side_a_list_and_the_fix_safe() -> None:
    files = {"app/models/sport.py": F3_MODELS}
    with project_tree(files, select=("CL101",)) as root:
        [finding] = run_tree(root, fix=True).fixed
        fixed = read_tree(root, files)["app/models/sport.py"]
    assert finding.fix.applicability is Applicability.SAFE
    assert fixed == F3_MODELS.replace(
        "import DeclarativeBase, declared_attr, relationship",
        "import DeclarativeBase, Mapped, declared_attr, relationship",
    ).replace('backref="squad_member"', 'back_populates="squad_member"').replace(
        '    coach_id = Column(Integer, ForeignKey("coach.id"))\n',
        '    coach_id = Column(Integer, ForeignKey("coach.id"))\n'
        '    squad_member: Mapped[list["Player"]] = relationship("Player", back_populates="team")\n',
    )


def test_f3_a_table_name_computed_otherwise_leaves_the_direction_assumed_and_the_fix_unsafe() -> None:
    files = {"app/models/sport.py": F3_MODELS.replace("cls.__name__.lower()", "snake_case(cls.__name__)")}
    with project_tree(files, select=("CL101",)) as root:
        [finding] = run_tree(root).diagnostics
        assert run_tree(root, fix=True).fixed == []
    assert finding.fix.applicability is Applicability.UNSAFE
    assert finding.fix.message == (
        "Replace `backref` with `back_populates` and add `Team.squad_member`, assumed to hold a single object: "
        "no foreign key between their tables is known"
    )


TEAM = """\
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import Mapped, relationship

from app.db.base import Base

if TYPE_CHECKING:
    from app.models.coach import Coach


class Team(Base):
    __tablename__ = "teams"
    id = Column(Integer, primary_key=True)
    coach_id = Column(Integer, ForeignKey("coaches.id"))
    coach: Mapped["Coach"] = relationship("Coach")
"""
PLAYER = """\
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app.db.base import Base
from app.models.team import Team


class Player(Base):
    __tablename__ = "players"
    id = Column(Integer, primary_key=True)
    team_id = Column(Integer, ForeignKey(Team.id))
    team = relationship(Team, backref="squad_member")
"""


def test_f3_a_foreign_key_to_a_class_of_another_module_proves_the_reverse_side_a_list() -> None:
    files = {"app/models/team.py": TEAM, "app/models/player.py": PLAYER}
    with project_tree(files, select=("CL101",)) as root:
        [finding] = run_tree(root, fix=True, unsafe=True).fixed
        fixed = read_tree(root, files)
    assert finding.fix.message == (
        "Replace `backref` with `back_populates` and add `Team.squad_member` in `app/models/team.py`"
    )
    assert fixed["app/models/player.py"] == PLAYER.replace('backref="squad_member"', 'back_populates="squad_member"')
    # The import joins the file's `if TYPE_CHECKING:` block in its sorted place.
    assert (
        fixed["app/models/team.py"]
        == TEAM.replace(
            "    from app.models.coach import Coach\n",
            "    from app.models.coach import Coach\n    from app.models.player import Player\n",
        )
        + '    squad_member: Mapped[list["Player"]] = relationship("Player", back_populates="team")\n'
    )


def test_f3_classes_of_two_files_are_imported_in_one_type_checking_block_beside_sorted_imports() -> None:
    user = "from sqlalchemy import Column, Integer\n\nfrom app.db.base import Base\n\n\nclass User(Base):\n"
    user += '    __tablename__ = "users"\n    id = Column(Integer, primary_key=True)\n'
    post = "from sqlalchemy import Column, ForeignKey, Integer\nfrom sqlalchemy.orm import relationship\n\n"
    post += "from app.db.base import Base\n\n\nclass {name}(Base):\n"
    post += '    __tablename__ = "{table}"\n    id = Column(Integer, primary_key=True)\n'
    post += '    user_id = Column(ForeignKey("users.id"))\n    author = relationship("User", backref="{table}")\n'
    files = {
        "app/models/user.py": user,
        "app/models/post.py": post.format(name="Post", table="posts"),
        "app/models/comment.py": post.format(name="Comment", table="comments"),
    }
    with project_tree(files, select=("CL101",)) as root:
        assert len(run_tree(root, fix=True, unsafe=True).fixed) == 2
        fixed = read_tree(root, files)["app/models/user.py"]
    assert fixed == (
        "from typing import TYPE_CHECKING\n\n"
        "from sqlalchemy import Column, Integer\n"
        "from sqlalchemy.orm import Mapped, relationship\n\n"
        "from app.db.base import Base\n\n"
        "if TYPE_CHECKING:\n"
        "    from app.models.comment import Comment\n"
        "    from app.models.post import Post\n\n\n"
        'class User(Base):\n    __tablename__ = "users"\n    id = Column(Integer, primary_key=True)\n'
        '    comments: Mapped[list["Comment"]] = relationship("Comment", back_populates="author")\n'
        '    posts: Mapped[list["Post"]] = relationship("Post", back_populates="author")\n'
    )
