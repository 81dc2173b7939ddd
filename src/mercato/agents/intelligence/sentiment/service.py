"""The sentiment part's commands and queries: analyse texts (no storage), record or forget a
published review's analysis (the handlers), and a product's analysis: its aggregate and
trend, aspects, topics, complaint patterns and feature requests, computed from the stored
reviews when asked. Functions take the caller's unit of work and never commit."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, select

from mercato.agents.intelligence.sentiment import (
    aggregate,
    complaints,
    feature_requests,
    topics,
    tracking,
)
from mercato.agents.intelligence.sentiment.model import Analysis, analyse, model
from mercato.agents.intelligence.sentiment.models import ReviewSentiment
from mercato.agents.intelligence.sentiment.text import MAX_CHARS
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.embeddings import DIMENSIONS
from mercato.kernel.errors import TenantContextMissing

MAX_REVIEWS = 5000
"""The newest reviews a product's analysis reads (older ones count in nothing)."""


async def analyse_texts(texts: list[str]) -> tuple[list[Analysis], dict[str, Any]]:
    """Each text's analysis and the model that made it (in a thread: 1,000 texts are a few
    seconds of CPU the event loop must not wait on)."""
    results = await asyncio.to_thread(analyse, texts)
    embedded = bool(results) and results[0].embedding is not None
    return results, model().describe(embeddings=embedded or not results)


async def record_review(
    uow: UnitOfWork,
    *,
    review_id: str,
    product_id: str,
    rating: int,
    title: str | None,
    body: str,
    published_at: datetime,
) -> None:
    """Analyse a published review and store it (replacing an earlier analysis of it); the
    registry tracks the label against the review's rating."""
    text = f"{title.strip()}. {body}" if title and title.strip() else body
    text = text[:MAX_CHARS]
    [result] = await asyncio.to_thread(analyse, [text])
    row = {
        "tenant_id": _tenant(uow),
        "review_id": review_id,
        "product_id": product_id,
        "rating": rating,
        "text": text,
        "label": result.label,
        "polarity": result.polarity,
        "confidence": result.confidence,
        "aspects": result.to_json()["aspects"],
        "requests": feature_requests.requests_in(text),
        "embedding": None
        if result.embedding is None
        else result.embedding.astype(np.float32).tobytes(),
        "model_version": model().version,
        "published_at": published_at,
        "analysed_at": uow.clock.now(),
    }
    insert = upsert_insert(uow.session)(ReviewSentiment).values(**row)
    await uow.session.execute(
        insert.on_conflict_do_update(
            index_elements=["tenant_id", "review_id"],
            set_={k: insert.excluded[k] for k in row if k not in ("tenant_id", "review_id")},
        )
    )
    await tracking.track(
        uow, review_id=review_id, label=result.label, rating=rating, now=uow.clock.now()
    )


async def forget_review(uow: UnitOfWork, *, review_id: str) -> None:
    """A withdrawn review leaves every aggregate (nothing happens for one never stored)."""
    await uow.session.execute(delete(ReviewSentiment).where(ReviewSentiment.review_id == review_id))


def _tenant(uow: UnitOfWork) -> str:
    tenant = context.current_tenant()
    if tenant is None:
        raise TenantContextMissing()
    return tenant


async def product_analysis(uow: UnitOfWork, *, product_id: str) -> dict[str, Any]:
    """The product's analysis from its stored reviews (count 0 and empty lists without any)."""
    rows = list(
        await uow.session.scalars(
            select(ReviewSentiment)
            .where(ReviewSentiment.product_id == product_id)
            .order_by(ReviewSentiment.published_at.desc(), ReviewSentiment.review_id)
            .limit(MAX_REVIEWS)
        )
    )
    rows.reverse()
    return await asyncio.to_thread(summarise_reviews, product_id, rows)


def summarise_reviews(product_id: str, rows: list[ReviewSentiment]) -> dict[str, Any]:
    scored = [aggregate.Scored(r.label, r.polarity, r.published_at) for r in rows]
    by_aspect: dict[str, list[aggregate.Scored]] = {}
    for r in rows:
        for a in r.aspects:
            by_aspect.setdefault(a["aspect"], []).append(
                aggregate.Scored(a["label"], a["polarity"], r.published_at)
            )
    vectors = None
    if rows and all(r.embedding is not None for r in rows):
        vectors = np.stack([np.frombuffer(r.embedding or b"", np.float32) for r in rows])
        vectors = vectors.reshape(len(rows), DIMENSIONS).astype(np.float64)
    found = topics.clusters(
        [r.review_id for r in rows], [r.text for r in rows], [r.polarity for r in rows], vectors
    )
    facts = [
        complaints.ReviewFacts(
            r.review_id, r.text, [a["aspect"] for a in r.aspects if a["label"] == "negative"]
        )
        for r in rows
    ]
    return {
        "product_id": product_id,
        "model": model().describe(embeddings=vectors is not None or not rows),
        **asdict(aggregate.summarise(scored)),
        "trend": {
            g: [{"period": b.period, **asdict(b.summary)} for b in aggregate.trend(scored, g)]
            for g in ("week", "month")
        },
        "aspects": [
            {"aspect": name, **asdict(aggregate.summarise(items))}
            for name, items in sorted(by_aspect.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
        "topics": [asdict(t) for t in found],
        "complaints": [asdict(p) for p in complaints.patterns(facts)],
        "feature_requests": [
            asdict(r) for r in feature_requests.rank((r.review_id, r.requests) for r in rows)
        ],
    }
