"""The refund saga's steps on their own, over a fake unit of work: one saga at a time holds
a return, and a failed one says why on it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from mercato.agents.returns import refund_saga
from mercato.agents.returns.models import Return, ReturnLine
from mercato.agents.returns.problems import ReturnStatusConflict
from mercato.agents.returns.statuses import Resolution, ReturnStatus
from mercato.kernel.clock import ManualClock
from mercato.kernel.saga import PROBLEM, SagaContext

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


class FakeSession:
    def __init__(self, row: Return, lines: list[ReturnLine]) -> None:
        self.row, self.lines = row, lines

    async def scalar(self, statement: Any) -> Return:
        return self.row

    async def scalars(self, statement: Any) -> list[ReturnLine]:
        return self.lines


class FakeUnitOfWork:
    def __init__(self, row: Return, lines: list[ReturnLine]) -> None:
        self.session = FakeSession(row, lines)
        self.clock = ManualClock(NOW)
        self.published: list[Any] = []

    def publish(self, event: Any, *, aggregate_id: str) -> None:
        self.published.append(event)


def _return(status: ReturnStatus = ReturnStatus.INSPECTED, **more: Any) -> Return:
    values: dict[str, Any] = {
        "id": "ret-1",
        "number": "RET-1",
        "order_id": "ord-1",
        "order_number": "ORD-1",
        "customer_id": None,
        "email": "ana@example.com",
        "status": status,
        "resolution": Resolution.REFUND,
        "currency": "USD",
        "refund_amount": Decimal("30.00"),
        "saga_id": None,
        **more,
    }
    return Return(**values)


def _ctx(uow: Any, saga_id: str = "saga-1", **data: Any) -> SagaContext:
    return SagaContext(saga_id, "step", {"return_id": "ret-1", **data}, uow)


async def test_one_saga_at_a_time_holds_a_return() -> None:
    # given an inspected return
    row = _return()
    uow = FakeUnitOfWork(row, [])
    # when a saga begins, it holds it; resumed, it still does
    await refund_saga.begin(_ctx(uow))
    assert (row.status, row.saga_id) == (ReturnStatus.REFUNDING, "saga-1")
    await refund_saga.begin(_ctx(uow))
    assert row.saga_id == "saga-1"
    # then a second saga is refused, and cannot step in or undo the first's work
    with pytest.raises(ReturnStatusConflict):
        await refund_saga.begin(_ctx(uow, "saga-2"))
    for step in (refund_saga.restock, refund_saga.settle):
        with pytest.raises(ReturnStatusConflict):
            await step(_ctx(uow, "saga-2"))
    await refund_saga.back_to_inspected(_ctx(uow, "saga-2"))
    await refund_saga.unstock(_ctx(uow, "saga-2"))
    assert row.status == ReturnStatus.REFUNDING


async def test_a_failed_refund_says_why_on_the_return() -> None:
    row = _return(ReturnStatus.REFUNDING, saga_id="saga-1")
    failure = {"code": "payment_gateway_unavailable", "detail": "the gateway is down"}
    ctx = _ctx(FakeUnitOfWork(row, []))
    ctx.data[PROBLEM] = failure
    await refund_saga.back_to_inspected(ctx)
    assert row.status == ReturnStatus.INSPECTED
    assert row.refund_note == (
        "not refunded (payment_gateway_unavailable): the gateway is down; refund it again later"
    )
