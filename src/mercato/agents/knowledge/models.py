"""The knowledge agent's one table: the test-data patterns it has seen work.

The catalog itself is read from the code and needs no table; what generation learns (which
scenario of which entity produced records that passed every rule, and what such a record
looks like) is kept, so the knowledge query finds it in every process and after a restart."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mercato.kernel.db import Base, UTCDateTime


class TestDataPattern(Base):
    """One per (entity, workflow, scenario): the latest good generation's example record.
    Not a store's data (generated records are fictitious), so not tenant-scoped."""

    __tablename__ = "knowledge_patterns"
    __test__ = False  # not a pytest class, whatever its name

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    """`{entity}:{workflow or -}:{scenario}`"""
    entity: Mapped[str] = mapped_column(String(64))
    workflow: Mapped[str | None] = mapped_column(String(64))
    scenario: Mapped[str] = mapped_column(String(64))
    records: Mapped[int] = mapped_column(Integer)
    """Records of the scenario in the generation remembered."""
    coherence: Mapped[float] = mapped_column(Float)
    example: Mapped[dict[str, Any]] = mapped_column(JSON)
    generations: Mapped[int] = mapped_column(Integer, default=1)
    """Good generations of this pattern so far."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
