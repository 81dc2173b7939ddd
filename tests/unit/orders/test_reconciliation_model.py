"""Issue 18's reconciliation property over 1,000 sequences, on the money arithmetic alone: an
order of random lines, discount, tax, shipping and store credit is shipped in random parts,
delivered, returned in random parts (items missing, opened, damaged), refunded to the card or
to store credit, or cancelled before anything ships; at every step the orders agent's own
arithmetic (`paid_shares`, `OrderFulfilment.worth` and `charged_for`, the capture per
shipment) and the returns agent's (`refund_for`, BR010) give what the independent model
(tests/integration/fulfilment/model.py) gives, and the books reconcile: the captures add up to
the total less the credit once everything has shipped, the payment never refunds more than it
captured, store credit never goes below zero, and what was refunded never exceeds what was
paid for the goods.

The same model is held against the real store and database (SQLite and PostgreSQL) by
tests/integration/fulfilment/test_reconciliation.py, on fewer sequences (each one there costs
a second or two of HTTP requests, sagas and events)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from mercato.agents.orders.fulfilment import FulfilmentLine, OrderFulfilment, paid_shares
from mercato.agents.returns.handling import refund_for
from mercato.agents.returns.statuses import Condition
from mercato.kernel.config import Settings
from tests.integration.fulfilment.model import (
    Books,
    LineBook,
    OrderBook,
    ReturnBook,
    money,
)
from tests.integration.fulfilment.model import shares as model_shares

ZERO = Decimal(0)
FEE, DAMAGED = Decimal(15), Decimal(50)
STORE = Settings(restocking_fee_percent=FEE, returns_damaged_refund_percent=DAMAGED)
OWNER = "customer:c1"


def fulfilment_of(order: OrderBook) -> OrderFulfilment:
    """The order as the orders agent sees it, with the model's shares of its lines (the
    shares themselves are held to `paid_shares` by the tests below)."""
    return OrderFulfilment(
        id=order.id, number="ORD-1", status="confirmed", payment_status="authorized",
        review=None, currency="USD", total=order.total, shipping=order.shipping,
        customer_id="c1", session_id=None, email="a@example.com", shipping_address=None,
        placed_at=datetime(2026, 1, 1, tzinfo=UTC), shipping_carrier=None,
        shipping_service=None, shipped_at=None, delivered_at=None,
        lines=tuple(
            FulfilmentLine(
                id=k, variant_id=x.variant_id, product_id="p", merchant_id=None, sku=k,
                name=k, quantity=x.quantity, unit_price=x.line_total / x.quantity,
                line_total=x.line_total, paid_amount=money(x.paid), requires_shipping=True,
                shipped_quantity=x.shipped, delivered_quantity=x.delivered,
                returned_quantity=x.returned,
            )
            for k, x in order.lines.items()
        ),
    )  # fmt: skip


def mercato_capture(order: OrderBook, units: dict[str, int]) -> Decimal:
    """What the orders agent asks payments to capture when `units` ship (dispatch.ship_lines:
    the charge after less the charge before, the credit spent first)."""
    seen = fulfilment_of(order)
    before = {x.id: x.shipped_quantity for x in seen.lines}
    after = {k: v + units.get(k, 0) for k, v in before.items()}
    return max(seen.charged_for(after) - order.credit, ZERO) - max(
        seen.charged_for(before) - order.credit, ZERO
    )


cents = st.integers(min_value=1, max_value=500_00)
ORDERS = st.fixed_dictionaries(
    {
        "lines": st.lists(
            st.tuples(cents, st.integers(min_value=1, max_value=5)), min_size=1, max_size=4
        ),
        "goods_percent": st.sampled_from([0, 85, 90, 100, 107.25, 96.525]),
        "shipping": st.sampled_from([0, 590, 890, 1190]),
        "use_credit": st.booleans(),
    }
)
STAGES = ("ship", "deliver", "return", "receive", "inspect", "refund")
ROUNDS = st.lists(
    st.tuples(
        st.sampled_from([False] * 7 + [True]),  # a cancellation tried first, now and then
        st.lists(st.integers(0, 10), min_size=4, max_size=4),
    ),
    min_size=1,
    max_size=6,
)


def stages(rounds: list[tuple[bool, list[int]]]) -> list[tuple[str, list[int]]]:
    """Each round ships, delivers, returns, receives, inspects and refunds some units (each
    stage may find nothing to do), its seeds turned for each stage."""
    ops = []
    for cancel, seeds in rounds:
        if cancel:
            ops.append(("cancel", seeds))
        ops += [(kind, seeds[n % 4 :] + seeds[: n % 4]) for n, kind in enumerate(STAGES)]
    return ops


def place(books: Books, drawn: dict[str, Any]) -> OrderBook:
    lines = {
        f"l{n}": LineBook(f"l{n}", f"v{n % 3}", qty, money(price * qty))
        for n, (price, qty) in enumerate(drawn["lines"])
    }
    goods = int(sum(p * q for p, q in drawn["lines"]) * Decimal(str(drawn["goods_percent"])) / 100)
    total = money(goods + drawn["shipping"])
    credit = books.spend(OWNER, total) if drawn["use_credit"] else ZERO
    order = OrderBook("o1", OWNER, total, money(drawn["shipping"]), credit, lines)
    books.book(order)
    return order


def pick(units: dict[str, int], seeds: list[int]) -> dict[str, int]:
    chosen = {}
    for n, (line_id, left) in enumerate(sorted(units.items())):
        take = seeds[n % len(seeds)] % (left + 1)
        if take:
            chosen[line_id] = take
    return chosen


@dataclass
class Run:
    """One order's sequence through the model, each step held to Mercato's arithmetic."""

    books: Books
    order: OrderBook
    captured: Decimal = ZERO
    refunds: Decimal = ZERO
    parts: int = 0

    def cancel(self, seeds: list[int]) -> None:
        allowed = self.books.cancel(self.order.id)
        assert allowed == (not self.order.shipped_any)  # BR006

    def ship(self, seeds: list[int]) -> None:
        free = self.books.free_to_ship(self.order.id)
        if not free:
            return
        units = pick(free, seeds) or dict([sorted(free.items())[0]])
        self.books.plan(self.order.id, units)
        expected = mercato_capture(self.order, units)
        capture = self.books.ship(self.order.id, units)
        # then each shipment captures what the orders agent asks for it, never negative
        assert capture == expected >= 0, (units, capture, expected)
        self.captured, self.parts = self.captured + capture, self.parts + 1

    def deliver(self, seeds: list[int]) -> None:
        lines = self.order.lines.items()
        sent = {k: x.shipped - x.delivered for k, x in lines if x.shipped > x.delivered}
        self.books.deliver(self.order.id, pick(sent, seeds))

    def ask(self, seeds: list[int]) -> None:
        units = pick(self.books.returnable(self.order.id), seeds)
        if units:
            resolution = ("refund", "store_credit", "exchange")[seeds[0] % 3]
            ret = ReturnBook(f"r{len(self.books.returns)}", self.order.id, units, resolution)
            self.books.ask(ret)

    def _one(self, status: str, seeds: list[int]) -> ReturnBook | None:
        waiting = [r for r in self.books.returns.values() if r.status == status]
        return waiting[seeds[0] % len(waiting)] if waiting else None

    def receive(self, seeds: list[int]) -> None:
        ret = self._one("requested", seeds)
        if ret is None:
            return
        received = {
            k: v - seeds[1] % (v + 1) if seeds[2] % 3 == 0 else v for k, v in ret.asked.items()
        }
        already = {k: x.returned for k, x in self.order.lines.items()}
        worth = fulfilment_of(self.order).worth(received, already=already)
        self.books.receive(ret.id, received)
        # then the units that came back are worth what the orders agent says
        assert money(sum(ret.paid.values())) == worth

    def inspect(self, seeds: list[int]) -> None:
        ret = self._one("received", seeds)
        if ret is None:
            return
        conditions = {
            k: ("original", "opened", "damaged")[seeds[(n + 1) % 4] % 3]
            for n, k in enumerate(sorted(ret.asked))
        }
        self.books.inspect(ret.id, conditions)
        # then each line refunds what BR010 (the returns agent) says
        for line_id, refund in ret.refunds.items():
            condition = conditions[line_id] if ret.received[line_id] else "missing"
            paid = money(ret.paid[line_id])
            assert refund == refund_for(Condition(condition), paid, STORE, "USD")

    def refund(self, seeds: list[int]) -> None:
        ret = self._one("inspected", seeds)
        if ret is None:
            return
        self.books.refund(ret.id, to_credit=seeds[1] % 4 == 0, swap={})
        self.refunds += ret.to_payment + ret.to_credit
        both = " (card and credit)" if ret.to_payment and ret.to_credit else ""
        event(f"refund: {ret.resolution}{both}")


@pytest.mark.business_rule("BR010")
@settings(max_examples=1000, deadline=None, derandomize=True, database=None)
@given(drawn=ORDERS, rounds=ROUNDS, balance=st.integers(0, 300_00))
def test_captures_refunds_and_credit_reconcile_over_any_sequence(
    drawn: dict[str, Any], rounds: list[tuple[bool, list[int]]], balance: int
) -> None:
    # given a customer with some store credit, and an order that may spend part of it
    books = Books(restocking_fee_percent=FEE, damaged_percent=DAMAGED)
    books.credit[OWNER] = money(balance)
    order = place(books, drawn)
    # then its lines' shares add up to the goods
    paid = sum((money(x.paid) for x in order.lines.values()), ZERO)
    assert paid == max(order.total - order.shipping, ZERO)
    # when any sequence of shipments, deliveries, returns and refunds (or a cancellation) runs
    run = Run(books, order)
    for kind, seeds in stages(rounds):
        getattr(run, "ask" if kind == "return" else kind)(seeds)
    event("cancelled" if order.cancelled else f"shipped in {run.parts} part(s)")
    event("store credit spent" if order.credit else "no store credit spent")
    # then the captures are the charge of what shipped: the total less the credit once all has
    assert run.captured == order.captured()
    if all(x.shipped == x.quantity for x in order.lines.values()):
        assert run.captured == order.total - order.credit
    if order.cancelled:
        assert run.captured == ZERO and books.credit[OWNER] == money(balance)
    # and the payment never refunds more than it captured, nor credit goes below zero
    assert ZERO <= order.refunded <= run.captured
    assert books.credit[OWNER] >= ZERO
    # and the returns never refund more than was paid for the goods
    assert run.refunds <= max(order.total - order.shipping, ZERO)
    # and the credit is what it started with, less what checkout spent, plus the returns' credit
    to_credit = sum((r.to_credit for r in books.returns.values()), ZERO)
    spent = ZERO if order.cancelled else order.credit
    assert books.credit[OWNER] == money(balance) - spent + to_credit


@settings(max_examples=1000, deadline=None, derandomize=True, database=None)
@given(
    goods=st.integers(min_value=1, max_value=3_000_00),
    totals=st.lists(st.integers(min_value=1, max_value=2_500_00), min_size=1, max_size=5),
)
@example(goods=75957, totals=[37244, 185616, 22492, 199764])  # l0 and l1 tie at 2742/5299
def test_shares_are_the_largest_remainders_ties_to_the_first_line(
    goods: int, totals: list[int]
) -> None:
    # given the goods (cents) of an order and its lines' totals (cents)
    lines = [(f"l{n}", money(total)) for n, total in enumerate(totals)]
    # when the orders agent shares the goods out
    shares = paid_shares(total=money(goods), shipping=ZERO, currency="USD", lines=lines)
    # then each line has its floor, and the cents left go to the largest exact remainders,
    # an exact tie to the first line (the model's rule, which paid_shares' sort key states)
    expected = model_shares(goods, {f"l{n}": total for n, total in enumerate(totals)})
    assert shares == {k: money(v) for k, v in expected.items()}


def test_an_order_paid_partly_by_credit_refunds_the_card_first_then_credit() -> None:
    # given 40.00 of credit spent on a 100.00 order of one line (no shipping), all shipped
    books = Books(restocking_fee_percent=FEE, damaged_percent=DAMAGED)
    books.credit[OWNER] = Decimal("40.00")
    line = LineBook("l0", "v0", 2, Decimal("100.00"))
    order = OrderBook("o1", OWNER, Decimal("100.00"), ZERO, Decimal("40.00"), {"l0": line})
    books.book(order)
    assert books.ship("o1", {"l0": 2}) == Decimal("60.00")
    books.deliver("o1", {"l0": 2})
    # when both units come back in their original condition and are refunded to the card
    books.ask(ReturnBook("r1", "o1", {"l0": 2}, "refund"))
    books.receive("r1", {"l0": 2})
    books.inspect("r1", {"l0": "original"})
    books.refund("r1", to_credit=False, swap={})
    # then the card gets back what it paid (60.00), the credit the rest (40.00)
    ret = books.returns["r1"]
    assert (ret.to_payment, ret.to_credit) == (Decimal("60.00"), Decimal("40.00"))
    assert order.held() == ZERO and books.credit[OWNER] == Decimal("40.00")
    # and the orders agent captured the same 60.00 for the shipment
    placed = replace(order, lines={"l0": replace(line, shipped=0)})
    assert mercato_capture(placed, {"l0": 2}) == Decimal("60.00")
