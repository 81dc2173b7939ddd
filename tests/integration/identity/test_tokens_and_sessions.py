"""Refresh and access tokens, password reset links, and guest sessions."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.clock import ManualClock
from tests.integration.identity.conftest import (
    event_payloads,
    guest_headers,
    login,
    mails,
    new_email,
    new_password,
    sign_up,
    token_in,
)

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
    client: httpx.AsyncClient, identity_kernel: Kernel
) -> None:
    account = await sign_up(client)
    asked = await client.post("/v1/auth/password-reset", json={"email": account.email})
    assert asked.status_code == 202
    token = token_in(next(b for to, s, b in await mails(identity_kernel) if "Reset" in s))
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
    client: httpx.AsyncClient, identity_kernel: Kernel
) -> None:
    answer = await client.post("/v1/auth/password-reset", json={"email": "nobody@example.com"})
    assert answer.status_code == 202
    assert await mails(identity_kernel) == []


async def test_an_expired_reset_link_is_refused(
    clocked: tuple[Kernel, httpx.AsyncClient, ManualClock],
) -> None:
    kernel, client, clock = clocked
    account = await sign_up(client)
    await client.post("/v1/auth/password-reset", json={"email": account.email})
    token = token_in(next(b for _, s, b in await mails(kernel) if "Reset" in s))
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
    # a guest sent credentials, which hold no account: 403, not "sign in" (401)
    assert (await client.get("/v1/me", headers=guest)).status_code == 403
    bad = await client.get("/v1/me", headers={"x-session-token": "ms_not-a-real-session"})
    assert bad.status_code == 401
