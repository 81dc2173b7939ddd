"""Similar past questions (seed 001 property 42): every question a user asks is kept with its
report and its MiniLM embedding; a new question is compared, by cosine similarity, with the
user's last `HISTORY` questions, and the closest (at least `min_score`) are offered with
their reports. Only the user's own questions are ever compared or returned.

`rank` is the whole choice, a pure function over vectors; `similar` and `record` store and
load them. When the embedding model cannot be loaded, questions are kept without a vector
and nothing is offered as similar."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import select

from mercato.agents.intelligence.memory.models import IntelPastQuestion
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

HISTORY = 500
"""How many of the user's latest questions a new one is compared with."""
K = 3
MIN_SCORE = 0.55

Vector = np.ndarray[Any, Any]
Embed = Callable[[list[str]], Vector | None]
"""Texts to one vector each (rows), or None when no model is available."""


@dataclass(frozen=True)
class PastQuestion:
    question: str
    report_id: str
    score: float
    """Cosine similarity with the new question, -1..1."""
    asked_at: datetime

    def as_dict(self) -> dict[str, Any]:
        """As the report lists it (`similar_questions`)."""
        return {
            "question": self.question,
            "report_id": self.report_id,
            "score": self.score,
            "asked_at": self.asked_at.isoformat(),
        }


@dataclass(frozen=True)
class Asked:
    """A past question as `rank` compares it."""

    user_id: str
    question: str
    report_id: str
    asked_at: datetime
    vector: Vector


def rank(
    query: Vector,
    asked: Sequence[Asked],
    *,
    user_id: str,
    k: int = K,
    min_score: float = MIN_SCORE,
    exclude_report_id: str | None = None,
) -> list[PastQuestion]:
    """The user's past questions closest to `query` (cosine similarity, best first; ties:
    the latest first), at least `min_score`, at most `k`, one per report, leaving out
    `exclude_report_id` (the report being made) and every other user's questions."""
    mine = [a for a in asked if a.user_id == user_id and a.report_id != exclude_report_id]
    if not mine or k <= 0:
        return []
    scores = _cosines(query, np.stack([a.vector for a in mine]))
    order = sorted(range(len(mine)), key=lambda i: (-scores[i], -mine[i].asked_at.timestamp(), i))
    found: list[PastQuestion] = []
    reports: set[str] = set()
    for i in order:
        if scores[i] < min_score or len(found) == k:
            break
        if mine[i].report_id in reports:
            continue
        reports.add(mine[i].report_id)
        found.append(
            PastQuestion(mine[i].question, mine[i].report_id, float(scores[i]), mine[i].asked_at)
        )
    return found


async def record(
    uow: UnitOfWork,
    *,
    user_id: str,
    question: str,
    report_id: str,
    now: datetime,
    embed: Embed | None = None,
) -> None:
    """Keep the user's question, its report and its embedding."""
    vector = await _embed_one(question, embed or minilm)
    uow.session.add(
        IntelPastQuestion(
            id=new_id(),
            user_id=user_id,
            question=question,
            report_id=report_id,
            embedding=None if vector is None else vector.astype(np.float32).tobytes(),
            created_at=now,
        )
    )


async def similar(
    uow: UnitOfWork,
    *,
    user_id: str,
    question: str,
    k: int = K,
    min_score: float = MIN_SCORE,
    exclude_report_id: str | None = None,
    embed: Embed | None = None,
) -> list[PastQuestion]:
    """The user's past questions most like this one (`rank`), among their last `HISTORY`."""
    rows = (
        await uow.session.execute(
            select(
                IntelPastQuestion.question,
                IntelPastQuestion.report_id,
                IntelPastQuestion.created_at,
                IntelPastQuestion.embedding,
            )
            .where(IntelPastQuestion.user_id == user_id)
            .order_by(IntelPastQuestion.created_at.desc(), IntelPastQuestion.id.desc())
            .limit(HISTORY)
        )
    ).all()
    asked = [
        Asked(user_id, row.question, row.report_id, row.created_at, _vector(row.embedding))
        for row in rows
        if row.embedding is not None
    ]
    if not asked:
        return []
    query = await _embed_one(question, embed or minilm)
    if query is None:
        return []
    return rank(
        query,
        asked,
        user_id=user_id,
        k=k,
        min_score=min_score,
        exclude_report_id=exclude_report_id,
    )


def minilm(texts: list[str]) -> Vector | None:
    """The MiniLM sentence model Mercato ships (unit vectors), or None when unavailable."""
    from mercato.kernel.embeddings import encoder

    model = encoder("queries")  # short texts at request time, as search's queries
    return None if model is None else model.embed(texts)


async def _embed_one(text: str, embed: Embed) -> Vector | None:
    vectors = await asyncio.to_thread(embed, [text])  # the model is CPU work: off the loop
    return None if vectors is None else vectors[0]


def _vector(data: bytes) -> Vector:
    return np.frombuffer(data, dtype=np.float32)


def _cosines(query: Vector, matrix: Vector) -> Vector:
    norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(query)
    result: Vector = (matrix @ query) / np.clip(norms, 1e-12, None)
    return result
