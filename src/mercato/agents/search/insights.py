"""What shoppers searched for, read from the query log: the most frequent queries with how
often a result was opened, and the queries nothing answered (what the catalogue lacks, or
a synonym it needs); and the index's state (its products, those whose meaning the embedder
has still to make)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select

from mercato.agents.search.models import SearchClick, SearchDocument, SearchQuery
from mercato.kernel.db import UnitOfWork

TOP = 20


async def insights(uow: UnitOfWork, *, since: datetime) -> dict[str, Any]:
    recent = SearchQuery.created_at >= since
    clicks = (
        select(SearchClick.query_id, func.count().label("clicks"))
        .group_by(SearchClick.query_id)
        .subquery()
    )
    top = await uow.session.execute(
        select(
            SearchQuery.words,
            func.count().label("searches"),
            func.coalesce(func.sum(clicks.c.clicks), 0),
            func.max(SearchQuery.results),
        )
        .outerjoin(clicks, clicks.c.query_id == SearchQuery.id)
        .where(recent, SearchQuery.words != "")
        .group_by(SearchQuery.words)
        .order_by(func.count().desc(), SearchQuery.words)
        .limit(TOP)
    )
    empty = await uow.session.execute(
        select(SearchQuery.words, func.count())
        .where(recent, SearchQuery.results == 0, SearchQuery.words != "")
        .group_by(SearchQuery.words)
        .order_by(func.count().desc(), SearchQuery.words)
        .limit(TOP)
    )
    searches = await uow.session.scalar(select(func.count()).where(recent)) or 0
    documents, pending, newest = (
        await uow.session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(case((SearchDocument.embed_pending, 1), else_=0)), 0),
                func.max(SearchDocument.indexed_at),
            )
        )
    ).one()
    return {
        "index": {
            "products": int(documents),
            "meaning_pending": int(pending),
            "last_indexed_at": newest,
        },
        "since": since,
        "searches": int(searches),
        "top_queries": [
            {"query": q, "searches": n, "clicks": int(c), "results": r} for q, n, c, r in top
        ],
        "zero_results": [{"query": q, "searches": n} for q, n in empty],
    }
