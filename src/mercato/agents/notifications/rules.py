"""The notifications agent's business rule: what a customer is owed by email (an order's
confirmation, a refund, a password reset) reaches them whatever their preferences say."""

from __future__ import annotations

from mercato.kernel.rules import business_rule


@business_rule(
    "BR022",
    name="transactional_mail_always_sent",
    entity="notification",
    condition="a customer switches a kind of message off on a channel",
    constraint="transactional email (about an order, a payment or the account) cannot be "
    "switched off; marketing messages and other channels can",
    status=422,
)
def may_switch(*, locked: bool, enabled: bool) -> bool:
    return enabled or not locked
