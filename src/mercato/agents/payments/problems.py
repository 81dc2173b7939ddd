"""The problems the payments agent answers with (each with a stable `code`). Checkout raises
`PaymentDeclined` (402) and `PaymentGatewayUnavailable` (503) from a payment's outcome."""

from __future__ import annotations

from typing import Any

from mercato.kernel.errors import NotFound, Problem


class PaymentNotFound(NotFound):
    code, title = "payment_not_found", "No such payment"


class PaymentDeclined(Problem):
    """The gateway declined the card; `decline_code` says why (card_declined,
    insufficient_funds, fraudulent, …)."""

    status, code, title = 402, "payment_declined", "The payment was declined"

    def __init__(self, decline_code: str, detail: str | None = None, **extra: Any) -> None:
        super().__init__(
            detail or f"the payment was declined ({decline_code})",
            decline_code=decline_code,
            **extra,
        )
        self.decline_code = decline_code


class PaymentGatewayUnavailable(Problem):
    """The gateway could not be reached: nothing was charged (EC017)."""

    status, code, title = 503, "payment_gateway_unavailable", "The payment gateway is unavailable"


class ProviderUnavailable(Problem):
    status, code = 422, "payment_provider_unavailable"
    title = "This payment provider is not available"


class InvalidCardNumber(Problem):
    status, code, title = 422, "invalid_card_number", "The card number is not valid"


class InvalidPaymentAmount(Problem):
    status, code, title = 422, "invalid_payment_amount", "The amount is not valid"


class PaymentUnderReview(Problem):
    """Fraud screening held the payment: it is captured once an admin approves it."""

    status, code, title = 409, "payment_under_review", "The payment is held for review"


class PaymentNotAdjustable(Problem):
    """An order's total cannot change while its payment is in this state."""

    status, code, title = 409, "payment_not_adjustable", "The payment cannot follow the order"


class PaymentNotCapturable(Problem):
    status, code, title = 409, "payment_not_capturable", "The payment cannot be captured"


class PaymentNotRefundable(Problem):
    status, code, title = 409, "payment_not_refundable", "The payment cannot be refunded"


class RefundExceedsCaptured(Problem):
    """A refund above what is left to refund (captured - refunded)."""

    status, code, title = 409, "refund_exceeds_captured", "The refund exceeds the captured amount"


class RefundMethodUnavailable(Problem):
    """The gateway refused to send the refund to the payment's original method (the card
    expired or was closed): nothing was refunded; the caller may refund another way (store
    credit)."""

    status, code = 409, "refund_method_unavailable"
    title = "The original payment method cannot take the refund"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(
            detail or "the original payment method cannot take the refund (the card expired)",
            **extra,
        )


class NotUnderReview(Problem):
    status, code, title = 409, "payment_not_under_review", "The payment is not held for review"


class InvalidWebhook(Problem):
    """A webhook delivery whose signature, timestamp or body does not verify."""

    status, code, title = 400, "invalid_webhook_signature", "The webhook does not verify"
