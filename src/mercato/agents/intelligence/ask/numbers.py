"""The numbers a summary states, and whether each stands in the report's findings: a summary
(an LLM's above all) may state no figure its findings do not hold (seed 001 property 33).

What counts as a stated number: amounts ("EUR 12.50", "12.50 EUR", "\u20ac1,234"), percents
("12.5%", "12 percent"), counts and decimals ("340 units", "0.82"), with or without a sign.
What does not: dates and their parts ("2026-11-30", "2026-11", "1 October", "October 1st",
"week 48", "Q3"), a year (a four-digit 1900-2099 after "in", "since", "of", a month and the
like, or before "to date", unless a unit follows it: "in 2026" is a date, "in 2026 units"
a claim), and digits inside a word or an identifier ("SKU-123", "v2"). Number words ("three")
are not read.

A stated number is verified when a writer could have written it from a value of the findings:
that value or its absolute value (a change stated as "fell by 12%"), rounded half-up or
half-even to the decimals written (so "12", "12.3" and "12.35" all verify 12.345), a ratio of
at most 1 also as a percent (a confidence of 0.72 as "72%")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_UNITS = "units?|items?|pieces?|eur|euros?|usd|gbp|percent|%"
"""What makes a year-like number after "in" a quantity ("in 2026 units"): measures only, so
"in 2026 sales fell" stays a date."""
_DATES = re.compile(
    r"\b(?:19|20)\d\d-\d\d(?:-\d\d)?(?:t[\d:.]+z?)?\b"  # ISO dates and datetimes
    r"|\b\d{1,2}:\d\d(?::\d\d)?\b"  # times
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+(?:{_MONTHS})\b"  # 1 October
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*(?:{_UNITS})\b)"  # October 1
    r"|\bweek\s+\d{1,2}\b"
    r"|\b(?:19|20)\d\d\s*[/-]\s*(?:19|20)?\d\d\b",  # 2025/2026
    re.IGNORECASE,
)
_YEAR = re.compile(
    rf"(?:\b(?:in|since|of|during|until|till|from|to|by|for|year|fy|q[1-4]|{_MONTHS})\.?,?\s+)"
    rf"((?:19|20)\d\d)\b(?!\s*(?:{_UNITS})\b)"
    r"|\b((?:19|20)\d\d)(?=\s+to\s+date\b)",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?<![\w.\-\u2212])"
    r"(?P<sign>[-+\u2212])?"
    r"(?:(?:eur|usd|gbp)\s?|[\u20ac$\u00a3]\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![\w]|\.\d|,\d{3})"
    r"(?P<percent>\s?%|\s+percent\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Stated:
    text: str
    """As written ("12.5%", "\u20ac1,234.00")."""
    value: Decimal
    decimals: int


def stated(text: str) -> list[Stated]:
    """Every number `text` states as a claim, in order (see the module's rules)."""
    blanked = _DATES.sub(lambda m: " " * len(m[0]), text)
    blanked = _YEAR.sub(_blank_year, blanked)
    found: list[Stated] = []
    for match in _NUMBER.finditer(blanked):
        digits = match["num"].replace(",", "")
        value = Decimal(digits)
        if match["sign"] in ("-", "\u2212"):
            value = -value
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        found.append(Stated(match[0].strip(), value, decimals))
    return found


def _blank_year(match: re.Match[str]) -> str:
    group = 1 if match[1] else 2
    start, end = match.start(group) - match.start(), match.end(group) - match.start()
    return match[0][:start] + " " * (end - start) + match[0][end:]


def numbers_in(text: str) -> list[Decimal]:
    """The numbers `text` states, as values (a percent as its number: "12.5%" is 12.5)."""
    return [s.value for s in stated(text)]


FINDING_TEXTS = {
    "metrics": ("key", "label", "period"),
    "risks": ("key", "title", "detail"),
    "actions": ("key", "title", "detail"),
    "insights": ("text",),
    "data_quality": ("message", "agent"),
    "agents": ("agent",),
}
FINDING_VALUES = {
    "metrics": ("value", "previous", "change", "change_percent"),
    "actions": ("priority",),
    "insights": ("confidence",),
}


def finding_values(report: dict[str, Any]) -> set[Decimal]:
    """Every number the report's findings hold: their figures, the numbers in their words,
    the scope's and the question's, the confidence, and how many findings of each kind."""
    values: set[Decimal] = set()
    texts: list[str] = [str(report.get("question") or "")]
    for kind, keys in FINDING_TEXTS.items():
        items = report.get(kind) or []
        values.add(Decimal(len(items)))
        for item in items:
            texts += [str(item.get(k)) for k in keys if item.get(k) is not None]
    for kind, keys in FINDING_VALUES.items():
        for item in report.get(kind) or []:
            values.update(_decimal(item.get(k)) for k in keys if _is_number(item.get(k)))
    texts += list(report.get("uncertainty") or [])
    missing = report.get("insufficient_data") or {}
    texts += [str(missing.get("reason") or ""), *map(str, missing.get("needed") or [])]
    texts += list(_scope_texts(report.get("scope") or {}))
    confidence = report.get("confidence") or {}
    figures = [confidence.get("overall"), *(confidence.get("by_agent") or {}).values()]
    values.update(_decimal(v) for v in figures if _is_number(v))
    for text in texts:
        values.update(numbers_in(text))
    return values


def unverified_numbers(text: str, report: dict[str, Any]) -> list[str]:
    """The numbers `text` states that no value of `report`'s findings verifies, as written."""
    allowed = _with_percents(finding_values(report))
    return [s.text for s in stated(text) if not _verified(s, allowed)]


def _scope_texts(scope: dict[str, Any]) -> Iterator[str]:
    yield from map(str, scope.get("product_names") or [])
    for key in ("category_name", "competitor", "marketplace"):
        if scope.get(key):
            yield str(scope[key])
    yield from map(str, (scope.get("filters") or {}).values())
    period = scope.get("period") or {}
    if period.get("label"):
        yield str(period["label"])


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return Decimal(str(value)).is_finite()


def _decimal(value: object) -> Decimal:
    return Decimal(str(value))


def _with_percents(values: Iterable[Decimal]) -> set[Decimal]:
    out: set[Decimal] = set()
    for value in values:
        out.add(abs(value))
        if abs(value) <= 1:
            out.add(abs(value) * 100)
    return out


def _verified(claim: Stated, allowed: set[Decimal]) -> bool:
    target = abs(claim.value)
    step = Decimal(1).scaleb(-claim.decimals)
    with localcontext() as ctx:
        ctx.prec = 60
        for value in allowed:
            if abs(value - target) > step:
                continue
            for rounding in (ROUND_HALF_UP, ROUND_HALF_EVEN):
                try:
                    if value.quantize(step, rounding=rounding) == target:
                        return True
                except InvalidOperation:  # pragma: no cover - beyond 60 digits
                    continue
    return False
