"""Opt-out, quiet hours and unsubscribe hold; transactional mail cannot be switched off
(BR022); bad input changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mercato.agents.notifications import unsubscribing
from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.queueing import Notice, Recipient, queue
from mercato.kernel.context import bind
from tests.integration.notifications.conftest import Post


async def _prefs(post: Post, headers: dict[str, str]) -> dict[tuple[str, str], bool]:
    body = (await post.client.get("/v1/me/notifications/preferences", headers=headers)).json()
    return {(c["kind"], c["channel"]): c["enabled"] for c in body["choices"]}


@pytest.mark.business_rule("BR022")
async def test_br022_transactional_mail_cannot_be_switched_off_and_nothing_changes(
    post: Post,
) -> None:
    account = await post.customer()
    before = await _prefs(post, account.headers)
    # when the customer switches order confirmations off by email, with push in the same call
    refused = await post.client.put(
        "/v1/me/notifications/preferences",
        headers=account.headers,
        json={
            "choices": [
                {"kind": "order_confirmed", "channel": "push", "enabled": False},
                {"kind": "order_confirmed", "channel": "email", "enabled": False},
            ]
        },
    )
    # then it is refused with the rule's code, and neither choice was kept
    assert refused.status_code == 422
    assert refused.json()["code"].startswith("br022")
    assert await _prefs(post, account.headers) == before


async def test_a_switched_off_channel_sends_nothing_there(post: Post) -> None:
    account = await post.customer()
    await post.client.post(
        "/v1/me/notifications/devices",
        headers=account.headers,
        json={"token": "device-token-off-1", "platform": "android"},
    )
    answer = await post.client.put(
        "/v1/me/notifications/preferences",
        headers=account.headers,
        json={
            "choices": [
                {"kind": "*", "channel": "push", "enabled": False},
                {"kind": "order_confirmed", "channel": "in_app", "enabled": False},
            ]
        },
    )
    assert answer.status_code == 200, answer.text
    await post.order(account.headers, email=account.email)
    sent = await post.sent(kind="order_confirmed")
    assert [m.channel for m in sent] == ["email"]
    assert post.local_log("push") == []


@pytest.mark.edge_case("EC035")
async def test_quiet_hours_hold_an_sms_until_they_end(post: Post) -> None:
    # given a customer whose quiet hours cover now, in their time zone
    account = await post.customer()
    now = datetime.now(UTC)
    start = (now - timedelta(hours=1)).strftime("%H:%M")
    end = (now + timedelta(hours=2)).strftime("%H:%M")
    profile = {"phone": "+447700900123", "time_zone": "UTC", "quiet_start": start, "quiet_end": end}
    assert (
        await post.client.patch(
            "/v1/me/notifications/profile", headers=account.headers, json=profile
        )
    ).status_code == 200
    await post.client.put(
        "/v1/me/notifications/preferences",
        headers=account.headers,
        json={"choices": [{"kind": "order_confirmed", "channel": "sms", "enabled": True}]},
    )
    # when they order
    await post.order(account.headers, email=account.email)
    await post.sent(kind="order_confirmed", channel="email")
    # then the SMS waits for the end of the quiet hours; the mail went
    [sms] = await post.messages(kind="order_confirmed", channel="sms")
    assert sms.status == "queued" and sms.next_attempt_at > datetime.now(UTC)
    assert post.local_log("sms") == []


async def test_an_unsubscribe_link_stops_marketing_but_not_order_mail(post: Post) -> None:
    kernel = post.kernel
    deps = kernel.deps(NotificationDeps)
    with bind(tenant_id="default"):
        link = unsubscribing.link(deps, address="Promo@Example.com", scope="marketing")
    token = link.split("token=", 1)[1]
    page = await post.client.get(f"/v1/notifications/unsubscribe?token={token}")
    assert page.status_code == 200 and "Unsubscribe" in page.text  # a GET changes nothing
    done = await post.client.post(f"/v1/notifications/unsubscribe?token={token}")
    assert done.status_code == 200 and "unsubscribed" in done.text
    forged = await post.client.post(f"/v1/notifications/unsubscribe?token={token[:-3]}abc")
    assert (forged.status_code, forged.json()["code"]) == (400, "invalid_unsubscribe_link")
    reminder = Notice(
        kind="cart_abandoned",
        key="k-1",
        recipients=[Recipient(email="promo@example.com")],
        context={
            "cart": {"lines": [], "subtotal": "1.00", "currency": "USD"},
            "links": {"cart": "/cart"},
        },
    )
    with bind(tenant_id="default"):
        async with kernel.uow() as uow:
            assert await queue(uow, deps, reminder) == []
            await uow.commit()
    await post.order(email="promo@example.com")
    assert [m.kind for m in await post.sent(recipient="promo@example.com")] == ["order_confirmed"]


@pytest.mark.parametrize(
    "profile",
    [
        {"phone": "0044 7700"},
        {"time_zone": "Mars/Olympus"},
        {"quiet_start": "25:00"},
        {"quiet_start": "22:00", "quiet_end": None, "phone": None},
    ],
)
async def test_bad_contact_details_are_refused_and_change_nothing(
    post: Post, profile: dict[str, object]
) -> None:
    account = await post.customer()
    before = (
        await post.client.get("/v1/me/notifications/preferences", headers=account.headers)
    ).json()["profile"]
    answer = await post.client.patch(
        "/v1/me/notifications/profile", headers=account.headers, json=profile
    )
    assert answer.status_code == 422
    after = (
        await post.client.get("/v1/me/notifications/preferences", headers=account.headers)
    ).json()["profile"]
    assert after == before
