"""Rate shopping: every carrier's price for a parcel, side by side, tagged cheapest, fastest
and best value, kept as quotes a cart or an order can choose by id.

It runs in three steps so no outside call holds a database transaction (ADR 4): `prepare`
reads the store's zones, tables and carriers' settings; `ask` puts the question to every
carrier with an API at once, each with `shipping_carrier_timeout` seconds; `keep` writes the
quotes. A carrier that does not answer in time, or at all, is replaced by the store's rate
tables for it when it has some, and is named in the answer's warnings either way (EC018):
a slow carrier costs the shopper at most the timeout, never the checkout.

Best value is the option with the lowest price x (1 + 0.15 x its latest delivery day): a day
sooner is worth 15 % of the price (an express option at twice the price of a five-day one
wins only if it arrives in a day or two).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import structlog
from sqlalchemy import select

from mercato.agents.shipping import rate_tables
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.models import CarrierSetting, Quote, RateTable
from mercato.agents.shipping.providers import carrier_codes
from mercato.agents.shipping.providers.base import (
    Address,
    Carrier,
    CarrierRefused,
    CarrierUnavailable,
    Parcel,
)
from mercato.agents.shipping.providers.base import Quote as CarrierQuote
from mercato.agents.shipping.statuses import QuoteSource
from mercato.agents.shipping.zones import Destination, all_zones, zone_for
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.money import round_money

log = structlog.get_logger(__name__)

QUOTE_TTL = timedelta(minutes=30)
DAY_WORTH = Decimal("0.15")


@dataclass(frozen=True)
class RateRequest:
    """What the carriers are asked, read from the store."""

    origin: Address
    destination: Address
    parcel: Parcel
    currency: str
    carriers: Mapping[str, Carrier]
    """The carriers with an API the store has not switched off."""
    tables: Sequence[RateTable]
    """The store's tables for the destination's zone (active, of carriers not switched off)."""
    disabled_services: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Option:
    id: str
    carrier: str
    carrier_name: str
    service: str
    service_name: str
    amount: Decimal
    currency: str
    days_min: int
    days_max: int
    source: QuoteSource
    carrier_ref: str | None = None
    shipment_ref: str | None = None
    tags: tuple[str, ...] = ()

    def arrives(self, now: datetime) -> tuple[date, date]:
        """The delivery window: business days (Monday to Friday) after today."""
        return business_day(now.date(), self.days_min), business_day(now.date(), self.days_max)


@dataclass(frozen=True)
class RateAnswer:
    options: list[Option]
    warnings: list[str]
    parcel: Parcel
    zone: str | None


def business_day(start: date, days: int) -> date:
    day, left = start, max(days, 0)
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


async def prepare(
    uow: UnitOfWork,
    deps: ShippingDeps,
    *,
    origin: Address,
    destination: Address,
    parcel: Parcel,
    currency: str,
) -> tuple[RateRequest, str | None]:
    """The request for the carriers, and the destination's zone code (None: no zone)."""
    settings = {row.code: row for row in await uow.session.scalars(select(CarrierSetting))}
    off = {code for code, row in settings.items() if not row.enabled}
    zone = zone_for(
        await all_zones(uow),
        Destination(destination.country, destination.region, destination.postal_code),
    )
    tables = await rate_tables.tables_for_zone(uow, zone.id) if zone else []
    if "tables" not in carrier_codes(deps.settings):  # only stand-ins for API carriers
        tables = [t for t in tables if t.carrier in deps.carriers]
    return (
        RateRequest(
            origin=origin,
            destination=destination,
            parcel=parcel,
            currency=currency,
            carriers={code: c for code, c in deps.carriers.items() if code not in off},
            tables=[t for t in tables if t.carrier not in off],
            disabled_services={
                code: frozenset(row.disabled_services) for code, row in settings.items()
            },
        ),
        zone.code if zone else None,
    )


async def ask(request: RateRequest, *, seconds: float) -> tuple[list[Option], list[str]]:
    """Every carrier's options for the request, and warnings for those that did not answer
    (or quoted another currency)."""
    codes = list(request.carriers)
    answers = await asyncio.gather(
        *(_ask_one(request.carriers[code], request, seconds) for code in codes)
    )
    options: list[Option] = []
    warnings: list[str] = []
    answered: set[str] = set()
    for code, (quotes, problem) in zip(codes, answers, strict=True):
        if problem is not None:
            stand_in = [t for t in request.tables if t.carrier == code]
            warnings.append(
                f"{request.carriers[code].name} did not answer ({problem})"
                + (": its table rates are shown" if stand_in else ": it is not offered")
            )
            continue
        answered.add(code)
        for quote in quotes:
            if quote.currency != request.currency:
                warnings.append(
                    f"{request.carriers[code].name} quoted {quote.service_name} in "
                    f"{quote.currency}, not {request.currency}: left out"
                )
                continue
            options.append(_from_carrier(request.carriers[code], quote))
    for table in request.tables:
        if table.carrier in answered:
            continue
        amount = rate_tables.price(table, request.parcel)
        if amount is None or table.currency != request.currency:
            continue
        options.append(
            Option(
                id="",
                carrier=table.carrier,
                carrier_name=table.carrier_name,
                service=table.service,
                service_name=table.service_name,
                amount=amount,
                currency=table.currency,
                days_min=table.days_min,
                days_max=table.days_max,
                source=QuoteSource.TABLE,
            )
        )
    options = [o for o in options if o.service not in request.disabled_services.get(o.carrier, ())]
    return tag(options), warnings


async def _ask_one(
    carrier: Carrier, request: RateRequest, seconds: float
) -> tuple[list[CarrierQuote], str | None]:
    try:
        quotes = await asyncio.wait_for(
            carrier.rates(
                origin=request.origin, destination=request.destination, parcel=request.parcel
            ),
            seconds,
        )
    except TimeoutError:
        log.warning("shipping.carrier_timeout", carrier=carrier.code, seconds=seconds)
        return [], f"no answer in {seconds:g} s"
    except CarrierUnavailable as exc:
        log.warning("shipping.carrier_unavailable", carrier=carrier.code, error=str(exc))
        return [], "unavailable"
    except CarrierRefused as exc:
        return [], f"refused: {exc}"
    return quotes, None


def _from_carrier(carrier: Carrier, quote: CarrierQuote) -> Option:
    return Option(
        id="",
        carrier=quote.carrier,
        carrier_name=carrier.name,
        service=quote.service,
        service_name=quote.service_name,
        amount=round_money(quote.amount, quote.currency),
        currency=quote.currency,
        days_min=quote.days_min,
        days_max=quote.days_max,
        source=QuoteSource.CARRIER,
        carrier_ref=quote.carrier_ref,
        shipment_ref=quote.shipment_ref,
    )


def tag(options: Sequence[Option]) -> list[Option]:
    """The options cheapest first, each tagged `cheapest`, `fastest`, `best_value` where it
    is (one option may be all three)."""
    ordered = sorted(options, key=lambda o: (o.amount, o.days_max, o.carrier, o.service))
    if not ordered:
        return []
    cheapest = ordered[0]
    fastest = min(ordered, key=lambda o: (o.days_max, o.days_min, o.amount))
    best = min(ordered, key=lambda o: (o.amount * (1 + DAY_WORTH * o.days_max), o.days_max))
    tagged = []
    for option in ordered:
        tags = tuple(
            name
            for name, winner in (
                ("cheapest", cheapest),
                ("fastest", fastest),
                ("best_value", best),
            )
            if winner is option
        )
        tagged.append(replace(option, tags=tags))
    return tagged


def fingerprint(items: Sequence[tuple[str, int]], destination: Address, currency: str) -> str:
    """What a quote was for: the units (the first half, `units_print`) and where they go (a
    cart changed since gets new quotes, not an old price)."""
    where = [destination.country, destination.region, destination.postal_code]
    to = hashlib.sha256(json.dumps(where).encode()).hexdigest()
    return units_print(items, currency) + to[:32]


def units_print(items: Sequence[tuple[str, int]], currency: str) -> str:
    """The units of a fingerprint (whatever their order), 32 characters."""
    units: dict[str, int] = {}
    for variant_id, quantity in items:
        units[variant_id] = units.get(variant_id, 0) + quantity
    data = {"items": sorted(units.items()), "currency": currency}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


async def keep(
    uow: UnitOfWork,
    options: Sequence[Option],
    *,
    cart_id: str | None,
    order_id: str | None,
    fingerprint: str,
    now: datetime,
) -> list[Option]:
    """Store the options as quotes; the options with their ids."""
    kept = []
    for option in options:
        quote = Quote(
            id=new_id(),
            cart_id=cart_id,
            order_id=order_id,
            carrier=option.carrier,
            carrier_name=option.carrier_name,
            service=option.service,
            service_name=option.service_name,
            amount=option.amount,
            currency=option.currency,
            days_min=option.days_min,
            days_max=option.days_max,
            source=option.source,
            carrier_ref=option.carrier_ref,
            shipment_ref=option.shipment_ref,
            fingerprint=fingerprint,
            expires_at=now + QUOTE_TTL,
            created_at=now,
        )
        uow.session.add(quote)
        kept.append(replace(option, id=quote.id))
    return kept
