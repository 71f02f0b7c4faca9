"""CL505 beyond the rule examples, and its `select()` fix."""

from __future__ import annotations

import textwrap

from tests.helpers import fix, found, lint


def _found(source: str, *codes: str, **options) -> list[tuple[str, int, int]]:
    return found(lint(source, select=codes or ("CL5",), **options))


def _dedent(source: str) -> str:
    return textwrap.dedent(source).lstrip("\n")


def _fixes(source: str, *codes: str) -> list[str | None]:
    return [d.fix.message if d.fix else None for d in lint(source, select=codes)]


# CL505


def test_legacy_query_on_sessions_only() -> None:
    source = """
        from sqlalchemy.ext.asyncio import AsyncSession

        from app.models.user import User


        class UserService:
            def __init__(self, session: AsyncSession, search) -> None:
                self.session = session
                self.search = search

            def find(self, term: str):
                self.search.query(term)
                return self.session.query(User).all()


        def count(db_session) -> int:
            return db_session.query(User).count()
    """
    assert _found(source, "CL505") == [("CL505", 13, 16), ("CL505", 17, 12)]


def test_select_fix_shapes_with_a_module_alias() -> None:
    source = """
        import sqlalchemy as sa
        from sqlalchemy.ext.asyncio import AsyncSession

        from app.models.user import Address, User


        async def name_of(db: AsyncSession, user_id: int) -> str:
            return db.query(User).get(user_id).name


        async def count_active(db: AsyncSession) -> int:
            return db.query(User).filter(User.is_active).count() + 1


        def first_active(db) -> User | None:
            return (
                db.query(User)
                .filter(User.is_active)  # only active
                .order_by(User.name)
                .first()
            )


        def pair(db, email: str) -> tuple:
            return db.query(User, Address).join(Address).filter_by(email=email).one()
    """
    assert fix(source, select=("CL505",)) == _dedent(source)
    assert fix(source, select=("CL505",), unsafe=True) == _dedent("""
        import sqlalchemy as sa
        from sqlalchemy.ext.asyncio import AsyncSession

        from app.models.user import Address, User


        async def name_of(db: AsyncSession, user_id: int) -> str:
            return (await db.get(User, user_id)).name


        async def count_active(db: AsyncSession) -> int:
            return await db.scalar(sa.select(sa.func.count()).select_from(User).where(User.is_active)) + 1


        def first_active(db) -> User | None:
            return (
                db.execute(sa.select(User)
                .where(User.is_active)  # only active
                .order_by(User.name).limit(1)).scalars()
                .first()
            )


        def pair(db, email: str) -> tuple:
            return db.execute(sa.select(User, Address).join(Address).filter_by(email=email)).one()
    """)
    assert _fixes(source, "CL505") == [
        "Replace the query with `db.get(...)`",
        "Replace the query with `db.scalar(...)`",
        "Replace the query with `db.execute(...)`",
        "Replace the query with `db.execute(...)`",
    ]


def test_no_select_fix_for_other_shapes() -> None:
    source = """
        from app.models.user import User


        def other_shapes(db, user_id: int) -> None:
            ids = db.query(User.id).all()
            db.query(User).filter(User.id == user_id).delete()
            query = db.query(User)
            newest = db.query(User).order_by(User.id).count()
            return db.query(User).get(user_id, with_for_update=True)
    """
    assert _fixes(source, "CL505") == [None] * 5


def test_session_known_by_name_is_awaited_by_unawaited_async_db_call_not_by_the_select_fix() -> None:
    source = """
        from app.models.user import User


        async def get_users(db) -> list[User]:
            return db.query(User).all()
    """
    rewritten = _dedent("""
        from sqlalchemy import select

        from app.models.user import User


        async def get_users(db) -> list[User]:
            return {}.scalars().all()
    """)
    assert fix(source, select=("CL505",), unsafe=True) == rewritten.format("db.execute(select(User))")
    assert fix(source, select=("CL502", "CL505"), unsafe=True) == rewritten.format("(await db.execute(select(User)))")


def test_select_fix_adds_lines_with_crlf() -> None:
    source = "def users(db):\r\n    return db.query(User).all()\r\n"
    assert fix(source, select=("CL505",), unsafe=True) == (
        "from sqlalchemy import select\r\n\r\n\r\ndef users(db):\r\n    return db.execute(select(User)).scalars().all()\r\n"
    )
