"""The shopper hears of their order's parcels and returns once each: a parcel of an order
split across shipments (an order that ships in one hears only `order_shipped`), a failed
delivery attempt, a return approved with its label or rejected, a return's refund to the
card and/or store credit. A redelivered event queues nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from tests.integration.identity.conftest import sign_up
from tests.integration.notifications.conftest import Post
from tests.integration.returns.conftest import ReturnsShop, line_ids
from tests.support.store import settle, store_for


@asynccontextmanager
async def a_store(settings: Settings, **more: Any) -> AsyncIterator[tuple[ReturnsShop, Post]]:
    """A store with shipping set up (the returns tests' shop, its clock ours to move) and the
    notifications tests' view of its messages."""
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0))
    lasting = settings.model_copy(
        update={"session_ttl": 120 * 86400, "access_token_ttl": 120 * 86400, **more}
    )
    async with store_for(lasting, clock=clock) as (kernel, client):
        made = ReturnsShop(kernel, client, clock)
        await made.set_up()
        yield made, Post(kernel, client)


@pytest.fixture
async def shop(settings: Settings) -> AsyncIterator[tuple[ReturnsShop, Post]]:
    async with a_store(settings) as made:
        yield made


@pytest.fixture
async def wary_shop(settings: Settings) -> AsyncIterator[tuple[ReturnsShop, Post]]:
    """The same store, holding every return for staff to decide (any value is high)."""
    async with a_store(settings, returns_review_over=Decimal("0.01")) as made:
        yield made


def email_of(messages: list[Any], kind: str) -> list[Any]:
    return [m for m in messages if m.kind == kind and m.channel == "email"]


def line_of(order: dict[str, Any], product: Any) -> str:
    return str(next(x["id"] for x in order["lines"] if x["variant_id"] == product.variant_id))


@pytest.mark.edge_case("EC036")
async def test_each_parcel_of_a_split_order_is_mailed_once_and_no_order_shipped_mail(
    shop: tuple[ReturnsShop, Post],
) -> None:
    store, post = shop
    # given a guest's order of two mugs and a lamp
    mug, lamp = await store.product("10.00", stock=5), await store.product("25.50", stock=5)
    order, _ = await store.checked_out((mug, 2), (lamp, 1), email="split@example.com")
    # when the mugs ship first, then the lamp
    first = await store.ship(order["id"], {line_of(order, mug): 2})
    await settle(store.kernel)
    second = await store.ship(order["id"])
    # then one parcel mail each, with its carrier, service, tracking number and lines
    messages = await post.messages(recipient="split@example.com")
    parcels = email_of(messages, "shipment_shipped")
    assert [m.data["shipment_id"] for m in parcels] == [first, second]
    seen = {
        s["id"]: s for s in (await store.ok("GET", f"/orders/{order['id']}/shipments"))["items"]
    }
    one, two = parcels
    assert seen[first]["tracking_number"] in one.body_text
    assert seen[first]["carrier_name"] in one.body_text
    assert seen[first]["service_name"] in one.body_text
    assert "2 of your 3 items" in one.body_text and "2 x " in one.body_text
    assert seen[second]["tracking_number"] in two.body_text
    assert "The last 1 of your 3 items" in two.body_text and "whole order" in two.body_text
    # and no order_shipped mail repeats the last parcel's news
    assert email_of(messages, "order_shipped") == []
    # when the broker hands the last parcel's event again / then nothing more is queued
    outcome = await store.redeliver(
        "shipment.shipped", "notifications.tell_the_shopper_a_parcel_left"
    )
    assert outcome in {"handled", "duplicate"}
    again = email_of(await post.messages(recipient="split@example.com"), "shipment_shipped")
    assert [m.id for m in again] == [m.id for m in parcels]


async def test_an_order_shipped_in_one_parcel_gets_only_the_order_shipped_mail(
    shop: tuple[ReturnsShop, Post],
) -> None:
    store, post = shop
    # given a guest's order of one product
    product = await store.product("25.00")
    order, _ = await store.checked_out((product, 2), email="whole@example.com")
    # when it all leaves in one shipment
    shipment = await store.ship(order["id"])
    # then one mail: order_shipped, with the shipment's tracking number; no parcel mail
    messages = await post.messages(recipient="whole@example.com")
    assert email_of(messages, "shipment_shipped") == []
    [shipped] = email_of(messages, "order_shipped")
    tracking = (await store.ok("GET", f"/shipments/{shipment}"))["tracking_number"]
    assert tracking and tracking in shipped.body_text


@pytest.mark.edge_case("EC037")
async def test_a_failed_delivery_attempt_tells_the_shopper_what_the_carrier_said(
    shop: tuple[ReturnsShop, Post],
) -> None:
    store, post = shop
    # given a shipped parcel
    product = await store.product("25.00")
    order, _ = await store.checked_out((product, 1), email="missed@example.com")
    shipment = await store.ship(order["id"])
    # when the carrier could not deliver it
    failed = await store.ok(
        "POST",
        f"/shipments/{shipment}/attempt-failed",
        {"description": "No one home: we will try again tomorrow"},
    )
    assert failed["failed_attempts"] == 1
    # then the shopper is told once, with the carrier's words and the tracking number
    [mail] = email_of(await post.messages(recipient="missed@example.com"), "delivery_failed")
    assert "No one home: we will try again tomorrow" in mail.body_text
    assert failed["tracking_number"] in mail.body_text
    # and a redelivery of the event queues nothing more
    await store.redeliver("delivery.failed", "notifications.tell_the_shopper_a_delivery_failed")
    again = email_of(await post.messages(recipient="missed@example.com"), "delivery_failed")
    assert [m.id for m in again] == [mail.id]


async def test_an_approved_return_mails_its_label_once(shop: tuple[ReturnsShop, Post]) -> None:
    store, post = shop
    # given a delivered order
    product = await store.product("30.00")
    order, _ = await store.delivered((product, 2), email="label@example.com")
    [line] = line_ids(order)
    # when the shopper returns one unit (approved at once, its label made)
    asked = await store.asked(order["id"], {line: 1})
    await settle(store.kernel)
    made = await store.get_return(asked["id"])
    assert made["status"] == "approved" and made["label_shipment_id"]
    # then one approval mail: its number, what to send back and the label's link
    [mail] = email_of(await post.messages(recipient="label@example.com"), "return_approved")
    assert made["number"] in mail.subject
    assert f"/v1/shipments/{made['label_shipment_id']}/label.pdf" in mail.body_text
    assert "1 x " in mail.body_text
    # and neither event again queues another
    await store.redeliver("return.approved", "notifications.send_the_return_label")
    await store.redeliver("shipment.created", "notifications.send_the_return_label")
    again = email_of(await post.messages(recipient="label@example.com"), "return_approved")
    assert [m.id for m in again] == [mail.id]


async def test_a_rejected_return_mails_the_reason(wary_shop: tuple[ReturnsShop, Post]) -> None:
    store, post = wary_shop
    # given a return held for staff (the store reviews every return)
    product = await store.product("30.00")
    order, _ = await store.delivered((product, 1), email="nope@example.com")
    [line] = line_ids(order)
    asked = await store.asked(order["id"], {line: 1})
    assert asked["status"] == "requested"
    # when staff reject it
    await store.acted(asked["id"], "reject", {"reason": "The seal was broken before sending"})
    # then the shopper is told why, once, and got no approval or label
    messages = await post.messages(recipient="nope@example.com")
    [mail] = email_of(messages, "return_rejected")
    assert "The seal was broken before sending" in mail.body_text
    assert email_of(messages, "return_approved") == []
    await store.redeliver(
        "return.rejected", "notifications.tell_the_shopper_the_return_was_rejected"
    )
    assert len(email_of(await post.messages(recipient="nope@example.com"), "return_rejected")) == 1


async def test_a_returns_refund_to_the_card_is_mailed_once_with_its_amount(
    shop: tuple[ReturnsShop, Post],
) -> None:
    store, post = shop
    # given a delivered order of two units, one returned
    product = await store.product("30.00")
    order, _ = await store.delivered((product, 2), email="refund@example.com")
    [line] = line_ids(order)
    asked = await store.asked(order["id"], {line: 1})
    # when it is received, inspected and refunded to the card
    done = await store.through(asked["id"])
    assert done["status"] == "refunded"
    # then one refund mail with the amount, to the card; no payment_refunded mail besides
    messages = await post.messages(recipient="refund@example.com")
    [mail] = email_of(messages, "refund_issued")
    assert f"${done['refunded_to_payment']}" in mail.body_text
    assert "original payment method" in mail.body_text and "store credit" not in mail.body_text
    assert email_of(messages, "payment_refunded") == []
    await store.redeliver("refund.issued", "notifications.tell_the_shopper_the_refund_was_issued")
    assert len(email_of(await post.messages(recipient="refund@example.com"), "refund_issued")) == 1


@pytest.mark.edge_case("EC041")
async def test_a_refund_that_went_to_store_credit_says_so_and_why(
    shop: tuple[ReturnsShop, Post],
) -> None:
    store, post = shop
    # given a customer who paid with a card expiring this month (the sandbox keeps our time)
    now = store.manual.now()
    store.sandbox.clock = lambda: store.manual.now().timestamp()
    product = await store.product("30.00")
    account = await sign_up(store.client)
    order, _ = await store.checked_out(
        (product, 1), headers=account.headers, exp=(now.month, now.year), email=account.email
    )
    shipment = await store.ship(order["id"])
    first_of_next = datetime(now.year + now.month // 12, now.month % 12 + 1, 1, tzinfo=UTC)
    store.advance(max((first_of_next - now).days - 1, 0))
    await store.deliver(shipment)
    store.advance(2)
    [line] = line_ids(order)
    asked = await store.asked(order["id"], {line: 1}, headers=account.headers)
    # when it is refunded to the original payment, which has expired
    done = await store.through(asked["id"], refund={"method": "original_payment"})
    assert (done["refunded_to_credit"], done["refunded_to_payment"]) == ("30.00", "0.00")
    # then the mail says it went to store credit, the amount, and why
    [mail] = email_of(await post.messages(recipient=account.email), "refund_issued")
    assert "$30.00 was added to your store credit" in mail.body_text
    assert "refund_method_unavailable" in mail.body_text
    assert "original payment method" not in mail.body_text
