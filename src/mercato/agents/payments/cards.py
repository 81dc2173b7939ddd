"""A card's checks before it goes to a gateway: a plausible number (Luhn), not expired
(BR007), with its security code (BR008)."""

from __future__ import annotations

from datetime import datetime

from mercato.agents.payments.info import PaymentInfo
from mercato.agents.payments.problems import InvalidCardNumber
from mercato.agents.payments.providers.base import Card
from mercato.kernel import rules


def luhn_valid(number: str) -> bool:
    """Whether the digits pass the Luhn checksum (12 to 19 digits)."""
    if not (number.isascii() and number.isdigit() and 12 <= len(number) <= 19):
        return False
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


async def check_card(*, card: Card, now: datetime) -> None:
    """422 `invalid_card_number`, `br007_card_expiry_future` or `br008_cvv_required`."""
    number = "".join(card.number.split())
    if not luhn_valid(number):
        raise InvalidCardNumber("the card number is not a valid card number")
    await rules.enforce(
        "BR007",
        detail=f"the card expired ({card.exp_month:02d}/{card.exp_year})",
        exp_month=card.exp_month,
        exp_year=card.exp_year,
        now=now,
    )
    await rules.enforce("BR008", detail="the card's CVV must be 3 or 4 digits", cvc=card.cvc)


async def card_expired(info: PaymentInfo, *, now: datetime) -> bool:
    """Whether the card the payment was made with has expired by `now` (a refund to it is
    then likely refused: `refund_method_unavailable`); False when its expiry is not known."""
    return info.card_expired_at(now)
