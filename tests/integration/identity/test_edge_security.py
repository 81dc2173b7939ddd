"""What a security probe found at the edge, fixed: forwarded addresses are believed only
from configured proxies, failed logins do not reveal which emails exist, no redirect echoes
the Host header, and the answers carry the headers a browser and a cache need."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents import identity
from mercato.agents.identity.models import LoginFailures
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.identity.conftest import (
    ADMIN,
    app_of,
    build_identity_kernel,
    login,
    new_email,
    sign_up,
)
from tests.support.http import client_for


@pytest.fixture
async def limited(
    make_settings: Callable[..., Settings],
) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    """Clients of one identity server with a login limit of 3 a minute, each from a peer
    address the test chooses; the server trusts proxies at 10.0.0.0/8 only."""
    settings = make_settings(rate_limit_auth="3/minute", forwarded_allow_ips="10.0.0.0/8")
    kernel = await build_identity_kernel(settings)
    async with client_for(kernel, start=False) as base:
        app = app_of(base)

        def from_peer(address: str) -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=app, client=(address, 4711))
            return httpx.AsyncClient(transport=transport, base_url="http://mercato.test")

        yield from_peer
    await kernel.stop()


async def failed_logins(client: httpx.AsyncClient, forwarded_for: list[str]) -> list[int]:
    statuses = []
    for address in forwarded_for:
        answer = await client.post(
            "/v1/auth/login",
            json={"email": new_email("nobody"), "password": "wrong-password-123"},
            headers={"x-forwarded-for": address},
        )
        statuses.append(answer.status_code)
    return statuses


async def test_a_forwarded_address_from_an_untrusted_peer_does_not_escape_the_login_limit(
    limited: Callable[..., httpx.AsyncClient],
) -> None:
    # given a caller on the host itself (not a configured proxy) that changes
    # X-Forwarded-For on every try
    async with limited("127.0.0.1") as client:
        statuses = await failed_logins(client, [f"203.0.113.{i}" for i in range(1, 6)])
    # then its tries count against its own address: the fourth is refused
    assert statuses == [401, 401, 401, 429, 429]


async def test_a_configured_proxy_s_forwarded_address_is_the_client_that_is_counted(
    limited: Callable[..., httpx.AsyncClient],
) -> None:
    # given a trusted proxy relaying two clients
    async with limited("10.0.0.5") as proxy:
        first = await failed_logins(proxy, ["203.0.113.1"] * 4)
        # a client cannot spoof past the proxy: the right-most untrusted hop is counted
        spoofed = await failed_logins(proxy, ["198.51.100.9, 203.0.113.1"])
        second = await failed_logins(proxy, ["203.0.113.2"] * 3)
    # then each client has its own count
    assert first == [401, 401, 401, 429]
    assert spoofed == [429]
    assert second == [401, 401, 401]


async def test_an_unknown_email_and_a_real_one_fail_alike_until_both_lock(
    clocked: tuple[Kernel, httpx.AsyncClient, ManualClock],
) -> None:
    # given a store that locks after 3 failures, one real account and one unknown email
    _, client, clock = clocked
    real, unknown = (await sign_up(client)).email, new_email("ghost")
    seen: dict[str, list[tuple[int, str, str | None]]] = {}
    # when each gets four wrong passwords
    for email in (real, unknown):
        answers = [await login(client, email, "Wrong-Password-Again") for _ in range(4)]
        seen[email] = [
            (a.status_code, a.json()["code"], a.headers.get("retry-after")) for a in answers
        ]
    # then both answer alike, status, code and Retry-After: nothing tells them apart
    assert seen[real] == seen[unknown]
    assert [s[:2] for s in seen[real]] == [(401, "invalid_credentials")] * 3 + [
        (423, "account_locked")
    ]
    # and both unlock when the lock has passed
    clock.advance(seconds=601)
    assert (await login(client, unknown, "Wrong-Password-Again")).status_code == 401


# -- redirects and headers ------------------------------------------------------------------


async def test_a_trailing_slash_is_a_404_never_a_redirect_built_from_the_host_header(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/v1/admin/users/", headers={"host": "evil.example", **ADMIN})
    assert answer.status_code == 404
    assert answer.json()["code"] == "route_not_found"
    assert "location" not in answer.headers


async def test_personal_answers_are_not_stored_and_anonymous_reads_may_be(
    client: httpx.AsyncClient,
) -> None:
    account = await sign_up(client)
    me = await client.get("/v1/me", headers=account.headers)
    assert me.headers["cache-control"] == "no-store"
    listed = await client.get("/v1/admin/users", headers=ADMIN)
    assert listed.headers["cache-control"] == "no-store"
    signed_in = await login(client, account.email, account.password)
    assert signed_in.headers["cache-control"] == "no-store"
    public = await client.get("/.well-known/jwks.json")
    assert public.headers["cache-control"] == "public, max-age=300"


async def test_hsts_only_when_the_request_came_over_https(
    limited: Callable[..., httpx.AsyncClient],
) -> None:
    async with limited("127.0.0.1") as direct:
        plain = await direct.get("/health/live")
        spoofed = await direct.get("/health/live", headers={"x-forwarded-proto": "https"})
    async with limited("10.0.0.5") as proxy:
        behind_tls = await proxy.get("/health/live", headers={"x-forwarded-proto": "https"})
    assert "strict-transport-security" not in plain.headers
    assert "strict-transport-security" not in spoofed.headers  # not from a trusted proxy
    assert behind_tls.headers["strict-transport-security"].startswith("max-age=")


async def test_html_pages_carry_a_content_security_policy_that_admits_their_own_scripts(
    client: httpx.AsyncClient,
) -> None:
    for page in ("/docs", "/redoc"):
        answer = await client.get(page)
        assert answer.status_code == 200
        policy = answer.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy
        assert "frame-ancestors 'none'" in policy
        inline = answer.text.count("<script>")
        assert policy.count("'sha256-") == inline
        assert int(answer.headers["content-length"]) == len(answer.content)
    api = await client.get("/health/live")
    assert "content-security-policy" not in api.headers


async def test_a_204_carries_no_content_type(client: httpx.AsyncClient) -> None:
    account = await sign_up(client)
    out = await client.post("/v1/auth/logout", json={"refresh_token": account.refresh_token})
    assert out.status_code == 204
    assert "content-type" not in out.headers
    assert out.content == b""


async def test_stale_counts_of_unknown_emails_are_forgotten_and_live_ones_kept(
    clocked: tuple[Kernel, httpx.AsyncClient, ManualClock],
) -> None:
    # given one unknown email that failed long ago and one that failed just now
    kernel, client, clock = clocked
    await login(client, new_email("old"), "Wrong-Password-Again")
    clock.advance(seconds=2 * kernel.settings.login_lock_seconds + 1)
    await login(client, new_email("new"), "Wrong-Password-Again")
    assert await failure_rows(kernel) == 2
    # when the hourly job runs
    await identity.forget_login_failures(kernel)
    # then only the stale count is gone
    assert await failure_rows(kernel) == 1


async def failure_rows(kernel: Kernel) -> int:
    with bind(tenant_id="default"):
        async with kernel.uow(writes=False) as uow:
            return int(
                await uow.session.scalar(select(func.count()).select_from(LoginFailures)) or 0
            )
