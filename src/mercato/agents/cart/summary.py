"""How the store's carts fared over a window: how many were started, how many got something
in them, how many became orders or were abandoned. The admin's dashboard shows the
conversion from these (analytics will keep its own read model of the funnel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, exists, func, or_, select

from mercato.agents.cart.models import Cart, CartItem
from mercato.agents.cart.statuses import CartStatus
from mercato.kernel.db import UnitOfWork


@dataclass(frozen=True)
class CartSummary:
    started: int
    """Carts opened in the window; a guest's cart folded into the user's at sign-in is one
    shopper's, counted once."""
    with_items: int
    """Of those, carts that had something in them (now, or when they became an order)."""
    converted: int
    abandoned: int
    """Of those, carts announced abandoned (idle `cart_abandon_after`, BR020) and not taken up
    again since, or given up at checkout."""

    @property
    def conversion(self) -> Decimal | None:
        """Converted carts per cart with something in it (None without any)."""
        if not self.with_items:
            return None
        ratio = Decimal(self.converted) / Decimal(self.with_items)
        return ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


async def summary(uow: UnitOfWork, *, since: datetime, until: datetime) -> CartSummary:
    """The carts created in [since, until) of the store in context, in one statement."""
    converted = Cart.status == CartStatus.CONVERTED
    filled = or_(converted, exists().where(CartItem.cart_id == Cart.id))
    abandoned = and_(
        ~converted, or_(Cart.abandoned_at.is_not(None), Cart.status == CartStatus.ABANDONED)
    )
    row = (
        await uow.session.execute(
            select(
                func.count(),
                func.count().filter(filled),
                func.count().filter(converted),
                func.count().filter(abandoned),
            ).where(
                Cart.created_at >= since,
                Cart.created_at < until,
                Cart.status != CartStatus.MERGED,
            )
        )
    ).one()
    return CartSummary(*(int(n) for n in row))
