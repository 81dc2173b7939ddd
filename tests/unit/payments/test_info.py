"""`PaymentInfo` travels in the checkout saga's data: it survives JSON unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from mercato.agents.payments.info import PaymentInfo


def test_payment_info_round_trips_through_json() -> None:
    info = PaymentInfo(
        id="p1",
        order_id="o1",
        provider="sandbox",
        status="authorized",
        amount=Decimal("999999.99"),
        currency="USD",
        captured_amount=Decimal("0"),
        refunded_amount=Decimal("0"),
        provider_ref="pi_sbx_1",
        review="manual_review",
        review_reasons=["amount_threshold"],
        token="tok_sbx_success_1",
        card_brand="visa",
        card_last4="4242",
        idempotency_key="saga:authorize",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    data = json.loads(json.dumps(info.to_data()))
    assert data["amount"] == "999999.99"
    assert PaymentInfo.from_data(data) == info
    assert info.refundable == Decimal(0)
