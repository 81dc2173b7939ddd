"""Store credit spent at checkout (orders' `StoreCredit` port, provided in the returns
agent's `setup`): a signed-in customer's balance only (a guest's credit, kept by email, is
not spent by whoever types that email). The spend is an entry referenced by the order, so a
retried checkout step spends once, and a failed or cancelled order gets it back once."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from mercato.agents.orders.ports import StoreCredit
from mercato.agents.returns import credit
from mercato.agents.returns.models import CreditEntry
from mercato.agents.returns.statuses import CreditReason
from mercato.kernel.db import UnitOfWork


async def balance(uow: UnitOfWork, customer_id: str, currency: str) -> Decimal:
    owner = credit.owner_of(customer_id=customer_id, email=None)
    found = await credit.balance(uow, owner=owner, currency=currency)
    return found.amount if found.currency == currency else Decimal(0)


async def redeem(
    uow: UnitOfWork, customer_id: str, amount: Decimal, currency: str, order_id: str
) -> None:
    await credit.change(
        uow,
        owner=credit.owner_of(customer_id=customer_id, email=None),
        amount=-amount,
        currency=currency,
        reason=CreditReason.CHECKOUT,
        reference=order_id,
        now=uow.clock.now(),
        note="spent at checkout",
    )


async def restore(uow: UnitOfWork, customer_id: str, order_id: str) -> Decimal:
    owner = credit.owner_of(customer_id=customer_id, email=None)
    spent = await uow.session.scalar(
        select(CreditEntry).where(
            CreditEntry.owner == owner,
            CreditEntry.reason == CreditReason.CHECKOUT,
            CreditEntry.reference == order_id,
        )
    )
    if spent is None:
        return Decimal(0)
    back = -spent.amount
    given = await credit.change(
        uow,
        owner=owner,
        amount=back,
        currency=spent.currency,
        reason=CreditReason.CHECKOUT_REVERSED,
        reference=order_id,
        now=uow.clock.now(),
        note="the order was not completed",
    )
    return back if given else Decimal(0)


PORT = StoreCredit(balance=balance, redeem=redeem, restore=restore)
