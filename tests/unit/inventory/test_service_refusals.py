"""The inventory service refuses a malformed reservation or adjustment before it reads or
writes anything: the HTTP schemas catch most of these at the edge, but other agents, the CLI
and the demo call the service directly. The unit of work is a fake that holds no database:
a refusal that came after a query would fail differently, and the fake shows nothing was
added or published."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mercato.agents.inventory import service as inventory
from mercato.agents.inventory.errors import InvalidStockRequest
from mercato.agents.inventory.reservations import MAX_LINES
from mercato.agents.inventory.stock import MAX_QUANTITY
from tests.fakes.unit_of_work import FakeUnitOfWork

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reference", "lines", "ttl", "why"),
    [
        ("", [("v-1", 1)], None, "a reference has 1 to 120 characters"),
        ("r" * 121, [("v-1", 1)], None, "a reference has 1 to 120 characters"),
        ("order-1", [("v-1", 1)], timedelta(0), "time to live is positive"),
        ("order-1", [("v-1", 1)], timedelta(seconds=-5), "time to live is positive"),
        ("order-1", [("v-1", 0)], None, f"a quantity is between 1 and {MAX_QUANTITY}"),
        ("order-1", [("v-1", MAX_QUANTITY + 1)], None, "a quantity is between 1"),
        ("order-1", [("", 1)], None, "a variant id has 1 to 36 characters"),
        ("order-1", [("v" * 37, 1)], None, "a variant id has 1 to 36 characters"),
        ("order-1", [], None, f"a reservation has 1 to {MAX_LINES} lines"),
        ("order-1", [(f"v-{i}", 1) for i in range(MAX_LINES + 1)], None, "1 to 500 lines"),
        # each line in range, but together over the most a variant can hold
        ("order-1", [("v-1", MAX_QUANTITY), ("v-1", 1)], None, "at most 1000000 units"),
    ],
)
async def test_a_malformed_reservation_is_refused_before_anything_is_held(
    reference: str, lines: list[tuple[str, int]], ttl: timedelta | None, why: str
) -> None:
    # given a store that holds nothing yet
    uow = FakeUnitOfWork()
    # when a caller asks to reserve malformed lines
    with pytest.raises(InvalidStockRequest, match=why) as refused:
        await inventory.reserve(uow, reference=reference, lines=lines, now=NOW, ttl=ttl)
    # then it is a 422 with the stable code, and nothing is held or announced
    assert (refused.value.status, refused.value.code) == (422, "invalid_stock_request")
    assert uow.changed_nothing


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"delta": 5, "reason": "gift"}, "the reason is one of received, damaged"),
        ({"delta": 5, "counted": 5, "reason": "count"}, "exactly one of delta and counted"),
        ({"reason": "count"}, "exactly one of delta and counted"),
        ({"delta": 0, "reason": "correction"}, "delta is non-zero"),
        ({"delta": -MAX_QUANTITY - 1, "reason": "lost"}, "delta is non-zero and at most"),
        ({"counted": -1, "reason": "count"}, f"counted is between 0 and {MAX_QUANTITY}"),
        ({"counted": MAX_QUANTITY + 1, "reason": "count"}, "counted is between 0"),
        ({"counted": 7, "reason": "received"}, "a count \\(counted\\) has the reason 'count'"),
    ],
)
async def test_a_malformed_adjustment_is_refused_before_the_stock_is_read(
    change: dict[str, Any], why: str
) -> None:
    # given a store
    uow = FakeUnitOfWork()
    # when a caller adjusts stock with a change that cannot be made
    with pytest.raises(InvalidStockRequest, match=why):
        await inventory.adjust(
            uow,
            variant_id="v-1",
            location_id="loc-1",
            now=NOW,
            **change,
        )
    # then nothing was written or announced
    assert uow.changed_nothing
