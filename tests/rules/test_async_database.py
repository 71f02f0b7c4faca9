"""CL501 and CL502 beyond the rule examples: overlaps, handed-on coroutines, noqa, the `await` fix."""

from __future__ import annotations

import textwrap

from tests.helpers import fix, found, lint


def _found(source: str, *codes: str, **options) -> list[tuple[str, int, int]]:
    return found(lint(source, select=codes or ("CL5",), **options))


def _dedent(source: str) -> str:
    return textwrap.dedent(source).lstrip("\n")


# CL501


def test_blocking_ignores_non_io_calls_and_nested_sync_functions() -> None:
    source = """
        from sqlalchemy.orm import Session

        from app.models.user import User


        async def create(db: Session, user: User) -> None:
            db.add(user)
            db.expire_all()

            def work() -> None:
                db.commit()
    """
    assert _found(source, "CL501") == []


def test_blocking_and_legacy_query_overlap_on_purpose() -> None:
    source = """
        from sqlalchemy.orm import Session

        from app.models.user import User


        async def first_user(db: Session) -> User | None:
            return db.query(User).first()
    """
    assert _found(source) == [("CL501", 7, 12), ("CL505", 7, 12)]


def test_async_sessionmaker_via_class_argument_is_async() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession
        from sqlalchemy.orm import sessionmaker

        from app.db.engine import engine

        SessionLocal = sessionmaker(engine, AsyncSession, expire_on_commit=False)


        async def save() -> None:
            async with SessionLocal() as session:
                session.commit()
    """
    assert _found(source) == [("CL502", 11, 9)]


# CL502


def test_unawaited_coroutine_handed_on_is_not_reported() -> None:
    source = """
        import asyncio

        from sqlalchemy.ext.asyncio import AsyncSession


        async def many(db: AsyncSession, other: AsyncSession, flag: bool):
            await asyncio.gather(db.execute("a"), other.execute("b"))
            tasks = [db.refresh(x) for x in ()]
            pending = (db.flush(), other.flush())
            later = lambda: db.commit()
            await (db.commit() if flag else db.rollback())
            async with db.stream("SELECT 1") as result:
                yield result
            yield db.close()
            return
    """
    assert _found(source, "CL502") == []


def test_unawaited_result_used_further_is_reported() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession


        async def names(db: AsyncSession, flag: bool) -> list[str]:
            rows = await db.execute("SELECT name").all()
            if db.scalar("SELECT 1"):
                return []
            return list(rows)
    """
    assert _found(source, "CL502") == [("CL502", 5, 18), ("CL502", 6, 8)]


def test_name_inferred_session_counts_only_in_async_functions() -> None:
    source = """
        def helper(db) -> None:
            db.commit()


        async def handler(db) -> None:
            db.commit()

            def inner() -> None:
                db.commit()
    """
    assert _found(source, "CL502") == [("CL502", 6, 5)]


def test_annotated_async_session_in_a_plain_def_is_reported_by_both() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession


        def save(db: AsyncSession) -> None:
            db.commit()
    """
    assert _found(source) == [("CL503", 4, 5), ("CL502", 5, 5)]


def test_await_fix_is_safe_for_known_sessions_and_unsafe_for_names() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession


        async def save(db: AsyncSession, session) -> None:
            db.commit()
            session.commit()
    """
    assert fix(source, select=("CL502",)) == _dedent("""
        from sqlalchemy.ext.asyncio import AsyncSession


        async def save(db: AsyncSession, session) -> None:
            await db.commit()
            session.commit()
    """)
    assert fix(source, select=("CL502",), unsafe=True) == _dedent("""
        from sqlalchemy.ext.asyncio import AsyncSession


        async def save(db: AsyncSession, session) -> None:
            await db.commit()
            await session.commit()
    """)
    messages = [d.fix.message for d in lint(source, select=("CL502",))]
    assert messages == ["Add `await` to `db.commit()`", "Add `await` to `session.commit()`"]


def test_await_fix_parenthesises_a_result_used_further_and_moves_a_misplaced_await() -> None:
    source = """
        import sqlalchemy as sa
        from sqlalchemy.ext.asyncio import AsyncSession

        from app.models.user import User


        async def names(db: AsyncSession) -> list[str]:
            users = db.execute(sa.select(User)).scalars().all()
            first = (db.execute(sa.select(User))).first()
            row = db.execute(sa.select(User)).all()[0]
            rows = await db.execute(sa.select(User.name)).all()
            total = -db.scalar(sa.select(sa.func.count()))
            return rows
    """
    assert fix(source, select=("CL502",)) == _dedent("""
        import sqlalchemy as sa
        from sqlalchemy.ext.asyncio import AsyncSession

        from app.models.user import User


        async def names(db: AsyncSession) -> list[str]:
            users = (await db.execute(sa.select(User))).scalars().all()
            first = (await db.execute(sa.select(User))).first()
            row = (await db.execute(sa.select(User))).all()[0]
            rows = (await db.execute(sa.select(User.name))).all()
            total = -await db.scalar(sa.select(sa.func.count()))
            return rows
    """)
    assert lint(source, select=("CL502",))[3].fix.message == "Move `await` onto `db.execute()`"


def test_no_await_fix_where_the_await_would_not_run_with_the_function() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession


        def save(db: AsyncSession) -> None:
            db.commit()


        async def later(db: AsyncSession) -> None:
            callback = lambda: db.execute("SELECT 1").all()
            counts = list(db.scalar(query).real for query in ("SELECT 1",))
    """
    diagnostics = lint(source, select=("CL502",))
    assert found(diagnostics) == [("CL502", 5, 5), ("CL502", 9, 24), ("CL502", 10, 19)]
    assert [d.fix for d in diagnostics] == [None, None, None]


def test_await_fix_keeps_crlf() -> None:
    source = "async def save(db) -> None:\r\n    db.flush()\r\n    db.commit()\r\n"
    assert fix(source, select=("CL502",), unsafe=True) == (
        "async def save(db) -> None:\r\n    await db.flush()\r\n    await db.commit()\r\n"
    )


def test_noqa_on_the_last_line_of_a_multiline_statement() -> None:
    source = """
        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession

        from app.models.user import User


        async def users(db: AsyncSession) -> None:
            result = db.execute(
                select(User),
            )  # noqa: CL502
            return result
    """
    assert _found(source, "CL502") == []


def test_annotated_sync_connection_blocks() -> None:
    source = """
        from sqlalchemy import text
        from sqlalchemy.engine import Connection


        async def check_database(connection: Connection) -> bool:
            return connection.execute(text("SELECT 1")).scalar() == 1
    """
    assert _found(source, "CL501") == [("CL501", 6, 12)]
