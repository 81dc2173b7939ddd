"""The sandbox gateway's test cards and tokens (`sandbox` is the provider that honours them).

Test cards (any future expiry, any 3-digit CVC):

==========================  ==========================================================
card number                 behaviour
==========================  ==========================================================
4242 4242 4242 4242         success (any other valid number succeeds too)
4000 0000 0000 0002         declined, ``card_declined``
4000 0000 0000 9995         declined, ``insufficient_funds``
4100 0000 0000 0019         declined, ``fraudulent``
4000 0000 0000 0119         the answer is lost (EC004): the gateway authorizes, the call
                            raises ``OutcomeUnknown``; ``lookup`` finds it authorized and
                            a retry with the same idempotency key answers "authorized"
4000 0000 0000 5126         the gateway is down (EC017): ``GatewayUnavailable``, nothing
                            is recorded
==========================  ==========================================================

Test tokens, for a checkout that sends ``{provider: "sandbox", token: …}``:
``tok_sbx_success``, ``tok_sbx_card_declined``, ``tok_sbx_insufficient_funds``,
``tok_sbx_fraudulent``, ``tok_sbx_lost_answer``, ``tok_sbx_gateway_down``.

``tokenize`` returns ``tok_sbx_<behaviour>_<random>_x<MMYYYY>``: the behaviour and the card's
expiry travel in the token, the number is never stored; the fingerprint is a hash of the
number with the ledger's own salt.
"""

from __future__ import annotations

import re

TEST_CARDS: dict[str, str] = {
    "4242424242424242": "success",
    "4000000000000002": "card_declined",
    "4000000000009995": "insufficient_funds",
    "4100000000000019": "fraudulent",
    "4000000000000119": "lost_answer",
    "4000000000005126": "gateway_down",
}
DECLINES = ("card_declined", "insufficient_funds", "fraudulent")
BEHAVIOURS = ("success", *DECLINES, "lost_answer", "gateway_down")


def behaviour_of(token: str) -> str | None:
    """The behaviour a sandbox token carries, None if it is not a sandbox token."""
    if not token.startswith("tok_sbx_"):
        return None
    rest = token.removeprefix("tok_sbx_")
    for name in sorted(BEHAVIOURS, key=len, reverse=True):
        if rest == name or rest.startswith(f"{name}_"):
            return name
    return None


_EXPIRY = re.compile(r"_x(\d{2})(\d{4})$")


def expiry_of(token: str) -> tuple[int, int] | None:
    """(month, year) of the card a sandbox token stands for; None when it carries none (the
    fixed test tokens): such a card never expires."""
    found = _EXPIRY.search(token)
    return (int(found.group(1)), int(found.group(2))) if found else None


def brand_of(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "mastercard"
    if number[:2] in {"34", "37"}:
        return "amex"
    if number.startswith(("6011", "65")):
        return "discover"
    return "unknown"
