"""Store credit's ledger: each change once per (reason, reference), a balance that never goes
below zero whatever spends at the same time, in one currency; what checkout spends of it
(orders' `StoreCredit` port) given back once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from mercato.agents.returns import credit, spending
from mercato.agents.returns.models import CreditEntry
from mercato.agents.returns.problems import InvalidReturn, NotEnoughCredit
from mercato.agents.returns.statuses import CreditReason
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.config import Settings
from mercato.kernel.context import bind

OWNER = "customer:cust-1"


@pytest.fixture
async def kernel(settings: Settings) -> AsyncIterator[Kernel]:
    built = Kernel.build(settings)
    await built.prepare()
    try:
        with bind(tenant_id="default"):
            yield built
    finally:
        await built.stop()


async def _change(kernel: Kernel, amount: str, reference: str, **more: object) -> bool:
    async with kernel.uow() as uow:
        done = await credit.change(
            uow,
            owner=str(more.pop("owner", OWNER)),
            amount=Decimal(amount),
            currency=str(more.pop("currency", "USD")),
            reason=more.pop("reason", CreditReason.ADJUSTMENT),  # type: ignore[arg-type]
            reference=reference,
            now=kernel.clock.now(),
        )
        await uow.commit()
    return done


async def _state(kernel: Kernel, owner: str = OWNER) -> tuple[Decimal, int, int]:
    """(balance, entries, store_credit.changed events)."""
    async with kernel.uow(writes=False) as uow:
        found = await credit.balance(uow, owner=owner, currency="USD")
        entries = await uow.session.scalar(
            select(func.count()).select_from(CreditEntry).where(CreditEntry.owner == owner)
        )
        told = await uow.session.scalar(
            select(func.count())
            .select_from(OutboxRecord)
            .where(OutboxRecord.type == "store_credit.changed")
        )
    return found.amount, int(entries or 0), int(told or 0)


async def test_a_change_is_made_once_per_reason_and_reference(kernel: Kernel) -> None:
    # given a credit of 10.00 for return r-1
    assert await _change(kernel, "10.00", "r-1", reason=CreditReason.RETURN)
    # when the same change comes again (a retried step), then nothing more changes
    assert not await _change(kernel, "10.00", "r-1", reason=CreditReason.RETURN)
    assert await _state(kernel) == (Decimal("10.00"), 1, 1)
    # and the same reference for another reason is another change
    assert await _change(kernel, "2.50", "r-1", reason=CreditReason.ADJUSTMENT)
    assert await _state(kernel) == (Decimal("12.50"), 2, 2)


async def test_spending_more_than_the_balance_or_another_currency_changes_nothing(
    kernel: Kernel,
) -> None:
    # given 5.00 of credit
    await _change(kernel, "5.00", "gift")
    # when 5.01 is spent: 409, nothing changed
    with pytest.raises(NotEnoughCredit):
        await _change(kernel, "-5.01", "order-1", reason=CreditReason.CHECKOUT)
    assert await _state(kernel) == (Decimal("5.00"), 1, 1)
    # when euros are added to a dollar balance: 422, nothing changed
    with pytest.raises(InvalidReturn):
        await _change(kernel, "3.00", "eur", currency="EUR")
    assert await _state(kernel) == (Decimal("5.00"), 1, 1)
    # and all of it may be spent
    assert await _change(kernel, "-5.00", "order-2", reason=CreditReason.CHECKOUT)
    assert (await _state(kernel))[0] == Decimal("0.00")


async def test_concurrent_spends_never_take_the_balance_below_zero(kernel: Kernel) -> None:
    # given 100.00 of credit
    await _change(kernel, "100.00", "gift")

    # when twelve checkouts spend 15.00 each at the same time
    async def spend(n: int) -> bool:
        try:
            return await _change(kernel, "-15.00", f"order-{n}", reason=CreditReason.CHECKOUT)
        except NotEnoughCredit:
            return False

    spent = await asyncio.gather(*(spend(n) for n in range(12)))

    # then six went through, and the balance is what is left, never below zero
    assert sum(spent) == 6
    balance, entries, _ = await _state(kernel)
    assert (balance, entries) == (Decimal("10.00"), 7)
    async with kernel.uow(writes=False) as uow:
        total = await uow.session.scalar(
            select(func.sum(CreditEntry.amount)).where(CreditEntry.owner == OWNER)
        )
    assert total == balance


async def test_what_checkout_spends_comes_back_once(kernel: Kernel) -> None:
    # given a customer with 20.00 of credit who spends 12.00 on an order
    await _change(kernel, "20.00", "gift")
    async with kernel.uow() as uow:
        assert await spending.balance(uow, "cust-1", "USD") == Decimal("20.00")
        assert await spending.balance(uow, "cust-1", "EUR") == 0
        await spending.redeem(uow, "cust-1", Decimal("12.00"), "USD", "order-9")
        await uow.commit()
    # when the order fails, twice (a retried compensation), and one never spent anything
    async with kernel.uow() as uow:
        first = await spending.restore(uow, "cust-1", "order-9")
        second = await spending.restore(uow, "cust-1", "order-9")
        none = await spending.restore(uow, "cust-1", "order-never")
        await uow.commit()
    # then the 12.00 came back once
    assert (first, second, none) == (Decimal("12.00"), Decimal(0), Decimal(0))
    assert (await _state(kernel))[0] == Decimal("20.00")
