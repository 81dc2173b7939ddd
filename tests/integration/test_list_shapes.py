"""Every list route answers the same shape, `{items, next_cursor}`: no bare arrays, no
`items` without the cursor that says whether there is more."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from mercato.kernel.config import Settings
from tests.support.store import store_for


@pytest.fixture
async def openapi(settings: Settings) -> AsyncIterator[dict[str, Any]]:
    async with store_for(settings, start=False) as (_, client):
        answer = await client.get("/openapi.json")
        assert answer.status_code == 200
        yield answer.json()


def answers(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`GET path` → the JSON schema of its 200 answer, resolved one level."""
    schemas = document["components"]["schemas"]
    found = {}
    for path, operations in document["paths"].items():
        ok = operations.get("get", {}).get("responses", {}).get("200", {})
        schema = ok.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            continue
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        found[f"GET {path}"] = schema
    return found


async def test_every_list_route_answers_items_and_next_cursor(openapi: dict[str, Any]) -> None:
    # given every GET route's answer
    found = answers(openapi)
    # then none is a bare array
    arrays = sorted(route for route, schema in found.items() if schema.get("type") == "array")
    assert arrays == []
    # and every collection's answer (a path not naming one thing) that lists items also says
    # where the next page starts (a cart's `items` are its lines: /v1/carts/{cart_id})
    lists = {
        route: s
        for route, s in found.items()
        if "items" in s.get("properties", {}) and not route.endswith("}")
    }
    assert {
        "GET /v1/orders",
        "GET /v1/products",
        "GET /v1/payments",
        "GET /v1/discount-codes",
        "GET /v1/tax-rates",
        "GET /v1/inventory/locations",
        "GET /v1/inventory/reservations",
        "GET /v1/inventory/sync/discrepancies",
        "GET /v1/admin/api-keys",
        "GET /v1/audit/events",
        "GET /v1/audit/dead-letters",
        "GET /v1/knowledge/rules",
    } <= lists.keys()
    for route, schema in lists.items():
        assert schema["properties"]["items"]["type"] == "array", route
        assert "next_cursor" in schema["properties"], route
        assert {"items", "next_cursor"} <= set(schema.get("required", [])), route
