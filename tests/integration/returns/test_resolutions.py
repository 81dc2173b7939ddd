"""How a return is settled: to the original payment, to store credit (the shopper's choice,
or a card that expired and cannot take a refund), or by an exchange's replacement order;
the store credit a signed-in shopper then spends at checkout."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.integration.checkout.conftest import body, new_key
from tests.integration.identity.conftest import sign_up
from tests.integration.returns.conftest import ReturnsShop, line_ids
from tests.support.store import settle


async def _credit(shop: ReturnsShop, headers: dict[str, str]) -> dict[str, object]:
    answer = await shop.client.get("/v1/me/store-credit", headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_a_return_to_store_credit_is_spent_at_checkout(shop: ReturnsShop) -> None:
    # given a customer's delivered order of 25.00 returned for store credit
    product = await shop.product("25.00")
    customer = (await sign_up(shop.client)).headers
    order, _ = await shop.delivered((product, 1), headers=customer)
    [line] = line_ids(order)
    ret = await shop.asked(order["id"], {line: 1}, headers=customer, resolution="store_credit")

    # when it is refunded
    done = await shop.through(ret["id"])

    # then all of it is store credit, nothing goes back to the card
    assert (done["refunded_to_credit"], done["refunded_to_payment"]) == ("25.00", "0.00")
    assert await shop.refunded(order["id"]) == 0
    credit = await _credit(shop, customer)
    assert (credit["balance"], credit["currency"]) == ("25.00", "USD")
    assert [(e["amount"], e["reason"], e["reference"]) for e in credit["items"]] == [  # type: ignore[attr-defined]
        ("25.00", "return", ret["id"])
    ]
    # and refunding again changes nothing
    assert (await shop.acted(ret["id"], "refund"))["refunded_to_credit"] == "25.00"
    assert (await _credit(shop, customer))["balance"] == "25.00"

    # when they check out a 10.00 item using their credit
    cheap = await shop.product("10.00")
    cart, _ = await shop.filled_cart((cheap, 1), headers=customer)
    paid = await shop.client.post(
        "/v1/checkout",
        json=body(cart, use_store_credit=True),
        headers={**customer, "Idempotency-Key": new_key()},
    )
    # then the credit pays for it (shipping included) and the balance shows the spend
    assert paid.status_code == 201, paid.text
    new_order = paid.json()["order"]["id"]
    spent = Decimal((await shop.order(new_order))["store_credit_applied"])
    assert spent > 0
    after = await _credit(shop, customer)
    assert Decimal(str(after["balance"])) == Decimal("25.00") - spent
    # when that order is cancelled, the credit comes back, once
    cancelled = await shop.client.post(f"/v1/orders/{new_order}/cancel", json={}, headers=customer)
    assert cancelled.status_code == 200, cancelled.text
    await settle(shop.kernel)
    assert (await _credit(shop, customer))["balance"] == "25.00"
    reasons = [e["reason"] for e in (await _credit(shop, customer))["items"]]  # type: ignore[attr-defined]
    assert sorted(reasons) == ["checkout", "checkout_reversed", "return"]


@pytest.mark.edge_case("EC041")
async def test_a_refund_to_an_expired_card_goes_to_store_credit(shop: ReturnsShop) -> None:
    # given a customer who paid with a card expiring this month (the sandbox keeps our time)
    now = shop.manual.now()
    shop.sandbox.clock = lambda: shop.manual.now().timestamp()
    product = await shop.product("30.00")
    customer = (await sign_up(shop.client)).headers
    order, _ = await shop.checked_out((product, 1), headers=customer, exp=(now.month, now.year))
    shipment = await shop.ship(order["id"])
    # delivered on the month's last day, returned two days later: the card has expired
    first_of_next = datetime(now.year + now.month // 12, now.month % 12 + 1, 1, tzinfo=UTC)
    shop.advance(max((first_of_next - now).days - 1, 0))
    await shop.deliver(shipment)
    shop.advance(2)
    [line] = line_ids(order)
    ret = await shop.asked(order["id"], {line: 1}, headers=customer)

    # when it is refunded to the original payment
    done = await shop.through(ret["id"], refund={"method": "original_payment"})

    # then the card could not take it: all of it is store credit, and the return says why
    assert (done["status"], done["refunded_to_credit"], done["refunded_to_payment"]) == (
        "refunded",
        "30.00",
        "0.00",
    )
    assert "refund_method_unavailable" in done["refund_note"]
    assert await shop.refunded(order["id"]) == 0
    credit = await _credit(shop, customer)
    assert credit["balance"] == "30.00"
    assert [e["reference"] for e in credit["items"]] == [ret["id"]]  # type: ignore[attr-defined]
    told = [e for e in await shop.events("refund.issued") if e["return_id"] == ret["id"]]
    assert [(e["to_payment"], e["to_store_credit"]) for e in told] == [("0.00", "30.00")]


async def test_an_exchange_sends_a_replacement_order_and_refunds_nothing(
    shop: ReturnsShop,
) -> None:
    # given a delivered order of a product with two variants at the same price
    product = await shop.product("18.00", variants=2)
    order, guest = await shop.delivered((product, 2))
    [line] = line_ids(order)
    held_before = await shop.on_hand(product)

    # when the shopper exchanges one unit for the other variant, and staff settle it
    ret = await shop.asked(
        order["id"],
        {},
        headers=guest,
        resolution="exchange",
        lines=[{"line_id": line, "quantity": 1, "exchange_variant_id": product.variant_ids[1]}],
    )
    done = await shop.through(ret["id"])

    # then a replacement order of the other variant is confirmed, at no charge, its stock held
    assert (done["status"], done["refund_amount"]) == ("refunded", "18.00")
    assert (done["refunded_to_payment"], done["refunded_to_credit"]) == ("0.00", "0.00")
    assert await shop.refunded(order["id"]) == 0
    replacement = await shop.order(done["replacement_order_id"])
    assert (replacement["status"], replacement["total"]) == ("confirmed", "0.00")
    assert [(x["variant_id"], x["quantity"]) for x in replacement["lines"]] == [
        (product.variant_ids[1], 1)
    ]
    held = await shop.ok("GET", "/inventory/reservations", reference=replacement["id"])
    assert [(r["variant_id"], r["quantity"]) for r in held["items"]] == [
        (product.variant_ids[1], 1)
    ]
    assert held["items"][0]["status"] == "allocated"
    # and the returned unit is back in stock
    assert await shop.on_hand(product) == held_before + 1
    told = await shop.events("return.exchange_ordered")
    assert [e["replacement_order_id"] for e in told] == [replacement["id"]]


async def test_an_exchange_for_a_variant_at_another_price_is_refused(shop: ReturnsShop) -> None:
    # given a delivered order of a product whose other variant costs more
    product = await shop.product("18.00", variants=2)
    await shop.set_price(product, "21.00", variant=1)
    other = await shop.product("18.00")
    order, guest = await shop.delivered((product, 1))
    [line] = line_ids(order)
    before = await shop.returns_footprint()

    # when the shopper asks to exchange it for that one, or for another product's
    for wanted in (product.variant_ids[1], other.variant_id, "no-such-variant"):
        answer = await shop.ask(
            order["id"],
            {},
            headers=guest,
            resolution="exchange",
            lines=[{"line_id": line, "quantity": 1, "exchange_variant_id": wanted}],
        )
        # then 422, and nothing is written
        assert (answer.status_code, answer.json()["code"]) == (422, "invalid_return"), wanted
    assert await shop.returns_footprint() == before


async def test_an_exchange_with_nothing_to_send_waits_inspected_with_its_stock_undone(
    shop: ReturnsShop,
) -> None:
    # given an inspected exchange for the other variant, which has sold out meanwhile
    product = await shop.product("18.00", variants=2, stock=3)
    order, guest = await shop.delivered((product, 1))
    [line] = line_ids(order)
    ret = await shop.asked(
        order["id"],
        {},
        headers=guest,
        resolution="exchange",
        lines=[{"line_id": line, "quantity": 1, "exchange_variant_id": product.variant_ids[1]}],
    )
    await shop.acted(ret["id"], "receive")
    await shop.acted(ret["id"], "inspect", {"condition": "original"})
    await shop.stock(product.skus[1], -3)
    stocked = await shop.on_hand(product)

    # when staff settle it
    failed = await shop.acted(ret["id"], "refund")
    await settle(shop.kernel)

    # then no replacement is made, the returned unit's restock is undone, and it says why
    assert (failed["status"], failed["replacement_order_id"]) == ("inspected", None)
    assert "insufficient_stock" in failed["refund_note"]
    assert await shop.on_hand(product) == stocked
    assert not await shop.events("return.exchange_ordered")
    # when the other variant is back in stock, settling it again sends the replacement
    await shop.stock(product.skus[1], 2)
    done = await shop.acted(ret["id"], "refund")
    assert done["status"] == "refunded" and done["replacement_order_id"]
