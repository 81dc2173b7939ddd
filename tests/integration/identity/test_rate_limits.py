"""Rate limits per caller and route class, shared through Redis; refused credentials count."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents.identity.models import RefreshToken
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.conftest import DB_STACKS, needs_redis
from tests.integration.identity.conftest import (
    ADMIN,
    app_of,
    build_identity_kernel,
    login,
    new_email,
    new_password,
)
from tests.support.http import client_for

# -- rate limits --------------------------------------------------------------------------


async def within_one_window(seconds: int, margin: float = 5.0) -> None:
    """Limits count in fixed windows of wall-clock time: if this one ends within `margin`,
    wait for the next, so a test's requests all fall in one window."""
    left = seconds - time.time() % seconds
    if left < margin:
        await asyncio.sleep(left + 0.05)


async def refresh_tokens(kernel: Kernel) -> int:
    with bind(tenant_id="default"):
        async with kernel.uow(writes=False) as uow:
            return int(await uow.session.scalar(select(func.count()).select_from(RefreshToken)))


async def staff_customer(client: httpx.AsyncClient) -> tuple[str, str]:
    """A customer made by the admin, so that no auth-class request is spent on it."""
    email, password = new_email(), new_password()
    body = {"email": email, "password": password, "full_name": "Rae", "roles": ["customer"]}
    created = await client.post("/v1/admin/users", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    return email, password


@pytest.mark.parametrize("stack", DB_STACKS)
async def test_the_fourth_login_in_a_minute_is_429_and_other_routes_still_answer(
    stack: str, make_settings: Callable[..., Settings]
) -> None:
    kernel = await build_identity_kernel(make_settings(stack, rate_limit_auth="3/minute"))
    try:
        async with client_for(kernel, start=False) as client:
            # given a customer, and three logins from one client in this minute
            email, password = await staff_customer(client)
            await within_one_window(60)
            signed_in = [await login(client, email, password) for _ in range(3)]
            assert [r.status_code for r in signed_in] == [200, 200, 200]
            issued = await refresh_tokens(kernel)
            # when the client tries a fourth
            refused = await login(client, email, password)
            # then it is told to wait, and no token is issued
            assert refused.status_code == 429, refused.text
            assert refused.json()["code"] == "rate_limited"
            assert 1 <= int(refused.headers["retry-after"]) <= 60
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert await refresh_tokens(kernel) == issued
            # every auth-class route of this client waits too
            again = await client.post("/v1/sessions")
            assert again.status_code == 429
            # while other route classes, and other clients, are not affected
            token = signed_in[0].json()["access_token"]
            me = await client.get("/v1/me", headers={"authorization": f"Bearer {token}"})
            assert me.status_code == 200, me.text
            elsewhere = httpx.ASGITransport(app=app_of(client), client=("203.0.113.7", 4711))
            async with httpx.AsyncClient(transport=elsewhere, base_url=client.base_url) as c2:
                assert (await login(c2, email, password)).status_code == 200
    finally:
        await kernel.stop()


@pytest.mark.redis
@needs_redis
async def test_processes_sharing_redis_share_the_count(
    make_settings: Callable[..., Settings],
) -> None:
    # given two servers on the same settings, with Redis
    settings = make_settings("postgres+redis", rate_limit_auth="3/minute")
    first, second = [await build_identity_kernel(settings) for _ in range(2)]
    try:
        async with client_for(first, start=False) as one, client_for(second, start=False) as two:
            email, password = await staff_customer(one)
            await within_one_window(60)
            # when one client logs in twice on each
            answers = [await login(c, email, password) for c in (one, one, two, two)]
        # then the fourth is refused although each server saw only two
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[3].json()["code"] == "rate_limited"
        assert "retry-after" in answers[3].headers
    finally:
        await first.stop()
        await second.stop()


@pytest.mark.parametrize("stack", DB_STACKS)
async def test_refused_credentials_count_against_the_rate_limit(
    stack: str, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings(stack, rate_limit_api="3/minute", rate_limit_auth="3/minute")
    kernel = await build_identity_kernel(settings)
    try:
        async with client_for(kernel, start=False) as client:
            # given a client guessing API keys
            await within_one_window(60)
            guesses = [
                await client.get("/v1/me", headers={"authorization": f"Bearer mk_{n:043d}"})
                for n in range(4)
            ]
    finally:
        await kernel.stop()
    # then it is slowed down like any other client
    assert [g.status_code for g in guesses] == [401, 401, 401, 429]
