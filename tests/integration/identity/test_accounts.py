"""Accounts: registration, login and lockout, refresh rotation, logout, password reset,
email verification, guest-session promotion, and the profile. Rejected requests write
nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from email import message_from_bytes

import httpx
import pytest
from sqlalchemy import func, select

from mercato.agents import identity
from mercato.agents.identity.models import User
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.identity.conftest import (
    ADMIN,
    guest_headers,
    in_store,
    login,
    new_email,
    new_password,
    sign_up,
)
from tests.support.http import client_for


async def counts(kernel: Kernel) -> tuple[int, int]:
    """(accounts, events) of the default store: proof that a refusal wrote nothing."""
    with bind(tenant_id="default"):
        async with kernel.uow(writes=False) as uow:
            users = await uow.session.scalar(select(func.count()).select_from(User))
            events = await uow.session.scalar(select(func.count()).select_from(OutboxRecord))
    return int(users or 0), int(events or 0)


async def event_payloads(kernel: Kernel, event_type: str) -> list[dict[str, object]]:
    async with kernel.uow(writes=False) as uow:
        rows = await uow.session.scalars(
            select(OutboxRecord).where(OutboxRecord.type == event_type)
        )
        return [r.payload for r in rows]


def mails(settings: Settings) -> list[tuple[str, str, str]]:
    """(to, subject, body) of every message the local mail drop holds."""
    found = []
    for path in sorted((settings.data_dir / "mail").glob("*.eml")):
        message = message_from_bytes(path.read_bytes())
        body = message.get_payload(decode=True)
        assert isinstance(body, bytes)
        found.append((str(message["To"]), str(message["Subject"]), body.decode()))
    return found


def token_in(body: str) -> str:
    return body.split("token=", 1)[1].split(maxsplit=1)[0]


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
    ((to, subject, body),) = mails(settings)
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


@pytest.fixture
async def clocked(
    make_settings: Callable[..., Settings],
) -> AsyncIterator[tuple[Kernel, httpx.AsyncClient, ManualClock]]:
    """An identity kernel whose clock the test moves (lock-outs, token expiry)."""
    clock = ManualClock(datetime.now(UTC))
    settings = make_settings("sqlite", login_lock_after=3, login_lock_seconds=600)
    kernel = Kernel.build(settings, agents=[identity.agent], clock=clock)
    await kernel.prepare()
    async with client_for(kernel, start=False) as client:
        yield kernel, client, clock
    await kernel.stop()


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


# -- refresh tokens -------------------------------------------------------------------


async def test_a_refresh_token_is_rotated_on_every_use(client: httpx.AsyncClient) -> None:
    account = await sign_up(client)
    first = await client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    second = await client.post(
        "/v1/auth/refresh", json={"refresh_token": first.json()["refresh_token"]}
    )
    assert first.status_code == second.status_code == 200
    assert (
        len({account.refresh_token, first.json()["refresh_token"], second.json()["refresh_token"]})
        == 3
    )


async def test_reusing_a_spent_refresh_token_revokes_its_whole_family(
    client: httpx.AsyncClient, identity_kernel: Kernel
) -> None:
    # given a login whose refresh token was rotated once, and a second, separate login
    account = await sign_up(client)
    rotated = (
        await client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    ).json()
    other_login = (await login(client, account.email, account.password)).json()
    # when the spent token is presented again (it leaked)
    reuse = await client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    # then it is refused, its family's newer token is dead too, the other login lives on,
    # and the reuse is recorded
    assert (reuse.status_code, reuse.json()["code"]) == (401, "refresh_token_reused")
    newer = await client.post("/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert newer.status_code == 401
    separate = await client.post(
        "/v1/auth/refresh", json={"refresh_token": other_login["refresh_token"]}
    )
    assert separate.status_code == 200
    kinds = [p["kind"] for p in await event_payloads(identity_kernel, "security.violation")]
    assert kinds == ["refresh_token_reuse"]


async def test_logout_revokes_the_refresh_token(client: httpx.AsyncClient) -> None:
    account = await sign_up(client)
    assert (
        await client.post("/v1/auth/logout", json={"refresh_token": account.refresh_token})
    ).status_code == 204
    after = await client.post("/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert after.status_code == 401


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-4] + "AAAA",  # signature tampered
        lambda t: "eyJ" + t[3:10] + t[11:],  # header tampered
        lambda t: t + "x",
    ],
)
async def test_tampered_access_tokens_are_401(
    client: httpx.AsyncClient, mangle: Callable[[str], str]
) -> None:
    account = await sign_up(client)
    answer = await client.get(
        "/v1/me", headers={"authorization": f"Bearer {mangle(account.access_token)}"}
    )
    assert answer.status_code == 401


async def test_an_expired_access_token_is_401_token_expired(
    clocked: tuple[Kernel, httpx.AsyncClient, ManualClock],
) -> None:
    _, client, clock = clocked
    clock.advance(minutes=-16)  # the token is issued 16 minutes ago: past its 15
    account = await sign_up(client)
    clock.advance(minutes=16)
    answer = await client.get("/v1/me", headers=account.headers)
    assert (answer.status_code, answer.json()["code"]) == (401, "token_expired")


# -- password reset ---------------------------------------------------------------------


async def test_a_password_reset_link_works_once_and_signs_out_other_logins(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    account = await sign_up(client)
    asked = await client.post("/v1/auth/password-reset", json={"email": account.email})
    assert asked.status_code == 202
    token = token_in(next(b for to, s, b in mails(settings) if "Reset" in s))
    new = new_password()
    done = await client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "new_password": new}
    )
    assert done.status_code == 204
    assert (await login(client, account.email, new)).status_code == 200
    assert (await login(client, account.email, account.password)).status_code == 401
    again = await client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "new_password": new_password()}
    )
    assert (again.status_code, again.json()["code"]) == (400, "invalid_token")
    old_session = await client.post(
        "/v1/auth/refresh", json={"refresh_token": account.refresh_token}
    )
    assert old_session.status_code == 401


async def test_a_reset_for_an_unknown_email_answers_the_same_and_mails_nothing(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    answer = await client.post("/v1/auth/password-reset", json={"email": "nobody@example.com"})
    assert answer.status_code == 202
    assert mails(settings) == []


async def test_an_expired_reset_link_is_refused(
    clocked: tuple[Kernel, httpx.AsyncClient, ManualClock],
) -> None:
    kernel, client, clock = clocked
    account = await sign_up(client)
    await client.post("/v1/auth/password-reset", json={"email": account.email})
    token = token_in(next(b for _, s, b in mails(kernel.settings) if "Reset" in s))
    clock.advance(seconds=kernel.settings.reset_token_ttl + 1)
    answer = await client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "new_password": new_password()}
    )
    assert answer.status_code == 400
    assert (await login(client, account.email, account.password)).status_code == 200


# -- guest sessions ---------------------------------------------------------------------


async def test_registering_with_a_guest_session_promotes_it(
    client: httpx.AsyncClient, identity_kernel: Kernel
) -> None:
    guest = await guest_headers(client)
    body = {"email": new_email(), "password": new_password(), "full_name": "Gus"}
    created = await client.post("/v1/auth/register", json=body, headers=guest)
    promoted = await event_payloads(identity_kernel, "session.promoted")
    assert [p["user_id"] for p in promoted] == [created.json()["id"]]


async def test_logging_in_with_a_guest_session_promotes_it_once(
    client: httpx.AsyncClient, identity_kernel: Kernel
) -> None:
    account = await sign_up(client)
    guest = await guest_headers(client)
    for _ in range(2):
        answer = await client.post(
            "/v1/auth/login",
            headers=guest,
            json={"email": account.email, "password": account.password},
        )
        assert answer.status_code == 200
    promoted = await event_payloads(identity_kernel, "session.promoted")
    assert [p["user_id"] for p in promoted] == [account.id]
    # a session promoted to one account is not handed to another
    other = await sign_up(client)
    await client.post(
        "/v1/auth/login", headers=guest, json={"email": other.email, "password": other.password}
    )
    assert len(await event_payloads(identity_kernel, "session.promoted")) == 1


async def test_a_guest_is_a_principal_but_has_no_account(client: httpx.AsyncClient) -> None:
    guest = await guest_headers(client)
    assert (await client.get("/v1/me", headers=guest)).status_code == 401
    bad = await client.get("/v1/me", headers={"x-session-token": "ms_not-a-real-session"})
    assert bad.status_code == 401


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
    listed = (await client.get("/v1/admin/api-keys", headers=ADMIN)).json()
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
