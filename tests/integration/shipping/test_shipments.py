"""Shipments of a confirmed order: split in two, each capturing its part of the payment;
each line's fulfilment; the order shipped after its last shipment and delivered after its
last delivery; BR023 (a tracking number to ship) and BR024 (no delivery before shipping);
units already shipping; the papers (label, packing slip, manifest)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from tests.integration.cart.conftest import Product
from tests.integration.shipping.conftest import ShippingShop
from tests.support.store import settle


def line_of(order: dict[str, Any], product: Product) -> dict[str, Any]:
    return next(line for line in order["lines"] if line["variant_id"] == product.variant_id)


async def two_line_order(shop: ShippingShop) -> tuple[dict[str, Any], Product, Product]:
    mug, lamp = await shop.product("10.00", stock=5), await shop.product("25.50", stock=5)
    order, _ = await shop.order_of((mug, 2), (lamp, 1))
    return order, mug, lamp


@pytest.mark.edge_case("EC036")
async def test_a_split_shipment_captures_each_part_and_ships_the_order_with_its_last(
    shop: ShippingShop,
) -> None:
    # given a confirmed order of two mugs and a lamp
    order, mug, lamp = await two_line_order(shop)
    mugs, lamps = line_of(order, mug)["id"], line_of(order, lamp)["id"]
    total = Decimal(order["total"])

    # when the mugs ship first with the local courier
    first = await shop.shipment(order["id"], {mugs: 2}, carrier="local", service="standard")
    assert first["status"] == "label_created" and first["tracking_number"].startswith("MLC")
    assert [(x["line_id"], x["quantity"]) for x in first["lines"]] == [(mugs, 2)]
    shipped = await shop.ok("POST", f"/shipments/{first['id']}/ship", {})
    assert shipped["status"] == "shipped"

    # then the mugs' line has shipped, the lamp's not; the order is still confirmed
    seen = await shop.order(order["id"])
    assert seen["status"] == "confirmed"
    assert (line_of(seen, mug)["shipped_quantity"], line_of(seen, mug)["fulfilment_status"]) == (
        2,
        "shipped",
    )
    assert line_of(seen, lamp)["fulfilment_status"] == "unfulfilled"
    # and the payment captured the mugs' part (with the shipping charge)
    payment = await shop.payment(order["id"])
    first_capture = Decimal(payment["captured_amount"])
    assert payment["status"] == "partially_captured"
    assert first_capture == Decimal(line_of(seen, mug)["paid_amount"]) + Decimal(
        seen["shipping_total"]
    )

    # when the rest ships in a second shipment
    second = await shop.shipment(order["id"], carrier="local")
    assert [(x["line_id"], x["quantity"]) for x in second["lines"]] == [(lamps, 1)]
    await shop.ok("POST", f"/shipments/{second['id']}/ship", {})

    # then the order has shipped, and the two captures add up to its total
    seen = await shop.order(order["id"])
    assert seen["status"] == "shipped"
    assert all(line["fulfilment_status"] == "shipped" for line in seen["lines"])
    payment = await shop.payment(order["id"])
    assert payment["status"] == "captured"
    assert Decimal(payment["captured_amount"]) == total
    assert Decimal(payment["captured_amount"]) - first_capture == Decimal(
        line_of(seen, lamp)["paid_amount"]
    )

    # when the first is delivered / then the order waits for the second
    await shop.ok("POST", f"/shipments/{first['id']}/deliver")
    seen = await shop.order(order["id"])
    assert seen["status"] == "shipped"
    assert line_of(seen, mug)["fulfilment_status"] == "delivered"
    # and when the second is, the order is delivered
    delivered = await shop.ok("POST", f"/shipments/{second['id']}/deliver")
    assert delivered["status"] == "delivered" and delivered["delivered_at"]
    assert (await shop.order(order["id"]))["status"] == "delivered"
    # and delivering again changes nothing
    again = await shop.ok("POST", f"/shipments/{second['id']}/deliver")
    assert again["delivered_at"] == delivered["delivered_at"]


async def test_units_already_in_a_shipment_cannot_ship_in_another(shop: ShippingShop) -> None:
    # given an order whose mugs are in a shipment
    order, mug, _ = await two_line_order(shop)
    mugs = line_of(order, mug)["id"]
    await shop.shipment(order["id"], {mugs: 2}, carrier="local")
    footprint = await shop.footprint()

    # when one more mug is put in a second shipment
    answer = await shop.ship_out(order["id"], {mugs: 1}, carrier="local")

    # then it is refused, nothing made
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "fulfilment_quantity_conflict"
    assert await shop.footprint() == footprint
    # and a line the order does not have is a bad request
    unknown = await shop.ship_out(order["id"], {"no-such-line": 1})
    assert unknown.status_code == 422 and unknown.json()["code"] == "invalid_shipping_request"


async def test_a_cancelled_label_frees_its_units(shop: ShippingShop) -> None:
    # given an order whose mugs are in a shipment that is then cancelled
    order, mug, _ = await two_line_order(shop)
    mugs = line_of(order, mug)["id"]
    made = await shop.shipment(order["id"], {mugs: 2}, carrier="local")
    cancelled = await shop.ok("POST", f"/shipments/{made['id']}/cancel")
    assert cancelled["status"] == "cancelled"
    # when they go in another shipment / then they may
    again = await shop.shipment(order["id"], {mugs: 2}, carrier="local")
    assert again["status"] == "label_created"
    # and a cancelled shipment cannot ship, a shipped one cannot be cancelled
    refused = await shop.call("POST", f"/shipments/{made['id']}/ship", {})
    assert refused.status_code == 409 and refused.json()["code"] == "shipment_status_conflict"
    await shop.ok("POST", f"/shipments/{again['id']}/ship", {})
    refused = await shop.call("POST", f"/shipments/{again['id']}/cancel")
    assert refused.status_code == 409


@pytest.mark.business_rule("BR023")
async def test_a_table_carriers_shipment_ships_only_with_a_tracking_number(
    shop: ShippingShop,
) -> None:
    # given a Parcel Post shipment: its label is Mercato's, no tracking number yet
    order, _, _ = await two_line_order(shop)
    made = await shop.shipment(order["id"], carrier="post", service="ground")
    assert made["tracking_number"] is None and made["carrier_name"] == "Parcel Post"
    footprint = await shop.footprint()

    # when it is shipped without a tracking number
    answer = await shop.call("POST", f"/shipments/{made['id']}/ship", {})

    # then it is refused by BR023, and nothing changed: no stock committed, nothing captured
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "br023_tracking_number_when_shipped"
    assert await shop.footprint() == footprint
    assert await shop.status_of(made["id"]) == "label_created"
    assert (await shop.payment(order["id"]))["captured_amount"] == "0.00"

    # when it ships with the post office's tracking number / then it has shipped
    shipped = await shop.ok(
        "POST", f"/shipments/{made['id']}/ship", {"tracking_number": "RR123456785GB"}
    )
    assert (shipped["status"], shipped["tracking_number"]) == ("shipped", "RR123456785GB")
    assert (await shop.order(order["id"]))["status"] == "shipped"
    # and shipping it again changes nothing
    again = await shop.ok("POST", f"/shipments/{made['id']}/ship", {})
    assert again["shipped_at"] == shipped["shipped_at"]


@pytest.mark.business_rule("BR024")
async def test_nothing_is_delivered_before_it_ships(shop: ShippingShop) -> None:
    # given a shipment with its label, not shipped
    order, _, _ = await two_line_order(shop)
    made = await shop.shipment(order["id"], carrier="local")
    footprint = await shop.footprint()

    # when staff mark it delivered
    answer = await shop.call("POST", f"/shipments/{made['id']}/deliver")

    # then it is refused by BR024, nothing changed
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "br024_no_delivery_before_shipping"
    assert await shop.footprint() == footprint
    assert await shop.status_of(made["id"]) == "label_created"
    assert (await shop.order(order["id"]))["status"] == "confirmed"


@pytest.mark.business_rule("BR024")
async def test_a_carriers_delivery_of_an_unscanned_parcel_is_recorded_and_refused(
    shop: ShippingShop,
) -> None:
    # given a local courier shipment never scanned
    order, _, _ = await two_line_order(shop)
    made = await shop.shipment(order["id"], carrier="local")

    # when the courier's webhook says it was delivered
    answer = await shop.webhook(
        [{"tracking_number": made["tracking_number"], "status": "delivered",
          "occurred_at": "2026-03-02T10:00:00+00:00", "description": "Delivered"}]
    )  # fmt: skip

    # then the event is on record and refused: the shipment and the order have not moved
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"received": 1, "applied": 0, "outcomes": ["refused"]}
    seen = await shop.ok("GET", f"/shipments/{made['id']}")
    assert seen["status"] == "label_created"
    assert [e["status"] for e in seen["tracking"]] == ["delivered"]
    assert (await shop.order(order["id"]))["status"] == "confirmed"
    # and staff recording the same is refused too
    scan = await shop.call("POST", f"/shipments/{made['id']}/tracking", {"status": "delivered"})
    assert scan.status_code == 409


async def test_the_labels_packing_slips_and_manifests(shop: ShippingShop) -> None:
    # given two shipped parcels of the local courier
    order, mug, _ = await two_line_order(shop)
    first = await shop.shipment(order["id"], {line_of(order, mug)["id"]: 2}, carrier="local")
    second = await shop.shipment(order["id"], carrier="local")
    for made in (first, second):
        await shop.ok("POST", f"/shipments/{made['id']}/ship", {})

    # when the label is fetched / then a 4x6 inch PDF
    label = await shop.call("GET", f"/shipments/{first['id']}/label.pdf")
    assert label.status_code == 200 and label.headers["content-type"] == "application/pdf"
    assert label.content.startswith(b"%PDF")
    [page] = PdfReader(BytesIO(label.content)).pages
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (288, 432)
    assert first["tracking_number"] in page.extract_text()
    # and the packing slip is a PDF naming the order
    slip = await shop.call("GET", f"/shipments/{first['id']}/packing-slip.pdf")
    assert slip.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(slip.content)).pages)
    assert order["number"] in text and mug.sku in text

    # and the courier's manifest of the day lists both parcels, as JSON and as a PDF
    day = (await shop.ok("GET", f"/shipments/{first['id']}"))["shipped_at"][:10]
    manifest = await shop.ok("GET", "/shipping/manifests", carrier="local", day=day)
    assert manifest["parcels"] == 2
    assert {s["id"] for s in manifest["items"]} == {first["id"], second["id"]}
    assert manifest["weight_grams"] == sum(s["weight_grams"] for s in manifest["items"])
    pdf = await shop.call("GET", "/shipping/manifests.pdf", carrier="local", day=day)
    assert pdf.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert first["tracking_number"] in text and second["tracking_number"] in text
    # and another carrier's manifest of the day is empty
    empty = await shop.ok("GET", "/shipping/manifests", carrier="post", day=day)
    assert empty["parcels"] == 0 and empty["items"] == []
    assert (await shop.call("GET", "/shipping/manifests.pdf", carrier="post", day=day)).content[
        :4
    ] == b"%PDF"


async def test_the_local_couriers_webhooks_move_a_parcel_once(shop: ShippingShop) -> None:
    # given a shipped local courier parcel
    order, _, _ = await two_line_order(shop)
    made = await shop.shipment(order["id"], carrier="local")
    await shop.ok("POST", f"/shipments/{made['id']}/ship", {})
    number = made["tracking_number"]

    def scan(status: str, at: str, event_id: str) -> dict[str, str]:
        return {"tracking_number": number, "status": status, "occurred_at": at,
                "description": status.replace("_", " "), "location": "Springfield",
                "event_id": event_id}  # fmt: skip

    # when it is scanned in transit, then a delivery attempt fails
    moving = await shop.webhook([scan("in_transit", "2026-03-02T08:00:00Z", "e1")])
    assert moving.json()["outcomes"] == ["moved"]
    assert await shop.status_of(made["id"]) == "in_transit"
    failed = await shop.webhook([scan("failed_attempt", "2026-03-03T10:00:00Z", "e2")])
    assert failed.json()["outcomes"] == ["moved"]

    # then the shipment counts the attempt and `delivery.failed` is published
    seen = await shop.ok("GET", f"/shipments/{made['id']}")
    assert (seen["status"], seen["failed_attempts"]) == ("failed_attempt", 1)
    await settle(shop.kernel)
    [attempt] = [e for e in await shop.events("delivery.failed") if e["shipment_id"] == made["id"]]
    assert attempt["attempts"] == 1

    # when it is delivered, and the courier sends that webhook again
    delivered = await shop.webhook([scan("delivered", "2026-03-04T10:00:00Z", "e3")])
    assert delivered.json()["outcomes"] == ["moved"]
    before = await shop.ok("GET", f"/shipments/{made['id']}")
    again = await shop.webhook([scan("delivered", "2026-03-04T10:00:00Z", "e3")])

    # then the repeat is a duplicate and changes nothing
    assert again.json() == {"received": 1, "applied": 0, "outcomes": ["duplicate"]}
    assert await shop.ok("GET", f"/shipments/{made['id']}") == before
    assert before["status"] == "delivered" and len(before["tracking"]) == 3
    assert (await shop.order(order["id"]))["status"] == "delivered"
    # and a late scan is recorded and moves nothing back
    late = await shop.webhook([scan("in_transit", "2026-03-02T09:00:00Z", "e4")])
    assert late.json()["outcomes"] == ["recorded"]
    assert await shop.status_of(made["id"]) == "delivered"
    # and a parcel no shipment has is reported so
    unknown = await shop.webhook(
        [{**scan("in_transit", "2026-03-02T09:00:00Z", "e5"), "tracking_number": "MLC0"}]
    )
    assert unknown.json()["outcomes"] == ["unknown_shipment"]


async def test_a_badly_signed_webhook_is_refused_and_nothing_recorded(shop: ShippingShop) -> None:
    # given a shipped local courier parcel
    order, _, _ = await two_line_order(shop)
    made = await shop.shipment(order["id"], carrier="local")
    await shop.ok("POST", f"/shipments/{made['id']}/ship", {})
    footprint = await shop.footprint()

    # when a webhook signed with another secret says it was delivered
    answer = await shop.webhook(
        [{"tracking_number": made["tracking_number"], "status": "delivered",
          "occurred_at": "2026-03-04T10:00:00Z", "description": "Delivered"}],
        secret="someone-elses-secret",
    )  # fmt: skip

    # then it is refused as invalid, nothing recorded
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "invalid_carrier_webhook"
    assert await shop.footprint() == footprint
    assert await shop.status_of(made["id"]) == "shipped"
    # and a carrier with no webhooks is unknown
    post = await shop.client.post("/v1/shipping/webhooks/post", content=b"{}")
    assert post.status_code == 404 and post.json()["code"] == "carrier_not_found"


@pytest.mark.edge_case("EC037")
async def test_staff_record_scans_and_failed_attempts(shop: ShippingShop) -> None:
    # given a shipped parcel
    order, _, _ = await two_line_order(shop)
    made = await shop.shipment(order["id"], carrier="local")
    # when staff record an attempt on a parcel not yet shipped / then it is refused
    early = await shop.call("POST", f"/shipments/{made['id']}/attempt-failed", {})
    assert early.status_code == 409
    await shop.ok("POST", f"/shipments/{made['id']}/ship", {})
    # when staff record it out for delivery, then a failed attempt, then an exception
    out = await shop.ok("POST", f"/shipments/{made['id']}/tracking", {"status": "out_for_delivery"})
    assert out["status"] == "out_for_delivery"
    failed = await shop.ok(
        "POST", f"/shipments/{made['id']}/attempt-failed", {"description": "No one home"}
    )
    assert (failed["status"], failed["failed_attempts"]) == ("failed_attempt", 1)
    lost = await shop.ok(
        "POST",
        f"/shipments/{made['id']}/tracking",
        {"status": "exception", "description": "Damaged in transit", "location": "Hub 4"},
    )
    # then each is on the shipment's record
    assert lost["status"] == "exception"
    assert [e["source"] for e in lost["tracking"]] == ["staff", "staff"]
    await settle(shop.kernel)
    assert [e["status"] for e in await shop.events("shipment.exception")] == ["exception"]


async def test_a_cancelled_order_cancels_its_unshipped_labels(shop: ShippingShop) -> None:
    # given an order with a label made, not shipped
    order, _, _ = await two_line_order(shop)
    made = await shop.shipment(order["id"], carrier="local")

    # when the order is cancelled
    cancelled = await shop.call("POST", f"/orders/{order['id']}/cancel", {"reason": "changed mind"})
    assert cancelled.status_code == 200, cancelled.text
    await settle(shop.kernel)

    # then its shipment is cancelled too, and it cannot ship
    assert await shop.status_of(made["id"]) == "cancelled"
    assert (await shop.call("POST", f"/shipments/{made['id']}/ship", {})).status_code == 409
    # and the order has nothing to ship any more
    refused = await shop.ship_out(order["id"], carrier="local")
    assert refused.status_code == 409 and refused.json()["code"] == "shipment_status_conflict"


async def test_a_shopper_sees_their_orders_shipments_and_no_one_elses(shop: ShippingShop) -> None:
    # given a guest's order with a shipped parcel
    product = await shop.product("10.00", stock=5)
    order, headers = await shop.order_of((product, 1))
    made = await shop.shipment(order["id"], carrier="local")
    await shop.ok("POST", f"/shipments/{made['id']}/ship", {})

    # when they read their order's shipments / then they see it with its tracking
    mine = await shop.ok("GET", f"/orders/{order['id']}/shipments", headers=headers)
    assert [s["id"] for s in mine["items"]] == [made["id"]] and mine["next_cursor"] is None
    assert mine["items"][0]["lines"][0]["quantity"] == 1
    one = await shop.ok("GET", f"/shipments/{made['id']}", headers=headers)
    assert one["tracking_number"] == made["tracking_number"]

    # and another shopper gets 404 for both
    stranger = await shop.guest()
    for path in (f"/orders/{order['id']}/shipments", f"/shipments/{made['id']}"):
        answer = await shop.call("GET", path, headers=stranger)
        assert answer.status_code == 404, answer.text
    # and neither may fetch the label (staff's)
    label = await shop.call("GET", f"/shipments/{made['id']}/label.pdf", headers=headers)
    assert label.status_code in (401, 403)


async def test_staff_list_shipments_and_plan_an_order(shop: ShippingShop) -> None:
    # given two orders, one with a shipped parcel and one with a label
    order, _, _ = await two_line_order(shop)
    other, mug, _ = await two_line_order(shop)
    shipped = await shop.shipment(order["id"], carrier="local")
    await shop.ok("POST", f"/shipments/{shipped['id']}/ship", {})
    waiting = await shop.shipment(other["id"], {line_of(other, mug)["id"]: 1}, carrier="post")

    # when staff list shipments / then newest first, by status, by carrier, page by page
    listed = await shop.ok("GET", "/shipments")
    assert [s["id"] for s in listed["items"]] == [waiting["id"], shipped["id"]]
    page = await shop.ok("GET", "/shipments", limit=1)
    rest = await shop.ok("GET", "/shipments", limit=1, cursor=page["next_cursor"])
    assert [s["id"] for s in page["items"] + rest["items"]] == [waiting["id"], shipped["id"]]
    by_status = await shop.ok("GET", "/shipments", status="shipped", kind="outbound")
    assert [s["id"] for s in by_status["items"]] == [shipped["id"]]
    assert [s["id"] for s in (await shop.ok("GET", "/shipments", carrier="post"))["items"]] == [
        waiting["id"]
    ]

    # and the other order's plan sends what no shipment holds yet, from the warehouse
    plan = await shop.ok("GET", f"/orders/{other['id']}/fulfilment-plan")
    assert [p["location_id"] for p in plan["shipments"]] == [shop.location_id]
    assert sum(plan["shipments"][0]["lines"].values()) == 2 and plan["unplanned"] == {}
    # and staff can shop rates for it and ship by a rate's id
    rates = await shop.ok("GET", "/shipping/rates", order_id=other["id"])
    express = next(o for o in rates["options"] if o["service"] == "express")
    made = await shop.shipment(other["id"], rate_id=express["id"])
    assert (made["carrier"], made["service"]) == ("local", "express")


async def test_shipments_are_refused_for_what_cannot_ship(shop: ShippingShop) -> None:
    # given a confirmed order
    order, _, _ = await two_line_order(shop)
    footprint = await shop.footprint()
    # when asked of a carrier that does not exist, or a rate that does not
    for answer, code in (
        (await shop.ship_out(order["id"], carrier="pigeon"), "no_shipping_rates"),
        (await shop.ship_out(order["id"], rate_id="no-such-rate"), "shipping_rate_not_found"),
        (await shop.ship_out("no-such-order"), "order_not_found"),
    ):
        # then each is refused, nothing made
        assert answer.json()["code"] == code, answer.text
    assert await shop.footprint() == footprint
    assert (await shop.call("GET", "/shipments/no-such-shipment")).status_code == 404


async def test_an_order_with_a_download_is_delivered_with_its_last_parcel(
    shop: ShippingShop,
) -> None:
    # given a confirmed order of a mug and an e-book (which does not ship)
    mug = await shop.product("10.00", stock=5)
    ebook = await shop.product("9.00", stock=5, requires_shipping=False)
    order, _ = await shop.order_of((mug, 1), (ebook, 1))

    # when the mug's parcel ships (the e-book leaves with it) and is delivered
    made = await shop.shipment(order["id"], carrier="local")
    assert [x["line_id"] for x in made["lines"]] == [line_of(order, mug)["id"]]
    await shop.ok("POST", f"/shipments/{made['id']}/ship", {})
    assert (await shop.order(order["id"]))["status"] == "shipped"
    await shop.ok("POST", f"/shipments/{made['id']}/deliver")

    # then the order is delivered, the e-book's line with it
    seen = await shop.order(order["id"])
    assert seen["status"] == "delivered"
    assert line_of(seen, ebook)["delivered_quantity"] == 1
    payment = await shop.payment(order["id"])
    assert Decimal(payment["captured_amount"]) == Decimal(order["total"])
