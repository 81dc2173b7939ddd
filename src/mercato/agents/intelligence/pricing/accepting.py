"""A merchant takes a suggested price with one call: the catalogue's price changes through
the catalog agent's service (its checks, its ownership rule and its `product.price_changed`
events), and the suggestion records who took it and when, in one transaction. A suggestion
made for a price that has changed since, or below a floor raised since, is stale (409) and
changes nothing; accepting one twice answers the first acceptance again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from mercato.agents.catalog import service as catalog
from mercato.agents.intelligence.pricing import suggesting
from mercato.agents.intelligence.pricing.events import PriceSuggestionAccepted
from mercato.agents.intelligence.pricing.floors import floor_of
from mercato.agents.intelligence.pricing.models import Suggestion
from mercato.agents.intelligence.pricing.observing import record_store_price
from mercato.agents.intelligence.pricing.problems import StaleSuggestion, SuggestionNotFound
from mercato.agents.intelligence.pricing.products import known
from mercato.agents.intelligence.pricing.suggesting import ACCEPTED, OPEN
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import round_money


async def accept(
    uow: UnitOfWork, *, suggestion_id: str, principal: Principal, now: datetime
) -> Suggestion:
    """Set the product's listed price to the suggestion's: every active variant moves by
    the same amount, so the cheapest lands on the suggested price and none goes below it
    (nor the floor)."""
    row = await uow.session.scalar(select(Suggestion).where(Suggestion.id == suggestion_id))
    if row is None:
        raise SuggestionNotFound(f"no pricing suggestion {suggestion_id!r}")
    # the catalog decides who may change the product: a merchant its own, admins all
    product = await catalog.editable_product(uow, row.product_id, principal=principal)
    if row.status == ACCEPTED:
        return row
    if row.status != OPEN:
        raise StaleSuggestion("a newer analysis replaced this suggestion", state=row.status)
    current = await known(uow, row.product_id)
    if current is None or current.price != row.base_price or current.currency != row.currency:
        raise StaleSuggestion(
            f"the price was {row.base_price} {row.currency} when suggested; it is "
            f"{current.price if current else '?'} {current.currency if current else ''} now",
            state="price_changed",
        )
    floor = await floor_of(uow, current)
    if floor is not None and row.price < floor.floor.price:
        raise StaleSuggestion(
            f"{row.price} is below the margin floor of {floor.floor.price} set since",
            state="floor_raised",
        )
    claimed = await uow.session.execute(
        update(Suggestion)
        .where(Suggestion.id == row.id, Suggestion.status == OPEN)
        .values(status=ACCEPTED, accepted_by=principal.id, accepted_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:  # another acceptance got there first
        raise StaleSuggestion("the suggestion was taken meanwhile", state="taken")
    delta = row.price - row.base_price
    variants, _ = await catalog.product_parts(uow, product, all_variants=False)
    applied: dict[str, dict[str, str]] = {}
    for variant in variants:
        new_price = round_money(variant.price + delta, row.currency)
        if new_price == variant.price:
            continue
        applied[variant.id] = {"old": format(variant.price, "f"), "new": format(new_price, "f")}
        await catalog.set_variant_price(
            uow, product=product, variant_id=variant.id, price=new_price, now=now
        )
    await uow.session.refresh(row)
    row.applied = applied
    uow.publish(
        PriceSuggestionAccepted(
            suggestion_id=row.id,
            product_id=row.product_id,
            rule=row.rule,
            old_price=format(row.base_price, "f"),
            new_price=format(row.price, "f"),
            currency=row.currency,
            accepted_by=principal.id,
        ),
        aggregate_id=row.product_id,
    )
    await record_store_price(uow, product_id=row.product_id, now=now)
    await suggesting.refresh(uow, product_id=row.product_id, now=now)  # its siblings go
    return row
