"""A command whose body has a default for every field takes no body at all: the OpenAPI
document says the body is optional (and, when sent, exactly the model), and the route acts on
the defaults. Routes with required fields keep their body required."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from mercato.kernel.config import Settings
from tests.support.store import store_for

COMMANDS = {"post"}
"""PATCH and PUT bodies are the change itself; an absent one is refused."""


@pytest.fixture
async def openapi(settings: Settings) -> AsyncIterator[dict[str, Any]]:
    async with store_for(settings, start=False) as (_, client):
        answer = await client.get("/openapi.json")
        assert answer.status_code == 200
        yield answer.json()


def json_bodies(document: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """`METHOD path` → (the request body object, its JSON schema resolved one level)."""
    schemas = document["components"]["schemas"]
    found = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if method not in COMMANDS or body is None or "application/json" not in body["content"]:
                continue
            schema = body["content"]["application/json"]["schema"]
            if "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
            found[f"{method.upper()} {path}"] = (body, schema)
    return found


async def test_a_body_of_defaults_only_is_optional_and_exactly_its_model(
    openapi: dict[str, Any],
) -> None:
    # given every command's JSON body in the OpenAPI document
    bodies = json_bodies(openapi)
    # then those whose model requires no field are optional, and are the model itself (not
    # "the model or null"), while the others stay required
    defaults_only = {
        route
        for route, (_, schema) in bodies.items()
        if schema.get("type") == "object" and not schema.get("required")
    }
    assert {
        "POST /v1/orders/{order_id}/cancel",
        "POST /v1/orders/{order_id}/ship",
        "POST /v1/payments/{payment_id}/capture",
        "POST /v1/inventory/reservations/{reference}/release",
    } <= defaults_only
    for route, (body, _) in bodies.items():
        if route in defaults_only:
            assert not body.get("required"), route
            assert "$ref" in body["content"]["application/json"]["schema"], route
        else:
            assert body.get("required") is True, route


async def test_commands_that_take_nothing_need_no_content_type(settings: Settings) -> None:
    # given a guest
    async with store_for(settings, start=False) as (_, client):
        session = await client.post("/v1/sessions")
        assert session.status_code == 201, session.text
        guest = {"X-Session-Token": session.json()["session_token"]}
        # when it opens a cart, validates it and accepts its prices, sending no body at all
        cart = await client.post("/v1/carts", headers=guest)
        assert cart.status_code == 201, cart.text
        cart_id = cart.json()["id"]
        answers = [
            await client.post(f"/v1/carts/{cart_id}/validate", headers=guest),
            await client.post(f"/v1/carts/{cart_id}/accept-prices", headers=guest),
        ]
    # then each is answered, none asks for a body
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    assert all("content-type" not in a.request.headers for a in (session, cart, *answers))
