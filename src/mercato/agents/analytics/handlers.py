"""The read models follow the store's events, through ONE handler (`analytics.follow`) that
routes each event to what it records: the transport hands a handler the consecutive events
it takes as one run, in one transaction, so a relay batch of a checkout's interleaved events
costs analytics one write transaction, not one per event (on SQLite, one writer for the
whole store: the bench measured the difference).

Every event's lag is measured (`mercato_analytics_event_lag_seconds`); those that change
sales wake the dashboards once the run has committed (`live.KpiFeed`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from mercato.agents.analytics import order_facts, visit_facts, zones
from mercato.agents.analytics.live import KpiFeed, replaying
from mercato.agents.analytics.metrics import event_lag
from mercato.agents.analytics.statuses import FactStatus
from mercato.agents.cart.events import CartAbandoned, CartCheckedOut, CartCreated, CartItemChanged
from mercato.agents.identity.events import SessionStarted
from mercato.agents.inventory.events import StockAdjusted, StockCommitted, StockReceived
from mercato.agents.orders.events import (
    OrderCancelled,
    OrderConfirmed,
    OrderDelivered,
    OrderModified,
    OrderPlaced,
    OrderShipped,
)
from mercato.agents.payments.events import PaymentRefunded
from mercato.agents.returns.events import RefundIssued
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on
from mercato.kernel.db import UnitOfWork
from mercato.kernel.events import Event


class Seen:
    """What a recorder knows of the event besides its payload."""

    def __init__(self, ctx: HandlerContext, tz: ZoneInfo) -> None:
        self.uow = ctx.uow
        self.at: datetime = ctx.envelope.occurred_at
        self.event_id = ctx.envelope.id
        self.tz = tz


Recorder = Callable[[Any, Seen], Awaitable[None]]


async def _placed(event: OrderPlaced, seen: Seen) -> None:
    """A new order (pending: not a sale until confirmed) and its lines."""
    await order_facts.record_placed(seen.uow, event, seen.tz)


async def _moved(status: FactStatus, event: Any, seen: Seen) -> None:
    """Confirmed: a sale. Shipped, delivered: still one. Cancelled: no longer one."""
    await order_facts.record_status(seen.uow, order_id=event.order_id, status=status, at=seen.at)


async def _modified(event: OrderModified, seen: Seen) -> None:
    """Quantities or the address changed before shipping: the order was re-priced."""
    await order_facts.record_modified(seen.uow, order_id=event.order_id)


async def _refunded(event: PaymentRefunded, seen: Seen) -> None:
    """A refund, counted on its day and against its order."""
    await order_facts.record_refund(
        seen.uow,
        refund_id=event.refund_id,
        order_id=event.order_id,
        payment_id=event.payment_id,
        amount=Decimal(event.amount),
        currency=event.currency,
        at=seen.at,
        tz=seen.tz,
    )


async def _credited(event: RefundIssued, seen: Seen) -> None:
    """A return refunded (part of it) as store credit: a refund of the order too (what went
    to its payment is counted by `payment.refunded`)."""
    if Decimal(event.to_store_credit) <= 0:
        return
    await order_facts.record_refund(
        seen.uow,
        refund_id=f"return:{event.return_id}:credit",
        order_id=event.order_id,
        payment_id=order_facts.STORE_CREDIT,
        amount=Decimal(event.to_store_credit),
        currency=event.currency,
        at=seen.at,
        tz=seen.tz,
    )


async def _visit(event: SessionStarted, seen: Seen) -> None:
    """A guest's visit: the funnel's first step."""
    await visit_facts.record_session(seen.uow, session_id=event.session_id, at=seen.at, tz=seen.tz)


async def _cart_opened(event: CartCreated, seen: Seen) -> None:
    await visit_facts.cart_opened(
        seen.uow, cart_id=event.cart_id, session_id=event.session_id, user_id=event.user_id,
        at=seen.at, tz=seen.tz,
    )  # fmt: skip


async def _cart_filled(event: CartItemChanged, seen: Seen) -> None:
    if event.quantity > 0:
        await visit_facts.cart_filled(seen.uow, cart_id=event.cart_id, at=seen.at, tz=seen.tz)


async def _cart_abandoned(event: CartAbandoned, seen: Seen) -> None:
    await visit_facts.cart_abandoned(seen.uow, cart_id=event.cart_id, at=seen.at, tz=seen.tz)


async def _cart_checked_out(event: CartCheckedOut, seen: Seen) -> None:
    await visit_facts.cart_checked_out(
        seen.uow, cart_id=event.cart_id, order_id=event.order_id, at=seen.at, tz=seen.tz
    )


async def _stock(event: StockAdjusted | StockReceived | StockCommitted, seen: Seen) -> None:
    """Units on hand changed: received, adjusted, or shipped (a committed reservation)."""
    if isinstance(event, StockReceived):
        moves = [(line.variant_id, line.sku, line.quantity) for line in event.lines]
    elif isinstance(event, StockCommitted):
        moves = [(event.variant_id, event.sku, -event.quantity)]
    else:
        moves = [(event.variant_id, event.sku, event.quantity)]
    await visit_facts.record_stock_moves(
        seen.uow, event_id=seen.event_id, moves=moves, at=seen.at, tz=seen.tz
    )


RECORDERS: dict[type[Event], Recorder] = {
    OrderPlaced: _placed,
    OrderConfirmed: partial(_moved, FactStatus.CONFIRMED),
    OrderShipped: partial(_moved, FactStatus.SHIPPED),
    OrderDelivered: partial(_moved, FactStatus.DELIVERED),
    OrderCancelled: partial(_moved, FactStatus.CANCELLED),
    OrderModified: _modified,
    PaymentRefunded: _refunded,
    RefundIssued: _credited,
    SessionStarted: _visit,
    CartCreated: _cart_opened,
    CartItemChanged: _cart_filled,
    CartAbandoned: _cart_abandoned,
    CartCheckedOut: _cart_checked_out,
    StockAdjusted: _stock,
    StockReceived: _stock,
    StockCommitted: _stock,
}
SALES_EVENTS: tuple[type[Event], ...] = (
    OrderPlaced, OrderConfirmed, OrderShipped, OrderDelivered, OrderCancelled, OrderModified,
    PaymentRefunded, RefundIssued, CartAbandoned, CartCheckedOut,
)  # fmt: skip
"""What changes the dashboards' figures."""


@on(*RECORDERS)
async def follow(event: Event, ctx: HandlerContext) -> None:
    """Record the event in the read models (upserts keyed by its ids: a redelivery or a
    replay changes nothing)."""
    await RECORDERS[type(event)](event, Seen(ctx, await zones.store_zone(ctx.uow)))
    if replaying.get():  # a rebuild's old events: no lag to measure, no dashboard to wake
        return
    waited = ctx.uow.clock.now() - ctx.envelope.occurred_at
    event_lag.observe(max(0.0, waited.total_seconds()))
    if isinstance(event, SALES_EVENTS):
        ctx.gather("analytics_kpis", ctx.envelope.tenant_id, _announce)


async def _announce(uow: UnitOfWork, stores: list[str]) -> None:
    feed = uow.wired(KpiFeed)
    if feed is not None:
        for store in stores:
            uow.on_commit(partial(feed.changed, store))


handlers: list[Handler] = [follow]
