"""The demo store's shipping, a return's label, and shipments refused before anything is
written (a carrier that cannot be reached for the label, lines that do not ship)."""

from __future__ import annotations

from datetime import UTC, datetime

from mercato.agents.shipping import demo, service
from mercato.agents.shipping.deps import ShippingDeps
from mercato.kernel.context import bind
from tests.integration.shipping.conftest import ShippingShop


async def test_the_demo_stores_shipping_is_seeded_once(shop: ShippingShop) -> None:
    # given a store with no zones of its own yet
    assert shop.zone_id is not None
    await shop.call("DELETE", f"/shipping/zones/{shop.zone_id}")
    assert shop.location_id is not None

    # when the demo seeds its shipping, twice
    for _ in range(2):
        with bind(tenant_id="default"):
            async with shop.kernel.uow() as uow:
                await demo.seed(
                    uow, shop.kernel.settings, locations=[shop.location_id], now=datetime.now(UTC)
                )
                await uow.commit()

    # then its four zones and two Parcel Post services per zone are there once
    zones = await shop.ok("GET", "/shipping/zones")
    assert sorted(z["code"] for z in zones["items"]) == ["ca", "eu", "us", "us-northeast"]
    tables = await shop.ok("GET", "/shipping/rate-tables", limit=200)
    assert len(tables["items"]) == 8
    # and a New York shopper is priced in the North-East zone
    product = await shop.product("20.00", stock=5)
    cart, headers = await shop.filled_cart((product, 1))
    rates = await shop.ok(
        "GET",
        "/shipping/rates",
        headers=headers,
        cart_id=cart["id"],
        country="US",
        region="NY",
        postal_code="10001",
    )
    assert rates["zone"] == "us-northeast"
    assert ("post", "ground", "4.50") in {
        (o["carrier"], o["service"], o["price"]) for o in rates["options"]
    }


async def test_a_returns_label_goes_back_to_the_location_that_sent_the_units(
    shop: ShippingShop,
) -> None:
    # given a delivered order
    product = await shop.product("10.00", stock=5)
    order, _ = await shop.order_of((product, 2))
    sent = await shop.shipment(order["id"], carrier="local")
    await shop.ok("POST", f"/shipments/{sent['id']}/ship", {})
    await shop.ok("POST", f"/shipments/{sent['id']}/deliver")
    line_id = order["lines"][0]["id"]

    # when the returns agent asks for a return label for one unit
    with bind(tenant_id="default"):
        made = await service.create_return_shipment(
            shop.kernel.uow,
            shop.kernel.deps(ShippingDeps),
            order_id=order["id"],
            return_id="return-1",
            lines={line_id: 1},
            now=shop.kernel.clock.now,
        )

    # then a return shipment from the shopper back to the warehouse, with its label
    seen = await shop.ok("GET", f"/shipments/{made.id}")
    assert (seen["kind"], seen["return_id"], seen["status"]) == (
        "return",
        "return-1",
        "label_created",
    )
    assert seen["ship_to"]["city"] == "Newark" and seen["location_id"] == shop.location_id
    assert [(x["line_id"], x["quantity"]) for x in seen["lines"]] == [(line_id, 1)]
    assert seen["carrier"] == "post"  # the cheapest: its tracking number given when it ships
    # and it does not count against the order's outbound units, nor move the order when it ships
    shipped = await shop.ok("POST", f"/shipments/{made.id}/ship", {"tracking_number": "RR1234GB"})
    assert shipped["status"] == "shipped"
    assert (await shop.order(order["id"]))["status"] == "delivered"
    with bind(tenant_id="default"):
        async with shop.kernel.uow(writes=False) as uow:
            assert await service.last_delivery(uow, order_id=order["id"]) is not None
            both = await service.shipments_of_order(uow, order_id=order["id"])
    assert [s.kind for s in both] == ["outbound", "return"]


async def test_a_carrier_that_cannot_be_reached_for_the_label_leaves_nothing(
    easypost_shop: ShippingShop,
) -> None:
    # given a confirmed order, and EasyPost failing its label purchases
    shop = easypost_shop
    assert shop.fake is not None
    product = await shop.product("10.00", stock=5)
    order, _ = await shop.order_of((product, 1))
    shop.fake.buy_failing = 503
    footprint = await shop.footprint()

    # when a shipment with EasyPost is made
    answer = await shop.ship_out(order["id"], carrier="easypost")

    # then the carrier is unavailable, nothing was bought, and nothing was written
    assert answer.status_code == 503, answer.text
    assert answer.json()["code"] == "carrier_unavailable"
    assert shop.fake.bought == []
    assert await shop.footprint() == footprint


async def test_units_that_do_not_ship_or_are_all_shipping_are_refused(shop: ShippingShop) -> None:
    # given an order of a mug and an e-book, the mug in a shipment
    mug = await shop.product("10.00", stock=5)
    ebook = await shop.product("9.00", stock=5, requires_shipping=False)
    order, _ = await shop.order_of((mug, 1), (ebook, 1))
    ebook_line = next(x for x in order["lines"] if x["variant_id"] == ebook.variant_id)
    await shop.shipment(order["id"], carrier="local")
    footprint = await shop.footprint()

    # when the e-book is put in a shipment, or every unit left is asked for
    for answer, status, code in (
        (
            await shop.ship_out(order["id"], {ebook_line["id"]: 1}),
            422,
            "invalid_shipping_request",
        ),
        (await shop.ship_out(order["id"]), 409, "fulfilment_quantity_conflict"),
    ):
        # then each is refused, nothing written
        assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    assert await shop.footprint() == footprint
