"""Fixtures for the Stripe and PayPal providers, each against its local fake vendor API.

- `fake_stripe` / `fake_paypal`: the running fake (state to inspect, failure switches).
- `stripe` / `paypal`: a provider configured to talk to that fake.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Any

import pytest

from mercato.agents.payments.providers.base import AuthorizationRequest
from mercato.agents.payments.providers.paypal import PayPalProvider
from mercato.agents.payments.providers.stripe import StripeProvider
from mercato.kernel.config import Settings
from tests.fakes import paypal_api, stripe_api

GATEWAY_TIMEOUT = 1.0
"""Seconds before a lost answer gives up (local fakes answer in milliseconds)."""


def stripe_settings(fake: stripe_api.FakeStripe, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "stripe_api_key": fake.api_key,
        "stripe_api_base": fake.url,
        "stripe_webhook_secret": fake.webhook_secret,
        "gateway_timeout": GATEWAY_TIMEOUT,
        **overrides,
    }
    return Settings(**values)


def paypal_settings(fake: paypal_api.FakePayPal, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "paypal_client_id": fake.client_id,
        "paypal_client_secret": fake.client_secret,
        "paypal_api_base": fake.url,
        "paypal_webhook_id": fake.webhook_id,
        "gateway_timeout": GATEWAY_TIMEOUT,
        **overrides,
    }
    return Settings(**values)


def authorization(
    token: str,
    key: str = "pay-1:authorize",
    *,
    amount: str = "25.00",
    currency: str = "USD",
    reference: str = "order-1",
    capture: bool = False,
) -> AuthorizationRequest:
    return AuthorizationRequest(
        token=token,
        amount=Decimal(amount),
        currency=currency,
        idempotency_key=key,
        reference=reference,
        email="shopper@example.com",
        description="Mercato order",
        capture=capture,
    )


@pytest.fixture
def fake_stripe() -> Iterator[stripe_api.FakeStripe]:
    with stripe_api.FakeStripe().running() as fake:
        yield fake


@pytest.fixture
async def stripe(fake_stripe: stripe_api.FakeStripe) -> AsyncIterator[StripeProvider]:
    provider = StripeProvider(stripe_settings(fake_stripe))
    yield provider
    await provider.close()


@pytest.fixture
def fake_paypal() -> Iterator[paypal_api.FakePayPal]:
    with paypal_api.FakePayPal().running() as fake:
        yield fake


@pytest.fixture
async def paypal(fake_paypal: paypal_api.FakePayPal) -> AsyncIterator[PayPalProvider]:
    provider = PayPalProvider(paypal_settings(fake_paypal))
    yield provider
    await provider.close()
