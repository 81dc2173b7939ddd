"""Who may see and change stock: support reads it, integrations' system keys (and admins)
change it; merchants, shoppers and anonymous callers get nothing (inventory is store-wide,
so a merchant reading it would see every other merchant's stock)."""

from __future__ import annotations

import re

import httpx
import pytest

from mercato.agents.inventory import router as inventory_router
from mercato.agents.inventory.models import (
    Location,
    Movement,
    Reservation,
    StockLevel,
    SyncDiscrepancy,
    SyncRun,
)
from mercato.kernel.route_table import api_routes
from tests.integration.identity.conftest import create_api_key, guest_headers, sign_up
from tests.integration.inventory.conftest import Shop, unique


async def headers_of(client: httpx.AsyncClient, role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    if role == "guest":
        return await guest_headers(client)
    if role == "system":
        return (await create_api_key(client, ["system"]))[1]
    return (await sign_up(client, role)).headers


@pytest.mark.parametrize(
    ("role", "reads", "writes"),
    [
        ("anonymous", 401, 401),
        ("guest", 403, 403),
        ("customer", 403, 403),
        ("merchant", 403, 403),
        ("support", 200, 403),
        ("system", 200, 201),
    ],
)
async def test_stock_is_read_and_changed_only_by_the_roles_granted(
    shop: Shop, role: str, reads: int, writes: int
) -> None:
    # given a stocked variant and a caller of the role
    sku, _ = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 5)
    headers = await headers_of(shop.client, role)
    before = await shop.footprint(Location, Movement)

    # when it reads the levels and the ledger, and tries to receive stock (one line or a
    # delivery)
    levels = await shop.client.get("/v1/inventory/levels", params={"sku": sku}, headers=headers)
    movements = await shop.client.get("/v1/inventory/movements", headers=headers)
    adjusted = await shop.client.post(
        "/v1/inventory/adjustments",
        json={"sku": sku, "location_id": warehouse, "delta": 1, "reason": "received"},
        headers=headers,
    )
    located = await shop.client.post(
        "/v1/inventory/locations", json={"code": unique("X"), "name": "x"}, headers=headers
    )
    received = await shop.client.post(
        "/v1/inventory/receipts",
        json={"location_id": warehouse, "lines": [{"sku": sku, "quantity": 2}]},
        headers=headers,
    )

    # then it gets exactly what its role holds
    assert (levels.status_code, movements.status_code) == (reads, reads), levels.text
    assert (adjusted.status_code, located.status_code) == (writes, writes), adjusted.text
    assert received.status_code == writes, received.text
    if writes != 201:  # and a refusal changed nothing
        assert await shop.footprint(Location, Movement) == before


async def test_a_merchant_is_refused_on_every_inventory_route(shop: Shop) -> None:
    """Stock, its ledger, reservations and feed discrepancies are the whole store's, not one
    merchant's: a merchant account gets 403 on each inventory route and changes nothing."""
    # given a store with stock, a reservation and a held feed line, and a merchant account
    sku, variant_id = await shop.variant()
    warehouse = await shop.location()
    await shop.receive(sku, warehouse, 100)
    await shop.reserve("order-1", [(variant_id, 1)])
    merchant = await sign_up(shop.client, "merchant")
    tables = (Location, StockLevel, Movement, Reservation, SyncRun, SyncDiscrepancy)
    before = await shop.footprint(*tables)
    routes = [
        (method, re.sub(r"\{[^}]+\}", warehouse, path))
        for path, route in api_routes(inventory_router, "/v1")
        for method in sorted(route.methods)
    ]
    assert len(routes) >= 15  # locations, levels, adjustments, …, sync discrepancies

    # when the merchant calls each of them
    answers = {
        f"{method} {path}": await shop.client.request(
            method, path, json={}, headers=merchant.headers
        )
        for method, path in routes
    }

    # then every one is refused as forbidden, and nothing was written
    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(answers, 403)
    assert {a.json()["code"] for a in answers.values()} == {"forbidden"}
    assert await shop.footprint(*tables) == before
