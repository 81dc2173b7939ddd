"""The payment source a checkout charges: a card checked by the card rules (BR007, BR008)
and exchanged for the gateway's token at once, or a token the provider issued. Only the
token, brand, last four digits and fingerprint go into the saga."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from mercato.agents.orders.checkout.schemas import PaymentIn
from mercato.agents.payments import service as payments
from mercato.kernel.bootstrap import Kernel


async def payment_source(kernel: Kernel, payment: PaymentIn, *, now: datetime) -> dict[str, Any]:
    gateway = kernel.deps(payments.Gateways).get(payment.provider)
    if payment.card is None:
        assert payment.token is not None  # the schema wants one of them
        return asdict(payments.Tokenized(token=payment.token))
    typed = payment.card
    card = payments.Card(
        number=typed.number.replace(" ", ""),
        exp_month=typed.exp_month,
        exp_year=typed.exp_year,
        cvc=typed.cvc,
        holder=typed.holder,
    )
    await payments.check_card(card=card, now=now)
    try:
        return asdict(await gateway.tokenize(card))
    except (payments.GatewayUnavailable, payments.OutcomeUnknown):
        raise payments.PaymentGatewayUnavailable(
            "the payment gateway is unavailable: nothing was charged; try again shortly "
            "or choose another payment method"
        ) from None
    except payments.GatewayError as exc:  # the gateway would not take the card
        raise payments.PaymentDeclined("invalid_card", f"the card was refused: {exc}") from None
