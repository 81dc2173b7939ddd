"""A cart through checkout: held while its order is being paid for, then converted, or given
back to its shopper when the checkout fails (the cart intact for a retry, EC017).

`hold` is one conditional UPDATE (`status 'active' → 'checkout'`), so a cart is checked out
by at most one checkout at a time, whatever the idempotency keys; a second one gets 409
`cart_not_active`. Its discount code's use is counted when it is held (`redeem_code`: the
usage limit holds under any concurrency) and given back when the checkout fails.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.exc import IntegrityError

from mercato.agents.cart import codes, events
from mercato.agents.cart.models import Cart, DiscountCode
from mercato.agents.cart.problems import CartNotActive
from mercato.agents.cart.statuses import CartStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.prepared import Prepared
from mercato.kernel.store_sql import in_store


async def hold(uow: UnitOfWork, *, cart_id: str, discount_code: str | None, now: datetime) -> None:
    """Take the cart (validated by the caller in this unit of work) out of its shopper's
    hands for the checkout, counting one use of its discount code."""
    moved = await _MOVE.run(
        uow, cart_id=cart_id, was=CartStatus.ACTIVE, becomes=CartStatus.CHECKOUT, now=now
    )
    if moved != 1:
        raise CartNotActive("the cart is being checked out or was checked out already")
    if discount_code:
        await codes.redeem_code(uow, code=discount_code, now=now)


async def convert(uow: UnitOfWork, *, cart_id: str, order_id: str, now: datetime) -> None:
    """The checkout's order was confirmed: the cart is done (`cart.checked_out`). Idempotent."""
    moved = await _MOVE.run(
        uow, cart_id=cart_id, was=CartStatus.CHECKOUT, becomes=CartStatus.CONVERTED, now=now
    )
    if moved == 1:
        uow.publish(events.CartCheckedOut(cart_id=cart_id, order_id=order_id), aggregate_id=cart_id)


async def give_back(
    uow: UnitOfWork, *, cart_id: str, discount_code: str | None, now: datetime
) -> None:
    """The checkout failed: the cart is its shopper's again, unchanged, and its code's use is
    returned. If the shopper opened another cart meanwhile, that one stays the active one
    and this one is left `abandoned`. Idempotent."""
    back = (
        update(Cart)
        .where(Cart.id == cart_id, Cart.status == CartStatus.CHECKOUT)
        .execution_options(synchronize_session=False)
    )
    try:
        async with uow.session.begin_nested():
            result = await uow.session.execute(
                back.values(status=CartStatus.ACTIVE, version=Cart.version + 1, updated_at=now)
            )
    except IntegrityError:  # one active cart per shopper: a newer one exists
        result = await uow.session.execute(back.values(status=CartStatus.ABANDONED, updated_at=now))
    if getattr(result, "rowcount", 0) == 1 and discount_code:
        await uow.session.execute(
            update(DiscountCode)
            .where(DiscountCode.code == codes.normalize(discount_code), DiscountCode.times_used > 0)
            .values(times_used=DiscountCode.times_used - 1)
            .execution_options(synchronize_session=False)
        )


_CARTS = cast(Table, Cart.__table__)
_MOVE = Prepared(
    in_store(
        update(_CARTS)
        .where(_CARTS.c.id == bindparam("cart_id"), _CARTS.c.status == bindparam("was"))
        .values(
            status=bindparam("becomes"), version=_CARTS.c.version + 1, updated_at=bindparam("now")
        )
    )
)
"""A cart's step through checkout (held, converted): one conditional UPDATE, prepared."""
