"""A customer's say in what reaches them: per kind and channel (or every kind, `*`), their
phone, time zone, quiet hours and language, and the devices their app registered."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from mercato.agents.notifications.kinds import KINDS
from mercato.agents.notifications.models import Device, Preference, Profile
from mercato.agents.notifications.problems import (
    DeviceNotFound,
    InvalidPreference,
    InvalidProfile,
)
from mercato.agents.notifications.queueing import enabled, store
from mercato.agents.notifications.quiet_hours import is_time_zone, parse_window
from mercato.agents.notifications.statuses import Channel, Purpose
from mercato.kernel import rules
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.ids import new_id

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class Choice:
    kind: str
    channel: str
    enabled: bool
    locked: bool


@dataclass(frozen=True)
class ProfileView:
    phone: str | None
    time_zone: str
    quiet_start: str | None
    quiet_end: str | None
    locale: str | None


@dataclass(frozen=True)
class PreferencesView:
    choices: list[Choice]
    profile: ProfileView
    devices: list[Device]


@dataclass(frozen=True)
class ProfileChange:
    """Only the fields given change (`unset` names the ones to clear)."""

    phone: str | None = None
    time_zone: str | None = None
    quiet_start: str | None = None
    quiet_end: str | None = None
    locale: str | None = None
    unset: frozenset[str] = frozenset()


def _customer_kinds() -> list[str]:
    return [k.name for k in KINDS.values() if k.purpose is not Purpose.STAFF]


async def preferences(
    uow: UnitOfWork, settings: Settings, *, user_id: str, staff: bool = False
) -> PreferencesView:
    prefs = {
        (p.kind, str(p.channel)): p.enabled
        for p in await uow.session.scalars(select(Preference).where(Preference.user_id == user_id))
    }
    names = list(KINDS) if staff else _customer_kinds()
    choices = [
        Choice(
            name, str(channel), enabled(KINDS[name], channel, prefs), KINDS[name].locked(channel)
        )
        for name in names
        for channel in KINDS[name].channels
    ]
    return PreferencesView(
        choices, await profile(uow, settings, user_id=user_id), await devices(uow, user_id=user_id)
    )


async def set_choices(
    uow: UnitOfWork, *, user_id: str, choices: list[tuple[str, str, bool]], now: datetime
) -> None:
    """Each (kind or `*`, channel, enabled); all checked before any is written."""
    rows = []
    for kind_name, channel_name, on in choices:
        try:
            channel = Channel(channel_name)
        except ValueError:
            raise InvalidPreference(detail=f"unknown channel {channel_name!r}") from None
        if kind_name != "*":
            kind = KINDS.get(kind_name)
            if kind is None or channel not in kind.channels:
                raise InvalidPreference(detail=f"{kind_name!r} is not sent by {channel_name}")
            await rules.enforce(
                "BR022",
                locked=kind.locked(channel),
                enabled=on,
                detail=f"{kind_name} mail is about your account or order; it always goes",
            )
        rows.append(
            {
                "tenant_id": store(),
                "user_id": user_id,
                "kind": kind_name,
                "channel": channel,
                "enabled": on,
                "updated_at": now,
            }
        )
    for row in rows:
        statement = upsert_insert(uow.session)(Preference).values(**row)
        await uow.session.execute(
            statement.on_conflict_do_update(
                index_elements=["tenant_id", "user_id", "kind", "channel"],
                set_={
                    "enabled": statement.excluded.enabled,
                    "updated_at": statement.excluded.updated_at,
                },
            )
        )


async def profile(uow: UnitOfWork, settings: Settings, *, user_id: str) -> ProfileView:
    row = await uow.session.get(Profile, (store(), user_id))
    if row is None:
        start, end = parse_window(settings.notifications_quiet_hours) or (None, None)
        return ProfileView(None, settings.default_time_zone, start, end, None)
    return ProfileView(row.phone, row.time_zone, row.quiet_start, row.quiet_end, row.locale)


async def change_profile(
    uow: UnitOfWork, settings: Settings, *, user_id: str, change: ProfileChange, now: datetime
) -> ProfileView:
    _check(change)
    current = await profile(uow, settings, user_id=user_id)
    values = {
        name: None if name in change.unset else (getattr(change, name) or getattr(current, name))
        for name in ("phone", "time_zone", "quiet_start", "quiet_end", "locale")
    }
    values["time_zone"] = values["time_zone"] or settings.default_time_zone
    if (values["quiet_start"] is None) != (values["quiet_end"] is None):
        raise InvalidProfile(detail="quiet hours need both a start and an end")
    row = await uow.session.get(Profile, (store(), user_id))
    if row is None:
        row = Profile(tenant_id=store(), user_id=user_id, updated_at=now, **values)
        uow.session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = now
    return ProfileView(row.phone, row.time_zone, row.quiet_start, row.quiet_end, row.locale)


def _check(change: ProfileChange) -> None:
    if change.phone is not None and not E164.match(change.phone):
        raise InvalidProfile(detail="phone: an international number, e.g. +14155550123")
    if change.time_zone is not None and not is_time_zone(change.time_zone):
        raise InvalidProfile(detail=f"time_zone: {change.time_zone!r} is not an IANA time zone")
    for name in ("quiet_start", "quiet_end"):
        value = getattr(change, name)
        if value is not None and not HHMM.match(value):
            raise InvalidProfile(detail=f"{name}: a time as HH:MM")
    if change.locale is not None and not re.fullmatch(
        r"[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})?", change.locale
    ):
        raise InvalidProfile(detail="locale: a language tag such as en or es-MX")


async def devices(uow: UnitOfWork, *, user_id: str) -> list[Device]:
    return list(
        await uow.session.scalars(
            select(Device)
            .where(Device.user_id == user_id, Device.disabled_at.is_(None))
            .order_by(Device.created_at)
        )
    )


async def register_device(
    uow: UnitOfWork,
    *,
    user_id: str,
    token: str,
    platform: str,
    label: str | None,
    now: datetime,
) -> Device:
    """A token is one device: registering it again (after a sign-in as someone else, or
    after it was disabled) makes it this account's and active."""
    row = await uow.session.scalar(select(Device).where(Device.token == token))
    if row is None:
        row = Device(
            id=new_id(),
            user_id=user_id,
            token=token,
            platform=platform,
            label=label,
            created_at=now,
        )
        uow.session.add(row)
    else:
        row.user_id, row.platform, row.label, row.disabled_at = user_id, platform, label, None
    return row


async def remove_device(uow: UnitOfWork, *, user_id: str, device_id: str) -> None:
    gone = await uow.session.execute(
        delete(Device).where(Device.id == device_id, Device.user_id == user_id)
    )
    if not getattr(gone, "rowcount", 0):
        raise DeviceNotFound()
