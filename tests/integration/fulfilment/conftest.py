"""Fixtures of the fulfilment reconciliation tests (SQLite and PostgreSQL).

`fulfilment` is a whole store (every installed agent, the relay and the handlers running, so
a shipment's capture reaches payments and a cancellation gives credit back) stocked with four
variants at two warehouses (each with its ship-from address), a 7.25 % US tax, a 10 % code,
table rates, a 15 % restocking fee, and two signed-in customers; and a `Fulfilment` driver
that shops in it through the HTTP API (guests' and customers' checkouts, shipments, returns,
cancellations) while keeping the independent `Books` of what must follow (model.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import event

from mercato.agents.returns import credit
from mercato.agents.returns.statuses import CreditReason
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.cart.conftest import Product
from tests.integration.checkout.conftest import body, new_key
from tests.integration.fulfilment.model import Books, LineBook, OrderBook, ReturnBook
from tests.integration.identity.conftest import ADMIN, sign_up
from tests.integration.shipping.conftest import ShippingShop
from tests.support.store import settle, store_for

OPENING = 6000
"""Units of each variant received at each of the two warehouses (enough for 1,000 sequences)."""
GIFT = Decimal("150.00")
"""Store credit each customer starts with (a goodwill adjustment), to spend at checkout."""
WEST = {
    "name": "Mercato West Warehouse",
    "line1": "2100 E Carson St",
    "city": "Long Beach",
    "region": "CA",
    "postal_code": "90810",
    "country": "US",
}
CODE = "TENOFF"
CONDITIONS = ("original", "opened", "damaged")
RESOLUTIONS = ("refund", "store_credit", "exchange")
REASONS = ("changed_mind", "wrong_size", "damaged", "not_as_described")


@dataclass
class Parcel:
    id: str
    order_id: str
    units: dict[str, int]
    status: str = "label_created"


@dataclass(repr=False)
class Fulfilment:
    """The store, what was done in it (`log`, for failure messages) and what must follow."""

    shop: ShippingShop
    books: Books
    variants: list[str]
    siblings: dict[str, str]
    """Variant id → another variant of the same product at the same price (exchanges)."""
    locations: list[str]
    customers: list[tuple[str, dict[str, str]]]
    parcels: dict[str, Parcel] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)
    """Order id → its number."""
    swaps: dict[str, dict[str, str]] = field(default_factory=dict)
    """Return id → line id → the variant its exchange sends."""
    log: list[str] = field(default_factory=list)
    sequences: int = 0
    """Sequences run so far in this store."""
    guests: int = 0
    stuck: set[str] = field(default_factory=set)
    """Returns whose refund cannot go through (an exchange of nothing): not tried again."""

    async def call(self, method: str, path: str, json: Any = None, **more: Any) -> Any:
        return await self.shop.call(method, path, json, **more)

    async def ok(self, method: str, path: str, json: Any = None) -> Any:
        answer = await self.call(method, path, json)
        assert answer.status_code in (200, 201), f"{method} {path}: {answer.text}\n" + self.story()
        return answer.json()

    def __repr__(self) -> str:
        # Hypothesis prints its arguments on a failure: the whole store (kernel, settings,
        # books) would bury the message that says what went wrong.
        return f"Fulfilment(sequences={self.sequences}, orders={len(self.books.orders)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Hypothesis's printer lists a dataclass's fields whatever its __repr__ says, unless
        # the object pretty-prints itself.
        printer.text(repr(self))

    def story(self) -> str:
        return "steps so far:\n  " + "\n  ".join(self.log[-40:])

    def name(self, order_id: str) -> str:
        return f"order {self.numbers.get(order_id, '?')} ({order_id})"

    # -- orders ---------------------------------------------------------------------------

    async def place(
        self, items: list[tuple[int, int]], *, code: bool, who: int, use_credit: bool
    ) -> None:
        """A checkout of `items` (variant index, units): a guest's (who 0) or a customer's,
        with the code, spending the customer's store credit when `use_credit`."""
        if who == 0:
            self.guests += 1
            headers = await self.shop.guest()
            email, owner = f"guest{self.guests % 2}@example.com", None
        else:
            customer_id, headers = self.customers[(who - 1) % len(self.customers)]
            email, owner = f"customer{who}@example.com", f"customer:{customer_id}"
        units: dict[str, int] = {}
        for index, quantity in items:
            variant = self.variants[index % len(self.variants)]
            units[variant] = units.get(variant, 0) + quantity
        cart = await self.shop.cart(headers)
        for variant, quantity in units.items():
            cart = await self.shop.added(cart, headers, variant, quantity)
        if code:
            applied = await self.shop.client.post(
                f"/v1/carts/{cart['id']}/codes", json={"code": CODE}, headers=headers
            )
            assert applied.status_code == 200, applied.text
        spend = bool(use_credit and owner)
        data = body(cart, email=email)
        if spend:
            data["use_store_credit"] = True
            # the credit a cancellation gives back comes with its event (the returns agent
            # owns the credit): the books count it once that is handled
            await settle(self.shop.kernel)
        answer = await self.shop.client.post(
            "/v1/checkout", json=data, headers={**headers, "Idempotency-Key": new_key()}
        )
        assert answer.status_code == 201, answer.text + "\n" + self.story()
        order = await self.ok("GET", f"/orders/{answer.json()['order']['id']}")
        owner = owner or f"email:{email}"
        self.numbers[order["id"]] = order["number"]
        total = Decimal(order["total"])
        expected = self.books.spend(owner, total) if spend else Decimal(0)
        # checkout spends as much of the credit as the total takes, once
        assert Decimal(order["store_credit_applied"]) == expected, (
            f"{self.name(order['id'])}: spent {order['store_credit_applied']} of the store "
            f"credit, the books say {expected}\n" + self.story()
        )
        self.books.book(
            OrderBook(
                id=order["id"],
                owner=owner,
                total=total,
                shipping=Decimal(order["shipping_total"]),
                credit=expected,
                lines=_lines(order),
            )
        )
        event("checkout spent store credit" if expected else "checkout")
        self.log.append(
            f"place {self.name(order['id'])}: {units} code={code} who={who} "
            f"total={total} credit={expected}"
        )

    async def cancel(self, pick: int) -> None:
        live = [o for o in self.books.orders.values() if not o.cancelled]
        if not live:
            return
        order = live[pick % len(live)]
        answer = await self.call("POST", f"/orders/{order.id}/cancel", {"reason": "changed_mind"})
        allowed = self.books.cancel(order.id)
        self.log.append(f"cancel {self.name(order.id)} → {answer.status_code}")
        event(f"cancel {'allowed' if allowed else 'refused (BR006)'}")
        if allowed:
            assert answer.status_code == 200, answer.text + "\n" + self.story()
            for parcel in self.parcels.values():
                if parcel.order_id == order.id and parcel.status == "label_created":
                    parcel.status = "cancelled"
        else:  # BR006: a part of it has shipped
            assert (answer.status_code, answer.json()["code"]) == (
                409,
                "br006_cancel_before_ship",
            ), answer.text + "\n" + self.story()

    # -- shipments ------------------------------------------------------------------------

    async def make_shipment(self, pick: int, seeds: list[int], where: int) -> None:
        open_orders = [o for o in self.books.orders.values() if self.books.free_to_ship(o.id)]
        if not open_orders:
            return
        order = open_orders[pick % len(open_orders)]
        free = self.books.free_to_ship(order.id)
        units = {}
        for n, (line_id, left) in enumerate(sorted(free.items())):
            take = seeds[n % len(seeds)] % (left + 1)
            if take:
                units[line_id] = take
        if not units:
            line_id, left = sorted(free.items())[0]
            units = {line_id: left}
        data: dict[str, Any] = {"lines": [{"line_id": k, "quantity": v} for k, v in units.items()]}
        if where % 3:
            data["location_id"] = self.locations[where % len(self.locations)]
        made = await self.ok("POST", f"/orders/{order.id}/shipments", data)
        self.parcels[made["id"]] = Parcel(made["id"], order.id, units)
        self.books.plan(order.id, units)
        self.log.append(f"shipment {made['id']} of {self.name(order.id)}: {units}")

    def _parcels(self, status: str) -> list[Parcel]:
        return [p for p in self.parcels.values() if p.status == status]

    def ready(self) -> list[Parcel]:
        """Shipments made and not shipped yet."""
        return self._parcels("label_created")

    def sent(self) -> list[Parcel]:
        """Shipments shipped and not delivered yet."""
        return self._parcels("shipped")

    async def ship(self, pick: int) -> None:
        ready = self._parcels("label_created")
        if not ready:
            return
        parcel = ready[pick % len(ready)]
        tracking = f"TRK{parcel.id.replace('-', '')[-12:]}"
        await self.ok("POST", f"/shipments/{parcel.id}/ship", {"tracking_number": tracking})
        parcel.status = "shipped"
        capture = self.books.ship(parcel.order_id, parcel.units)
        self.log.append(f"ship {parcel.id} of {self.name(parcel.order_id)}: captures {capture}")

    async def deliver(self, pick: int) -> None:
        sent = self._parcels("shipped")
        if not sent:
            return
        parcel = sent[pick % len(sent)]
        await self.ok("POST", f"/shipments/{parcel.id}/deliver")
        parcel.status = "delivered"
        self.books.deliver(parcel.order_id, parcel.units)
        self.log.append(f"deliver {parcel.id} of {self.name(parcel.order_id)}")

    # -- returns --------------------------------------------------------------------------

    async def ask(self, pick: int, seeds: list[int], resolution: int, swap: bool) -> None:
        orders = [o for o in self.books.orders.values() if self.books.returnable(o.id)]
        if not orders:
            return
        order = orders[pick % len(orders)]
        free = self.books.returnable(order.id)
        units = {}
        for n, (line_id, left) in enumerate(sorted(free.items())):
            take = seeds[n % len(seeds)] % (left + 1)
            if take:
                units[line_id] = take
        if not units:
            line_id, left = sorted(free.items())[0]
            units = {line_id: 1}
        chosen = RESOLUTIONS[resolution % len(RESOLUTIONS)]
        swaps = {}
        lines = []
        for n, (line_id, quantity) in enumerate(units.items()):
            line: dict[str, Any] = {
                "line_id": line_id,
                "quantity": quantity,
                "reason": REASONS[(seeds[n % len(seeds)] + n) % len(REASONS)],
            }
            variant = order.lines[line_id].variant_id
            if chosen == "exchange" and swap and variant in self.siblings:
                line["exchange_variant_id"] = swaps[line_id] = self.siblings[variant]
            lines.append(line)
        made = await self.ok(
            "POST", f"/orders/{order.id}/returns", {"lines": lines, "resolution": chosen}
        )
        self.swaps[made["id"]] = swaps
        self.books.ask(ReturnBook(made["id"], order.id, units, chosen, status=made["status"]))
        self.log.append(
            f"return {made['number']} ({made['id']}) of {self.name(order.id)}: {units} "
            f"{chosen} swaps={swaps} → {made['status']}"
        )

    def _returns(self, *statuses: str) -> list[ReturnBook]:
        return [r for r in self.books.returns.values() if r.status in statuses]

    def open_returns(self) -> list[ReturnBook]:
        return self._returns("requested", "approved", "received", "inspected")

    async def receive(self, pick: int, seeds: list[int], where: int) -> None:
        waiting = self._returns("requested", "approved")
        if not waiting:
            return
        ret = waiting[pick % len(waiting)]
        received = {}
        for n, (line_id, asked) in enumerate(sorted(ret.asked.items())):
            seed = seeds[n % len(seeds)]
            received[line_id] = seed % (asked + 1) if seed % 3 == 0 else asked  # some missing
        data = {
            "lines": [{"line_id": k, "quantity": v} for k, v in received.items()],
            "location_id": self.locations[where % len(self.locations)],
        }
        await self.ok("POST", f"/returns/{ret.id}/receive", data)
        self.books.receive(ret.id, received)
        event("receive with items missing" if received != ret.asked else "receive")
        self.log.append(f"receive {ret.id}: {received}")

    async def inspect(self, pick: int, seeds: list[int]) -> None:
        received = self._returns("received")
        if not received:
            return
        ret = received[pick % len(received)]
        conditions = {
            line_id: CONDITIONS[seeds[n % len(seeds)] % len(CONDITIONS)]
            for n, line_id in enumerate(sorted(ret.asked))
            if ret.received[line_id]
        }
        data = {"lines": [{"line_id": k, "condition": v} for k, v in conditions.items()]}
        await self.ok("POST", f"/returns/{ret.id}/inspect", data)
        self.books.inspect(ret.id, conditions)
        self.log.append(f"inspect {ret.id}: {conditions}")

    async def refund(self, pick: int, to_credit: bool) -> None:
        inspected = [r for r in self._returns("inspected") if r.id not in self.stuck]
        if not inspected:
            return
        ret = inspected[pick % len(inspected)]
        await settle(self.shop.kernel)  # the captures of what shipped have been made
        answer = await self.ok(
            "POST", f"/returns/{ret.id}/refund", {"method": "store_credit"} if to_credit else None
        )
        if not any(ret.received.values()):  # an exchange of nothing: closed, nothing sent
            assert (answer["status"], answer["replacement_order_id"]) == ("refunded", None), (
                f"return {ret.id}: {answer}\n" + self.story()
            )
            event("refund: an exchange of nothing is closed with nothing sent")
        self.books.refund(ret.id, to_credit=to_credit, swap=self.swaps.get(ret.id, {}))
        event(
            f"refund: {ret.resolution}"
            + (" (some to credit)" if ret.to_payment and ret.to_credit else "")
            + (" to credit" if to_credit else "")
        )
        self.log.append(
            f"refund {ret.id} ({ret.resolution}, to_credit={to_credit}): {ret.amount} → "
            f"payment {ret.to_payment}, credit {ret.to_credit}"
        )
        if ret.resolution == "exchange" and answer["replacement_order_id"]:
            replacement = await self.ok("GET", f"/orders/{answer['replacement_order_id']}")
            self.numbers[replacement["id"]] = replacement["number"]
            original = self.books.orders[ret.order_id]
            self.books.book(
                OrderBook(
                    id=replacement["id"],
                    owner=original.owner,
                    total=Decimal(replacement["total"]),
                    shipping=Decimal(replacement["shipping_total"]),
                    credit=Decimal(0),
                    lines=_lines(replacement),
                    replacement=True,
                )
            )
            sent: dict[str, int] = {}
            for line in replacement["lines"]:
                sent[line["variant_id"]] = sent.get(line["variant_id"], 0) + line["quantity"]
            assert (sent, replacement["total"]) == (ret.replacement, "0.00"), (
                f"return {ret.id}: the exchange sends {sent} for {replacement['total']}, the "
                f"books say {ret.replacement} for nothing\n" + self.story()
            )
            self.log.append(f"  replacement {self.name(replacement['id'])}")


def _lines(order: dict[str, Any]) -> dict[str, LineBook]:
    return {
        line["id"]: LineBook(
            id=line["id"],
            variant_id=line["variant_id"],
            quantity=line["quantity"],
            line_total=Decimal(line["line_total"]),
        )
        for line in order["lines"]
    }


def store_settings(settings: Settings) -> Settings:
    """No fraud velocity holds (one card and address buy all day), a restocking fee."""
    return settings.model_copy(
        update={
            "fraud_velocity_per_customer": 1_000_000,
            "fraud_velocity_per_card": 1_000_000,
            "fraud_velocity_per_ip": 1_000_000,
            "restocking_fee_percent": Decimal(15),
            "returns_damaged_refund_percent": Decimal(50),
        }
    )


@pytest.fixture
async def fulfilment(settings: Settings) -> AsyncIterator[Fulfilment]:
    async with store_for(store_settings(settings)) as (kernel, client):
        shop = ShippingShop(kernel, client)
        products: list[Product] = [
            await shop.product("19.99", variants=2, stock=None),
            await shop.product("7.33", stock=None),
            await shop.product("41.10", stock=None),
        ]
        variants = [v for p in products for v in p.variant_ids]
        skus = [s for p in products for s in p.skus]
        await shop.stock_many(skus, OPENING)  # at MAIN
        assert shop.location_id is not None
        west = await shop.ok(
            "POST",
            "/inventory/locations",
            {"code": "WEST", "name": "West warehouse", "kind": "warehouse"},
        )
        for sku in skus:
            await shop.ok(
                "POST",
                "/inventory/adjustments",
                {"sku": sku, "location_id": west["id"], "delta": OPENING, "reason": "received"},
            )
        await shop.set_up()
        await shop.ok("PUT", f"/shipping/origins/{west['id']}", WEST)
        await shop.tax_rates({"country": "US", "rate_percent": "7.25", "name": "US"})
        await shop.code(CODE, "percent", "10")
        books = Books(
            restocking_fee_percent=Decimal(15),
            damaged_percent=Decimal(50),
            opening={v: 2 * OPENING for v in variants},
        )
        customers = []
        for _ in range(2):
            account = await sign_up(client)
            customers.append((account.id, account.headers))
            owner = credit.owner_of(customer_id=account.id, email=None)
            with bind(tenant_id="default"):
                async with kernel.uow() as uow:
                    await credit.change(
                        uow,
                        owner=owner,
                        amount=GIFT,
                        currency="USD",
                        reason=CreditReason.ADJUSTMENT,
                        reference="welcome",
                        now=kernel.clock.now(),
                    )
                    await uow.commit()
            books.credit[owner] = GIFT
        await settle(kernel)
        yield Fulfilment(
            shop=shop,
            books=books,
            variants=variants,
            siblings={variants[0]: variants[1], variants[1]: variants[0]},
            locations=[shop.location_id, west["id"]],
            customers=customers,
        )


__all__ = ["ADMIN", "Fulfilment", "Parcel"]
