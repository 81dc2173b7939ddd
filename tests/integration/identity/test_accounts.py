"""Accounts: registration, login and lockout, refresh rotation, logout, password reset,
email verification, guest-session promotion, and the profile. Rejected requests write
nothing."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from mercato.agents.identity import service
from mercato.agents.identity.deps import IdentityDeps
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.rules import RuleViolated
from tests.integration.identity.conftest import (
    ADMIN,
    counts,
    event_payloads,
    in_store,
    login,
    mails,
    new_email,
    new_password,
    sign_up,
    token_in,
)
from tests.support.http import client_for

# -- registration ---------------------------------------------------------------------


@pytest.mark.edge_case("EC009")
@pytest.mark.parametrize(
    "name", ["O'Brien", "José García", "日本語", "🎉 Party", "Zoë Ørsted-Łukasz"]
)
async def test_ec009_unicode_names_are_accepted_and_returned_intact(
    client: httpx.AsyncClient, name: str
) -> None:
    body = {"email": new_email(), "password": new_password(), "full_name": name}
    created = await client.post("/v1/auth/register", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["full_name"] == name
    signed_in = await login(client, body["email"], body["password"])
    me = await client.get(
        "/v1/me", headers={"authorization": f"Bearer {signed_in.json()['access_token']}"}
    )
    assert me.json()["full_name"] == name


@pytest.mark.business_rule("BR011")
async def test_br011_a_registered_email_is_a_409_and_writes_nothing(
    client: httpx.AsyncClient, identity_kernel: Kernel
) -> None:
    account = await sign_up(client)
    before = await counts(identity_kernel)
    again = await client.post(
        "/v1/auth/register",
        json={"email": account.email.upper(), "password": new_password(), "full_name": "Twin"},
    )
    assert again.status_code == 409
    assert again.json()["code"] == "br011_unique_email"
    assert await counts(identity_kernel) == before


@pytest.mark.business_rule("BR017")
async def test_br017_a_registered_account_without_a_password_is_refused_and_writes_nothing(
    identity_kernel: Kernel,
) -> None:
    """The API's schema already refuses an empty password; the rule holds for every caller of
    the service too (staff accounts, the demo, imports)."""
    deps = identity_kernel.deps(IdentityDeps)
    before = await counts(identity_kernel)
    # when an account is created through the service with no password
    with bind(tenant_id="default"):
        async with identity_kernel.uow() as uow:
            with pytest.raises(RuleViolated) as refused:
                await service.create_user(
                    uow, deps, email=new_email(), password="", full_name="Ann", roles=["customer"]
                )
    # then BR017 refuses it, and nothing was written
    assert refused.value.code == "br017_password_required"
    assert await counts(identity_kernel) == before


@pytest.mark.edge_case("EC011")
@pytest.mark.parametrize("field", ["email", "password", "full_name"])
async def test_ec011_empty_required_fields_are_rejected_and_write_nothing(
    client: httpx.AsyncClient, identity_kernel: Kernel, field: str
) -> None:
    body = {"email": new_email(), "password": new_password(), "full_name": "Ann"}
    body[field] = "   " if field == "full_name" else ""
    before = await counts(identity_kernel)
    answer = await client.post("/v1/auth/register", json=body)
    assert answer.status_code == 422, answer.text
    assert any(e["field"] == f"body.{field}" for e in answer.json()["errors"])
    assert await counts(identity_kernel) == before


@pytest.mark.parametrize(
    ("email", "password", "code"),
    [
        ("not-an-email", "Tangerine-Piano-Lighthouse", "validation_failed"),
        ("ann@example.com", "short", "weak_password"),
        ("ann@example.com", "qwertyuiop", "weak_password"),
        ("ann@example.com", "password123", "weak_password"),
    ],
)
async def test_bad_credentials_at_registration_are_422_and_write_nothing(
    client: httpx.AsyncClient, identity_kernel: Kernel, email: str, password: str, code: str
) -> None:
    before = await counts(identity_kernel)
    answer = await client.post(
        "/v1/auth/register", json={"email": email, "password": password, "full_name": "Ann"}
    )
    assert (answer.status_code, answer.json()["code"]) == (422, code)
    assert await counts(identity_kernel) == before


async def test_registration_publishes_user_registered_and_mails_a_verification_link(
    client: httpx.AsyncClient, identity_kernel: Kernel, settings: Settings
) -> None:
    account = await sign_up(client)
    assert [p["user_id"] for p in await event_payloads(identity_kernel, "user.registered")] == [
        account.id
    ]
    ((to, subject, body),) = await mails(identity_kernel)
    assert to == account.email and "Confirm" in subject
    verified = await client.post("/v1/auth/verify-email", json={"token": token_in(body)})
    assert verified.status_code == 200 and verified.json()["email_verified"] is True


# -- login, lockout ---------------------------------------------------------------------


async def test_login_answers_the_documented_token_pair(client: httpx.AsyncClient) -> None:
    account = await sign_up(client)
    answer = await login(client, account.email, account.password)
    body = answer.json()
    assert set(body) >= {"access_token", "refresh_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer" and body["expires_in"] == 900
    assert answer.headers["cache-control"] == "no-store"


async def test_a_wrong_password_or_unknown_email_is_the_same_401(client: httpx.AsyncClient) -> None:
    account = await sign_up(client)
    wrong = await login(client, account.email, "Not-The-Password-At-All")
    unknown = await login(client, "nobody@example.com", account.password)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["code"] == unknown.json()["code"] == "invalid_credentials"


async def test_repeated_failed_logins_lock_the_account_then_it_unlocks(
    clocked: tuple[Kernel, httpx.AsyncClient, ManualClock],
) -> None:
    kernel, client, clock = clocked
    account = await sign_up(client)
    # given three failed logins
    for _ in range(3):
        assert (await login(client, account.email, "Wrong-Password-Again")).status_code == 401
    # then even the right password is refused while the lock lasts, with a Retry-After
    locked = await login(client, account.email, account.password)
    assert (locked.status_code, locked.json()["code"]) == (423, "account_locked")
    assert 0 < int(locked.headers["retry-after"]) <= 601
    assert [p["user_id"] for p in await event_payloads(kernel, "user.locked")] == [account.id]
    # and when the lock has passed, the right password works again
    clock.advance(seconds=601)
    assert (await login(client, account.email, account.password)).status_code == 200


# -- profile and administration ---------------------------------------------------------


async def test_patch_me_changes_the_name_only(client: httpx.AsyncClient) -> None:
    account = await sign_up(client)
    changed = await client.patch("/v1/me", json={"full_name": "Renée 🎉"}, headers=account.headers)
    assert changed.status_code == 200 and changed.json()["full_name"] == "Renée 🎉"
    refused = await client.patch("/v1/me", json={"roles": ["admin"]}, headers=account.headers)
    assert refused.status_code == 422
    assert (await client.get("/v1/me", headers=account.headers)).json()["roles"] == ["customer"]


async def test_a_merchant_account_must_name_its_merchant(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/v1/admin/users",
        headers=ADMIN,
        json={
            "email": new_email(),
            "password": new_password(),
            "full_name": "M",
            "roles": ["merchant"],
        },
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "merchant_required")


async def test_disabling_an_account_signs_it_out_everywhere(client: httpx.AsyncClient) -> None:
    account = await sign_up(client)
    disabled = await client.patch(
        f"/v1/admin/users/{account.id}", json={"status": "disabled"}, headers=ADMIN
    )
    assert disabled.status_code == 200
    assert (
        await client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    ).status_code == 401
    assert (await login(client, account.email, account.password)).status_code == 401


async def test_admins_page_through_accounts(client: httpx.AsyncClient) -> None:
    created = {(await sign_up(client)).id for _ in range(5)}
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/v1/admin/users", params=params, headers=ADMIN)).json()
        seen += [u["id"] for u in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert created <= set(seen) and len(seen) == len(set(seen))


async def test_a_revoked_api_key_stops_working(client: httpx.AsyncClient) -> None:
    made = (
        await client.post(
            "/v1/admin/api-keys", json={"name": "erp", "roles": ["support"]}, headers=ADMIN
        )
    ).json()
    key_headers = {"authorization": f"Bearer {made['key']}"}
    assert (await client.get("/v1/admin/users", headers=key_headers)).status_code == 200
    listed = (await client.get("/v1/admin/api-keys", headers=ADMIN)).json()["items"]
    assert "key" not in listed[0] and listed[0]["prefix"] == made["key"][:10]
    await client.delete(f"/v1/admin/api-keys/{made['id']}", headers=ADMIN)
    assert (await client.get("/v1/admin/users", headers=key_headers)).status_code == 401


async def test_the_jwks_lists_the_signing_key(client: httpx.AsyncClient) -> None:
    keys = (await client.get("/.well-known/jwks.json")).json()["keys"]
    assert [(k["kty"], k["crv"], k["alg"]) for k in keys] == [("OKP", "Ed25519", "EdDSA")]
    account = await sign_up(client)
    import jwt

    assert jwt.get_unverified_header(account.access_token)["kid"] == keys[0]["kid"]


async def test_an_unknown_store_is_a_404(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/v1/auth/register",
        headers=in_store("no-such-shop"),
        json={"email": new_email(), "password": new_password(), "full_name": "X"},
    )
    assert (answer.status_code, answer.json()["code"]) == (404, "unknown_tenant")


async def test_a_store_is_found_by_its_host_name(
    client: httpx.AsyncClient, identity_kernel: Kernel
) -> None:
    from tests.integration.identity.conftest import add_store

    # given a second store answering on its own host name
    await add_store(identity_kernel, "shop-b", hosts=["shop-b.example.com"])
    # when someone registers through that host
    body = {"email": new_email(), "password": new_password(), "full_name": "Bea"}
    created = await client.post(
        "/v1/auth/register", json=body, headers={"host": "shop-b.example.com"}
    )
    assert created.status_code == 201
    # then the account belongs to shop-b, not to the default store
    in_b = await client.get(
        "/v1/admin/users", params={"email": body["email"]}, headers=in_store("shop-b", ADMIN)
    )
    in_default = await client.get("/v1/admin/users", params={"email": body["email"]}, headers=ADMIN)
    assert [u["id"] for u in in_b.json()["items"]] == [created.json()["id"]]
    assert in_default.json()["items"] == []


async def test_an_integration_key_cannot_administer_accounts_or_keys(
    client: httpx.AsyncClient,
) -> None:
    # given a key with the default (system) role
    made = (await client.post("/v1/admin/api-keys", json={"name": "feed"}, headers=ADMIN)).json()
    key = {"authorization": f"Bearer {made['key']}"}
    # then it can neither make accounts nor keys, nor read accounts
    new_admin = {
        "email": new_email(),
        "password": new_password(),
        "full_name": "X",
        "roles": ["admin"],
    }
    assert (await client.post("/v1/admin/users", json=new_admin, headers=key)).status_code == 403
    assert (
        await client.post("/v1/admin/api-keys", json={"name": "x", "roles": ["admin"]}, headers=key)
    ).status_code == 403
    assert (await client.get("/v1/admin/users", headers=key)).status_code == 403
    # and no person can be given the system role
    person = {**new_admin, "roles": ["system"]}
    assert (await client.post("/v1/admin/users", json=person, headers=ADMIN)).status_code == 422


async def test_emails_are_one_account_whatever_their_case(client: httpx.AsyncClient) -> None:
    password = new_password()
    body = {"email": "Alice.Smith@Example.com", "password": password, "full_name": "Alice"}
    assert (await client.post("/v1/auth/register", json=body)).status_code == 201
    assert (await login(client, "alice.smith@example.com", password)).status_code == 200
    twin = {**body, "email": "alice.smith@example.com"}
    assert (await client.post("/v1/auth/register", json=twin)).status_code == 409


async def test_a_disabled_account_is_refused_even_with_a_live_token(
    client: httpx.AsyncClient,
) -> None:
    account = await sign_up(client)
    await client.patch(f"/v1/admin/users/{account.id}", json={"status": "disabled"}, headers=ADMIN)
    assert (await client.get("/v1/me", headers=account.headers)).status_code == 401
    assert (
        await client.patch("/v1/me", json={"full_name": "Y"}, headers=account.headers)
    ).status_code == 401


async def test_a_long_or_odd_correlation_id_is_replaced_not_stored(
    client: httpx.AsyncClient,
) -> None:
    body = {"email": new_email(), "password": new_password(), "full_name": "C"}
    answer = await client.post(
        "/v1/auth/register", json=body, headers={"x-correlation-id": "x" * 80}
    )
    assert answer.status_code == 201
    assert answer.headers["x-correlation-id"] != "x" * 80


async def test_a_naive_time_filter_is_a_422_not_a_500(client: httpx.AsyncClient) -> None:
    answer = await client.get(
        "/v1/audit/events", params={"since": "2026-01-01T00:00:00"}, headers=ADMIN
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "validation_failed")


async def test_a_mail_outage_answers_like_success_and_keeps_the_account(
    make_settings: Callable[..., Settings],
) -> None:
    from tests.integration.identity.conftest import build_identity_kernel

    kernel = await build_identity_kernel(make_settings("sqlite", smtp_url="smtp://127.0.0.1:1"))
    try:
        async with client_for(kernel, start=False) as client:
            body = {"email": new_email(), "password": new_password(), "full_name": "M"}
            created = await client.post("/v1/auth/register", json=body)
            known = await client.post("/v1/auth/password-reset", json={"email": body["email"]})
            unknown = await client.post(
                "/v1/auth/password-reset", json={"email": "nobody@example.com"}
            )
    finally:
        await kernel.stop()
    assert created.status_code == 201
    assert known.status_code == unknown.status_code == 202
