"""A store's cart terms as this process keeps them: its settings and its tax rates, which
every cart answer, every checkout and every re-priced order reads, and an admin changes now
and then.

Reading them took two queries per cart command. Each process now keeps them per store for
`MERCATO_STORE_TERMS_CACHE_SECONDS`, and a change evicts them in every process once it
commits (`kernel/process_cache.py`): the process that made it sees it at its next command,
the others a pub/sub delay later, and one that missed the broadcast at most the TTL later.
A cart priced in that window is priced as it would have been a moment before the change
(ADR 22, "Fourth pass"). A store has at most 1,000 rates (the admin's PUT replaces them
all), so they are kept whole.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from mercato.agents.cart.models import CartSettings
from mercato.agents.cart.pricing import StorePricing
from mercato.kernel.broadcast import Broadcast
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import round_money
from mercato.kernel.process_cache import ProcessCache

TOPIC = "cart.store_terms_changed"


@dataclass(frozen=True)
class StoreSettings:
    currency: str
    prices_include_tax: bool
    flat_shipping: Decimal
    free_shipping_over: Decimal | None
    default_country: str
    default_region: str | None

    @property
    def pricing(self) -> StorePricing:
        return StorePricing(
            prices_include_tax=self.prices_include_tax,
            flat_shipping=self.flat_shipping,
            free_shipping_over=self.free_shipping_over,
        )

    @classmethod
    def of(cls, row: CartSettings) -> StoreSettings:
        return cls(
            currency=row.currency,
            prices_include_tax=row.prices_include_tax,
            flat_shipping=round_money(row.flat_shipping, row.currency),
            free_shipping_over=(
                round_money(row.free_shipping_over, row.currency)
                if row.free_shipping_over is not None
                else None
            ),
            default_country=row.default_country,
            default_region=row.default_region,
        )

    @classmethod
    def defaults(cls, settings: Settings) -> StoreSettings:
        return cls(
            currency=settings.default_currency,
            prices_include_tax=settings.prices_include_tax,
            flat_shipping=settings.flat_shipping,
            free_shipping_over=settings.free_shipping_over,
            default_country=settings.default_country,
            default_region=None,
        )


@dataclass(frozen=True)
class StoreTerms:
    settings: StoreSettings
    has_row: bool
    """False: the store has no settings row yet, and `settings` are the deployment's
    defaults (the first cart makes the row)."""
    rates: Mapping[tuple[str, str], Decimal]
    """By (country, region); the region is "" for a country's own rate."""

    def place(self, country: str | None, region: str | None) -> tuple[str, str | None]:
        """Where goods are taxed: the given country and region, or with no country the
        store's default place (the given region, else the default one)."""
        if country:
            return country, region
        return self.settings.default_country, region or self.settings.default_region

    def rate(self, country: str, region: str | None) -> Decimal:
        """The region's rate if it has one, else the country's, else 0."""
        if region and (country, region) in self.rates:
            return self.rates[(country, region)]
        return self.rates.get((country, ""), Decimal(0))


class KeptTerms:
    """The kept terms of each store (one per kernel: `uow.deps(KeptTerms)`)."""

    def __init__(
        self,
        broadcast: Broadcast,
        *,
        ttl: float,
        read: Callable[[UnitOfWork], Awaitable[StoreTerms]],
    ) -> None:
        self._read = read
        self._kept: ProcessCache[str, StoreTerms] = ProcessCache(
            broadcast,
            TOPIC,
            ttl=ttl,
            to_message=lambda tenant: {"tenant_id": tenant},
            from_message=lambda message: str(message["tenant_id"]),
        )

    async def of(self, uow: UnitOfWork, tenant_id: str) -> StoreTerms:
        """The store's terms, read in `uow` when this process keeps none."""
        return await self._kept.get(tenant_id, lambda: self._read(uow))

    def changed_on_commit(self, uow: UnitOfWork, tenant_id: str) -> None:
        self._kept.changed_on_commit(uow, tenant_id)
