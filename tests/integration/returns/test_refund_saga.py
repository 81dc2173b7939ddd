"""The refund saga: restock, then the money. A gateway that is down undoes the restock (the
ledger shows the correction) and leaves the return inspected, saying why; refunding it again
later refunds it once. One refund saga at a time per return."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from tests.integration.returns.conftest import ReturnsShop, line_ids
from tests.support.store import settle


async def test_a_gateway_down_at_the_refund_undoes_the_restock_and_a_retry_refunds_once(
    shop: ReturnsShop,
) -> None:
    # given an inspected return of two units, and a gateway that is down
    product = await shop.product("14.00")
    order, _ = await shop.delivered((product, 2))
    [line] = line_ids(order)
    ret = await shop.asked(order["id"], {line: 2})
    await shop.acted(ret["id"], "receive")
    await shop.acted(ret["id"], "inspect", {"condition": "original"})
    stocked = await shop.on_hand(product)
    shop.sandbox.outage = True

    # when staff refund it
    failed = await shop.acted(ret["id"], "refund")
    await settle(shop.kernel)

    # then it is inspected again, saying why, nothing was refunded and the stock is as it was
    assert failed["status"] == "inspected"
    assert "payment_gateway_unavailable" in failed["refund_note"]
    assert await shop.refunded(order["id"]) == 0
    assert await shop.on_hand(product) == stocked
    moved = [
        (m["reason"], m["on_hand_delta"])
        for m in await shop.movements(sku=product.sku)
        if ret["number"] in (m["note"] or "")
    ]
    assert sorted(moved) == [("correction", -2), ("returned", 2)]
    assert not await shop.events("refund.issued")

    # when the gateway is back and staff refund it again
    shop.sandbox.outage = False
    done = await shop.acted(ret["id"], "refund")
    await settle(shop.kernel)

    # then it is refunded once, restocked once more, and told once
    assert (done["status"], done["refunded_to_payment"], done["refund_note"]) == (
        "refunded",
        "28.00",
        None,
    )
    assert await shop.refunded(order["id"]) == Decimal("28.00")
    assert await shop.on_hand(product) == stocked + 2
    assert len(await shop.events("refund.issued")) == 1
    # and a third refund changes nothing
    assert (await shop.acted(ret["id"], "refund"))["refunded_to_payment"] == "28.00"
    assert await shop.refunded(order["id"]) == Decimal("28.00")


async def test_refunds_started_together_refund_once(shop: ReturnsShop) -> None:
    # given an inspected return
    product = await shop.product("9.00")
    order, _ = await shop.delivered((product, 3))
    [line] = line_ids(order)
    ret = await shop.asked(order["id"], {line: 3})
    await shop.acted(ret["id"], "receive")
    await shop.acted(ret["id"], "inspect", {"condition": "original"})
    stocked = await shop.on_hand(product)

    # when staff click refund three times at once
    answers = await asyncio.gather(*(shop.act(ret["id"], "refund") for _ in range(3)))

    # then each answer is the return or a status conflict, and it is refunded and restocked once
    assert all(a.status_code in (200, 409) for a in answers), [a.text for a in answers]
    await settle(shop.kernel)
    after = await shop.get_return(ret["id"])
    assert (after["status"], after["refunded_to_payment"]) == ("refunded", "27.00")
    assert await shop.refunded(order["id"]) == Decimal("27.00")
    assert await shop.on_hand(product) == stocked + 3
    restocked = [m for m in await shop.movements(sku=product.sku) if m["reason"] == "returned"]
    assert [m["on_hand_delta"] for m in restocked] == [3]


async def test_a_return_is_refunded_only_once_inspected(shop: ReturnsShop) -> None:
    # given an approved return, not yet received
    product = await shop.product("9.00")
    order, _ = await shop.delivered((product, 1))
    [line] = line_ids(order)
    ret = await shop.asked(order["id"], {line: 1})

    # when staff refund it, or inspect it: 409, nothing changes
    for step in ("refund", "inspect"):
        answer = await shop.act(
            ret["id"], step, {"condition": "original"} if step == "inspect" else None
        )
        assert (answer.status_code, answer.json()["code"]) == (409, "return_status_conflict")
    assert await shop.get_return(ret["id"]) == ret
    # and an unknown return is 404 at every step
    for step in ("approve", "receive", "refund", "label"):
        missing = await shop.act("no-such-return", step)
        assert (missing.status_code, missing.json()["code"]) == (404, "return_not_found")


async def test_what_the_payment_can_no_longer_take_goes_to_store_credit(
    shop: ReturnsShop,
) -> None:
    # given a delivered order of two 20.00 units whose payment staff refunded 30.00 already
    product = await shop.product("20.00")
    order, _ = await shop.delivered((product, 2))
    [line] = line_ids(order)
    payment = await shop.payment(order["id"])
    await shop.ok("POST", f"/payments/{payment['id']}/refunds", {"amount": "30.00"})
    left = Decimal(payment["captured_amount"]) - Decimal("30.00")
    assert left < Decimal("40.00")

    # when both units are returned and refunded to the card
    ret = await shop.asked(order["id"], {line: 2})
    done = await shop.through(ret["id"])

    # then the card takes what is left of it, store credit the rest, and the return says so
    assert Decimal(done["refunded_to_payment"]) == left
    assert Decimal(done["refunded_to_credit"]) == Decimal("40.00") - left
    assert "less left to refund" in done["refund_note"]
    assert await shop.refunded(order["id"]) == Decimal("30.00") + left


async def test_staff_may_refund_a_card_return_as_store_credit(shop: ReturnsShop) -> None:
    # given an inspected return the shopper wanted on their card
    product = await shop.product("16.00")
    order, _ = await shop.delivered((product, 1))
    [line] = line_ids(order)
    ret = await shop.asked(order["id"], {line: 1})

    # when staff refund it as store credit
    done = await shop.through(ret["id"], refund={"method": "store_credit"})

    # then the card is untouched and the guest's credit (kept by their email) has it
    assert (done["refunded_to_payment"], done["refunded_to_credit"]) == ("0.00", "16.00")
    assert await shop.refunded(order["id"]) == 0
    told = await shop.events("store_credit.changed")
    assert [(e["owner"], e["amount"], e["balance"]) for e in told] == [
        ("email:ana@example.com", "16.00", "16.00")
    ]
