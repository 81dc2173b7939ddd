"""Who a benchmark's shopper is to the fraud screen: a card and a client address of their own.

Real shoppers pay with their own cards from their own addresses; the fraud screen counts
each card's and each address's recent payments against a limit. Had every shopper paid with
one test card from 127.0.0.1, the limits would have to be lifted and each count would read
every recent payment of the store: work no real checkout does. The sandbox accepts any
Luhn-valid number; the servers believe `X-Forwarded-For` from 127.0.0.1
(`MERCATO_FORWARDED_ALLOW_IPS`), as they would a load balancer's.
"""

from __future__ import annotations

from typing import Any


def _luhn_check_digit(body: str) -> str:
    total = 0
    for i, char in enumerate(reversed(body)):
        digit = int(char)
        if i % 2 == 0:  # doubled: every second digit from the right, the check digit left out
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str(-total % 10)


def card(n: int) -> dict[str, Any]:
    """Shopper `n`'s card: a Visa-shaped number of its own that passes the Luhn check (none
    of the sandbox's test cards, which begin 40 and 41)."""
    body = f"49{n % 10**13:013d}"
    number = body + _luhn_check_digit(body)
    return {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}


def address(n: int) -> str:
    """Shopper `n`'s client address (in 10.0.0.0/8, one per shopper up to 16 million)."""
    n %= 1 << 24
    return f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}"
