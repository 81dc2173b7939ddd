"""What other agents ask of the notifications agent."""

from __future__ import annotations

from datetime import datetime

from mercato.agents.notifications.kinds import KINDS
from mercato.agents.notifications.preferences import set_choices
from mercato.agents.notifications.statuses import Purpose
from mercato.kernel.db import UnitOfWork

__all__ = ["set_marketing"]


async def set_marketing(uow: UnitOfWork, *, user_id: str, enabled: bool, now: datetime) -> None:
    """Every marketing kind on every channel on or off for the customer (the assistant's
    "unsubscribe me from your emails" does it); what they are owed is not touched."""
    await set_choices(
        uow,
        user_id=user_id,
        now=now,
        choices=[
            (kind.name, str(channel), enabled)
            for kind in KINDS.values()
            if kind.purpose is Purpose.MARKETING
            for channel in kind.channels
        ],
    )
