"""Packing: the store's boxes (a default set until it has its own), the cheapest that takes
an order's units, else several packages; `choose_packages` is the shipping agent's way in."""

from __future__ import annotations

from mercato.agents.warehouse import service as warehouse
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN
from tests.integration.warehouse.conftest import WarehouseShop


async def sized(shop: WarehouseShop, **size: int) -> str:
    """A new variant of the given size (through the catalog's API); its id."""
    product = await shop.product(stock=50)
    answer = await shop.client.patch(
        f"/v1/products/{product.id}/variants/{product.variant_id}", json=size, headers=ADMIN
    )
    assert answer.status_code == 200, answer.text
    return product.variant_id


async def test_a_store_with_no_boxes_packs_in_the_default_set(shop: WarehouseShop) -> None:
    # given the default boxes, and variants the catalog knows nothing of the size of
    boxes = await shop.ok("GET", "/boxes")
    assert [b["code"] for b in boxes["items"]][:2] == ["MAILER-S", "BOX-S"]
    assert all(b["default"] for b in boxes["items"]) and boxes["next_cursor"] is None
    tee = await shop.product(stock=10)

    # when two units are packed as loose items
    made = await shop.ok(
        "POST", "/packing", {"items": [{"variant_id": tee.variant_id, "quantity": 2}]}
    )

    # then the settings' default size (250x200x100 mm, 500 g a unit) is used: two need a
    # medium carton
    [packing] = made["packings"]
    [package] = packing["packages"]
    assert package["box_code"] == "BOX-M"
    assert package["weight_grams"] == 2 * 500 + 300
    assert package["items"] == [{"variant_id": tee.variant_id, "quantity": 2}]
    assert packing["status"] == "packed"


async def test_a_store_s_own_box_is_chosen_when_cheapest(shop: WarehouseShop) -> None:
    # given the store's own box
    made = await shop.ok(
        "POST",
        "/boxes",
        {
            "code": "CUBE",
            "name": "Cube",
            "length_mm": 600,
            "width_mm": 600,
            "height_mm": 600,
            "max_weight_grams": 30000,
            "tare_grams": 500,
            "cost": "0.10",
        },
    )
    assert made["cost"] == "0.10" and made["default"] is False
    taken = await shop.call(
        "POST",
        "/boxes",
        {
            "code": "CUBE",
            "name": "Again",
            "length_mm": 1,
            "width_mm": 1,
            "height_mm": 1,
            "max_weight_grams": 1,
            "cost": "1",
        },
    )
    assert taken.status_code == 409
    boxes = await shop.ok("GET", "/boxes")
    assert [b["code"] for b in boxes["items"]] == ["CUBE"]

    # when a confirmed order is packed
    tee = await shop.product(stock=5)
    order = await shop.order([(tee.variant_id, 3)])
    packed = await shop.ok("POST", "/packing", {"order_id": order.id})

    # then it goes in the store's box
    [packing] = packed["packings"]
    assert packing["order_id"] == order.id
    assert [p["box_code"] for p in packing["packages"]] == ["CUBE"]


async def test_a_picked_list_is_packed_per_order(shop: WarehouseShop) -> None:
    # given a list of two orders, picked
    tee = await shop.product(stock=5)
    first = await shop.order([(tee.variant_id, 1)])
    second = await shop.order([(tee.variant_id, 2)])
    made = await shop.ok("POST", "/pick-lists", {"order_ids": [first.id, second.id]})
    unpicked = await shop.call("POST", "/packing", {"pick_list_id": made["id"]})
    assert unpicked.status_code == 422
    await shop.ok("POST", f"/pick-lists/{made['id']}/pick")

    # when the list is packed, then each order gets its packing, and the pack task is done
    packed = await shop.ok("POST", "/packing", {"pick_list_id": made["id"]})
    assert [
        (p["order_id"], p["packages"][0]["items"][0]["quantity"]) for p in packed["packings"]
    ] == [
        (first.id, 1),
        (second.id, 2),
    ]
    tasks = await shop.ok("GET", "/tasks", kind="pack", reference=made["id"])
    assert [t["status"] for t in tasks["items"]] == ["done"]


async def test_bad_packing_requests_change_nothing(shop: WarehouseShop) -> None:
    before = await shop.footprint()
    both = await shop.call("POST", "/packing", {"order_id": "a", "pick_list_id": "b"})
    no_order = await shop.call("POST", "/packing", {"order_id": "nope"})
    no_list = await shop.call("POST", "/packing", {"pick_list_id": "nope"})
    assert (both.status_code, no_order.status_code, no_list.status_code) == (422, 404, 404)
    assert await shop.footprint() == before


async def test_the_shipping_agent_asks_for_packages_through_the_service(
    shop: WarehouseShop,
) -> None:
    # given a light, flat variant, a heavy one, and one that needs no shipping
    book = await sized(shop, weight_grams=300, length_mm=200, width_mm=130, height_mm=20)
    anvil = await sized(shop, weight_grams=25000, length_mm=300, width_mm=200, height_mm=200)
    card = (await shop.product(stock=5, requires_shipping=False)).variant_id

    # when packages are chosen for 2 books, 2 anvils and a gift card
    with bind(tenant_id="default"):
        async with shop.kernel.uow(writes=False) as uow:
            books = await warehouse.choose_packages(uow, items=[(book, 2)])
            heavy = await warehouse.choose_packages(uow, items=[(anvil, 2), (card, 1)])

    # then the books go in one mailer, and the anvils in a package each (no box carries
    # both); the gift card in none
    assert books == [warehouse.Package("MAILER-S", 250, 180, 50, 640, ((book, 2),))]
    assert [p.items for p in heavy] == [((anvil, 1),), ((anvil, 1),)]
    assert all(p.weight_grams == 25000 + 800 for p in heavy)
