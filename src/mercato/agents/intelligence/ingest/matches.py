"""Matches of outside records to the store's products, stored with their confidence; the
review queue of the unconfident ones; and what the pricing part reads: the offers matched
to a product (`matched_offers`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from mercato.agents.catalog.service import product_ids_after, summaries
from mercato.agents.intelligence.ingest.clean.matching import (
    Item,
    Similarity,
    best_match,
    embedding_similarity,
    status_for,
)
from mercato.agents.intelligence.ingest.clean.sku import normalize_sku
from mercato.agents.intelligence.ingest.models import CleanRecord, Match
from mercato.agents.intelligence.ingest.problems import MatchAlreadyDecided
from mercato.agents.intelligence.ingest.statuses import MatchStatus
from mercato.kernel import paging
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.security import get_or_404

MATCHED_KINDS = ("offer", "product")
PAGE = 200


def _attribute(attributes: dict[str, Any], *names: str) -> str | None:
    lowered = {str(k).lower(): v for k, v in attributes.items()}
    for name in names:
        if lowered.get(name):
            return str(lowered[name])
    return None


async def catalogue(uow: UnitOfWork) -> list[Item]:
    """The store's active products as matching sees them: one item per variant (its SKU),
    brand, GTIN and MPN from the product's or variant's attributes."""
    items: list[Item] = []
    after: str | None = None
    while True:
        ids = await product_ids_after(uow, after, PAGE)
        if not ids:
            return items
        after = ids[-1]
        for product in (await summaries(uow, ids)).values():
            for variant in product.get("variants") or [{}]:
                attributes = {
                    **(product.get("attributes") or {}),
                    **(variant.get("attributes") or {}),
                }
                title = " ".join(t for t in (product["name"], variant.get("title")) if t)
                sku = variant.get("sku")
                items.append(
                    Item(
                        id=product["id"],
                        title=title,
                        sku=normalize_sku(sku, "mercato") if sku else None,
                        gtin=_attribute(attributes, "gtin", "ean", "upc", "barcode"),
                        mpn=_attribute(attributes, "mpn"),
                        brand=_attribute(attributes, "brand"),
                        attributes={k: str(v) for k, v in attributes.items()},
                    )
                )


def item_of(record: CleanRecord) -> Item:
    data = record.data
    return Item(
        id=record.id,
        title=str(data.get("title") or ""),
        gtin=data.get("gtin"),
        mpn=data.get("mpn"),
        brand=data.get("brand"),
        sku=data.get("sku"),
        attributes={k: str(v) for k, v in (data.get("attributes") or {}).items()},
    )


async def match_records(
    uow: UnitOfWork,
    *,
    record_ids: list[str],
    threshold: float,
    now: datetime,
    similarity: Similarity | None = None,
    use_embeddings: bool = True,
) -> int:
    """Match each record to the catalogue (again, when it changed); a reviewer's decision
    is kept. Answers how many matches were written."""
    records = (
        await uow.session.scalars(
            select(CleanRecord).where(
                CleanRecord.id.in_(record_ids), CleanRecord.kind.in_(MATCHED_KINDS)
            )
        )
    ).all()
    if not records:
        return 0
    items = await catalogue(uow)
    if similarity is None and use_embeddings and items:
        similarity = embedding_similarity(items)
    written = 0
    for record in records:
        existing = await uow.session.scalar(select(Match).where(Match.record_id == record.id))
        if existing is not None and existing.decided_by is not None:
            continue
        found = best_match(item_of(record), items, similarity=similarity)
        if found is None:
            continue
        if existing is None:
            existing = Match(id=new_id(), record_id=record.id, created_at=now)
            uow.session.add(existing)
        existing.product_id, existing.method = found.product_id, found.method
        existing.confidence = found.confidence
        existing.status = status_for(found.confidence, threshold)
        written += 1
    await uow.session.flush()
    return written


async def list_matches(
    uow: UnitOfWork,
    *,
    status: str | None,
    product_id: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[tuple[Match, CleanRecord | None]], str | None]:
    key = paging.decode(cursor, datetime, str)
    query = select(Match)
    if status is not None:
        query = query.where(Match.status == status)
    if product_id is not None:
        query = query.where(Match.product_id == product_id)
    rows = (
        await uow.session.scalars(
            query.where(paging.beyond((Match.created_at, Match.id), key, descending=True))
            .order_by(Match.created_at.desc(), Match.id.desc())
            .limit(limit + 1)
        )
    ).all()
    page, next_cursor = paging.cut(rows, limit, lambda m: (m.created_at, m.id))
    records = {
        r.id: r
        for r in await uow.session.scalars(
            select(CleanRecord).where(CleanRecord.id.in_([m.record_id for m in page]))
        )
    }
    return [(m, records.get(m.record_id)) for m in page], next_cursor


async def decide(
    uow: UnitOfWork, *, match_id: str, accept: bool, principal: Principal, now: datetime
) -> Match:
    match = await get_or_404(uow, Match, match_id, principal=principal, what="match")
    if match.decided_by is not None:
        raise MatchAlreadyDecided(f"match {match_id} was {match.status} by {match.decided_by}")
    match.status = MatchStatus.ACCEPTED if accept else MatchStatus.REJECTED
    match.decided_by, match.decided_at = principal.id, now
    await uow.session.flush()
    return match


@dataclass(frozen=True)
class MatchedOffer:
    """A competitor's offer matched to one of the store's products.

    - `record_id`: the clean offer record (`GET /v1/intelligence/lineage/{record_id}`).
    - `match_id`, `confidence` (0…1), `method` (gtin, mpn_brand, sku, title), `reviewed`
      (a person accepted it; otherwise it was confident enough on its own).
    - `source_id`, `competitor` (the name the source gives it), `domain` (of the page),
      `url`, `title`.
    - `gtin` (GTIN-14), `mpn`, `sku` (normalised), `brand`: the identifiers the page showed.
    - `price` (Decimal, never float) and `currency` (ISO 4217), `availability` (in_stock,
      out_of_stock, preorder, limited, unknown), `promotion` (the page's promotion text).
    - `observed_at`: when the page said so (the most recent observation of that page).
    """

    record_id: str
    match_id: str
    confidence: float
    method: str
    reviewed: bool
    source_id: str
    competitor: str
    domain: str
    url: str
    title: str
    gtin: str | None
    mpn: str | None
    sku: str | None
    brand: str | None
    price: Decimal
    currency: str
    availability: str
    promotion: str | None
    observed_at: datetime
