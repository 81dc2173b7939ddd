"""An order's transitions with inventory faked (tests/fakes): confirming allocates the stock
held for the order, cancelling releases it, shipping commits it, and a transition refused
moves no stock, writes no timeline entry and publishes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from mercato.agents.inventory.errors import ReservationNotActive
from mercato.agents.orders import lifecycle
from mercato.agents.orders.models import Order
from mercato.agents.orders.problems import (
    OrderNotPaid,
    OrderStatusConflict,
    OrderUnderReview,
    StockNoLongerHeld,
)
from mercato.kernel import context
from mercato.kernel.rules import RuleViolated
from tests.fakes.inventory import FakeInventory
from tests.fakes.unit_of_work import FakeUnitOfWork

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
LINES = {"v-mug": 2, "v-tee": 1}


class Line:
    def __init__(self, variant_id: str, quantity: int) -> None:
        self.variant_id, self.quantity = variant_id, quantity
        self.id, self.shipped_quantity = f"line-{variant_id}", 0


def an_order(**values: Any) -> Order:
    fields: dict[str, Any] = {
        "id": "o-1",
        "number": "2026-000001",
        "status": "pending",
        "payment_status": "pending",
        "review": None,
        "currency": "USD",
        "total": Decimal("42.50"),
        "version": 1,
        "updated_at": NOW,
    }
    return Order(**(fields | values))


def lines() -> list[Line]:
    return [Line(v, q) for v, q in LINES.items()]


@pytest.fixture
def uow() -> Iterator[FakeUnitOfWork]:
    """A unit of work of store "s1" (the order's): its timeline rows are the store's."""
    with context.bind(tenant_id="s1"):
        yield FakeUnitOfWork()


@pytest.fixture
def stock() -> FakeInventory:
    held = FakeInventory()
    held.reserve("o-1", LINES)
    return held


async def test_confirming_allocates_the_held_stock_and_announces_it(
    uow: FakeUnitOfWork, stock: FakeInventory
) -> None:
    # given a pending order whose stock is held
    order = an_order()
    # when it is confirmed with its payment authorized
    await lifecycle.confirm_order(
        uow, order, now=NOW, lines=lines(), payment_status="authorized", stock=stock
    )
    # then the stock is allocated, the order confirmed, its timeline and event written
    assert stock.statuses("o-1") == {"v-mug": "allocated", "v-tee": "allocated"}
    assert (order.status, order.payment_status, order.confirmed_at) == (
        "confirmed",
        "authorized",
        NOW,
    )
    assert order.version == 2
    assert [entry["kind"] for entry in uow.inserted("order_events")] == ["confirmed"]
    assert uow.events == ["order.confirmed"]
    [(event, aggregate)] = uow.published
    assert (aggregate, event.total, event.currency) == ("o-1", "42.50", "USD")  # type: ignore[attr-defined]


async def test_an_order_whose_reservation_lapsed_in_part_is_not_confirmed(
    uow: FakeUnitOfWork, stock: FakeInventory
) -> None:
    # given a pending order whose reservation of one line expired (BR018)
    stock.lapse("o-1", "v-tee")
    order = an_order()
    # when it is confirmed
    with pytest.raises(StockNoLongerHeld):
        await lifecycle.confirm_order(uow, order, now=NOW, lines=lines(), stock=stock)
    # then it stays pending, and nothing is written or announced
    assert (order.status, order.version, order.confirmed_at) == ("pending", 1, None)
    assert uow.changed_nothing


async def test_only_a_pending_order_is_confirmed_and_a_confirmed_one_is_left_alone(
    uow: FakeUnitOfWork, stock: FakeInventory
) -> None:
    # given a cancelled order and a confirmed one
    cancelled, confirmed = an_order(status="cancelled"), an_order(status="confirmed")
    # when each is confirmed
    with pytest.raises(OrderStatusConflict):
        await lifecycle.confirm_order(uow, cancelled, now=NOW, lines=lines(), stock=stock)
    await lifecycle.confirm_order(uow, confirmed, now=NOW, lines=lines(), stock=stock)
    # then the cancelled one is refused, the confirmed one unchanged, no stock touched
    assert (cancelled.status, confirmed.status, confirmed.version) == ("cancelled", "confirmed", 1)
    assert stock.calls == []
    assert uow.changed_nothing


async def test_cancelling_releases_the_stock_and_tells_payments_what_to_do(
    uow: FakeUnitOfWork, stock: FakeInventory
) -> None:
    # given a confirmed order whose payment was captured
    order = an_order(status="confirmed", payment_status="paid")
    # when it is cancelled
    action = lifecycle.payment_action_for(order.payment_status)
    await lifecycle.cancel_order(
        uow,
        order,
        reason="changed my mind",
        payment_action=action,
        now=NOW,
        stock=stock,
        lines=lines(),
    )
    # then its stock is released and payments is told to refund
    assert stock.statuses("o-1") == {"v-mug": "released", "v-tee": "released"}
    assert (order.status, order.cancel_reason, order.cancelled_at) == (
        "cancelled",
        "changed my mind",
        NOW,
    )
    assert uow.events == ["order.cancelled"]
    assert uow.published[0][0].payment_action == "refund"  # type: ignore[attr-defined]


@pytest.mark.business_rule("BR006")
async def test_a_shipped_order_cannot_be_cancelled_and_keeps_its_stock(
    uow: FakeUnitOfWork, stock: FakeInventory
) -> None:
    # given an order that has shipped
    order = an_order(status="shipped", payment_status="paid")
    # when it is cancelled
    with pytest.raises(RuleViolated) as refused:
        await lifecycle.cancel_order(
            uow, order, reason="too late", payment_action="refund", now=NOW, stock=stock
        )
    # then BR006 refuses (409) and nothing moves
    assert (refused.value.status, refused.value.code) == (409, "br006_cancel_before_ship")
    assert order.status == "shipped"
    assert stock.calls == []
    assert uow.changed_nothing


async def test_cancelling_twice_releases_once(uow: FakeUnitOfWork, stock: FakeInventory) -> None:
    # given an order cancelled already
    order = an_order()
    await lifecycle.cancel_order(
        uow, order, reason="first", payment_action="none", now=NOW, stock=stock
    )
    # when it is cancelled again
    await lifecycle.cancel_order(
        uow, order, reason="second", payment_action="none", now=NOW, stock=stock
    )
    # then the second changes nothing
    assert stock.calls == [("release", "o-1")]
    assert (order.cancel_reason, uow.events) == ("first", ["order.cancelled"])


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"status": "pending"}, OrderStatusConflict),
        ({"status": "cancelled"}, OrderStatusConflict),
        ({"review": "manual_review", "payment_status": "authorized"}, OrderUnderReview),
        ({"payment_status": "voided"}, OrderNotPaid),
        ({"payment_status": "failed"}, OrderNotPaid),
    ],
)
async def test_an_order_that_may_not_ship_keeps_its_stock(
    uow: FakeUnitOfWork, stock: FakeInventory, values: dict[str, Any], problem: type[Exception]
) -> None:
    # given an order not confirmed, under review, or with nothing holding its money
    order = an_order(**({"status": "confirmed"} | values))
    before = (order.status, order.version)
    # when it is shipped
    with pytest.raises(problem):
        await lifecycle.ship_order(
            uow, order, carrier="UPS", tracking_number="1Z", now=NOW, actor="staff", stock=stock
        )
    # then nothing leaves the building and nothing is written
    assert (order.status, order.version) == before
    assert stock.calls == []
    assert uow.changed_nothing


async def test_shipping_commits_the_stock_and_records_the_carrier(
    uow: FakeUnitOfWork, stock: FakeInventory
) -> None:
    # given a confirmed, authorized order with its stock allocated
    order = an_order()
    await lifecycle.confirm_order(
        uow, order, now=NOW, lines=lines(), payment_status="authorized", stock=stock
    )
    # when it ships
    shipped = lines()
    await lifecycle.ship_order(
        uow,
        order,
        carrier="UPS",
        tracking_number="1Z999",
        now=NOW,
        actor="staff",
        stock=stock,
        lines=shipped,
    )
    # then its stock is committed, every unit counts as shipped, and payments hears
    # `order.lines_shipped` (to capture the whole total)
    assert stock.statuses("o-1") == {"v-mug": "committed", "v-tee": "committed"}
    assert (order.status, order.carrier, order.tracking_number) == ("shipped", "UPS", "1Z999")
    assert [line.shipped_quantity for line in shipped] == [2, 1]
    assert uow.events == ["order.confirmed", "order.lines_shipped", "order.shipped"]
    assert uow.published[1][0].capture_amount == "42.50"  # type: ignore[attr-defined]


async def test_stock_that_no_longer_holds_stops_the_shipment(
    uow: FakeUnitOfWork, stock: FakeInventory
) -> None:
    # given a confirmed order whose reservation was released behind its back
    stock.lapse("o-1", "v-mug")
    order = an_order(status="confirmed", payment_status="authorized")
    # when it ships
    with pytest.raises(ReservationNotActive):
        await lifecycle.ship_order(
            uow,
            order,
            carrier=None,
            tracking_number=None,
            now=NOW,
            actor=None,
            stock=stock,
            lines=lines(),
        )
    # then the order is still confirmed and nothing was announced
    assert order.status == "confirmed"
    assert uow.changed_nothing
