"""The local Stripe's wire details: its test cards and payment methods, its bracketed form
encoding and its error objects."""

from __future__ import annotations

import itertools
import re
from typing import Any
from urllib.parse import parse_qsl

Decline = tuple[str, str, str]
"""(code, decline_code, message) of a card the issuer declines."""

GENERIC = ("card_declined", "generic_decline", "Your card was declined.")
CARDS: dict[str, tuple[str, Decline | None]] = {
    "4242424242424242": ("visa", None),
    "5555555555554444": ("mastercard", None),
    "4000000000000002": ("visa", GENERIC),
    "4000000000009995": (
        "visa",
        ("card_declined", "insufficient_funds", "Your card has insufficient funds."),
    ),
    "4100000000000019": ("visa", ("card_declined", "fraudulent", "Your card was declined.")),
    "4000000000000069": ("visa", ("expired_card", "expired_card", "Your card has expired.")),
    "4000000000000127": (
        "visa",
        ("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
    ),
}
TEST_PAYMENT_METHODS = {
    "pm_card_visa": "4242424242424242",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_chargeDeclinedFraudulent": "4100000000000019",
    "pm_card_chargeDeclinedExpiredCard": "4000000000000069",
    "pm_card_chargeDeclinedIncorrectCvc": "4000000000000127",
}


def parse_form(body: bytes) -> dict[str, Any]:
    """Stripe's bracketed form encoding into nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+|\[\]", key)
        node = root
        for part, following in itertools.pairwise([*parts, None]):
            if following is None:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    listed: dict[str, Any] = _listify(root)
    return listed


def _listify(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_listify(node[k]) for k in sorted(node, key=int)]
        return {k: _listify(v) for k, v in node.items()}
    return node


def luhn(number: str) -> bool:
    digits = [int(d) for d in number if d.isdigit()]
    total = sum(digits[-1::-2]) + sum(sum(divmod(2 * d, 10)) for d in digits[-2::-2])
    return len(digits) >= 12 and total % 10 == 0


def error(status: int, type_: str, message: str, **fields: Any) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"type": type_, "message": message, **fields}}
