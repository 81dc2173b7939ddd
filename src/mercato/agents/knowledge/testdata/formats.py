"""Fast, exact conversions of the generator's working values: amounts are integers of the
currency's minor unit (cents, yen), instants are integers of microseconds since the epoch,
ids are counters under a seeded prefix. Records carry amounts as decimal strings ("19.99",
as Mercato's API answers them) and instants as ISO 8601 in UTC."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache

from mercato.kernel.money import exponent

US_PER_SECOND = 1_000_000
US_PER_DAY = 86_400 * US_PER_SECOND
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def money_formatter(currency: str) -> Callable[[int], str]:
    """Minor units → the amount's string in the currency's own decimals (`1999` → "19.99",
    JPY `1500` → "1500", KWD `1500` → "1.500")."""
    places = exponent(currency)
    if places == 0:
        return str
    unit = 10**places

    def text(minor: int) -> str:
        whole, part = divmod(minor, unit)
        return f"{whole}.{part:0{places}d}"

    return text


def minor_of(text: str, currency: str) -> int:
    """An amount's string → its minor units (the inverse of `money_formatter`)."""
    places = exponent(currency)
    if places == 0:
        return int(text)
    whole, _, part = text.partition(".")
    return int(whole) * int(10**places) + int(part.ljust(places, "0"))


def stored_amount(currency: str) -> Callable[[str], str]:
    """An amount's string → what an `Amount` column holds for it (1/10,000 units), as SQL
    text. For strings `money_formatter` made (every decimal place written)."""
    places = exponent(currency)
    zeros = "0" * (4 - places)
    if places == 0:
        return lambda text: text + zeros if text != "0" else "0"

    def stored(text: str) -> str:
        digits = text.replace(".", "").lstrip("0")
        return digits + zeros if digits else "0"

    return stored


def micros_of(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def datetime_of(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


@cache
def _clock_faces() -> tuple[str, ...]:
    """ "HH:MM:SS" of every second of a day (made once: formatting is the hot path)."""
    return tuple(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400))


class Instants:
    """Instants (µs since the epoch) as ISO 8601 UTC text, `2026-10-03T14:22:05.123456+00:00`
    (always 32 characters: SQL output rewrites it by position). Days are cached."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}
        self._faces = _clock_faces()

    def iso(self, micros: int) -> str:
        day, rest = divmod(micros, US_PER_DAY)
        date = self._days.get(day)
        if date is None:
            date = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%dT")
            self._days[day] = date
        seconds, us = divmod(rest, US_PER_SECOND)
        return f"{date}{self._faces[seconds]}.{us:06d}+00:00"


class Ids:
    """Ids shaped like UUIDs (version 8, RFC 9562's vendor-specific layout): 74 bits drawn
    from the seeded generator per kind of row, then a 48-bit counter. Unique by construction
    within a generation, repeatable for a seed, and ~0.3 µs each (no uuid4, no os.urandom)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def maker(self) -> Callable[[], str]:
        bits = self._rng.getrandbits(64)
        head = f"{bits >> 32:08x}-{(bits >> 16) & 0xFFFF:04x}-8{(bits >> 4) & 0xFFF:03x}-"
        head += f"{0x8000 | ((bits & 0xF) << 10) | self._rng.getrandbits(10):04x}-"
        counter = itertools.count(1)
        return lambda: f"{head}{next(counter):012x}"
