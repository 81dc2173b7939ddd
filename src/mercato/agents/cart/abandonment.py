"""The cart_abandonment workflow's first step (BR020): a cart with items idle for
`cart_abandon_after` seconds is abandoned, and `cart.abandoned` is published once.

A sweep (`detect_abandoned`, a periodic job) finds candidates across every store, then claims
each in its own store's context with a conditional UPDATE (`abandoned_at IS NULL` and still
idle), so several processes sweeping at once announce a cart once, and a shopper's write
racing the sweep wins (it clears `abandoned_at` and moves `last_activity_at`). Activity
clears `abandoned_at`, so a later idle period is announced again.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import exists, select, update

from mercato.agents.cart import events, view
from mercato.agents.cart.models import Cart, CartItem
from mercato.agents.cart.statuses import CartStatus
from mercato.kernel import rules
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

BATCH = 500


async def idle_carts(
    uow: UnitOfWork, *, cutoff: datetime, limit: int = BATCH
) -> list[tuple[str, str]]:
    """(tenant, cart id) of active carts of every store, with lines, idle since `cutoff`
    or longer and not announced yet."""
    has_lines = exists().where(CartItem.cart_id == Cart.id)
    rows = await uow.session.execute(
        select(Cart.tenant_id, Cart.id)
        .where(
            Cart.status == CartStatus.ACTIVE,
            Cart.abandoned_at.is_(None),
            Cart.last_activity_at <= cutoff,
            has_lines,
        )
        .order_by(Cart.last_activity_at, Cart.id)
        .limit(limit)
        .execution_options(all_tenants=True)
    )
    return [(tenant, cart_id) for tenant, cart_id in rows]


async def mark_abandoned(
    uow: UnitOfWork,
    *,
    cart_id: str,
    now: datetime,
    threshold_seconds: int,
) -> bool:
    """Claim the cart (in its store's context) and publish `cart.abandoned`; False when it
    is not abandoned after all (activity since, already announced, emptied, converted)."""
    cart = await uow.session.get(Cart, cart_id)
    if cart is None or cart.status != CartStatus.ACTIVE:
        return False
    lines = await view.lines_of(uow, cart.id)
    idle = (now - cart.last_activity_at).total_seconds()
    if not await rules.holds(
        "BR020",
        items=len(lines),
        idle_seconds=idle,
        threshold_seconds=threshold_seconds,
        already_announced=cart.abandoned_at is not None,
    ):
        return False
    claimed = await uow.session.execute(
        update(Cart)
        .where(
            Cart.id == cart.id,
            Cart.status == CartStatus.ACTIVE,
            Cart.abandoned_at.is_(None),
            Cart.last_activity_at <= now - timedelta(seconds=threshold_seconds),
        )
        .values(abandoned_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        return False
    current = await view.build(uow, cart, now=now, lines=lines)
    uow.publish(
        events.CartAbandoned(
            cart_id=cart.id,
            user_id=cart.user_id,
            session_id=cart.session_id,
            items=len(lines),
            subtotal=format(current.totals.subtotal, "f"),
            currency=cart.currency,
            idle_since=cart.last_activity_at.isoformat(),
        ),
        aggregate_id=cart.id,
    )
    return True


async def detect_abandoned(kernel: Kernel) -> int:
    """The periodic job `cart.detect_abandoned`: announce every cart idle past the
    threshold; the number announced."""
    threshold = kernel.settings.cart_abandon_after
    now = kernel.clock.now()
    cutoff = now - timedelta(seconds=threshold)
    async with kernel.uow(writes=False) as uow:
        found = await idle_carts(uow, cutoff=cutoff)
    by_tenant: dict[str, list[str]] = defaultdict(list)
    for tenant, cart_id in found:
        by_tenant[tenant].append(cart_id)
    announced = 0
    for tenant, cart_ids in by_tenant.items():
        with bind(tenant_id=tenant):
            async with kernel.uow() as uow:
                for cart_id in cart_ids:
                    announced += await mark_abandoned(
                        uow,
                        cart_id=cart_id,
                        now=now,
                        threshold_seconds=threshold,
                    )
                await uow.commit()
    return announced
