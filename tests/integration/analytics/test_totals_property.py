"""Analytics' totals are the store's: after any sequence of orders, cancellations and (partial)
refunds, the revenue, the number of orders, the refunds and the units sold of each product
that the reports show equal a direct computation over the orders' and payments' own tables;
and a rebuild from the event store (what `mercato analytics rebuild` runs) gives the same
numbers again.

A property over generated sequences: the examples share one store, so each also checks
that the figures stay right as history piles up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mercato.agents.analytics import service
from mercato.agents.orders.models import Order, OrderLine
from mercato.agents.orders.statuses import OrderStatus
from mercato.agents.payments.models import Payment
from mercato.kernel.context import bind
from tests.integration.analytics.conftest import Store
from tests.integration.cart.conftest import Product

SALES = (OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Totals:
    revenue: Decimal
    orders: int
    refunds: Decimal
    units: dict[str, int]


@dataclass
class Trading:
    """What the examples did so far: the orders placed and what was refunded of each."""

    store: Store
    products: list[Product]
    placed: list[dict[str, Any]] = field(default_factory=list)
    refunded: dict[str, Decimal] = field(default_factory=dict)
    cancelled: set[str] = field(default_factory=set)

    async def run(self, step: tuple[Any, ...]) -> None:
        kind = step[0]
        if kind == "order":
            _, product, quantity = step
            self.placed.append(await self.store.order((self.products[product], quantity)))
            return
        live = [p for p in self.placed if p["order"]["id"] not in self.cancelled]
        if not live:
            return
        placed = live[step[1] % len(live)]
        order_id = placed["order"]["id"]
        if kind == "cancel":
            await self.store.cancel(placed)
            self.cancelled.add(order_id)
        else:
            left = Decimal(placed["order"]["total"]) - self.refunded.get(order_id, Decimal(0))
            amount = {"cent": CENT, "half": (left / 2).quantize(CENT), "rest": left}[step[2]]
            if amount >= CENT:
                answer = await self.store.refund(placed, str(amount))
                if answer.status_code == 409:  # held for review: authorized, not captured
                    assert answer.json()["code"] == "payment_not_refundable", answer.text
                    return
                assert answer.status_code == 201, answer.text
                self.refunded[order_id] = self.refunded.get(order_id, Decimal(0)) + amount


ORDER = st.tuples(st.just("order"), st.integers(0, 2), st.integers(1, 3))
STEPS = st.lists(
    st.one_of(
        ORDER,
        ORDER,  # orders twice as likely: there is something to cancel and refund
        st.tuples(st.just("cancel"), st.integers(0, 1000)),
        st.tuples(
            st.just("refund"), st.integers(0, 1000), st.sampled_from(["cent", "half", "rest"])
        ),
    ),
    min_size=1,
    max_size=8,
)


async def direct(store: Store) -> Totals:
    """The totals read from the orders' and payments' own tables."""
    with bind(tenant_id="default"):
        async with store.kernel.uow(writes=False) as uow:
            sales = select(Order.id).where(Order.status.in_(SALES))
            revenue, orders = (
                await uow.session.execute(
                    select(func.coalesce(func.sum(Order.total), 0), func.count()).where(
                        Order.status.in_(SALES)
                    )
                )
            ).one()
            refunds = await uow.session.scalar(
                select(func.coalesce(func.sum(Payment.refunded_amount), 0)).where(
                    Payment.order_id.in_(sales)
                )
            )
            units = await uow.session.execute(
                select(OrderLine.product_id, func.sum(OrderLine.quantity))
                .where(OrderLine.order_id.in_(sales))
                .group_by(OrderLine.product_id)
            )
            return Totals(
                Decimal(revenue), int(orders), Decimal(refunds), {p: int(n) for p, n in units}
            )


async def reported(store: Store) -> Totals:
    """The same totals as the reports show them."""
    today = store.kernel.clock.now().date()
    period = {
        "from": (today - timedelta(days=1)).isoformat(),
        "to": (today + timedelta(days=1)).isoformat(),
    }
    sales = (await store.report("sales", **period))["totals"]
    top = await store.report("top-products", by="units", limit=500, **period)
    return Totals(
        Decimal(sales["revenue"]),
        sales["orders"],
        Decimal(sales["refunds"]),
        {row["id"]: row["units"] for row in top["rows"]},
    )


@pytest.fixture
async def trading(store: Store) -> Trading:
    products = [await store.product(price, stock=10_000) for price in ("4.99", "12.50", "30.00")]
    return Trading(store, products)


@hypothesis_settings(
    max_examples=20,
    deadline=None,
    derandomize=True,  # the same examples on every run
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=STEPS)
async def test_reported_totals_equal_the_orders_and_payments_tables(
    trading: Trading, steps: list[tuple[Any, ...]]
) -> None:
    # given any sequence of orders, cancellations and refunds, handled by analytics
    for step in steps:
        await trading.run(step)
    await trading.store.settled()
    # then the reports' totals are the orders' and payments' own
    truth = await direct(trading.store)
    assert await reported(trading.store) == truth
    # and rebuilt from the event store, they are the same again
    rebuilt = await service.rebuild(trading.store.kernel, store="default")
    assert rebuilt.outcomes["dead_lettered"] == 0
    assert await reported(trading.store) == truth
