"""What every record builder shares: the seeded generator, the clock's "now", id makers per
kind of row, people, the catalog and money formatting."""

from __future__ import annotations

import random
from collections.abc import Callable

from mercato.agents.knowledge.testdata.catalog import Catalog
from mercato.agents.knowledge.testdata.formats import Ids, Instants, money_formatter
from mercato.agents.knowledge.testdata.people import DAY, People

HOUR = 3_600_000_000
MINUTE = 60_000_000
SECOND = 1_000_000


class Tools:
    def __init__(self, seed: int, now: int, workflow: str | None, tenant_id: str) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.now = now
        self.workflow = workflow
        self.tenant_id = tenant_id
        self.instants = Instants()
        self.iso = self.instants.iso
        ids = Ids(self.rng)
        self.ids = ids.maker
        self.new_customer_id = ids.maker()
        self.people = People(self.rng, self.new_customer_id, self.instants, now)
        self.catalog = Catalog(self.rng, ids.maker, self.iso(now - 400 * DAY))
        self.new_cart_id = ids.maker()
        self.new_item_id = ids.maker()
        self.new_session_id = ids.maker()
        self.new_order_id = ids.maker()
        self.new_checkout_id = ids.maker()
        self.new_line_id = ids.maker()
        self.new_payment_id = ids.maker()
        self.new_transaction_id = ids.maker()
        self.new_refund_id = ids.maker()
        self._money: dict[str, Callable[[int], str]] = {}

    def money(self, currency: str) -> Callable[[int], str]:
        found = self._money.get(currency)
        if found is None:
            found = self._money[currency] = money_formatter(currency)
        return found

    def between(self, low: int, high: int) -> int:
        """A whole number of microseconds in [low, high)."""
        return low + int(self.rng.random() * (high - low))

    def hex(self, digits: int) -> str:
        return f"{self.rng.getrandbits(digits * 4):0{digits}x}"


class Facts:
    """What a record's rules are measured against that the record does not carry itself:
    the stock each line was added against (BR014), the moment of payment (BR007), and for a
    cart the sweep's view of it (BR020)."""

    __slots__ = ("available", "idle_seconds", "placed")

    def __init__(
        self,
        available: list[int] | None = None,
        placed: int = 0,
        idle_seconds: float | None = None,
    ) -> None:
        self.available = available or []
        self.placed = placed
        self.idle_seconds = idle_seconds
