"""Quantities ("two", "a couple", "3x"), price ranges ("under 50 bucks", "between €20 and
40") and order references ("ORD-2026-0000042", a pasted 6-15 digit number)."""

from __future__ import annotations

import re

from mercato.agents.assistant.nlu.found import Entity, free

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "a couple": 2, "a couple of": 2, "couple of": 2, "a pair of": 2, "a pair": 2, "pair of": 2,
    "a dozen": 12, "dozen": 12, "half a dozen": 6, "a few": 3, "both": 2,
}  # fmt: skip
_NUM = (
    r"(?:\d{1,3}|"
    + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
    + r")"
)
_ORDER = re.compile(r"\b(?:ord)[\s#-]*(\d{4})[\s-]*(\d{3,10})\b", re.IGNORECASE)
_DIGITS = re.compile(r"(?<![\w.,$€£+-])#?(\d[\d ]{4,18}\d)(?![\w.,%]|\s*(?:ml|cm|mm|kg|g|m)\b)")
_MONEY = (
    r"(?:[$€£]\s?)?(\d{1,6}(?:[.,]\d{1,2})?)"
    r"(?:\s?(?:[$€£]|dollars?|bucks|euros?|eur|usd|gbp|pounds?|quid))?"
)
_BELOW = re.compile(
    r"\b(?:under|below|less than|lower than|cheaper than|max(?:imum)?|at most|up to|"
    r"no more than|within|budget(?: is| of)?|<)\s*" + _MONEY,
    re.IGNORECASE,
)
_ABOVE = re.compile(
    r"\b(?:over|above|more than|at least|min(?:imum)?|from|starting at|>)\s*" + _MONEY,
    re.IGNORECASE,
)
_BETWEEN = re.compile(
    r"\b(?:between\s+)?" + _MONEY + r"\s*(?:-|–|to|and)\s*" + _MONEY,  # noqa: RUF001
    re.IGNORECASE,
)
_CURRENCY = re.compile(
    r"[$€£]|dollar|buck|euro|eur\b|usd|gbp|pound|quid|price|budget|cost|between", re.I
)
_QUANTITY = re.compile(
    rf"(?:\b(?:make it|qty|quantity(?: of| to)?|change (?:it |that )?to|want|need|take|add|get|"
    rf"buy|order|give me|gimme|grab|only|just|i'?ll have)\s+)?\b({_NUM})\b"
    rf"(?:\s*(?:x|pcs|pieces|units|items|of (?:those|them|these|the|it)))?",
    re.IGNORECASE,
)
_X_QUANTITY = re.compile(r"\b(?:x\s?(\d{1,2})|(\d{1,2})\s?x)\b", re.IGNORECASE)
_NOT_A_QUANTITY_AFTER = re.compile(
    r"^\s*(?:one\b|st\b|nd\b|rd\b|th\b|%|[.,]\d|(?:days?|weeks?|months?|years?|hours?|minutes?|stars?|times?|am|pm|ml|cm|mm|m|kg|g)\b)",
    re.IGNORECASE,
)


def _decimal(text: str) -> str:
    value = text.replace(",", ".")
    return value[:-3] if value.endswith(".00") else value


def order_refs(text: str, taken: list[Entity]) -> list[Entity]:
    found: list[Entity] = []
    for m in _ORDER.finditer(text):
        found.append(Entity("order_ref", f"ORD-{m.group(1)}-{m.group(2)}", m.start(), m.end()))
    for m in _DIGITS.finditer(text):
        digits = m.group(1).replace(" ", "")
        if 6 <= len(digits) <= 15 and free(found + taken, m.start(1), m.end(1)):
            found.append(Entity("order_ref", digits, m.start(1), m.end(1)))
    return found


def prices(text: str, taken: list[Entity]) -> list[Entity]:
    found: list[Entity] = []
    for m in _BETWEEN.finditer(text):
        if not _CURRENCY.search(m.group(0)) and "between" not in m.group(0).lower():
            continue
        if free(found + taken, m.start(), m.end()):
            low, high = sorted([m.group(1), m.group(2)], key=lambda v: float(v.replace(",", ".")))
            found.append(Entity("price_min", _decimal(low), m.start(1), m.end(1)))
            found.append(Entity("price_max", _decimal(high), m.start(2), m.end(2)))
    for kind, pattern in (("price_max", _BELOW), ("price_min", _ABOVE)):
        for m in pattern.finditer(text):
            if kind == "price_min" and not _CURRENCY.search(m.group(0)):
                continue  # "from 2" is no price; "from $20" is
            if free(found + taken, m.start(1), m.end(1)):
                found.append(Entity(kind, _decimal(m.group(1)), m.start(1), m.end(1)))
    return found


def quantities(text: str, taken: list[Entity]) -> list[Entity]:
    found: list[Entity] = []
    for m in _X_QUANTITY.finditer(text):
        value = m.group(1) or m.group(2)
        start = m.start(1) if m.group(1) else m.start(2)
        if free(taken, m.start(), m.end()) and 0 < int(value) < 100:
            found.append(Entity("quantity", str(int(value)), start, start + len(value)))
    for m in _QUANTITY.finditer(text):
        word = m.group(1)
        start, end = m.start(1), m.end(1)
        if not free(found + taken, start, end):
            continue
        lowered = word.lower()
        after = text[end:]
        before = text[:start].lower()
        if _NOT_A_QUANTITY_AFTER.match(after) or re.search(
            r"(size|waist|no\.?|number|#|option|item)\s*$", before
        ):
            continue
        if lowered == "one" and (
            re.search(
                r"\b(this|that|the|which|another|other|no|any|each|every|last|first|second|third)\s+$",
                before,
            )
            or (
                re.match(r"\s*(more|of them|of those)?\s*$", after)
                and not re.search(r"\b(want|need|take|add|get|buy|make it|just|only)\s*$", before)
            )
        ):
            continue
        value = NUMBER_WORDS.get(lowered)
        number = value if value is not None else int(word)
        if 0 < number < 1000:  # the cart says what it takes (BR001: 1-99)
            found.append(Entity("quantity", str(number), start, end))
    return found
