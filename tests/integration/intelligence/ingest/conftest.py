"""Fixtures of the ingest part's tests: a whole store (`Intel`) whose sources fetch from
local fakes (Shopify, a competitor's site), with quick retries and a short per-domain
interval, and helpers that go through the HTTP API as an admin would."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from tests.fakes.competitor_site import FakeCompetitorSite
from tests.fakes.shopify_api import TOKEN, FakeShopify
from tests.integration.identity.conftest import ADMIN
from tests.support.store import store_for

_serial = itertools.count(1)
DOMAIN_INTERVAL = 0.2


def intel_settings(settings: Settings, **more: Any) -> Settings:
    return settings.model_copy(
        update={
            "intel_credentials": {"shopify-main": SecretStr(TOKEN)},
            "intel_domain_interval": DOMAIN_INTERVAL,
            "intel_ingest_interval": 3600.0,  # the tests run the job themselves
            "intel_retry_base": 0.01,
            "intel_retry_cap": 5.0,
            "intel_retry_attempts": 4,
            "intel_http_timeout": 5.0,
            "intel_user_agent": "MercatoTestBot/1.0",
            "intel_allow_private_hosts": True,  # the fakes answer on 127.0.0.1
            **more,
        }
    )


@dataclass
class Intel:
    kernel: Kernel
    client: httpx.AsyncClient

    async def source(self, kind: str, headers: dict[str, str] | None = None, **body: Any) -> str:
        answer = await self.client.post(
            "/v1/intelligence/sources",
            json={"kind": kind, "name": f"{kind}-{next(_serial)}", **body},
            headers=headers or ADMIN,
        )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    async def run(self, source_id: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        answer = await self.client.post(
            f"/v1/intelligence/sources/{source_id}/runs", headers=headers or ADMIN
        )
        assert answer.status_code == 201, answer.text
        found: dict[str, Any] = answer.json()
        return found

    async def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        answer = await self.client.get(
            f"/v1/intelligence{path}", params=params, headers=headers or ADMIN
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def product(self, name: str, sku: str, price: str = "42.00", **attributes: str) -> str:
        made = await self.client.post(
            "/v1/products",
            json={
                "name": name,
                "status": "active",
                "attributes": attributes,
                "variants": [{"sku": sku, "price": price, "attributes": {}}],
            },
            headers=ADMIN,
        )
        assert made.status_code == 201, made.text
        return str(made.json()["id"])


@pytest.fixture
def fake_shopify() -> Iterator[FakeShopify]:
    with FakeShopify().running() as server:
        yield server


@pytest.fixture
def fake_site() -> Iterator[FakeCompetitorSite]:
    with FakeCompetitorSite().running() as server:
        yield server


@pytest.fixture
async def intel(settings: Settings) -> AsyncIterator[Intel]:
    async with store_for(intel_settings(settings)) as (kernel, client):
        yield Intel(kernel, client)
