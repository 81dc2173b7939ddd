"""Which payment providers a deployment offers."""

from __future__ import annotations

from pathlib import Path

import pytest

from mercato.agents.payments.problems import ProviderUnavailable
from mercato.agents.payments.providers.registry import Gateways
from mercato.agents.payments.providers.sandbox import SandboxProvider
from mercato.kernel.config import Settings


async def test_the_sandbox_is_the_default_and_needs_no_account(tmp_path: Path) -> None:
    gateways = Gateways(Settings(data_dir=tmp_path))
    provider = gateways.get("sandbox")
    assert isinstance(provider, SandboxProvider)
    assert gateways.get("sandbox") is provider
    assert (gateways.names, gateways.default) == (["sandbox"], "sandbox")
    await gateways.close()


@pytest.mark.parametrize("name", ["stripe", "paypal", "bitcoin"])
def test_a_provider_not_configured_is_unavailable(tmp_path: Path, name: str) -> None:
    gateways = Gateways(
        Settings(data_dir=tmp_path, payment_providers=["sandbox", "stripe", "paypal"])
    )
    with pytest.raises(ProviderUnavailable) as refused:
        gateways.get(name)
    assert (refused.value.status, refused.value.code) == (422, "payment_provider_unavailable")


def test_a_provider_not_offered_is_unavailable_even_if_configured(tmp_path: Path) -> None:
    gateways = Gateways(Settings(data_dir=tmp_path, payment_providers=["stripe"]))
    with pytest.raises(ProviderUnavailable):
        gateways.get("sandbox")
