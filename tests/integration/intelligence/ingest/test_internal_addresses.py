"""A source may not send Mercato to an internal address (SSRF): the database, an admin port,
the cloud's metadata service. The fakes answer on 127.0.0.1, so these tests turn the
deployment's permission off to see the refusal."""

from __future__ import annotations

import pytest

from mercato.agents.intelligence.ingest.connectors.addresses import internal
from mercato.kernel.config import Settings
from tests.fakes.competitor_site import FakeCompetitorSite
from tests.integration.intelligence.ingest.conftest import Intel, intel_settings
from tests.support.store import store_for


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("127.0.0.1", True), ("10.1.2.3", True), ("172.16.0.9", True), ("192.168.1.1", True),
        ("169.254.169.254", True), ("::1", True), ("fe80::1", True), ("0.0.0.0", True),
        ("::ffff:127.0.0.1", True), ("fd00::1", True),
        ("93.184.215.14", False), ("2606:4700:4700::1111", False), ("8.8.8.8", False),
    ],
)  # fmt: skip
def test_internal_addresses_are_told_from_public_ones(address: str, refused: bool) -> None:
    assert internal(address) is refused


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_a_source_aimed_at_an_internal_address_fails_and_stores_nothing(
    settings: Settings, fake_site: FakeCompetitorSite
) -> None:
    # given a deployment that keeps sources off its own network, and a competitor source
    # whose pages are on this machine
    strict = intel_settings(settings, intel_allow_private_hosts=False)
    async with store_for(strict) as (kernel, client):
        intel = Intel(kernel, client)
        source = await intel.source(
            "competitor",
            settings={"competitor": "Rival", "urls": [f"{fake_site.url}/p/kettle"]},
        )

        # when it runs
        run = await intel.run(source)

    # then the run failed saying why, no request reached the site, and nothing was stored
    assert run["status"] == "failed", run
    assert "internal address" in (run["error"] or "")
    assert "MERCATO_INTEL_ALLOW_PRIVATE_HOSTS" in run["error"]
    assert fake_site.hits == []
    assert (run["fetched"], run["stored"]) == (0, 0)
