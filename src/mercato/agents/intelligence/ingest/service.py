"""What the rest of the intelligence agent reads from ingestion (the pricing part calls
`matched_offers`), and the entry points the API, the CLI and the worker share."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

from sqlalchemy import select

from mercato.agents.intelligence.ingest.matches import MatchedOffer
from mercato.agents.intelligence.ingest.models import CleanRecord, Match
from mercato.kernel.db import UnitOfWork

__all__ = ["MatchedOffer", "matched_offers"]


async def matched_offers(uow: UnitOfWork, *, product_id: str) -> list[MatchedOffer]:
    """Competitors' offers matched to the store's product `product_id` (in the current
    store): accepted matches only (confident ones, or a reviewer's), one per competitor
    page, its most recent observation; cheapest first. See `MatchedOffer` for the fields."""
    rows = await uow.session.execute(
        select(Match, CleanRecord)
        .join(CleanRecord, CleanRecord.id == Match.record_id)
        .where(
            Match.product_id == product_id,
            Match.status == "accepted",
            CleanRecord.kind == "offer",
            CleanRecord.tenant_id == Match.tenant_id,
        )
        .order_by(CleanRecord.observed_at.desc())
    )
    latest: dict[str, MatchedOffer] = {}
    for match, record in rows.all():
        data = record.data
        url = str(data["url"])
        if url in latest:
            continue
        latest[url] = MatchedOffer(
            record_id=record.id,
            match_id=match.id,
            confidence=match.confidence,
            method=match.method,
            reviewed=match.decided_by is not None,
            source_id=record.source_id,
            competitor=str(data["competitor"]),
            domain=(urlsplit(url).hostname or "").lower(),
            url=url,
            title=str(data["title"]),
            gtin=data.get("gtin"),
            mpn=data.get("mpn"),
            sku=data.get("sku"),
            brand=data.get("brand"),
            price=Decimal(str(data["price"])),
            currency=str(data["currency"]),
            availability=str(data.get("availability") or "unknown"),
            promotion=data.get("promotion"),
            observed_at=record.observed_at,
        )
    return sorted(latest.values(), key=lambda o: (o.price, o.url))
