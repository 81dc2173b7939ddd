"""Security headers, CORS, and stale guest sessions."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from mercato.kernel.config import Settings
from tests.conftest import DB_STACKS
from tests.integration.identity.conftest import (
    build_identity_kernel,
    sign_up,
)
from tests.support.http import client_for

# -- security headers and CORS ------------------------------------------------------------

SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin"}


async def test_every_answer_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    # when the app answers, served by a route or refused by the edge before any route
    answers = {
        "ok": await client.get("/health/live"),
        "refused": await client.get("/v1/me"),
        "no route": await client.get("/v1/nowhere"),
        "bad tenant": await client.get("/v1/me", headers={"x-tenant": "Not A Store!"}),
        "unknown tenant": await client.get("/v1/me", headers={"x-tenant": "nowhere"}),
    }
    assert [a.status_code for a in answers.values()] == [200, 401, 404, 400, 404]
    # then every answer forbids sniffing, framing and leaking the referrer
    for name, answer in answers.items():
        assert answer.headers.get("x-content-type-options") == "nosniff", name
        assert answer.headers.get("x-frame-options") == "DENY", name
        assert answer.headers.get("referrer-policy") in SAFE_REFERRER_POLICIES, name


async def preflight(client: httpx.AsyncClient, origin: str) -> httpx.Response:
    return await client.options(
        "/v1/auth/login",
        headers={
            "origin": origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type, x-tenant",
        },
    )


@pytest.mark.parametrize("stack", DB_STACKS)
async def test_cors_admits_the_configured_origin_only(
    stack: str, make_settings: Callable[..., Settings]
) -> None:
    # given one allowed origin
    kernel = await build_identity_kernel(
        make_settings(stack, cors_origins=["https://shop.example"])
    )
    try:
        # when browsers on it and on another origin ask
        async with client_for(kernel, start=False) as client:
            allowed = await preflight(client, "https://shop.example")
            refused = await preflight(client, "https://evil.example")
            simple = await client.get("/health/live", headers={"origin": "https://shop.example"})
            foreign = await client.get("/health/live", headers={"origin": "https://evil.example"})
    finally:
        await kernel.stop()
    # then only the allowed origin is let in, by preflight or on a simple request
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
    assert "POST" in allowed.headers["access-control-allow-methods"]
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "cors_refused"
    assert "access-control-allow-origin" not in refused.headers
    assert simple.headers["access-control-allow-origin"] == "https://shop.example"
    assert "access-control-allow-origin" not in foreign.headers
    # preflights carry the security headers too
    assert allowed.headers["x-content-type-options"] == "nosniff"


async def test_without_configured_origins_no_origin_is_admitted(
    client: httpx.AsyncClient,
) -> None:
    answer = await preflight(client, "https://shop.example")
    assert "access-control-allow-origin" not in answer.headers


# -- stale sessions and refused credentials -------------------------------------------------


async def test_a_stale_guest_session_does_not_stop_a_shopper_signing_in(
    client: httpx.AsyncClient,
) -> None:
    # given a shopper whose browser still sends a guest session that has expired
    account = await sign_up(client)
    stale = {"x-session-token": "ms_" + "0" * 43}
    # when they sign in, or ask for a new session
    body = {"email": account.email, "password": account.password}
    signed_in = await client.post("/v1/auth/login", json=body, headers=stale)
    renewed = await client.post("/v1/sessions", headers=stale)
    # then both work, as they would with no session at all
    assert (signed_in.status_code, renewed.status_code) == (200, 201)
