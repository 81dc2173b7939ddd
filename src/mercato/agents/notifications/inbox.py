"""A customer's in-app inbox: their in-app messages, newest first, and what they have read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from mercato.agents.notifications.models import NotificationMessage as M
from mercato.agents.notifications.problems import MessageNotFound
from mercato.agents.notifications.statuses import Channel
from mercato.kernel import paging
from mercato.kernel.db import UnitOfWork


@dataclass(frozen=True)
class InboxPage:
    items: list[M]
    next_cursor: str | None
    unread: int


def _mine(user_id: str) -> list[object]:
    return [M.user_id == user_id, M.channel == Channel.IN_APP, M.sent_at.is_not(None)]


async def inbox(
    uow: UnitOfWork, *, user_id: str, unread_only: bool, cursor: str | None, limit: int
) -> InboxPage:
    key = paging.decode(cursor, datetime, str)
    query = select(M).where(*_mine(user_id))  # type: ignore[arg-type]
    if unread_only:
        query = query.where(M.read_at.is_(None))
    query = query.where(paging.beyond((M.created_at, M.id), key, descending=True))
    rows = list(
        await uow.session.scalars(query.order_by(M.created_at.desc(), M.id.desc()).limit(limit + 1))
    )
    page, next_cursor = paging.cut(rows, limit, lambda r: (r.created_at, r.id))
    unread = await uow.session.scalar(
        select(func.count()).where(*_mine(user_id), M.read_at.is_(None))  # type: ignore[arg-type]
    )
    return InboxPage(page, next_cursor, unread or 0)


async def mark_read(uow: UnitOfWork, *, user_id: str, message_id: str, now: datetime) -> M:
    row = await uow.session.scalar(
        select(M).where(M.id == message_id, *_mine(user_id))  # type: ignore[arg-type]
    )
    if row is None:
        raise MessageNotFound()
    if row.read_at is None:
        row.read_at = now
    found: M = row
    return found


async def mark_all_read(uow: UnitOfWork, *, user_id: str, now: datetime) -> int:
    done = await uow.session.execute(
        update(M)
        .where(*_mine(user_id), M.read_at.is_(None))  # type: ignore[arg-type]
        .values(read_at=now)
    )
    return int(getattr(done, "rowcount", 0) or 0)
