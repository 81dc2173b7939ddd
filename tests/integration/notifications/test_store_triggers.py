"""The other triggers: a refund, staff's reply on a ticket, stock at its reorder point (to
the store's admins), an abandoned cart (a marketing reminder with the cart's contents and a
one-click unsubscribe), and the in-app inbox's live socket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import websockets

from mercato.agents.cart.abandonment import detect_abandoned
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from tests.integration.identity.conftest import sign_up
from tests.integration.notifications.conftest import Post, text_of
from tests.support.live_server import live_server
from tests.support.store import store_for


async def test_a_refund_mails_its_amount(post: Post) -> None:
    order = await post.order(email="refund@example.com")
    [payment] = (await post.admin("GET", f"/v1/payments?order_id={order['id']}")).json()["items"]
    captured = await post.admin("POST", f"/v1/payments/{payment['id']}/capture", json={})
    assert captured.status_code == 200, captured.text
    refunded = await post.admin(
        "POST", f"/v1/payments/{payment['id']}/refunds", json={"amount": "5.00"}
    )
    assert refunded.status_code in {200, 201}, refunded.text
    [message] = await post.sent(kind="payment_refunded")
    assert message.recipient == "refund@example.com" and "$5.00" in message.subject


async def test_staff_reply_reaches_the_customer_but_an_internal_note_does_not(post: Post) -> None:
    customer = await post.customer()
    ticket = (
        await post.client.post(
            "/v1/support/tickets",
            json={"subject": "Where is my parcel?", "body": "Not here yet."},
            headers=customer.headers,
        )
    ).json()
    staff = await sign_up(post.client, "support")
    path = f"/v1/support/tickets/{ticket['id']}/messages"
    note = {"body": "Checking the carrier.", "internal": True}
    assert (await post.client.post(path, json=note, headers=staff.headers)).status_code == 201
    reply = {"body": "It left our warehouse this morning."}
    assert (await post.client.post(path, json=reply, headers=staff.headers)).status_code == 201
    sent = await post.sent(kind="support_reply")
    assert sorted(m.channel for m in sent) == ["email", "in_app"]
    [mail] = [m for m in post.mails(customer.email) if ticket["number"] in str(m["Subject"])]
    assert "It left our warehouse this morning." in text_of(mail)
    assert "Checking the carrier" not in text_of(mail)


async def test_stock_at_its_reorder_point_warns_the_admins_once_a_day(post: Post) -> None:
    admin = await sign_up(post.client, "admin")
    product = await post.shop.product("30.00", stock=4)
    [level] = (await post.admin("GET", f"/v1/inventory/levels?sku={product.sku}")).json()["items"]
    answer = await post.admin(
        "PATCH", f"/v1/inventory/levels/{level['id']}", json={"reorder_point": 3}
    )
    assert answer.status_code == 200, answer.text
    await post.order(product=product, email="a@example.com")
    await post.order(product=product, email="b@example.com")  # down to 2: low, again
    sent = await post.sent(kind="low_stock")
    assert {(m.recipient, m.channel) for m in sent} == {
        (admin.email, "email"),
        (f"user:{admin.id}", "in_app"),
    }
    assert product.sku in sent[0].subject


async def test_an_abandoned_cart_reminds_its_customer_with_its_contents(
    make_settings: Callable[..., Settings],
) -> None:
    clock = ManualClock(datetime.now(UTC))
    settings = make_settings("sqlite", cart_abandon_after=60)
    async with store_for(settings, clock=clock) as (kernel, client):
        post = Post(kernel, client)
        customer = await post.customer()
        product = await post.shop.product("42.00", name="Trail Runner 2")
        cart = await post.shop.cart(customer.headers)
        await post.shop.added(cart, customer.headers, product.variant_id, 2)
        # when the cart sits idle past the threshold
        clock.advance(seconds=300)
        assert await detect_abandoned(kernel) == 1
        # then one reminder mail lists what is in it and can be unsubscribed in one click
        sent = await post.sent(kind="cart_abandoned", channel="email")
        assert [m.recipient for m in sent] == [customer.email]
        [mail] = [m for m in post.mails(customer.email) if "cart" in str(m["Subject"])]
        assert "Trail Runner 2" in text_of(mail) and "$84.00" in text_of(mail)
        assert "List-Unsubscribe=One-Click" in str(mail["List-Unsubscribe-Post"])
        link = str(mail["List-Unsubscribe"]).strip("<>")
        done = await client.post(link.replace(settings.public_url, ""))
        assert done.status_code == 200


async def test_the_inbox_socket_pushes_a_new_notification(post: Post) -> None:
    # given a customer with the inbox's socket open
    customer = await post.customer()
    async with live_server(post.kernel) as base:
        address = f"ws://{base}/v1/me/notifications/ws?token={customer.access_token}"
        async with websockets.connect(address) as ws:
            hello = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            assert hello == {"type": "hello", "unread": 0}
            # when they order
            await post.order(customer.headers, email=customer.email)
            # then the confirmation arrives on the socket
            pushed = json.loads(await asyncio.wait_for(ws.recv(), timeout=15))
        assert pushed["type"] == "notification" and pushed["kind"] == "order_confirmed"
        # and a socket without a signed-in customer is closed
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            async with websockets.connect(f"ws://{base}/v1/me/notifications/ws"):
                raise AssertionError("a socket without credentials was opened")
        assert refused.value.response.status_code == 403
