"""CL102 relationship-target-not-string beyond its examples."""

from __future__ import annotations

import textwrap

import pytest

from tests.helpers import fix, found
from tests.snippets import lint_relationship_rules as _lint


@pytest.mark.parametrize(
    "target",
    ['"User"', '"app.models.user.User"', "lambda: User", 'f"{PREFIX}User"', "target_for('post')"],
)
def test_lazy_targets_are_accepted(target: str) -> None:
    source = f"""
    from sqlalchemy.orm import relationship


    class Post(Base):
        __tablename__ = "posts"

        author = relationship({target})
    """
    assert found(_lint(source, "CL102")) == []


def test_target_message_quotes_the_class_name() -> None:
    source = """
    from sqlalchemy.orm import relationship

    from app import models


    class Post(Base):
        __tablename__ = "posts"

        author = relationship(models.User, back_populates="posts")
    """
    [diagnostic] = _lint(source, "CL102")
    assert diagnostic.message == 'Pass the class name as a string: `relationship("User")`'
    assert diagnostic.fix.message == 'Replace `models.User` with `"User"`'


@pytest.mark.parametrize("unsafe", [False, True])
def test_target_is_quoted_in_safe_mode_with_crlf(unsafe: bool) -> None:
    source = textwrap.dedent("""\
    import sqlalchemy as sa

    from app.models.user import User


    class Post(Base):
        __tablename__ = "posts"

        author = sa.orm.relationship(
            User,  # the writer
            back_populates="posts",
        )
        editor = sa.orm.relationship(argument=User)
    """).replace("\n", "\r\n")
    assert fix(source, select=("CL102",), unsafe=unsafe) == source.replace("    User,", '    "User",').replace(
        "argument=User", 'argument="User"'
    )


def test_a_variable_holding_a_class_is_not_quoted() -> None:
    source = """
    from sqlalchemy.orm import relationship


    def make_access(__access_model__, group_model):
        class Access(Base):
            __tablename__ = "access"
            group = relationship(group_model)
            access = relationship(__access_model__)
        return Access
    """
    assert found(_lint(source, "CL102")) == []


def test_a_class_imported_under_another_name_is_named_by_its_own() -> None:
    source = "from sqlalchemy.orm import relationship\n\nfrom app.models.account import Account as Owner\n\n\n"
    source += 'class Post(Base):\n    __tablename__ = "posts"\n    owner = relationship(Owner)\n'
    assert fix(source, select=("CL102",)) == source.replace("relationship(Owner)", 'relationship("Account")')


def test_a_relationship_set_after_both_classes_are_declared_is_not_reported() -> None:
    """SQLAlchemy's documented way to relate two classes once both exist; one set in the class body still is."""
    source = """
    from sqlalchemy.orm import relationship

    from app.models.address import Address
    from app.models.customer import Customer

    STATICA_HACK = True
    if STATICA_HACK:
        Customer.addresses = relationship(Address)


    class Order(Base):
        __tablename__ = "orders"

        customer = relationship(Customer)
    """
    assert found(_lint(source, "CL102")) == [("CL102", 14, 29)]
