"""Revocation takes effect at once (ADR 15): a request is authorized on the account as it
is now, not on the roles frozen into its access token. Demotion, disabling, sign-out and a
password reset end what the old token could do; API keys never outrank their maker."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import jwt
import pytest
from sqlalchemy import select

from mercato.agents.identity.deps import IdentityDeps
from mercato.agents.identity.models import ApiKey
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.conftest import needs_redis
from tests.integration.identity.conftest import (
    ADMIN,
    build_identity_kernel,
    in_store,
    mails,
    sign_up,
    token_in,
)
from tests.support.http import client_for


def bearer(token: str) -> dict[str, str]:
    return in_store("default", {"authorization": f"Bearer {token}"})


async def patch_user(client: httpx.AsyncClient, user_id: str, **changes: object) -> None:
    answer = await client.patch(f"/v1/admin/users/{user_id}", json=changes, headers=ADMIN)
    assert answer.status_code == 200, answer.text


async def keys_by_name(kernel: Kernel) -> dict[str, ApiKey]:
    with bind(tenant_id="default"):
        async with kernel.uow(writes=False) as uow:
            return {k.name: k for k in await uow.session.scalars(select(ApiKey))}


async def test_an_admin_demoted_to_customer_loses_admin_access_with_the_token_it_holds(
    client: httpx.AsyncClient,
) -> None:
    # given an admin whose token lists accounts
    admin = await sign_up(client, "admin")
    assert (await client.get("/v1/admin/users", headers=admin.headers)).status_code == 200
    # when another admin demotes it to customer
    await patch_user(client, admin.id, roles=["customer"])
    # then the same token is refused admin routes at once, and cannot mint an admin key
    listed = await client.get("/v1/admin/users", headers=admin.headers)
    assert (listed.status_code, listed.json()["code"]) == (401, "token_revoked")
    minted = await client.post(
        "/v1/admin/api-keys", json={"name": "backdoor", "roles": ["admin"]}, headers=admin.headers
    )
    assert minted.status_code == 401
    # (the demotion ended its access tokens: its refresh token gets a customer's token)
    renewed = await client.post("/v1/auth/refresh", json={"refresh_token": admin.refresh_token})
    assert renewed.status_code == 200
    assert renewed.json()["user"]["roles"] == ["customer"]
    fresh = bearer(renewed.json()["access_token"])
    assert (await client.get("/v1/me", headers=fresh)).status_code == 200
    assert (await client.get("/v1/admin/users", headers=fresh)).status_code == 403


async def test_a_disabled_customer_can_no_longer_use_its_token(
    client: httpx.AsyncClient,
) -> None:
    # given a signed-in customer
    customer = await sign_up(client, "customer")
    assert (await client.get("/v1/me", headers=customer.headers)).status_code == 200
    # when an admin disables the account
    await patch_user(client, customer.id, status="disabled")
    # then its unexpired token is refused, and so is its refresh token
    refused = await client.get("/v1/me", headers=customer.headers)
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_revoked"
    renewed = await client.post("/v1/auth/refresh", json={"refresh_token": customer.refresh_token})
    assert renewed.status_code == 401


async def test_signing_out_ends_the_access_token_too(client: httpx.AsyncClient) -> None:
    # given a signed-in customer
    customer = await sign_up(client, "customer")
    # when it signs out with its refresh token
    out = await client.post("/v1/auth/logout", json={"refresh_token": customer.refresh_token})
    assert out.status_code == 204
    # then the access token it still holds is refused
    refused = await client.get("/v1/me", headers=customer.headers)
    assert (refused.status_code, refused.json()["code"]) == (401, "token_revoked")


async def test_a_password_reset_ends_every_access_token(
    client: httpx.AsyncClient, identity_kernel: Kernel
) -> None:
    # given a signed-in customer who asks for a reset link
    customer = await sign_up(client, "customer")
    await client.post("/v1/auth/password-reset", json={"email": customer.email})
    token = token_in(
        next(
            body for to, subject, body in await mails(identity_kernel) if "reset" in subject.lower()
        )
    )
    # when the new password is set through the link
    confirmed = await client.post(
        "/v1/auth/password-reset/confirm",
        json={"token": token, "new_password": "Brand-New-Harbour-Lantern-77"},
    )
    assert confirmed.status_code == 204, confirmed.text
    # then the token from before the reset is refused
    assert (await client.get("/v1/me", headers=customer.headers)).status_code == 401


async def test_keys_shrink_when_their_maker_loses_roles_and_die_when_it_is_disabled(
    client: httpx.AsyncClient, identity_kernel: Kernel
) -> None:
    # given an admin who made three keys
    admin = await sign_up(client, "admin")
    for name, roles in (
        ("admin-only", ["admin"]),
        ("mixed", ["admin", "support"]),
        ("helpdesk", ["support"]),
    ):
        made = await client.post(
            "/v1/admin/api-keys", json={"name": name, "roles": roles}, headers=admin.headers
        )
        assert made.status_code == 201, made.text
    # when the admin is demoted to support
    await patch_user(client, admin.id, roles=["support"])
    # then each key keeps only the roles support may grant; a key left with none dies
    keys = await keys_by_name(identity_kernel)
    assert keys["admin-only"].revoked_at is not None
    assert (keys["mixed"].roles, keys["mixed"].revoked_at) == (["support"], None)
    assert (keys["helpdesk"].roles, keys["helpdesk"].revoked_at) == (["support"], None)
    refused = await client.get(
        "/v1/admin/users", headers=bearer((await mint_key(client, ["admin"]))[0])
    )
    assert refused.status_code == 200  # (a key another admin made is not affected)
    # when the maker is disabled, every key it made is revoked
    await patch_user(client, admin.id, status="disabled")
    mine = [k for k in (await keys_by_name(identity_kernel)).values() if k.created_by == admin.id]
    assert len(mine) == 3
    assert all(k.revoked_at is not None for k in mine)


async def mint_key(client: httpx.AsyncClient, roles: list[str]) -> tuple[str, str]:
    made = await client.post(
        "/v1/admin/api-keys", json={"name": "by-bootstrap", "roles": roles}, headers=ADMIN
    )
    assert made.status_code == 201, made.text
    return made.json()["key"], made.json()["id"]


@pytest.mark.parametrize(
    "missing", ["tid", "sub", "ver", "exp", "iss"], ids=lambda c: f"without-{c}"
)
async def test_a_validly_signed_token_without_a_claim_is_invalid_token_never_500(
    client: httpx.AsyncClient, identity_kernel: Kernel, missing: str
) -> None:
    # given a token signed with the deployment's own key, lacking one claim
    customer = await sign_up(client, "customer")
    claims = jwt.decode(customer.access_token, options={"verify_signature": False})
    del claims[missing]
    deps = identity_kernel.deps(IdentityDeps)
    key = deps.tokens.keyring.signing
    forged = jwt.encode(claims, key.private, algorithm="EdDSA", headers={"kid": key.kid})
    # when it is presented
    answer = await client.get("/v1/me", headers=bearer(forged))
    # then it is 401 invalid_token
    assert answer.status_code == 401, answer.text
    assert answer.json()["code"] == "invalid_token"


@pytest.mark.parametrize(
    "claim, value",
    [("tid", 7), ("roles", "admin"), ("ver", "0"), ("sub", None), ("mid", ["m"])],
)
async def test_a_validly_signed_token_with_a_claim_of_the_wrong_type_is_invalid_token(
    client: httpx.AsyncClient, identity_kernel: Kernel, claim: str, value: object
) -> None:
    customer = await sign_up(client, "customer")
    claims = jwt.decode(customer.access_token, options={"verify_signature": False})
    claims[claim] = value
    key = identity_kernel.deps(IdentityDeps).tokens.keyring.signing
    forged = jwt.encode(claims, key.private, algorithm="EdDSA", headers={"kid": key.kid})
    answer = await client.get("/v1/me", headers=bearer(forged))
    assert (answer.status_code, answer.json()["code"]) == (401, "invalid_token")


@needs_redis
@pytest.mark.redis
async def test_a_demotion_made_on_one_server_takes_effect_on_another_at_once(
    make_settings: Callable[..., Settings],
) -> None:
    # given two servers of one scaled deployment, each having served the admin's token once
    # (so each holds the account in its cache, for up to a minute)
    settings = make_settings("postgres+redis", auth_cache_seconds=60)
    one, two = await build_identity_kernel(settings), await build_identity_kernel(settings)
    try:
        async with client_for(one) as first, client_for(two) as second:
            admin = await sign_up(first, "admin")
            for server in (first, second):
                assert (
                    await server.get("/v1/admin/users", headers=admin.headers)
                ).status_code == 200
            # when the first server demotes it
            await patch_user(first, admin.id, roles=["customer"])
            # then the second refuses the token within the broadcast's delay, not the cache's
            for _ in range(100):
                answer = await second.get("/v1/admin/users", headers=admin.headers)
                if answer.status_code != 200:
                    break
                await asyncio.sleep(0.02)
            assert answer.status_code == 401
            assert answer.json()["code"] == "token_revoked"
    finally:
        await one.stop()
        await two.stop()
