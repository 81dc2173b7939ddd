"""Quiet hours: SMS and push wait until the customer's morning instead of waking them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def parse_window(text: str) -> tuple[str, str] | None:
    """`"21:00-08:00"` → ("21:00", "08:00"); empty → None."""
    if not text:
        return None
    start, end = text.split("-", 1)
    return start, end


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _at(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def release_at(now: datetime, *, start: str | None, end: str | None, tz: str | None) -> datetime:
    """`now` when it is outside the quiet window in the customer's time zone; otherwise the
    window's end (the next occurrence of `end`, local time, in UTC). A window may span
    midnight (21:00-08:00) or not (13:00-14:00); equal ends mean none."""
    if not start or not end or start == end:
        return now
    local = now.astimezone(zone(tz))
    begin, finish, clock = _at(start), _at(end), local.time().replace(tzinfo=None)
    inside = begin <= clock < finish if begin < finish else clock >= begin or clock < finish
    if not inside:
        return now
    release = local.replace(hour=finish.hour, minute=finish.minute, second=0, microsecond=0)
    if release <= local:
        release += timedelta(days=1)
    # across a DST change the wall-clock hour stays the one asked for
    release = release.replace(tzinfo=None).replace(tzinfo=zone(tz))
    return release.astimezone(now.tzinfo)
