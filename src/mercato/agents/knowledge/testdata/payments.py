"""An order's card payment through the sandbox gateway, as the payments agent records it:
the payment (its status, captured and refunded amounts), and the gateway operations made for
it (authorize, capture, void, refund), each with its idempotency key."""

from __future__ import annotations

from typing import Any

from mercato.agents.knowledge.testdata.tools import SECOND, Tools

BRANDS = (("visa", "4", 3), ("visa", "4", 3), ("mastercard", "5", 3), ("amex", "3", 4))
"""(brand, first digit, CVC digits); visa twice as likely."""
DECLINED_LAST4 = "0002"
"""The sandbox's declined test card, 4000 0000 0000 0002."""
GATEWAY_DOWN_LAST4 = "5126"
"""The sandbox's card for a gateway that is down (EC017), 4000 0000 0000 5126."""


def card(
    tools: Tools, placed_year: int, *, declined: bool = False, last4: str | None = None
) -> dict[str, Any]:
    """What the shopper typed (the number kept as its last four only): an expiry 1-5 years
    after the order (BR007) and a CVC (BR008)."""
    rng = tools.rng
    brand, _, cvc_digits = BRANDS[int(rng.random() * len(BRANDS))]
    if declined:
        brand, cvc_digits = "visa", 3
    return {
        "brand": brand,
        "last4": last4 or (DECLINED_LAST4 if declined else f"{int(rng.random() * 10_000):04d}"),
        "exp_month": 1 + int(rng.random() * 12),
        "exp_year": placed_year + 1 + int(rng.random() * 5),
        "cvc": f"{int(rng.random() * 10**cvc_digits):0{cvc_digits}d}",
    }


def payment(
    tools: Tools,
    *,
    order_id: str,
    checkout_id: str,
    amount: str,
    currency: str,
    placed: int,
    placed_year: int,
    outcome: str,
    captured_at: int | None = None,
    refund: str | None = None,
    refunded_at: int | None = None,
    voided_at: int | None = None,
    review_reasons: tuple[str, ...] = (),
    failure: str = "card_declined",
) -> dict[str, Any]:
    """The payment of `amount` (the order's total: BR004). `outcome`: authorized,
    captured, refunded (`refund` the amount given back, all of it or part), voided or
    declined."""
    iso = tools.iso
    pid = tools.new_payment_id()
    declined = outcome == "declined"
    down = failure == "gateway_unavailable"
    behaviour = ("gateway_down" if down else failure) if declined else "success"
    key = f"{checkout_id}:authorize"
    authorized = placed + SECOND
    transactions = [
        {
            "id": tools.new_transaction_id(),
            "kind": "authorize",
            "status": "failed" if declined else "succeeded",
            "amount": amount,
            "idempotency_key": key,
            "provider_ref": None if declined else f"sbx_{tools.hex(24)}",
            "failure_code": failure if declined else None,
            "created_at": iso(authorized),
        }
    ]
    provider_ref = transactions[0]["provider_ref"]
    zero = tools.money(currency)(0)
    captured, refunded, updated = zero, zero, authorized
    if captured_at is not None:
        captured, updated = amount, captured_at
        transactions.append(_operation(tools, "capture", amount, f"{pid}:capture", captured_at))
    if refund is not None and refunded_at is not None:
        refunded, updated = refund, refunded_at
        key_refund = f"refund:{tools.new_refund_id()}"
        transactions.append(_operation(tools, "refund", refund, key_refund, refunded_at))
    if voided_at is not None:
        updated = voided_at
        transactions.append(_operation(tools, "void", amount, f"{pid}:void", voided_at))
    status = {
        "declined": "failed",
        "authorized": "authorized",
        "captured": "captured",
        "voided": "voided",
    }.get(outcome)
    if status is None:  # refunded
        status = "refunded" if refunded == amount else "partially_refunded"
    return {
        "id": pid,
        "order_id": order_id,
        "provider": "sandbox",
        "status": status,
        "amount": amount,
        "currency": currency,
        "captured_amount": captured,
        "refunded_amount": refunded,
        "provider_ref": provider_ref,
        "token": f"tok_sbx_{behaviour}_{tools.hex(16)}",
        "card": card(
            tools, placed_year, declined=declined, last4=GATEWAY_DOWN_LAST4 if down else None
        ),
        "card_fingerprint": tools.hex(32),
        "ip": f"203.0.113.{1 + int(tools.rng.random() * 254)}",
        "failure_code": failure if declined else None,
        "review": "manual_review" if review_reasons else None,
        "review_reasons": list(review_reasons),
        "idempotency_key": key,
        "created_at": tools.iso(placed),
        "updated_at": tools.iso(updated),
        "transactions": transactions,
    }


def _operation(tools: Tools, kind: str, amount: str, key: str, at: int) -> dict[str, Any]:
    return {
        "id": tools.new_transaction_id(),
        "kind": kind,
        "status": "succeeded",
        "amount": amount,
        "idempotency_key": key,
        "provider_ref": f"sbx_{tools.hex(24)}",
        "failure_code": None,
        "created_at": tools.iso(at),
    }
