"""The cart's reactions to other agents' events."""

from __future__ import annotations

from mercato.agents.cart.merge import merge_guest_cart
from mercato.agents.identity.events import SessionPromoted
from mercato.kernel.bus.subscriptions import HandlerContext, on


@on(SessionPromoted)
async def merge_guest_cart_on_sign_in(event: SessionPromoted, ctx: HandlerContext) -> None:
    """A guest who registers or signs in keeps their cart (merged into theirs if they have
    one). Idempotent: once merged, the session has no active cart left to merge."""
    await merge_guest_cart(
        ctx.uow, session_id=event.session_id, user_id=event.user_id, now=ctx.uow.clock.now()
    )


handlers = [merge_guest_cart_on_sign_in]
