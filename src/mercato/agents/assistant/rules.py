"""The assistant's business rule: nothing that moves money or changes an order is done
without the shopper's plain yes to the confirmation it asked for."""

from __future__ import annotations

from mercato.kernel.rules import business_rule


@business_rule(
    "BR021",
    name="confirmed_before_money_moves",
    entity="conversation",
    condition="the assistant is about to check out, cancel an order or change one",
    constraint="the shopper answered the confirmation it asked for with a plain yes",
    status=409,
)
def confirmed(*, asked: bool, plain_yes: bool, steering: bool) -> bool:
    return asked and plain_yes and not steering
