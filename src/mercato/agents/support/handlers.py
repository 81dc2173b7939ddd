"""The support agent's reactions to other agents' events."""

from __future__ import annotations

from mercato.agents.identity.events import SessionPromoted
from mercato.agents.support import tickets
from mercato.kernel.bus.subscriptions import HandlerContext, on


@on(SessionPromoted)
async def move_guest_tickets_on_sign_in(event: SessionPromoted, ctx: HandlerContext) -> None:
    """A guest who registers or signs in keeps their tickets: they become the account's.
    Idempotent: once moved, the session has no guest's ticket left."""
    await tickets.move_guest_tickets(ctx.uow, session_id=event.session_id, user_id=event.user_id)


handlers = [move_guest_tickets_on_sign_in]
