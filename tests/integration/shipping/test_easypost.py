"""EasyPost as the store's third carrier, against the local EasyPost: its rates beside the
others', a slow EasyPost replaced by the store's tables for it (EC018), a label bought from
it (kept when its file cannot be fetched at once), and its tracking by signed webhook and by
polling."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest

from mercato.agents.shipping.models import Shipment
from mercato.agents.shipping.polling import poll_tracking
from mercato.kernel.context import bind
from tests.integration.shipping.conftest import ShippingShop

TIMEOUT = 0.5


async def test_easypost_quotes_beside_the_others(easypost_shop: ShippingShop) -> None:
    # given a guest's cart
    shop = easypost_shop
    product = await shop.product("20.00", stock=5)
    cart, headers = await shop.filled_cart((product, 1))
    # when they ask for rates / then EasyPost's carriers' services are among them
    rates = await shop.ok("GET", "/shipping/rates", headers=headers, cart_id=cart["id"])
    assert {o["carrier"] for o in rates["options"]} == {"local", "post", "easypost"}
    assert rates["warnings"] == []
    carriers = await shop.ok("GET", "/shipping/carriers")
    assert ("easypost", "api") in {(c["code"], c["kind"]) for c in carriers["items"]}


@pytest.mark.edge_case("EC018")
async def test_a_slow_easypost_is_replaced_by_the_stores_tables_for_it(
    easypost_shop: ShippingShop,
) -> None:
    # given the store's own table for EasyPost, and EasyPost answering after 3 s
    shop = easypost_shop
    assert shop.fake is not None
    await shop.rate_table("easypost", "ground", ["7.40"], days=(3, 5), carrier_name="EasyPost")
    product = await shop.product("20.00", stock=5)
    cart, headers = await shop.filled_cart((product, 1))
    shop.fake.delay = 6.0

    # when the guest asks for rates
    started = time.monotonic()
    rates = await shop.ok("GET", "/shipping/rates", headers=headers, cart_id=cart["id"])
    took = time.monotonic() - started

    # then the answer comes within about the timeout, the table standing in for EasyPost
    assert took < TIMEOUT + 3.5  # well before EasyPost answers (6 s)
    standing_in = [o for o in rates["options"] if o["carrier"] == "easypost"]
    assert [(o["service"], o["price"], o["source"]) for o in standing_in] == [
        ("ground", "7.40", "table")
    ]
    assert {"local", "post"} <= {o["carrier"] for o in rates["options"]}
    [warning] = rates["warnings"]
    assert "EasyPost" in warning and "table rates" in warning


@pytest.mark.edge_case("EC018")
async def test_a_slow_easypost_without_tables_is_left_out_with_a_warning(
    easypost_shop: ShippingShop,
) -> None:
    # given EasyPost answering after 3 s and no table of the store's for it
    shop = easypost_shop
    assert shop.fake is not None
    product = await shop.product("20.00", stock=5)
    cart, headers = await shop.filled_cart((product, 1))
    shop.fake.delay = 6.0

    # when the guest asks for rates
    started = time.monotonic()
    rates = await shop.ok("GET", "/shipping/rates", headers=headers, cart_id=cart["id"])

    # then the others' options come within about the timeout, EasyPost named as missing
    assert time.monotonic() - started < TIMEOUT + 3.5
    assert {o["carrier"] for o in rates["options"]} == {"local", "post"}
    [warning] = rates["warnings"]
    assert "EasyPost" in warning and "not offered" in warning


async def shipped_by_easypost(shop: ShippingShop) -> tuple[dict[str, object], dict[str, object]]:
    """A confirmed order and its shipment with a label bought from EasyPost."""
    product = await shop.product("30.00", stock=5)
    order, _ = await shop.order_of((product, 1))
    shipment = await shop.shipment(order["id"], carrier="easypost")
    return order, shipment


async def label_file_of(shop: ShippingShop, shipment_id: str) -> tuple[bytes | None, str | None]:
    """The shipment's stored label file and the carrier's URL for it."""
    with bind(tenant_id="default"):
        async with shop.kernel.uow(writes=False) as uow:
            row = await uow.session.get(Shipment, shipment_id)
            assert row is not None
            return row.label_pdf, row.label_url


async def made_while_the_label_file_fails(shop: ShippingShop) -> dict[str, Any]:
    """A shipment made with EasyPost while its label file answers 500 (once)."""
    assert shop.fake is not None
    product = await shop.product("30.00", stock=5)
    order, _ = await shop.order_of((product, 1))
    shop.fake.label_failures = 1
    made = await shop.ship_out(order["id"], carrier="easypost")
    assert made.status_code == 201, made.text
    return dict(made.json())


async def test_a_label_whose_file_fails_is_bought_once_and_its_file_fetched_later(
    easypost_shop: ShippingShop,
) -> None:
    # given EasyPost's label file answering 500 once
    shop = easypost_shop
    assert shop.fake is not None

    # when a shipment is made with EasyPost
    shipment = await made_while_the_label_file_fails(shop)

    # then it is made with EasyPost's tracking number, and exactly one label was bought
    [bought] = shop.fake.bought
    code = shop.fake.shipments[bought]["tracking_code"]
    assert shipment["carrier"] == "easypost" and shipment["status"] == "label_created"
    assert shipment["tracking_number"] == code
    assert [p for _, p, _, _ in shop.fake.received if p.endswith("/buy")] == [
        f"/v2/shipments/{bought}/buy"
    ]
    # and the shipment keeps where the file is, not having it yet
    url = shop.fake.shipments[bought]["postage_label"]["label_pdf_url"]
    assert await label_file_of(shop, shipment["id"]) == (None, url)
    assert len(shop.fake.label_downloads) == 1

    # when its label is asked for, the file answering again
    label = await shop.call("GET", f"/shipments/{shipment['id']}/label.pdf")

    # then EasyPost's own PDF is served, fetched from EasyPost and kept
    assert label.status_code == 200, label.text
    assert label.headers["content-type"] == "application/pdf"
    assert label.content.startswith(b"%PDF") and label.content in shop.fake.labels.values()
    assert await label_file_of(shop, shipment["id"]) == (label.content, url)
    assert len(shop.fake.label_downloads) == 2
    # and asked for again, it is served from the shipment, not fetched again
    again = await shop.call("GET", f"/shipments/{shipment['id']}/label.pdf")
    assert again.status_code == 200 and again.content == label.content
    assert len(shop.fake.label_downloads) == 2
    assert len(shop.fake.bought) == 1


async def test_a_label_file_still_failing_is_unavailable_not_drawn_by_mercato(
    easypost_shop: ShippingShop,
) -> None:
    # given a shipment bought from EasyPost while its label file failed, and still failing
    shop = easypost_shop
    assert shop.fake is not None
    shipment = await made_while_the_label_file_fails(shop)
    shop.fake.label_failures = 1
    footprint = await shop.footprint()

    # when its label is asked for
    answer = await shop.call("GET", f"/shipments/{shipment['id']}/label.pdf")

    # then it is unavailable (no label of Mercato's in place of the carrier's), nothing kept
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "label_file_unavailable"
    assert (await label_file_of(shop, shipment["id"]))[0] is None
    assert await shop.footprint() == footprint
    assert len(shop.fake.bought) == 1

    # when it is asked for again once the file answers
    label = await shop.call("GET", f"/shipments/{shipment['id']}/label.pdf")

    # then EasyPost's PDF is served
    assert label.status_code == 200, label.text
    assert label.content in shop.fake.labels.values()


async def test_a_label_bought_from_easypost_and_its_webhooks_deliver_the_parcel(
    easypost_shop: ShippingShop,
) -> None:
    # given a shipment whose label was bought from EasyPost
    shop = easypost_shop
    assert shop.fake is not None
    order, shipment = await shipped_by_easypost(shop)
    code = str(shipment["tracking_number"])
    assert shipment["carrier"] == "easypost" and shipment["status"] == "label_created"
    assert any(path.endswith("/buy") for _, path, _, _ in shop.fake.received)
    label = await shop.call("GET", f"/shipments/{shipment['id']}/label.pdf")
    assert label.content.startswith(b"%PDF") and label.content in shop.fake.labels.values()

    # when EasyPost posts its tracker's scans: in transit, then delivered
    for status, detail in (("in_transit", "arrived_at_facility"), ("delivered", "arrived")):
        body, headers = shop.fake.tracker_updated_event(code, status, detail, f"{status} scan")
        answer = await shop.client.post(
            "/v1/shipping/webhooks/easypost", content=body, headers=headers
        )
        assert answer.status_code == 200, answer.text
        assert "moved" in answer.json()["outcomes"]

    # then the parcel shipped and was delivered, and so was the order; its payment captured
    seen = await shop.ok("GET", f"/shipments/{shipment['id']}")
    assert seen["status"] == "delivered" and seen["shipped_at"] and seen["delivered_at"]
    assert [e["status"] for e in seen["tracking"]] == ["pre_transit", "in_transit", "delivered"]
    assert all(e["source"] == "webhook" for e in seen["tracking"])
    assert (await shop.order(str(order["id"])))["status"] == "delivered"
    payment = await shop.payment(str(order["id"]))
    assert payment["status"] == "captured"
    assert Decimal(payment["captured_amount"]) == Decimal(str(order["total"]))


async def test_a_forged_easypost_webhook_is_refused(easypost_shop: ShippingShop) -> None:
    # given an EasyPost shipment
    shop = easypost_shop
    assert shop.fake is not None
    _, shipment = await shipped_by_easypost(shop)
    body, headers = shop.fake.tracker_updated_event(
        str(shipment["tracking_number"]), "delivered", secret="not-the-secret"
    )
    # when a delivery is posted with another secret's signature
    answer = await shop.client.post("/v1/shipping/webhooks/easypost", content=body, headers=headers)
    # then it is refused and nothing is recorded
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_carrier_webhook"
    seen = await shop.ok("GET", f"/shipments/{shipment['id']}")
    assert seen["status"] == "label_created" and seen["tracking"] == []


async def test_polling_picks_up_easypost_scans(easypost_shop: ShippingShop) -> None:
    # given an EasyPost shipment the carrier has scanned in transit and delivered, with no
    # webhook set up
    shop = easypost_shop
    assert shop.fake is not None
    order, shipment = await shipped_by_easypost(shop)
    code = str(shipment["tracking_number"])
    shop.fake.scan(code, "in_transit", "arrived_at_facility", "Arrived at facility")
    shop.fake.scan(code, "delivered", "arrived", "Delivered, front door")

    # when the tracking poll runs
    applied = await poll_tracking(shop.kernel)

    # then the scans are recorded and the parcel and the order are delivered
    assert applied == 3
    seen = await shop.ok("GET", f"/shipments/{shipment['id']}")
    assert seen["status"] == "delivered"
    assert {e["source"] for e in seen["tracking"]} == {"poll"}
    assert (await shop.order(str(order["id"])))["status"] == "delivered"
    # and a poll soon after asks nothing again
    asked = len(shop.fake.received)
    assert await poll_tracking(shop.kernel) == 0
    assert len(shop.fake.received) == asked
