"""An independent model of fulfilment's money and units: what an order's payment must hold
(captured - refunded), what each shopper's store credit must be, and how many units of each
variant must be on hand and held, after any sequence of orders, shipments, deliveries,
cancellations and returns (refund, store credit, exchange).

It is written from the issue's rules, not from Mercato's code, in whole cents:

- a line's paid share is its part of the goods (the total less shipping), in proportion to
  the lines' totals, floored to the cent, the cents left over to the largest remainders (then
  the lowest line id);
- the first `n` units of a line of `q` units paid `p` cents are worth ⌊p·n/q⌋ cents, so the
  parts of a line shipped or returned in pieces add up to the line exactly;
- shipping units charges their worth, and the shipping charge with the first shipment; the
  store credit spent at checkout is used first, the payment captures the rest;
- a returned unit refunds its worth (BR010: in full in its original condition, less the
  restocking fee opened, `damaged_percent` damaged, nothing missing), to the payment up to
  what it has left to refund, the rest (or all of it, when the shopper chose store credit) to
  store credit; an exchange refunds nothing and sends the units received again at no charge;
- a cancelled order gives back the store credit it spent.

`tests/unit/orders/test_reconciliation_model.py` runs 1,000 sequences of the model against
the orders' and returns' own arithmetic; `test_reconciliation.py` here runs sequences through
the real store and holds its database to the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)


def cents(amount: Decimal) -> int:
    return int((amount / CENT).to_integral_value())


def money(count: int) -> Decimal:
    return Decimal(count) * CENT


def shares(goods_cents: int, line_totals: dict[str, int]) -> dict[str, int]:
    """Line id → paid cents: `goods_cents` in proportion to the lines' totals (cents)."""
    weight = sum(line_totals.values())
    if weight <= 0 or goods_cents <= 0:
        return {line_id: 0 for line_id in line_totals}
    floors = {k: goods_cents * v // weight for k, v in line_totals.items()}
    remainders = {k: goods_cents * v % weight for k, v in line_totals.items()}
    left = goods_cents - sum(floors.values())
    for k in sorted(line_totals, key=lambda k: (-remainders[k], k))[:left]:
        floors[k] += 1
    return floors


def worth(paid: int, quantity: int, before: int, more: int) -> int:
    """Cents the units `before`+1 … `before`+`more` of a line are worth."""
    if quantity <= 0:
        return 0
    return paid * min(before + more, quantity) // quantity - paid * before // quantity


def half_up(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class LineBook:
    id: str
    variant_id: str
    quantity: int
    line_total: Decimal
    paid: int = 0
    """Cents, set when the order is booked."""
    shipping: int = 0
    """Units in shipments not cancelled (shipped or not)."""
    shipped: int = 0
    delivered: int = 0
    asked: int = 0
    """Units in open returns not received (yet, or missing until the return is refunded)."""
    returned: int = 0
    """Units received back."""


@dataclass
class OrderBook:
    id: str
    owner: str | None
    """Whose store credit it spent or is refunded to."""
    total: Decimal
    shipping: Decimal
    credit: Decimal
    lines: dict[str, LineBook]
    replacement: bool = False
    cancelled: bool = False
    refunded: Decimal = ZERO
    """Returned to its payment by its returns."""

    def __post_init__(self) -> None:
        goods = max(cents(self.total) - cents(self.shipping), 0)
        paid = shares(goods, {k: cents(v.line_total) for k, v in self.lines.items()})
        for line_id, line in self.lines.items():
            line.paid = paid[line_id]

    def charged(self) -> Decimal:
        """What the shipped units are charged, with the shipping charge once any left."""
        units = sum(worth(x.paid, x.quantity, 0, x.shipped) for x in self.lines.values())
        shipped_any = any(x.shipped for x in self.lines.values())
        return money(units) + (self.shipping if shipped_any else ZERO)

    def captured(self) -> Decimal:
        """What the payment must have captured: the charge less the credit spent."""
        return max(self.charged() - self.credit, ZERO)

    def held(self) -> Decimal:
        """What the payment must hold: captured - refunded."""
        return self.captured() - self.refunded

    @property
    def shipped_any(self) -> bool:
        return any(x.shipped for x in self.lines.values())


@dataclass
class ReturnBook:
    id: str
    order_id: str
    asked: dict[str, int]
    resolution: str
    received: dict[str, int] = field(default_factory=dict)
    paid: dict[str, int] = field(default_factory=dict)
    """Cents each line's received units were worth."""
    refunds: dict[str, Decimal] = field(default_factory=dict)
    restock: dict[str, bool] = field(default_factory=dict)
    status: str = "requested"
    to_payment: Decimal = ZERO
    to_credit: Decimal = ZERO
    replacement: dict[str, int] = field(default_factory=dict)
    """Variant id → units the exchange sends again."""

    @property
    def amount(self) -> Decimal:
        return sum(self.refunds.values(), ZERO)


@dataclass
class Books:
    """The whole store as the model sees it."""

    restocking_fee_percent: Decimal
    damaged_percent: Decimal
    opening: dict[str, int] = field(default_factory=dict)
    """Variant id → units on hand before anything was sold."""
    orders: dict[str, OrderBook] = field(default_factory=dict)
    returns: dict[str, ReturnBook] = field(default_factory=dict)
    credit: dict[str, Decimal] = field(default_factory=dict)
    restocked: dict[str, int] = field(default_factory=dict)
    """Variant id → units restocked by returns."""

    # -- orders ---------------------------------------------------------------------------

    def spend(self, owner: str | None, total: Decimal) -> Decimal:
        """The credit a checkout asking to spend it takes: as much of the total as it covers."""
        if owner is None:
            return ZERO
        return min(self.credit.get(owner, ZERO), total)

    def book(self, order: OrderBook) -> None:
        self.orders[order.id] = order
        if order.credit:
            assert order.owner is not None
            self.credit[order.owner] = self.credit.get(order.owner, ZERO) - order.credit

    def cancel(self, order_id: str) -> bool:
        """BR006: before anything ships (False: refused, nothing changes)."""
        order = self.orders[order_id]
        if order.cancelled:
            return True
        if order.shipped_any:
            return False
        order.cancelled = True
        for line in order.lines.values():
            line.shipping = 0
        if order.credit:
            assert order.owner is not None
            self.credit[order.owner] = self.credit.get(order.owner, ZERO) + order.credit
        return True

    # -- shipments ------------------------------------------------------------------------

    def free_to_ship(self, order_id: str) -> dict[str, int]:
        order = self.orders[order_id]
        if order.cancelled:
            return {}
        return {
            k: x.quantity - x.shipping for k, x in order.lines.items() if x.quantity > x.shipping
        }

    def plan(self, order_id: str, units: dict[str, int]) -> None:
        for line_id, n in units.items():
            self.orders[order_id].lines[line_id].shipping += n

    def drop(self, order_id: str, units: dict[str, int]) -> None:
        for line_id, n in units.items():
            self.orders[order_id].lines[line_id].shipping -= n

    def ship(self, order_id: str, units: dict[str, int]) -> Decimal:
        """The units leave; what the payment captures for them."""
        order = self.orders[order_id]
        before = order.captured()
        for line_id, n in units.items():
            order.lines[line_id].shipped += n
        return order.captured() - before

    def deliver(self, order_id: str, units: dict[str, int]) -> None:
        for line_id, n in units.items():
            self.orders[order_id].lines[line_id].delivered += n

    # -- returns --------------------------------------------------------------------------

    def returnable(self, order_id: str) -> dict[str, int]:
        order = self.orders[order_id]
        return {
            k: x.delivered - x.returned - x.asked
            for k, x in order.lines.items()
            if x.delivered - x.returned - x.asked > 0
        }

    def ask(self, ret: ReturnBook) -> None:
        self.returns[ret.id] = ret
        for line_id, n in ret.asked.items():
            self.orders[ret.order_id].lines[line_id].asked += n

    def receive(self, return_id: str, received: dict[str, int]) -> None:
        """`received` of the units asked came back (the rest is missing)."""
        ret = self.returns[return_id]
        order = self.orders[ret.order_id]
        for line_id in ret.asked:
            line = order.lines[line_id]
            n = received.get(line_id, 0)
            ret.received[line_id] = n
            ret.paid[line_id] = worth(line.paid, line.quantity, line.returned, n)
            line.returned += n
            line.asked -= n  # back: returned now, no longer asked
        ret.status = "received"

    def inspect(self, return_id: str, conditions: dict[str, str]) -> None:
        """Each received line's condition: original, opened or damaged."""
        ret = self.returns[return_id]
        for line_id in ret.asked:
            paid = money(ret.paid[line_id])
            condition = conditions.get(line_id, "original") if ret.received[line_id] else "missing"
            if condition == "original":
                refund = paid
            elif condition == "opened":
                refund = half_up(paid - paid * self.restocking_fee_percent / 100)
            elif condition == "damaged":
                refund = half_up(paid * self.damaged_percent / 100)
            else:
                refund = ZERO
            ret.refunds[line_id] = refund
            ret.restock[line_id] = condition in {"original", "opened"}
        ret.status = "inspected"

    def refund(self, return_id: str, *, to_credit: bool, swap: dict[str, str]) -> None:
        """Settle an inspected return (`to_credit`: the shopper or staff chose store credit;
        `swap`: line id → the variant an exchange sends instead)."""
        ret = self.returns[return_id]
        order = self.orders[ret.order_id]
        for line_id, n in ret.received.items():
            line = order.lines[line_id]
            line.asked -= ret.asked[line_id] - n  # the missing ones may be asked again
            if n and ret.restock[line_id]:
                self.restocked[line.variant_id] = self.restocked.get(line.variant_id, 0) + n
        if ret.resolution == "exchange":
            for line_id, n in ret.received.items():
                if n:
                    variant = swap.get(line_id) or order.lines[line_id].variant_id
                    ret.replacement[variant] = ret.replacement.get(variant, 0) + n
        else:
            amount = ret.amount
            if not to_credit and ret.resolution != "store_credit":
                ret.to_payment = min(amount, order.held())
                order.refunded += ret.to_payment
            ret.to_credit = amount - ret.to_payment
            if ret.to_credit:
                owner = order.owner
                assert owner is not None
                self.credit[owner] = self.credit.get(owner, ZERO) + ret.to_credit
        ret.status = "refunded"

    # -- stock ----------------------------------------------------------------------------

    def on_hand(self, variant_id: str) -> int:
        shipped = sum(
            x.shipped
            for o in self.orders.values()
            for x in o.lines.values()
            if x.variant_id == variant_id
        )
        return self.opening.get(variant_id, 0) - shipped + self.restocked.get(variant_id, 0)

    def reserved(self, variant_id: str) -> int:
        return sum(
            x.quantity - x.shipped
            for o in self.orders.values()
            if not o.cancelled
            for x in o.lines.values()
            if x.variant_id == variant_id
        )
