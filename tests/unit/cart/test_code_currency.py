"""A discount code's amounts (a fixed value, a minimum subtotal) are in the currency it was
made in: they are never compared with a cart's amounts in another currency."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from mercato.agents.cart.codes import dead_reason
from mercato.agents.cart.models import DiscountCode

NOW = datetime(2026, 11, 29, tzinfo=UTC)


def code(kind: str, *, min_subtotal: Decimal | None = None) -> DiscountCode:
    return DiscountCode(
        id="c1",
        code="SAVE",
        kind=kind,
        value=Decimal(10),
        currency="USD",
        min_subtotal=min_subtotal,
        active=True,
        times_used=0,
    )


def test_a_percent_code_without_a_minimum_applies_in_any_currency() -> None:
    assert dead_reason(code("percent"), now=NOW, currency="EUR") is None


def test_a_percent_code_with_a_minimum_is_refused_in_another_currency() -> None:
    # given 10 % off over 50 USD, when a euro cart uses it, then it does not apply
    refused = dead_reason(code("percent", min_subtotal=Decimal(50)), now=NOW, currency="EUR")
    assert refused == "discount_currency_mismatch"
    # and in its own currency it does
    assert dead_reason(code("percent", min_subtotal=Decimal(50)), now=NOW, currency="USD") is None


def test_a_fixed_code_is_refused_in_another_currency() -> None:
    assert dead_reason(code("fixed"), now=NOW, currency="EUR") == "discount_currency_mismatch"
