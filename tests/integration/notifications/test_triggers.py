"""Each triggering event sends exactly one message per enabled channel, and a redelivered
event sends none."""

from __future__ import annotations

import pytest

from tests.integration.notifications.conftest import Post, text_of


async def test_a_guest_order_mails_its_confirmation_once(post: Post) -> None:
    # given a guest's order
    order = await post.order(email="guest.buyer@example.com")
    # when the notifications go out
    sent = await post.sent(kind="order_confirmed")
    # then exactly one message: the email (a guest has no inbox, phone or device)
    assert [(m.channel, m.recipient, m.status) for m in sent] == [
        ("email", "guest.buyer@example.com", "delivered")
    ]
    [mail] = post.mails("guest.buyer@example.com")
    assert order["number"] in str(mail["Subject"]) and order["number"] in text_of(mail)
    assert mail.get_body(preferencelist=("html",)) is not None


async def test_a_customer_order_reaches_every_enabled_channel(post: Post) -> None:
    # given a customer with a phone and a device, who switched SMS on for confirmations
    account = await post.customer()
    me = account.headers
    assert (
        await post.client.patch(
            "/v1/me/notifications/profile",
            json={"phone": "+14155550123", "quiet_start": None, "quiet_end": None},
            headers=me,
        )
    ).status_code == 200
    assert (
        await post.client.post(
            "/v1/me/notifications/devices",
            json={"token": "device-token-0001", "platform": "ios"},
            headers=me,
        )
    ).status_code == 201
    choice = {"choices": [{"kind": "order_confirmed", "channel": "sms", "enabled": True}]}
    assert (
        await post.client.put("/v1/me/notifications/preferences", json=choice, headers=me)
    ).status_code == 200
    # when they order
    order = await post.order(me, email=account.email)
    # then one message per channel, each handed to its provider
    sent = await post.sent(kind="order_confirmed")
    assert sorted(m.channel for m in sent) == ["email", "in_app", "push", "sms"]
    assert [s["to"] for s in post.local_log("sms")] == ["+14155550123"]
    assert [p["to"] for p in post.local_log("push")] == ["device-token-0001"]
    inbox = (await post.client.get("/v1/me/notifications", headers=me)).json()
    assert inbox["unread"] == 1 and order["number"] in inbox["items"][0]["title"]


@pytest.mark.edge_case("EC033")
async def test_a_redelivered_event_sends_nothing_more(post: Post) -> None:
    # given an order whose confirmation went out
    await post.order(email="twice@example.com")
    first = await post.sent(kind="order_confirmed")
    # when the broker hands the same event to the handler again
    outcome = await post.shop.redeliver(
        "order.confirmed", "notifications.tell_the_customer_about_their_order"
    )
    # then it is handled, and no message is added or sent again
    assert outcome in {"handled", "duplicate"}
    again = await post.sent(kind="order_confirmed")
    assert [m.id for m in again] == [m.id for m in first]
    assert len(post.mails("twice@example.com")) == 1


async def test_shipping_and_delivery_each_send_their_own_message(post: Post) -> None:
    order = await post.order(email="ship@example.com")
    shipped = await post.admin(
        "POST",
        f"/v1/orders/{order['id']}/ship",
        json={"carrier": "UPS", "tracking_number": "1Z999AA10123456784"},
    )
    assert shipped.status_code == 200, shipped.text
    delivered = await post.admin("POST", f"/v1/orders/{order['id']}/deliver")
    assert delivered.status_code == 200, delivered.text
    kinds = [m.kind for m in await post.sent(recipient="ship@example.com")]
    assert sorted(kinds) == ["order_confirmed", "order_delivered", "order_shipped"]
    [mail] = [m for m in post.mails("ship@example.com") if "on its way" in str(m["Subject"])]
    assert "1Z999AA10123456784" in text_of(mail)


async def test_a_cancelled_order_mails_the_cancellation_with_its_refund(post: Post) -> None:
    order = await post.order(email="cancel@example.com")
    cancelled = await post.admin(
        "POST", f"/v1/orders/{order['id']}/cancel", json={"reason": "customer_request"}
    )
    assert cancelled.status_code == 200, cancelled.text
    [message] = await post.sent(kind="order_cancelled")
    assert message.recipient == "cancel@example.com" and "cancelled" in message.subject


@pytest.mark.parametrize("path", ["/v1/auth/password-reset"])
async def test_a_password_reset_is_mailed_by_notifications_and_its_link_works(
    post: Post, path: str
) -> None:
    # given an account
    account = await post.customer()
    # when a reset is asked
    asked = await post.client.post(path, json={"email": account.email})
    assert asked.status_code == 202
    # then the mail holds a working one-time link, and the log keeps no copy of it
    [message] = await post.sent(kind="password_reset")
    [mail] = [m for m in post.mails(account.email) if "Reset" in str(m["Subject"])]
    token = text_of(mail).split("token=", 1)[1].split()[0]
    done = await post.client.post(
        "/v1/auth/password-reset/confirm",
        json={"token": token, "new_password": "Another-Long-Pass-42"},
    )
    assert done.status_code == 204, done.text
    assert token not in message.body_text and message.body_html is None


async def test_an_unknown_email_asking_a_reset_queues_nothing(post: Post) -> None:
    asked = await post.client.post("/v1/auth/password-reset", json={"email": "nobody@example.com"})
    assert asked.status_code == 202
    assert await post.messages(kind="password_reset") == []
