"""Numbers, money, percentages and times as a report's reader reads them. Every function
takes whatever a stored report holds (a float, None, a string, NaN) and never raises: a
value it cannot read is shown as an em dash."""

from __future__ import annotations

import math
import unicodedata
from datetime import datetime
from decimal import Decimal
from typing import Any

from mercato.kernel.money import round_money

MISSING = "\u2014"
"""An em dash: a value the report does not have."""

SYMBOLS = {"EUR": "\u20ac", "USD": "$", "GBP": "\u00a3", "JPY": "\u00a5", "INR": "\u20b9"}
COMPACT_FROM = 1e12
"""Beyond this size a number is written in scientific notation, not 30 digits."""


def number(value: Any) -> float | None:
    """A finite float, or None for None, booleans, NaN, infinities and what is not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        try:
            result = float(value)
        except (OverflowError, ValueError):
            return None
    elif isinstance(value, str):
        try:
            result = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return result if math.isfinite(result) else None


def grouped(value: float, decimals: int) -> str:
    """`value` with thousands separators and `decimals` places (no sign for zero)."""
    if abs(value) >= COMPACT_FROM:
        return f"{value:.3g}"
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text[1:].replace(",", "")) == 0 else text


def money(value: Any, currency: str, *, signed: bool = False) -> str:
    """ "€79.00", "-€3.50", "+$1,299.00", "CHF 12.00"; the currency's own decimals."""
    amount = number(value)
    if amount is None:
        return MISSING
    code = currency.strip().upper()[:8] or "EUR"
    if abs(amount) >= COMPACT_FROM:
        digits = grouped(abs(amount), 0)
    else:  # rounded half up to the currency's minor unit, as money is (kernel.money)
        digits = f"{round_money(Decimal(repr(abs(amount))), code):,}"
    body = f"{SYMBOLS[code]}{digits}" if code in SYMBOLS else f"{code} {digits}"
    return _sign(amount, digits, signed) + body


def percent(value: Any, *, signed: bool = False, decimals: int = 1) -> str:
    """ "12.5%", "+4.2%" (the value is already in percent)."""
    amount = number(value)
    if amount is None:
        return MISSING
    digits = grouped(abs(amount), decimals)
    return f"{_sign(amount, digits, signed)}{digits}%"


def plain(value: Any, *, signed: bool = False) -> str:
    """A count or quantity: whole numbers without decimals, others with up to two."""
    amount = number(value)
    if amount is None:
        return MISSING
    decimals = 0 if float(amount).is_integer() else 2
    digits = grouped(abs(amount), decimals)
    if decimals and "e" not in digits:
        digits = digits.rstrip("0").rstrip(".")
    return _sign(amount, digits, signed) + digits


def _sign(amount: float, digits: str, signed: bool) -> str:
    if set(digits) <= set("0.,"):  # rounds to zero
        return ""
    if amount < 0:
        return "-"
    return "+" if signed else ""


def measure(value: Any, unit: Any, *, signed: bool = False) -> str:
    """A metric's value in its unit: "currency:EUR" -> "€79.00", "percent" -> "12.5%" ("pp"
    for a change of a percentage), "units" -> "1,234 units", "days" -> "3 days"."""
    unit_text = str(unit or "")
    if number(value) is None:
        return MISSING
    if unit_text.startswith("currency:"):
        return money(value, unit_text.partition(":")[2], signed=signed)
    if unit_text == "percent":
        return percent(value, signed=signed).replace("%", " pp") if signed else percent(value)
    if unit_text == "score":
        return f"{number(value):+.2f}" if signed else f"{number(value):.2f}"
    text = plain(value, signed=signed)
    if unit_text == "units":
        return f"{text} units"
    if unit_text == "days":
        return f"{text} day" if text in ("1", "+1", "-1") else f"{text} days"
    return text


def share(value: Any) -> str:
    """A 0..1 share (a confidence) as a whole percentage: 0.724 -> "72%"."""
    amount = number(value)
    if amount is None:
        return MISSING
    return f"{round(min(max(amount, 0.0), 1.0) * 100)}%"


def duration(milliseconds: Any) -> str:
    """ "850 ms", "1.2 s", "2 min 5 s"."""
    amount = number(milliseconds)
    if amount is None or amount < 0:
        return MISSING
    if amount < 1000:
        return f"{amount:.0f} ms"
    seconds = amount / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds >= COMPACT_FROM:
        return f"{seconds:.3g} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def moment(value: Any) -> str:
    """An ISO timestamp as "2026-12-06 11:30 UTC" (its offset kept); the text as it is when it
    is not one, a date alone as the date."""
    if not isinstance(value, str) or not value.strip():
        return MISSING
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return value
    if len(value.strip()) <= 10:
        return parsed.date().isoformat()
    if parsed.tzinfo is None:
        return parsed.strftime("%Y-%m-%d %H:%M")
    offset = parsed.utcoffset()
    zone = "UTC" if not offset else parsed.strftime("UTC%z")
    return f"{parsed.strftime('%Y-%m-%d %H:%M')} {zone}"


def text(value: Any) -> str:
    """Any value as one clean line of text: None is empty; control characters (which XML and
    PDF text cannot hold) and lone surrogates are dropped, whitespace runs become one space."""
    if value is None:
        return ""
    raw = value if isinstance(value, str) else str(value)
    kept = "".join(
        char
        for char in raw
        if unicodedata.category(char) not in ("Cc", "Cs", "Co", "Cn") or char in "\t\n\r"
    )
    return " ".join(kept.split())


def truncate(value: str, limit: int) -> str:
    """`value` cut to `limit` characters, the last one an ellipsis when it is cut."""
    if limit <= 0:
        return ""
    return value if len(value) <= limit else value[: max(limit - 1, 0)].rstrip() + "\u2026"


def title_case(value: Any) -> str:
    """An enum value as a label: "agent_failed" -> "Agent failed"."""
    words = text(value).replace("_", " ").strip()
    return words[:1].upper() + words[1:]
