"""What ingestion hands the pricing part: the competitors' offers matched with confidence (or
accepted by a reviewer) become price observations, so gaps, alerts and suggestions follow the
sources' runs. An offer pricing cannot take (a product gone from the catalogue, a currency it
does not know) is logged and skipped: it never fails the run that found it."""

from __future__ import annotations

from collections.abc import Iterable

import structlog
from sqlalchemy import select

from mercato.agents.intelligence.ingest.models import Match
from mercato.agents.intelligence.ingest.service import matched_offers
from mercato.agents.intelligence.ingest.statuses import MatchStatus
from mercato.agents.intelligence.pricing import service as pricing
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem

log = structlog.get_logger("mercato.intelligence.ingest")


async def feed(uow: UnitOfWork, *, product_ids: Iterable[str]) -> int:
    """Observe the latest accepted offer of each competitor page for these products; answers
    how many were handed over (pricing ignores one it already has)."""
    handed = 0
    for product_id in sorted(set(product_ids)):
        for offer in await matched_offers(uow, product_id=product_id):
            try:
                async with uow.savepoint():
                    await pricing.observe(
                        uow, product_id=product_id, competitor=offer.competitor, url=offer.url,
                        price=offer.price, currency=offer.currency,
                        observed_at=offer.observed_at, match_confidence=offer.confidence,
                        availability=offer.availability, promotion_text=offer.promotion,
                        source_record_id=offer.record_id,
                    )  # fmt: skip
                handed += 1
            except Problem as problem:
                log.warning("offer_not_priced", record_id=offer.record_id, code=problem.code)
    return handed


async def feed_records(uow: UnitOfWork, *, record_ids: Iterable[str]) -> int:
    """`feed` the products these records were matched to and accepted for."""
    products = await uow.session.scalars(
        select(Match.product_id).where(
            Match.record_id.in_(list(record_ids)), Match.status == MatchStatus.ACCEPTED
        )
    )
    return await feed(uow, product_ids=products)
