"""Sending what is queued: claim due messages (every store's), hand each to its channel's
provider, record what happened.

A claim is a conditional update (queued, or a claim that expired because its sender died,
→ sending until a lease ends), so senders in several processes never send one message
twice. Outcomes: sent (or delivered, where handing over is delivery); a transient error puts
it back with a doubling delay (or the provider's Retry-After) until the attempts run out;
a permanent one fails it; a dead address also suppresses the address (or disables the
device). An outage is a run of transient errors: the messages wait and go when it is over.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

import structlog
from sqlalchemy import or_, select, update

from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.inbox_feed import announce
from mercato.agents.notifications.models import Device, NotificationMessage
from mercato.agents.notifications.providers.base import DeliveryError, Outgoing, Sent
from mercato.agents.notifications.signing import LINK_MARK, unseal
from mercato.agents.notifications.statuses import Channel, MessageStatus
from mercato.agents.notifications.steps import note_step
from mercato.agents.notifications.unsubscribing import suppress
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork

log = structlog.get_logger("mercato.notifications")
LEASE = timedelta(seconds=60)
MAX_DELAY = 3600.0
BLANKED = "[sent; not kept: it held a one-time link]"


@dataclass(frozen=True)
class Claimed:
    id: str
    tenant_id: str
    attempts: int
    outgoing: Outgoing


async def send_due(kernel: Kernel) -> int:
    """Send every due message, a batch at a time; returns how many were handed over."""
    deps = kernel.deps(NotificationDeps)
    total = 0
    while True:
        claimed = await claim(kernel, deps, limit=deps.settings.notifications_batch)
        if not claimed:
            return total
        results = await asyncio.gather(*(_try(deps, c) for c in claimed))
        async with kernel.uow() as uow:
            await _load(uow, [c.id for c in claimed])  # one query; `record` finds them kept
            for message, result in zip(claimed, results, strict=True):
                with bind(tenant_id=message.tenant_id):
                    await record(uow, deps, message, result)
            await uow.commit()
        total += sum(isinstance(r, Sent) for r in results)
        for message, result in zip(claimed, results, strict=True):
            if isinstance(result, Sent) and message.outgoing.channel == Channel.IN_APP:
                await announce(kernel.broadcast, message.tenant_id, message.outgoing)
        if len(claimed) < deps.settings.notifications_batch:
            return total


async def claim(kernel: Kernel, deps: NotificationDeps, *, limit: int) -> list[Claimed]:
    now = deps.clock.now()
    due = or_(
        NotificationMessage.status == MessageStatus.QUEUED,
        (NotificationMessage.status == MessageStatus.SENDING)
        & (NotificationMessage.claimed_until < now),
    )
    async with kernel.uow() as uow:
        pick = (
            select(NotificationMessage.id)
            .where(due, NotificationMessage.next_attempt_at <= now)
            .order_by(NotificationMessage.next_attempt_at)
            .limit(limit)
            .execution_options(all_tenants=True)
        )
        if uow.session.get_bind().dialect.name != "sqlite":
            pick = pick.with_for_update(skip_locked=True)
        ids = list(await uow.session.scalars(pick))
        if not ids:
            return []
        rows = list(
            await uow.session.scalars(
                update(NotificationMessage)
                .where(NotificationMessage.id.in_(ids), due)
                .values(
                    status=MessageStatus.SENDING,
                    claimed_until=now + LEASE,
                    attempts=NotificationMessage.attempts + 1,
                )
                .returning(NotificationMessage)
                .execution_options(all_tenants=True, synchronize_session=False)
            )
        )
        claimed = [_claimed(deps, row) for row in rows]
        await uow.commit()
    return claimed


def _claimed(deps: NotificationDeps, row: NotificationMessage) -> Claimed:
    sender = deps.settings.mail_from if row.channel == Channel.EMAIL else None
    data = {str(k): str(v) for k, v in (row.data or {}).items()}
    text, html = row.body_text, row.body_html
    sealed = data.pop("sealed_link", None)
    if sealed is not None:
        link = unseal(deps.secret, sealed) or ""
        text = text.replace(LINK_MARK, link)
        html = html.replace(LINK_MARK, escape(link)) if html else html
    outgoing = Outgoing(
        reference=row.id,
        channel=str(row.channel),
        to=row.recipient,
        subject=row.subject,
        text=text,
        html=html,
        sender=sender,
        headers=dict(row.headers or {}),
        data=data,
    )
    return Claimed(row.id, row.tenant_id, row.attempts, outgoing)


async def _try(deps: NotificationDeps, message: Claimed) -> Sent | DeliveryError:
    channel = Channel(message.outgoing.channel)
    if channel is Channel.IN_APP:
        return Sent(provider="inbox", provider_message_id=message.id, delivered=True)
    provider = deps.providers[channel]
    try:
        return await provider.send(message.outgoing)
    except DeliveryError as error:
        return error
    except Exception as exc:  # a provider's bug must not lose the message: try again later
        log.error("notification_provider_crashed", provider=provider.name, error=repr(exc))
        return _UnexpectedError("provider_error", repr(exc)[:300])


class _UnexpectedError(DeliveryError):
    transient = True


async def _load(uow: UnitOfWork, ids: list[str]) -> None:
    await uow.session.scalars(
        select(NotificationMessage)
        .where(NotificationMessage.id.in_(ids))
        .execution_options(all_tenants=True)
    )


async def record(
    uow: UnitOfWork, deps: NotificationDeps, message: Claimed, result: Sent | DeliveryError
) -> None:
    now = deps.clock.now()
    row = await uow.session.get(NotificationMessage, message.id)
    if row is None or row.status != MessageStatus.SENDING:
        return
    row.claimed_until = None
    if isinstance(result, Sent):
        _sent(row, result, now)
        detail = f"{result.provider}: {result.provider_message_id}"
        await note_step(uow, row.id, str(row.status), detail, now)
        return
    row.last_error = f"{result.code}: {result.detail}"[:500]
    if result.transient and row.attempts < deps.settings.notifications_max_attempts:
        row.status = MessageStatus.QUEUED
        row.next_attempt_at = now + timedelta(seconds=backoff(deps, row.attempts, result))
        await note_step(uow, row.id, "retrying", row.last_error, now)
        return
    row.status = MessageStatus.FAILED
    await note_step(uow, row.id, "failed", row.last_error, now)
    if result.dead_address:
        await forget_address(uow, row.channel, row.recipient, result.code, now)


def _sent(row: NotificationMessage, result: Sent, now: datetime) -> None:
    row.status = MessageStatus.DELIVERED if result.delivered else MessageStatus.SENT
    row.provider, row.provider_message_id = result.provider, result.provider_message_id
    row.sent_at, row.last_error = now, None
    if result.delivered:
        row.delivered_at = now
    if row.sensitive:
        row.body_text, row.body_html = BLANKED, None
        row.data = {k: v for k, v in (row.data or {}).items() if k != "sealed_link"}


def backoff(deps: NotificationDeps, attempts: int, error: DeliveryError) -> float:
    base = deps.settings.notifications_retry_base_seconds * 2 ** max(attempts - 1, 0)
    return float(min(max(base, error.retry_after or 0.0), MAX_DELAY))


async def forget_address(
    uow: UnitOfWork, channel: Channel | str, address: str, reason: str, now: datetime
) -> None:
    """A dead address: a device is disabled, an email address or number suppressed."""
    if Channel(channel) is Channel.PUSH:
        await uow.session.execute(
            update(Device)
            .where(Device.token == address, Device.disabled_at.is_(None))
            .values(disabled_at=now)
        )
        return
    await suppress(uow, address=address, scope="*", reason=reason, now=now)
