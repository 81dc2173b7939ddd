"""Turning one notice (a kind, a context, who it is for) into messages queued per channel.

For each recipient and each of the kind's channels: is the channel on (the customer's
preference for the kind, for every kind, or the kind's default; transactional email is
always on), is there an address (an email, a registered phone, active devices, an account
for in-app), is the address suppressed (unsubscribed, bounced)? Then the wording (the store's
own or the shipped one, in the customer's language or the fallback) is rendered and the
message is queued, due now or at the end of the customer's quiet hours (SMS and push).

The message's key is the triggering event, the kind, the channel and the address: queuing
the same notice twice (a redelivered event, a replay) adds nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from mercato.agents.notifications import rendering, unsubscribing
from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.kinds import KINDS, Kind
from mercato.agents.notifications.models import (
    Device,
    NotificationMessage,
    Preference,
    Profile,
    Suppression,
    TemplateOverride,
)
from mercato.agents.notifications.quiet_hours import release_at
from mercato.agents.notifications.statuses import Channel, MessageStatus, Purpose
from mercato.agents.notifications.steps import note_step
from mercato.kernel.context import current_tenant
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.errors import TenantContextMissing
from mercato.kernel.ids import new_id


def store() -> str:
    tenant = current_tenant()
    if tenant is None:
        raise TenantContextMissing()
    return tenant


@dataclass(frozen=True)
class Recipient:
    """Who a notice is for: an account (its preferences, phone, devices, inbox apply) and/or
    an email address (a guest's order has only that)."""

    user_id: str | None = None
    email: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Notice:
    kind: str
    key: str
    """What makes it one notice: the triggering event's id (or a day, for a digest)."""
    context: dict[str, Any]
    recipients: list[Recipient]
    data: dict[str, str] = field(default_factory=dict)
    """What the push payload and the inbox entry carry (the order's id, a link)."""
    event_id: str | None = None


@dataclass
class _Reach:
    """A recipient's ways in: profile, preferences, devices (None for a guest)."""

    profile: Profile | None
    prefs: dict[tuple[str, str], bool]
    devices: list[Device]


async def queue(uow: UnitOfWork, deps: NotificationDeps, notice: Notice) -> list[str]:
    """Queue the notice's messages; returns the ids of those queued now."""
    kind = KINDS[notice.kind]
    now = deps.clock.now()
    queued: list[str] = []
    for recipient in notice.recipients:
        reach = await _reach(uow, recipient.user_id)
        for channel in kind.channels:
            if not _wanted(kind, channel, reach):
                continue
            for address in _addresses(channel, recipient, reach):
                if await _suppressed(uow, kind, address):
                    continue
                row = await _message(uow, deps, notice, kind, channel, recipient, reach, address)
                row["next_attempt_at"] = _due(now, channel, reach)
                row["created_at"] = now
                if await _insert(uow, row):
                    queued.append(row["id"])
                    await note_step(uow, row["id"], "queued", notice.kind, now)
    return queued


async def _reach(uow: UnitOfWork, user_id: str | None) -> _Reach:
    if user_id is None:
        return _Reach(None, {}, [])
    profile = await uow.session.get(Profile, (store(), user_id))
    prefs = {
        (p.kind, str(p.channel)): p.enabled
        for p in await uow.session.scalars(select(Preference).where(Preference.user_id == user_id))
    }
    devices = list(
        await uow.session.scalars(
            select(Device).where(Device.user_id == user_id, Device.disabled_at.is_(None))
        )
    )
    return _Reach(profile, prefs, devices)


def enabled(kind: Kind, channel: Channel, prefs: dict[tuple[str, str], bool]) -> bool:
    """The customer's choice for the kind, else for every kind, else the kind's default;
    transactional email cannot be switched off."""
    if kind.locked(channel):
        return True
    for key in ((kind.name, str(channel)), ("*", str(channel))):
        if key in prefs:
            return prefs[key]
    return channel not in kind.default_off


def _wanted(kind: Kind, channel: Channel, reach: _Reach) -> bool:
    return enabled(kind, channel, reach.prefs)


def _addresses(channel: Channel, recipient: Recipient, reach: _Reach) -> list[str]:
    if channel is Channel.EMAIL:
        return [recipient.email] if recipient.email else []
    if recipient.user_id is None:
        return []
    if channel is Channel.SMS:
        return [reach.profile.phone] if reach.profile and reach.profile.phone else []
    if channel is Channel.PUSH:
        return [d.token for d in reach.devices]
    return [f"user:{recipient.user_id}"]


async def _suppressed(uow: UnitOfWork, kind: Kind, address: str) -> bool:
    scopes = ["*", kind.name] + (["marketing"] if kind.purpose is Purpose.MARKETING else [])
    if kind.locked(Channel.EMAIL) and "@" in address:
        scopes = ["*"]  # owed mail still goes to an address that only unsubscribed
    found = await uow.session.scalar(
        select(Suppression.scope).where(
            Suppression.address == address.lower(), Suppression.scope.in_(scopes)
        )
    )
    return found is not None


def _due(now: datetime, channel: Channel, reach: _Reach) -> datetime:
    if channel not in (Channel.SMS, Channel.PUSH) or reach.profile is None:
        return now
    profile = reach.profile
    return release_at(now, start=profile.quiet_start, end=profile.quiet_end, tz=profile.time_zone)


async def wording(
    uow: UnitOfWork, kind: str, channel: Channel, locale: str | None, default: str
) -> tuple[rendering.Wording, str]:
    """The store's own wording of the kind on the channel in the first locale that has one,
    else the shipped template's; and that locale."""
    for candidate in rendering.locales_for(locale, default):
        own = await uow.session.get(TemplateOverride, (store(), kind, channel, candidate))
        if own is not None:
            return rendering.Wording(own.subject, own.text, own.html), candidate
        shipped = rendering.shipped_wording(kind, channel, candidate)
        if shipped is not None:
            return shipped, candidate
    raise LookupError(f"no template for {kind}/{channel}")


def frame(deps: NotificationDeps, locale: str, *, unsubscribe: str | None) -> dict[str, Any]:
    footer = "You receive this message about your account or order."
    return {
        "store_name": deps.settings.service_name.capitalize(),
        "locale": locale,
        "footer": footer if unsubscribe is None else f"{footer} Unsubscribe: {unsubscribe}",
    }


async def _message(
    uow: UnitOfWork,
    deps: NotificationDeps,
    notice: Notice,
    kind: Kind,
    channel: Channel,
    recipient: Recipient,
    reach: _Reach,
    address: str,
) -> dict[str, Any]:
    locale_wanted = reach.profile.locale if reach.profile else None
    text, locale = await wording(
        uow, kind.name, channel, locale_wanted, deps.settings.notifications_default_locale
    )
    links = dict(notice.context.get("links", {}))
    headers: dict[str, str] = {}
    if kind.purpose is Purpose.MARKETING and channel is Channel.EMAIL:
        url = unsubscribing.link(deps, address=address, scope="marketing")
        links["unsubscribe"] = url
        headers = {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    context = {**notice.context, "links": links, "name": recipient.name}
    out = rendering.render(
        text,
        context,
        channel=channel,
        frame=frame(deps, locale, unsubscribe=links.get("unsubscribe")),
    )
    digest = hashlib.sha1(address.lower().encode()).hexdigest()
    return {
        "id": new_id(),
        "dedupe_key": f"{notice.key}:{kind.name}:{channel}:{digest}",
        "event_id": notice.event_id,
        "kind": kind.name,
        "channel": channel,
        "user_id": recipient.user_id,
        "recipient": address,
        "locale": locale,
        "subject": out.subject,
        "body_text": out.text,
        "body_html": out.html,
        "data": {**notice.data, "kind": kind.name},
        "headers": headers,
        "sensitive": kind.sensitive,
        "status": MessageStatus.QUEUED,
        "attempts": 0,
    }


async def _insert(uow: UnitOfWork, row: dict[str, Any]) -> bool:
    statement = (
        upsert_insert(uow.session)(NotificationMessage)
        .values(tenant_id=store(), **row)
        .on_conflict_do_nothing(index_elements=["tenant_id", "dedupe_key"])
    )
    result = await uow.session.execute(statement)
    return bool(getattr(result, "rowcount", 0))
