"""`Gateways`: the payment providers this deployment offers, built from Settings.

The sandbox needs no account; `stripe` is offered when `stripe_api_key` is set, `paypal` when
its client id and secret are. A provider is built on first use (its module imported then), so
a deployment pays only for the SDKs it uses. Wired once by the payments agent's `setup`
(`kernel.provide(Gateways, …)`; asked for with `uow.deps(Gateways)`).
"""

from __future__ import annotations

import importlib
from typing import Any

from mercato.agents.payments.problems import ProviderUnavailable
from mercato.agents.payments.providers.base import PaymentProvider
from mercato.agents.payments.providers.sandbox import SandboxProvider, sandbox_url
from mercato.kernel.config import Settings

KNOWN = ("sandbox", "stripe", "paypal")


class Gateways:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._built: dict[str, PaymentProvider] = {}

    @property
    def names(self) -> list[str]:
        """The providers checkout accepts: named in `payment_providers` and configured."""
        return [n for n in self.settings.payment_providers if self._configured(n)]

    @property
    def default(self) -> str:
        names = self.names
        return names[0] if names else "sandbox"

    def _configured(self, name: str) -> bool:
        s = self.settings
        if name == "sandbox":
            return True
        if name == "stripe":
            return bool(s.stripe_api_key)
        if name == "paypal":
            return bool(s.paypal_client_id and s.paypal_client_secret)
        return False

    def get(self, name: str) -> PaymentProvider:
        """The provider, or 422 `payment_provider_unavailable`."""
        found = self._built.get(name)
        if found is not None:
            return found
        if name not in self.names:
            offered = ", ".join(self.names) or "none"
            raise ProviderUnavailable(
                f"payment provider {name!r} is not available here (offered: {offered})",
                provider=name,
            )
        provider = self._build(name)
        self._built[name] = provider
        return provider

    def _build(self, name: str) -> PaymentProvider:
        s = self.settings
        if name == "sandbox":
            return SandboxProvider(sandbox_url(s), latency=s.sandbox_gateway_latency)
        module = importlib.import_module(f"mercato.agents.payments.providers.{name}")
        factory: Any = getattr(module, "build", None) or getattr(
            module, {"stripe": "StripeProvider", "paypal": "PayPalProvider"}[name]
        )
        provider: PaymentProvider = factory(s)
        return provider

    async def close(self) -> None:
        built, self._built = list(self._built.values()), {}
        for provider in built:
            await provider.close()
