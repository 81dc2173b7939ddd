"""Starting a return's refund saga, with fakes of the unit of work and the saga runner."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from mercato.agents.returns import service
from mercato.agents.returns.models import Return
from mercato.agents.returns.problems import ReturnStatusConflict
from mercato.agents.returns.statuses import Resolution, ReturnStatus

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


class FakeSession:
    def __init__(self, row: Return | None) -> None:
        self.row = row

    async def get(self, model: Any, key: str) -> Return | None:
        return self.row if self.row is not None and self.row.id == key else None

    async def scalar(self, statement: Any) -> Return | None:
        return self.row

    async def scalars(self, statement: Any) -> list[Any]:
        return []


@dataclass
class FakeUnits:
    """The kernel's unit-of-work factory over one return."""

    row: Return | None
    commits: int = 0

    def __call__(self, writes: bool = True) -> Any:
        @asynccontextmanager
        async def unit() -> AsyncIterator[Any]:
            uow = type("Uow", (), {})()
            uow.session = FakeSession(self.row)

            async def commit() -> None:
                self.commits += 1

            uow.commit = commit
            yield uow

        return unit()


@dataclass
class FakeSagas:
    started: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)

    async def start(self, saga: str, data: dict[str, Any], *, tenant_id: str, saga_id: str) -> str:
        self.started.append((saga, data, saga_id))
        return saga_id


def _return(status: ReturnStatus, **more: Any) -> Return:
    return Return(id="ret-1", status=status, resolution=Resolution.REFUND, order_id="o", **more)


@pytest.mark.parametrize(
    ("resolution", "method", "sent"),
    [
        (Resolution.REFUND, None, "original_payment"),
        (Resolution.REFUND, "original", "original_payment"),
        (Resolution.REFUND, "store_credit", "store_credit"),
        (Resolution.STORE_CREDIT, None, "store_credit"),
        (Resolution.STORE_CREDIT, "original_payment", "original_payment"),
    ],
)
async def test_a_refund_runs_the_saga_with_the_method_chosen(
    resolution: Resolution, method: str | None, sent: str
) -> None:
    row = _return(ReturnStatus.INSPECTED)
    row.resolution = resolution
    sagas = FakeSagas()
    await service.refund(FakeUnits(row), sagas, return_id="ret-1", method=method, tenant_id="t")  # type: ignore[arg-type]
    [(saga, data, saga_id)] = sagas.started
    assert (saga, data) == ("return_refund", {"return_id": "ret-1", "method": sent})
    assert saga_id.startswith("return_refund:") and len(saga_id) <= 64


async def test_only_an_inspected_return_is_refunded() -> None:
    sagas = FakeSagas()
    done = FakeUnits(_return(ReturnStatus.REFUNDED))
    assert await service.refund(done, sagas, return_id="ret-1", method=None, tenant_id="t") is None  # type: ignore[arg-type]
    for status in (ReturnStatus.APPROVED, ReturnStatus.REFUNDING, ReturnStatus.REJECTED):
        with pytest.raises(ReturnStatusConflict):
            await service.refund(
                FakeUnits(_return(status)),
                sagas,  # type: ignore[arg-type]
                return_id="ret-1",
                method=None,
                tenant_id="t",
            )
    assert sagas.started == []
