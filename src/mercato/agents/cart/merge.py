"""A guest's cart follows them when they sign in (`session.promoted`).

The guest's active cart becomes the user's if the user has none; otherwise its lines move
into the user's cart: a variant in both adds its quantities (capped at 99, BR001), new
variants are added while the cart holds fewer than 100 distinct lines (BR003) and the rest
are dropped and reported in `cart.merged`. A line in another currency than the user's cart
(its recorded price, i.e. the guest cart's currency, or its product's) is dropped and
reported too: currencies are never mixed in one cart. The guest cart is then `merged`.
Running it again for the same session finds no active guest cart and changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from mercato.agents.cart import events
from mercato.agents.cart.access import claim
from mercato.agents.cart.models import Cart, CartItem
from mercato.agents.cart.rules import MAX_QUANTITY
from mercato.agents.cart.statuses import CartStatus
from mercato.agents.cart.view import lines_of
from mercato.agents.catalog import service as catalog
from mercato.kernel import rules
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id


async def merge_guest_cart(
    uow: UnitOfWork, *, session_id: str, user_id: str, now: datetime
) -> str | None:
    """Give the session's active cart to the user; the id of the user's cart after it, or
    None if the session had no active cart."""
    guest = await uow.session.scalar(
        select(Cart).where(
            Cart.session_id == session_id, Cart.user_id.is_(None), Cart.status == CartStatus.ACTIVE
        )
    )
    if guest is None:
        return None
    target = await uow.session.scalar(
        select(Cart).where(Cart.user_id == user_id, Cart.status == CartStatus.ACTIVE)
    )
    await claim(uow, guest, now=now)
    if target is None:
        guest.user_id, guest.session_id = user_id, None
        uow.publish(
            events.CartMerged(cart_id=guest.id, into_cart_id=guest.id, user_id=user_id),
            aggregate_id=guest.id,
        )
        return guest.id
    await claim(uow, target, now=now)
    moved, capped, dropped = await _move_lines(uow, guest, target, now=now)
    guest.status = CartStatus.MERGED
    uow.publish(
        events.CartMerged(
            cart_id=guest.id,
            into_cart_id=target.id,
            user_id=user_id,
            moved_variant_ids=moved,
            capped_variant_ids=capped,
            dropped_variant_ids=dropped,
        ),
        aggregate_id=target.id,
    )
    return target.id


async def _move_lines(
    uow: UnitOfWork, guest: Cart, target: Cart, *, now: datetime
) -> tuple[list[str], list[str], list[str]]:
    """Copy the guest's lines into `target`: (moved, capped at 99, dropped: in another
    currency or over 100 lines)."""
    mine = {line.variant_id: line for line in await lines_of(uow, target.id)}
    theirs = await lines_of(uow, guest.id)
    variants = await catalog.sellable_variants(uow, [line.variant_id for line in theirs])
    moved: list[str] = []
    capped: list[str] = []
    dropped: list[str] = []
    for line in theirs:
        existing = mine.get(line.variant_id)
        variant = variants.get(line.variant_id)
        if guest.currency != target.currency or (
            variant is not None and variant.currency != target.currency
        ):
            dropped.append(line.variant_id)
            continue
        if existing is not None:
            previous, wanted = existing.quantity, existing.quantity + line.quantity
            if not await rules.holds("BR001", quantity=wanted):
                wanted = MAX_QUANTITY
                capped.append(line.variant_id)
            existing.quantity = wanted
        elif await rules.holds("BR003", lines=len(mine) + 1):
            previous, wanted = 0, line.quantity
            mine[line.variant_id] = CartItem(
                id=new_id(),
                cart_id=target.id,
                variant_id=line.variant_id,
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                quantity=wanted,
                unit_price=line.unit_price,
                added_at=line.added_at,
            )
            uow.session.add(mine[line.variant_id])
        else:
            dropped.append(line.variant_id)
            continue
        moved.append(line.variant_id)
        if wanted != previous:
            uow.publish(
                events.CartItemChanged(
                    cart_id=target.id,
                    variant_id=line.variant_id,
                    quantity=wanted,
                    previous_quantity=previous,
                ),
                aggregate_id=target.id,
            )
    return moved, capped, dropped
