"""Store credit: a balance per shopper (their account, or their email as a guest) and its
ledger. Every change is an entry whose (reason, reference) is unique for the account, so a
retried refund step or a redelivered event changes nothing twice; the balance moves by a
conditional UPDATE that never lets it go below zero, whatever runs at the same time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from mercato.agents.returns.events import StoreCreditChanged
from mercato.agents.returns.models import CreditAccount, CreditEntry
from mercato.agents.returns.problems import InvalidReturn, NotEnoughCredit
from mercato.agents.returns.statuses import CreditReason
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.money import round_money

ZERO = Decimal(0)


def owner_of(*, customer_id: str | None, email: str | None) -> str:
    if customer_id:
        return f"customer:{customer_id}"
    if not email:
        raise InvalidReturn("store credit needs an account or an email")
    return f"email:{email.strip().lower()}"


@dataclass(frozen=True)
class Balance:
    owner: str
    amount: Decimal
    currency: str


async def balance(uow: UnitOfWork, *, owner: str, currency: str) -> Balance:
    row = await uow.session.scalar(select(CreditAccount).where(CreditAccount.owner == owner))
    if row is None:
        return Balance(owner, round_money(ZERO, currency), currency)
    return Balance(owner, round_money(row.balance, row.currency), row.currency)


async def entries(uow: UnitOfWork, *, owner: str, limit: int = 100) -> list[CreditEntry]:
    found = await uow.session.scalars(
        select(CreditEntry)
        .where(CreditEntry.owner == owner)
        .order_by(CreditEntry.created_at.desc(), CreditEntry.id.desc())
        .limit(limit)
    )
    return list(found)


async def change(
    uow: UnitOfWork,
    *,
    owner: str,
    amount: Decimal,
    currency: str,
    reason: CreditReason,
    reference: str,
    now: datetime,
    note: str | None = None,
) -> bool:
    """Add `amount` (negative: spend) to the owner's balance, once per (reason,
    reference): False when that entry is there already. 409 `store_credit_insufficient`
    when spending more than the balance; 422 for another currency than the balance's."""
    entry = CreditEntry(
        id=new_id(),
        owner=owner,
        amount=amount,
        currency=currency,
        reason=reason,
        reference=reference,
        note=note,
        created_at=now,
        detail={},
    )
    try:
        async with uow.session.begin_nested():  # the entry and the balance, or neither
            uow.session.add(entry)
            await uow.session.flush()
            await _ensure_account(uow, owner=owner, currency=currency, now=now)
            moved = await uow.session.execute(
                update(CreditAccount)
                .where(
                    CreditAccount.owner == owner,
                    CreditAccount.currency == currency,
                    CreditAccount.balance + amount >= 0,
                )
                .values(balance=CreditAccount.balance + amount, updated_at=now)
                .returning(CreditAccount.balance)
                .execution_options(synchronize_session=False)
            )
            after = moved.scalar_one_or_none()
            if after is None:
                raise _Refused()
    except IntegrityError:
        return False
    except _Refused:
        current = await balance(uow, owner=owner, currency=currency)
        if current.currency != currency:
            raise InvalidReturn(
                f"the store credit is in {current.currency}, not {currency}"
            ) from None
        raise NotEnoughCredit(f"the store credit is {current.amount} {currency}") from None
    uow.publish(
        StoreCreditChanged(
            owner=owner,
            amount=format(round_money(amount, currency), "f"),
            balance=format(round_money(after, currency), "f"),
            currency=currency,
            reason=reason,
            reference=reference,
        ),
        aggregate_id=owner,
    )
    return True


class _Refused(Exception):  # noqa: N818 - internal signal, not an error
    """The balance cannot take the change (too little, another currency)."""


async def _ensure_account(uow: UnitOfWork, *, owner: str, currency: str, now: datetime) -> None:
    found = await uow.session.scalar(
        select(CreditAccount.owner).where(CreditAccount.owner == owner)
    )
    if found is not None:
        return
    try:
        async with uow.session.begin_nested():
            uow.session.add(
                CreditAccount(owner=owner, currency=currency, balance=ZERO, updated_at=now)
            )
            await uow.session.flush()
    except IntegrityError:
        pass  # a concurrent first credit made it
