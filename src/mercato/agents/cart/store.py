"""A store's cart pricing settings and tax rates: what totals are computed with.

A store's settings row is made from `Settings`' defaults the first time a command needs it
(the first cart opened, or an admin's change); until then readers see those defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.exc import IntegrityError

from mercato.agents.cart.models import CartSettings, TaxRate
from mercato.agents.cart.problems import DuplicateTaxRate, InvalidAmount
from mercato.agents.cart.store_terms import KeptTerms, StoreSettings, StoreTerms
from mercato.kernel import context, paging
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import TenantContextMissing
from mercato.kernel.ids import new_id
from mercato.kernel.money import is_valid_amount
from mercato.kernel.prepared import Prepared
from mercato.kernel.store_sql import in_store


@dataclass(frozen=True)
class TaxRateSpec:
    country: str
    region: str | None
    rate_percent: Decimal
    name: str


def _tenant() -> str:
    tenant = context.current_tenant()
    if tenant is None:
        raise TenantContextMissing()
    return tenant


async def terms(uow: UnitOfWork) -> StoreTerms:
    """The store's settings and tax rates, as this process keeps them (`store_terms.py`)."""
    return await uow.deps(KeptTerms).of(uow, _tenant())


async def read_terms(uow: UnitOfWork) -> StoreTerms:
    """The store's settings (its defaults when it has no row yet: only before its first
    cart, since opening a cart makes the row) and all its tax rates, read now."""
    row = await _SETTINGS_OF.first(uow, tenant=_tenant())
    rates = {(country, region): rate for country, region, rate in await _RATES_OF.all(uow)}
    if row is None:
        return StoreTerms(StoreSettings.defaults(uow.settings), has_row=False, rates=rates)
    return StoreTerms(StoreSettings.of(row), has_row=True, rates=rates)


async def read_settings(uow: UnitOfWork) -> StoreSettings:
    """The store's settings; its defaults when it has no row yet."""
    return (await terms(uow)).settings


async def ensure_settings(uow: UnitOfWork, *, now: datetime) -> CartSettings:
    """The store's settings row, made from the deployment's settings if it has none (a
    concurrent maker may win the race: its row is used)."""
    tenant = _tenant()
    row = await uow.session.get(CartSettings, tenant)
    if row is not None:
        return row
    base = StoreSettings.defaults(uow.settings)
    row = CartSettings(
        id=tenant,
        currency=base.currency,
        prices_include_tax=base.prices_include_tax,
        flat_shipping=base.flat_shipping,
        free_shipping_over=base.free_shipping_over,
        default_country=base.default_country,
        default_region=base.default_region,
        updated_at=now,
    )
    try:
        async with uow.session.begin_nested():
            uow.session.add(row)
    except IntegrityError:
        found = await uow.session.get(CartSettings, tenant, populate_existing=True)
        if found is None:
            raise
        return found
    uow.deps(KeptTerms).changed_on_commit(uow, tenant)
    return row


async def put_settings(uow: UnitOfWork, *, values: StoreSettings, now: datetime) -> StoreSettings:
    """Replace the store's settings. Carts keep the currency they were opened in."""
    for name, amount in (
        ("flat_shipping", values.flat_shipping),
        ("free_shipping_over", values.free_shipping_over),
    ):
        if amount is not None and not is_valid_amount(amount, values.currency):
            raise InvalidAmount(f"{name} {amount} has more decimals than {values.currency} has")
    row = await ensure_settings(uow, now=now)
    row.currency = values.currency
    row.prices_include_tax = values.prices_include_tax
    row.flat_shipping = values.flat_shipping
    row.free_shipping_over = values.free_shipping_over
    row.default_country = values.default_country
    row.default_region = values.default_region
    row.updated_at = now
    uow.deps(KeptTerms).changed_on_commit(uow, row.id)
    return StoreSettings.of(row)


async def tax_rates(
    uow: UnitOfWork, *, after: tuple[str, str] | None = None, limit: int | None = None
) -> list[TaxRate]:
    """The store's rates by country and region: those after the (country, region) key
    `after` (the region is "" for a country's own rate)."""
    order = (TaxRate.country, TaxRate.region)
    query = select(TaxRate).where(paging.beyond(order, after, descending=False)).order_by(*order)
    return list(await uow.session.scalars(query if limit is None else query.limit(limit)))


async def put_tax_rates(uow: UnitOfWork, *, rates: Sequence[TaxRateSpec]) -> list[TaxRate]:
    """Replace the store's whole list of rates."""
    places = [(r.country, r.region or "") for r in rates]
    duplicates = sorted({p for p in places if places.count(p) > 1})
    if duplicates:
        named = ", ".join(f"{c}/{r}" if r else c for c, r in duplicates)
        raise DuplicateTaxRate(f"more than one rate for {named}")
    await uow.session.execute(delete(TaxRate))
    uow.deps(KeptTerms).changed_on_commit(uow, _tenant())
    rows = [
        TaxRate(
            id=new_id(),
            country=spec.country,
            region=spec.region or "",
            rate_percent=spec.rate_percent,
            name=spec.name,
        )
        for spec in rates
    ]
    uow.session.add_all(rows)
    await uow.session.flush()
    return sorted(rows, key=lambda r: (r.country, r.region))


# What a process keeps of a store's terms is read with these (ADR 22).
_SETTINGS = cast(Table, CartSettings.__table__)
_SETTINGS_OF = Prepared(in_store(select(*_SETTINGS.c).where(_SETTINGS.c.id == bindparam("tenant"))))
_RATES = cast(Table, TaxRate.__table__)
_RATES_OF = Prepared(in_store(select(_RATES.c.country, _RATES.c.region, _RATES.c.rate_percent)))
