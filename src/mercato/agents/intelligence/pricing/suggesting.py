"""Keeping a product's open suggestions current: after every change of what they are drawn
from (a competitor's price, the store's price, a cost or a margin), the rules run again; a
suggestion that still says the same keeps its id (a merchant's link to it stays good), the
others are superseded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from mercato.agents.intelligence.pricing import rules
from mercato.agents.intelligence.pricing.floors import floor_of
from mercato.agents.intelligence.pricing.models import Observation, Suggestion
from mercato.agents.intelligence.pricing.products import StoreProduct, known
from mercato.agents.intelligence.pricing.statuses import SuggestionStatus
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

OPEN, ACCEPTED, SUPERSEDED = (
    SuggestionStatus.OPEN,
    SuggestionStatus.ACCEPTED,
    SuggestionStatus.SUPERSEDED,
)


def tuning(settings: Settings) -> rules.Tuning:
    return rules.Tuning(
        undercut_percent=settings.intel_pricing_undercut_percent,
        far_below_percent=settings.intel_pricing_far_below_percent,
        fresh_hours=settings.intel_pricing_fresh_hours,
        stale_hours=max(settings.intel_pricing_stale_hours, settings.intel_pricing_fresh_hours),
    )


async def latest_offers(uow: UnitOfWork, product_id: str) -> list[Observation]:
    """The latest observation of each competitor product matched to the product."""
    return (await latest_offers_of(uow, [product_id]))[product_id]


async def latest_offers_of(
    uow: UnitOfWork, product_ids: Sequence[str]
) -> dict[str, list[Observation]]:
    """`latest_offers` of several products in one query (each id a key, [] when none)."""
    return {pid: latest_of(rows) for pid, rows in (await observations_of(uow, product_ids)).items()}


async def observations_of(
    uow: UnitOfWork, product_ids: Sequence[str]
) -> dict[str, list[Observation]]:
    """Every observation of each product, the newest first."""
    found: dict[str, list[Observation]] = {pid: [] for pid in product_ids}
    if product_ids:
        for row in await uow.session.scalars(
            select(Observation)
            .where(Observation.product_id.in_(list(product_ids)))
            .order_by(Observation.observed_at.desc(), Observation.id.desc())
        ):
            found[row.product_id].append(row)
    return found


def latest_of(newest_first: Sequence[Observation]) -> list[Observation]:
    """Of one product's observations (the newest first), each competitor product's latest,
    the cheapest first."""
    latest: dict[tuple[str, str], Observation] = {}
    for row in newest_first:
        latest.setdefault((row.competitor, row.url), row)
    return sorted(latest.values(), key=lambda o: (o.price, o.competitor, o.url))


def usable(
    offers: Sequence[Observation], product: StoreProduct, now: datetime
) -> list[rules.Offer]:
    """The offers the rules compare: in the product's currency (others are reported only)."""
    return [
        rules.Offer(price=o.price, match_confidence=o.match_confidence, observed_at=o.observed_at)
        for o in offers
        if o.currency == product.currency and o.observed_at <= now
    ]


async def open_suggestions(uow: UnitOfWork, product_id: str) -> list[Suggestion]:
    return (await open_suggestions_of(uow, [product_id]))[product_id]


async def open_suggestions_of(
    uow: UnitOfWork, product_ids: Sequence[str]
) -> dict[str, list[Suggestion]]:
    """Each product's open suggestions, the oldest first."""
    found: dict[str, list[Suggestion]] = {pid: [] for pid in product_ids}
    if product_ids:
        for row in await uow.session.scalars(
            select(Suggestion)
            .where(Suggestion.product_id.in_(list(product_ids)), Suggestion.status == OPEN)
            .order_by(Suggestion.created_at, Suggestion.id)
        ):
            found[row.product_id].append(row)
    return found


async def refresh(uow: UnitOfWork, *, product_id: str, now: datetime) -> list[Suggestion]:
    """Run the rules again for the product; its open suggestions after."""
    product = await known(uow, product_id)
    current = await open_suggestions(uow, product_id)
    if product is None:
        for row in current:
            row.status = SUPERSEDED
        return []
    offers = usable(await latest_offers(uow, product_id), product, now)
    floor = await floor_of(uow, product)
    made = rules.suggest(
        price=product.price,
        currency=product.currency,
        offers=offers,
        floor=floor.floor if floor else None,
        now=now,
        tuning=tuning(uow.settings),
    )
    kept: list[Suggestion] = []
    for idea in made:
        same = next(
            (
                row
                for row in current
                if row.rule == idea.rule
                and row.price == idea.price
                and row.base_price == product.price
                and row.currency == product.currency
                and row.floor == idea.floor
                and row not in kept
            ),
            None,
        )
        if same is None:
            same = Suggestion(
                id=new_id(),
                product_id=product_id,
                rule=idea.rule,
                base_price=product.price,
                price=idea.price,
                currency=product.currency,
                floor=idea.floor,
                status=OPEN,
                created_at=now,
                applied={},
            )
            uow.session.add(same)
        same.confidence, same.reason = idea.confidence, idea.reason[:600]
        kept.append(same)
    for row in current:
        if row not in kept:
            row.status = SUPERSEDED
    await uow.session.flush()
    return kept
