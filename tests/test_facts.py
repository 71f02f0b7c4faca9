"""The facts of a file: typed, built by keyword, and the same after the cache's JSON round trip."""

from __future__ import annotations

import json
from pathlib import Path

from conventions_lint.diagnostic import Location, Span
from conventions_lint.engine import lint_source
from conventions_lint.facts import FileFacts, RelationshipFact
from conventions_lint.registry import REGISTRY
from conventions_lint.settings import Settings

MODELS = """\
# -*- coding: latin-1 -*-
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base_class import Base


class Post(Base):
    __tablename__ = "posts"

    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author: Mapped["User"] = relationship(
        "User", back_populates="posts"
    )  # café
"""


def test_facts_are_typed_and_survive_the_cache() -> None:
    settings = Settings(root=Path("/project"))
    path = "app/models/post.py"
    facts = lint_source(path, path, MODELS.encode("latin-1"), settings, REGISTRY.rules_for(settings, path)).facts
    assert facts.relationships == [
        RelationshipFact(
            owner="Post",
            attribute="author",
            target="User",
            back_populates="posts",
            span=Span(Location(13, 17), Location(13, 39)),
            statement_rows=(12, 14),
        )
    ]
    assert facts.class_spans == {"Post": Span(Location(8, 7), Location(8, 11))}
    assert facts.class_bodies["Post"].end_row == 14 and facts.encoding == "iso-8859-1"
    assert FileFacts.from_dict(json.loads(json.dumps(facts.to_dict()))) == facts
