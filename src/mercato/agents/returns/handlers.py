"""The returns agent's reactions to other agents' events: a cancelled order gives back the
store credit its checkout spent; an account whose email is verified takes over the credit
kept under that email for a guest."""

from __future__ import annotations

from sqlalchemy import select

from mercato.agents.identity.events import EmailVerified
from mercato.agents.orders.events import OrderCancelled
from mercato.agents.returns import credit, spending
from mercato.agents.returns.models import CreditAccount, CreditEntry
from mercato.agents.returns.statuses import CreditReason
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on


@on(OrderCancelled)
async def give_back_credit(event: OrderCancelled, ctx: HandlerContext) -> None:
    spent = await ctx.uow.session.scalar(
        select(CreditEntry.owner).where(
            CreditEntry.reason == CreditReason.CHECKOUT, CreditEntry.reference == event.order_id
        )
    )
    if spent is not None and spent.startswith("customer:"):
        await spending.restore(ctx.uow, spent.removeprefix("customer:"), event.order_id)


@on(EmailVerified)
async def move_guest_credit_to_account(event: EmailVerified, ctx: HandlerContext) -> None:
    """A guest's credit is kept by email and never spent (anyone can type an email); once
    an account proves the address is theirs, the whole balance moves to it, once: both
    entries are referenced by the account, so a redelivery (or a second verification)
    finds the debit there and moves nothing."""
    source = credit.owner_of(customer_id=None, email=event.email)
    kept = await ctx.uow.session.scalar(select(CreditAccount).where(CreditAccount.owner == source))
    if kept is None or kept.balance <= 0:
        return
    amount, currency, now = kept.balance, kept.currency, ctx.uow.clock.now()
    reference = f"verified:{event.user_id}"
    taken = await credit.change(
        ctx.uow,
        owner=source,
        amount=-amount,
        currency=currency,
        reason=CreditReason.TRANSFER,
        reference=reference,
        now=now,
        note="moved to the account that verified this email",
    )
    if not taken:
        return  # moved before
    given = await credit.change(
        ctx.uow,
        owner=credit.owner_of(customer_id=event.user_id, email=None),
        amount=amount,
        currency=currency,
        reason=CreditReason.TRANSFER,
        reference=reference,
        now=now,
        note="a guest's credit, moved when this email was verified",
    )
    if not given:  # never taken without being given: the whole unit of work rolls back
        raise RuntimeError(f"store credit of {source} taken but not given to {event.user_id}")


handlers: list[Handler] = [give_back_credit, move_guest_credit_to_account]
