"""The delivery log's rows: each status a message went through."""

from __future__ import annotations

from datetime import datetime

from mercato.agents.notifications.models import DeliveryStep
from mercato.agents.notifications.statuses import StepStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id


async def note_step(
    uow: UnitOfWork, message_id: str, status: StepStatus | str, detail: str, at: datetime
) -> None:
    uow.session.add(
        DeliveryStep(
            id=new_id(),
            message_id=message_id,
            status=StepStatus(status),
            detail=detail[:500],
            at=at,
        )
    )
