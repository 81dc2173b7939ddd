"""The delivery log as staff read it, what providers' delivery reports change, and sending a
failed message again."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from mercato.agents.notifications.models import DeliveryStep
from mercato.agents.notifications.models import NotificationMessage as M
from mercato.agents.notifications.problems import MessageNotFound, NotRetryable
from mercato.agents.notifications.providers.base import DeliveryReport
from mercato.agents.notifications.sender import forget_address
from mercato.agents.notifications.statuses import MessageStatus
from mercato.agents.notifications.steps import note_step
from mercato.agents.notifications.unsubscribing import suppress
from mercato.kernel import paging
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork

RANK = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.FAILED: 3,
    MessageStatus.BOUNCED: 4,
    MessageStatus.COMPLAINED: 5,
}
"""A report never moves a message back (a late `sent` after `delivered`); a bounce or a
complaint after `delivered` does move it on (SES reports those after delivery)."""


@dataclass(frozen=True)
class MessageFilters:
    channel: str | None = None
    status: str | None = None
    kind: str | None = None
    recipient: str | None = None


@dataclass(frozen=True)
class MessagesPage:
    items: list[M]
    next_cursor: str | None


async def messages(
    uow: UnitOfWork, *, filters: MessageFilters, cursor: str | None, limit: int
) -> MessagesPage:
    key = paging.decode(cursor, datetime, str)
    query = select(M).where(paging.beyond((M.created_at, M.id), key, descending=True))
    for column, value in (
        (M.channel, filters.channel),
        (M.status, filters.status),
        (M.kind, filters.kind),
    ):
        if value is not None:
            query = query.where(column == value)
    if filters.recipient:
        query = query.where(M.recipient == filters.recipient.strip().lower())
    rows = list(
        await uow.session.scalars(query.order_by(M.created_at.desc(), M.id.desc()).limit(limit + 1))
    )
    page, next_cursor = paging.cut(rows, limit, lambda r: (r.created_at, r.id))
    return MessagesPage(page, next_cursor)


async def message(uow: UnitOfWork, *, message_id: str) -> tuple[M, list[DeliveryStep]]:
    row = await uow.session.get(M, message_id)
    if row is None:
        raise MessageNotFound()
    steps = list(
        await uow.session.scalars(
            select(DeliveryStep)
            .where(DeliveryStep.message_id == message_id)
            .order_by(DeliveryStep.at, DeliveryStep.id)
        )
    )
    return row, steps


async def retry(uow: UnitOfWork, *, message_id: str, now: datetime) -> M:
    row = await uow.session.get(M, message_id)
    if row is None:
        raise MessageNotFound()
    if row.status not in (MessageStatus.FAILED, MessageStatus.BOUNCED) or row.sensitive:
        raise NotRetryable()
    row.status, row.next_attempt_at, row.attempts = MessageStatus.QUEUED, now, 0
    await note_step(uow, row.id, "queued", "sent again by staff", now)
    return row


async def apply_report(
    uow: UnitOfWork, *, provider: str, report: DeliveryReport, now: datetime
) -> bool:
    """Apply a provider's delivery report to its message (found by the provider's id, or by
    Mercato's id when the provider echoed it); False when no message matches."""
    query = select(M).where(
        M.provider == provider, M.provider_message_id == report.provider_message_id
    )
    if report.reference:
        query = select(M).where(M.id == report.reference)
    row = await uow.session.scalar(query.execution_options(all_tenants=True))
    if row is None or (
        report.reference and row.provider_message_id not in (None, report.provider_message_id)
    ):
        return False
    status = MessageStatus(report.status)
    with bind(tenant_id=row.tenant_id):
        await note_step(uow, row.id, status, f"reported by {provider}: {report.detail}", now)
        if RANK[status] <= RANK[MessageStatus(row.status)]:
            return True
        row.status = status
        if status is MessageStatus.DELIVERED:
            row.delivered_at = now
        if status is MessageStatus.COMPLAINED:  # marked as spam: no more marketing there
            await suppress(
                uow, address=row.recipient, scope="marketing", reason="complaint", now=now
            )
        if report.dead_address:
            await forget_address(uow, row.channel, row.recipient, report.detail or status, now)
    return True


async def receipt(uow: UnitOfWork, *, report: DeliveryReport, token: str, now: datetime) -> bool:
    """A device's receipt of a push: applied when that push went to that device's token."""
    row = await uow.session.scalar(
        select(M).where(M.id == report.reference).execution_options(all_tenants=True)
    )
    if (
        row is None
        or row.channel != "push"
        or not hmac.compare_digest(row.recipient.encode(), token.encode())
    ):
        return False
    return await apply_report(
        uow,
        provider=row.provider or "fcm",
        report=DeliveryReport(row.provider_message_id or "", "delivered", reference=row.id),
        now=now,
    )
