"""Amounts of money as shops write them: "$10", "10 €", "£4.99", "EUR 1.299,00", "9,99€".
A "$" is the observation's own dollar when it is priced in one (CAD, AUD…), else USD."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "zł": "PLN"}
DOLLARS = {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"}
CODES = "USD|EUR|GBP|JPY|CAD|AUD|NZD|CHF|SEK|NOK|DKK|PLN|CZK|HUF|INR|CNY|SGD|HKD|MXN|BRL|ZAR|KRW"
_NUMBER = r"\d{1,3}(?:[.,\u00a0]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_SYMBOL = r"US\$|C\$|A\$|NZ\$|\$|€|£|¥|₹|₩|₽"
MONEY = (
    rf"(?:(?P<@pre>{_SYMBOL}|(?:{CODES})\b)\s?(?P<@num>{_NUMBER})"
    rf"|(?P<@num2>{_NUMBER})\s?(?P<@post>{_SYMBOL}|zł|(?:{CODES})\b))"
)
"""A money pattern whose groups are named `@pre`, `@num`… (`money_pattern` names them)."""


def money_pattern(prefix: str) -> str:
    """The money pattern with its groups named after `prefix`, unique in a bigger one."""
    return MONEY.replace("@", prefix)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


def parse_amount(text: str) -> Decimal | None:
    """ "1,299.00", "1.299,00", "1 299", "9,99", "10" → Decimal; None if not a number."""
    cleaned = text.replace("\u00a0", " ").strip()
    last_dot, last_comma = cleaned.rfind("."), cleaned.rfind(",")
    decimal_mark = "." if last_dot > last_comma else ","
    head, _, tail = cleaned.rpartition(decimal_mark)
    if head and len(tail) in (1, 2):  # a decimal part
        whole = re.sub(r"[.,\s]", "", head)
        cleaned = f"{whole}.{tail}"
    else:  # only thousands separators
        cleaned = re.sub(r"[.,\s]", "", cleaned)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def currency_of(sign: str, default: str) -> str:
    sign = sign.strip()
    if sign.upper() in CODES.split("|"):
        return sign.upper()
    if sign in SYMBOLS:
        if sign == "¥" and default.upper() == "CNY":
            return "CNY"
        return SYMBOLS[sign]
    named = {"US$": "USD", "C$": "CAD", "A$": "AUD", "NZ$": "NZD"}
    if sign in named:
        return named[sign]
    return default.upper() if default.upper() in DOLLARS else "USD"


def money_of(found: re.Match[str], prefix: str, default: str) -> Money | None:
    """The amount a `money_pattern(prefix)` match names."""
    number = found.group(prefix + "num") or found.group(prefix + "num2")
    sign = found.group(prefix + "pre") or found.group(prefix + "post")
    if number is None or sign is None:
        return None
    amount = parse_amount(number)
    return None if amount is None else Money(amount, currency_of(sign, default))
