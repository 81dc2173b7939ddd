"""What a shopper paid for each line and for part of a line (the orders agent's
`paid_shares` and `part_of`, which shipping captures by and returns refund by): shares add up
to the order's goods exactly, each within a cent of its proportional value; parts of a line
add up to the line's share; and the captures of an order shipped in any split add up to its
total."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.orders.fulfilment import FulfilmentLine, OrderFulfilment, paid_shares, part_of
from mercato.kernel.money import quantum

CENT = Decimal("0.01")
amounts = st.integers(min_value=0, max_value=5_000_00).map(lambda c: Decimal(c) * CENT)
line_totals = st.lists(amounts, min_size=1, max_size=8)


def test_shares_follow_the_lines_totals() -> None:
    # given 100.00 of goods (105.00 less 5.00 shipping) over lines of 30, 30 and 40
    shares = paid_shares(
        total=Decimal("105.00"),
        shipping=Decimal("5.00"),
        currency="USD",
        lines=[("a", Decimal("30")), ("b", Decimal("30")), ("c", Decimal("40"))],
    )
    assert shares == {"a": Decimal("30.00"), "b": Decimal("30.00"), "c": Decimal("40.00")}
    # and a cent left over by the thirds goes to one line
    thirds = paid_shares(
        total=Decimal("10.00"),
        shipping=Decimal(0),
        currency="USD",
        lines=[("a", Decimal(1)), ("b", Decimal(1)), ("c", Decimal(1))],
    )
    assert sorted(thirds.values()) == [Decimal("3.33"), Decimal("3.33"), Decimal("3.34")]


def test_free_lines_and_no_lines() -> None:
    assert paid_shares(total=Decimal(5), shipping=Decimal(5), currency="USD", lines=[]) == {}
    free = paid_shares(
        total=Decimal(5), shipping=Decimal(5), currency="USD", lines=[("a", Decimal(0))]
    )
    assert free == {"a": Decimal(0)}


@settings(max_examples=300, deadline=None)
@given(line_totals, amounts, amounts, st.sampled_from(["USD", "JPY", "EUR"]))
def test_shares_add_up_exactly_each_within_a_minor_unit(
    totals: list[Decimal], goods: Decimal, shipping: Decimal, currency: str
) -> None:
    # given an order's lines and what was paid (goods and shipping), in the currency's units
    unit = quantum(currency)
    goods, shipping = (
        goods.quantize(unit, rounding="ROUND_DOWN"),
        shipping.quantize(unit, rounding="ROUND_DOWN"),
    )
    lines = [(f"l{n}", amount) for n, amount in enumerate(totals)]
    # when the goods are shared out
    shares = paid_shares(total=goods + shipping, shipping=shipping, currency=currency, lines=lines)
    weight = sum(totals, Decimal(0))
    # then they add up to total - shipping exactly (nothing when the lines are all free)
    assert sum(shares.values(), Decimal(0)) == (goods if weight else Decimal(0))
    for line_id, amount in lines:
        assert shares[line_id] % unit == 0
        if weight:
            # each within one minor unit of its proportional value
            assert abs(shares[line_id] - goods * amount / weight) < unit


@settings(max_examples=300, deadline=None)
@given(
    amounts,
    st.integers(min_value=1, max_value=20).flatmap(
        lambda q: st.tuples(st.just(q), st.lists(st.integers(min_value=1, max_value=q), max_size=q))
    ),
)
def test_the_parts_of_a_line_add_up_to_what_was_paid_for_it(
    paid: Decimal, drawn: tuple[int, list[int]]
) -> None:
    # given a line of `quantity` units paid `paid`, split in parts (the last takes the rest)
    quantity, cuts = drawn
    parts, left = [], quantity
    for cut in cuts:
        if left == 0:
            break
        take = min(cut, left)
        parts.append(take)
        left -= take
    if left:
        parts.append(left)
    # when each part's worth is counted after the parts before it
    worths, before = [], 0
    for units in parts:
        worths.append(
            part_of(paid, quantity, before + units, "USD") - part_of(paid, quantity, before, "USD")
        )
        before += units
    # then they add up to the line's paid amount exactly, none negative
    assert sum(worths, Decimal(0)) == paid
    assert all(w >= 0 for w in worths)
    assert part_of(paid, quantity, 0, "USD") == 0 and part_of(paid, 0, 1, "USD") == 0


def order(totals: list[Decimal], quantities: list[int], shipping: Decimal) -> OrderFulfilment:
    ids = [f"l{n}" for n in range(len(totals))]
    goods = sum(totals, Decimal(0))
    shares = paid_shares(
        total=goods + shipping,
        shipping=shipping,
        currency="USD",
        lines=list(zip(ids, totals, strict=True)),
    )
    return OrderFulfilment(
        id="o", number="ORD-1", status="confirmed", payment_status="authorized", review=None,
        currency="USD", total=goods + shipping, shipping=shipping, customer_id=None,
        session_id=None, email="a@example.com", shipping_address=None,
        placed_at=datetime(2026, 1, 1, tzinfo=UTC), shipping_carrier=None, shipping_service=None,
        shipped_at=None, delivered_at=None,
        lines=tuple(
            FulfilmentLine(
                id=line_id, variant_id=line_id, product_id="p", merchant_id=None, sku=line_id,
                name=line_id, quantity=qty, unit_price=total, line_total=total,
                paid_amount=shares[line_id], requires_shipping=True, shipped_quantity=0,
                delivered_quantity=0, returned_quantity=0,
            )
            for line_id, total, qty in zip(ids, totals, quantities, strict=True)
        ),
    )  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(amounts, st.integers(min_value=1, max_value=5)), min_size=1, max_size=5),
    amounts,
    st.randoms(use_true_random=False),
)
def test_the_captures_of_any_split_into_shipments_add_up_to_the_order_total(
    drawn: list[tuple[Decimal, int]], shipping: Decimal, rnd: object
) -> None:
    # given an order and a random split of its units into shipments
    assert isinstance(rnd, random.Random)
    placed = order([t for t, _ in drawn], [q for _, q in drawn], shipping)
    units = [line.id for line in placed.lines for _ in range(line.quantity)]
    rnd.shuffle(units)
    shipments: list[dict[str, int]] = []
    while units:
        cut = rnd.randint(1, len(units))
        take, units = units[:cut], units[cut:]
        shipment: dict[str, int] = {}
        for line_id in take:
            shipment[line_id] = shipment.get(line_id, 0) + 1
        shipments.append(shipment)
    # when each shipment captures what it is charged for, as the orders agent counts it
    shipped: dict[str, int] = {}
    captures = []
    for shipment in shipments:
        after = {k: shipped.get(k, 0) + shipment.get(k, 0) for k in {*shipped, *shipment}}
        captures.append(placed.charged_for(after) - placed.charged_for(shipped))
        shipped = after
    # then the captures add up to the order's total exactly, none negative
    assert sum(captures, Decimal(0)) == placed.total
    assert all(c >= 0 for c in captures)
