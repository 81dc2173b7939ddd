"""The payment rules (seed 000): the amount matches the order (BR004), a card is not expired
(BR007) and carries its security code (BR008). Registered here, enforced in `service`
(`open_payment`, `capture`) and `cards` (`check_card`)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from mercato.kernel.rules import business_rule


@business_rule(
    "BR004",
    name="payment_amount_match",
    entity="payment",
    condition="at payment creation, and again at capture",
    constraint="payment amount must match the order total exactly; a capture never exceeds "
    "the authorized amount (which is the order total)",
    status=422,
)
def amount_matches_order(*, amount: Decimal, order_total: Decimal, capture: bool = False) -> bool:
    """True when `amount` equals the order total (a capture: is positive and at most it)."""
    if capture:
        return Decimal(0) < amount <= order_total
    return amount == order_total


@business_rule(
    "BR007",
    name="card_expiry_future",
    entity="payment",
    condition="at payment with a card",
    constraint="card expiry must be in the future (a card is valid to the end of its expiry month)",
    status=422,
)
def card_not_expired(*, exp_month: int, exp_year: int, now: datetime) -> bool:
    if not 1 <= exp_month <= 12 or not 0 <= exp_year <= 9999:
        return False
    year = exp_year + 2000 if exp_year < 100 else exp_year
    if year >= 9999:
        return True
    first_of_next = datetime(year + exp_month // 12, exp_month % 12 + 1, 1, tzinfo=UTC)
    return now < first_of_next


@business_rule(
    "BR008",
    name="cvv_required",
    entity="payment",
    condition="at payment with a card",
    constraint="a card's CVV must be given: 3 or 4 digits",
    status=422,
)
def cvv_present(*, cvc: str | None) -> bool:
    return cvc is not None and cvc.isascii() and cvc.isdigit() and len(cvc) in (3, 4)
