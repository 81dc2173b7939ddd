"""Store credit spent at checkout: a signed-in shopper's balance pays first, the card the
rest; a checkout that fails, and an order cancelled later, give it back; a guest spends
none (a guest's credit is kept by email, which anyone could type)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mercato.agents.returns import credit
from mercato.agents.returns.statuses import CreditReason
from mercato.kernel import context
from tests.integration.checkout.conftest import DECLINED, Checkout
from tests.integration.identity.conftest import ADMIN, sign_up
from tests.support.store import settle


async def _customer_with_credit(checkout: Checkout, amount: str) -> tuple[str, dict[str, str]]:
    account = await sign_up(checkout.client)
    with context.bind(tenant_id="default"):
        async with checkout.shop.kernel.uow() as uow:
            await credit.change(
                uow,
                owner=credit.owner_of(customer_id=account.id, email=None),
                amount=Decimal(amount),
                currency="USD",
                reason=CreditReason.ADJUSTMENT,
                reference="welcome",
                now=uow.clock.now(),
            )
            await uow.commit()
    return account.id, {"authorization": f"Bearer {account.access_token}"}


async def _balance(checkout: Checkout, headers: dict[str, str]) -> dict[str, Any]:
    answer = await checkout.client.get("/v1/me/store-credit", headers=headers)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


async def _payments(checkout: Checkout, order_id: str) -> list[dict[str, Any]]:
    listed = await checkout.client.get(f"/v1/payments?order_id={order_id}", headers=ADMIN)
    assert listed.status_code == 200, listed.text
    items: list[dict[str, Any]] = listed.json()["items"]
    return items


async def test_credit_pays_first_and_the_card_is_charged_the_rest(checkout: Checkout) -> None:
    # given a shopper with 15.00 of store credit and a cart of 20.00 (+ 5.00 shipping)
    _, headers = await _customer_with_credit(checkout, "15.00")
    product = await checkout.shop.product("10.00", stock=10)
    cart, headers = await checkout.filled_cart((product, 2), headers=headers)
    # when they check out spending their credit
    answer = await checkout.post(cart, headers, use_store_credit=True)
    # then the credit pays 15.00, the card is authorized for the other 10.00
    assert answer.status_code == 201, answer.text
    order = answer.json()["order"]
    got = await checkout.client.get(f"/v1/orders/{order['id']}", headers=headers)
    assert got.json()["store_credit_applied"] == "15.00"
    assert got.json()["total"] == "25.00"
    [payment] = await _payments(checkout, order["id"])
    assert payment["amount"] == "10.00"
    balance = await _balance(checkout, headers)
    assert balance["balance"] == "0.00"
    assert [e["reason"] for e in balance["items"]] == ["checkout", "adjustment"]
    # and when it ships, the card is captured for its 10.00 only
    shipped = await checkout.client.post(f"/v1/orders/{order['id']}/ship", headers=ADMIN)
    assert shipped.status_code == 200, shipped.text
    await settle(checkout.shop.kernel)
    [payment] = await _payments(checkout, order["id"])
    assert (payment["status"], payment["captured_amount"]) == ("captured", "10.00")


async def test_credit_that_covers_the_total_needs_no_card(checkout: Checkout) -> None:
    # given a shopper with more credit than the order costs
    _, headers = await _customer_with_credit(checkout, "100.00")
    product = await checkout.shop.product("10.00", stock=10)
    cart, headers = await checkout.filled_cart((product, 1), headers=headers)
    # when they check out with no card at all
    answer = await checkout.post(cart, headers, use_store_credit=True, payment=None)
    # then the order is confirmed and paid, no payment is opened, 15.00 is spent
    assert answer.status_code == 201, answer.text
    order = answer.json()["order"]
    assert (order["status"], order["payment_status"]) == ("confirmed", "paid")
    assert await _payments(checkout, order["id"]) == []
    assert (await _balance(checkout, headers))["balance"] == "85.00"


async def test_a_declined_card_gives_the_credit_back(checkout: Checkout) -> None:
    # given a shopper with 5.00 of credit and a card that will be declined
    _, headers = await _customer_with_credit(checkout, "5.00")
    product = await checkout.shop.product("10.00", stock=10)
    cart, headers = await checkout.filled_cart((product, 1), headers=headers)
    # when the checkout fails at the payment
    answer = await checkout.post(cart, headers, DECLINED, use_store_credit=True)
    # then nothing is spent: the balance is whole again
    assert answer.status_code == 402, answer.text
    balance = await _balance(checkout, headers)
    assert balance["balance"] == "5.00"
    assert sorted(e["reason"] for e in balance["items"]) == [
        "adjustment",
        "checkout",
        "checkout_reversed",
    ]


async def test_a_cancelled_order_gives_the_credit_back(checkout: Checkout) -> None:
    # given an order that spent 8.00 of credit
    _, headers = await _customer_with_credit(checkout, "8.00")
    product = await checkout.shop.product("10.00", stock=10)
    cart, headers = await checkout.filled_cart((product, 1), headers=headers)
    answer = await checkout.post(cart, headers, use_store_credit=True)
    assert answer.status_code == 201, answer.text
    order = answer.json()["order"]
    # when the shopper cancels it before it ships
    cancelled = await checkout.client.post(f"/v1/orders/{order['id']}/cancel", headers=headers)
    assert cancelled.status_code == 200, cancelled.text
    await settle(checkout.shop.kernel)
    # then the 8.00 comes back, once
    assert (await _balance(checkout, headers))["balance"] == "8.00"


async def test_a_guest_spends_no_credit(checkout: Checkout) -> None:
    # given a guest's order asking to spend store credit (a guest has none to spend)
    product = await checkout.shop.product("10.00", stock=10)
    cart, headers = await checkout.filled_cart((product, 1))
    # when it is checked out
    answer = await checkout.post(cart, headers, use_store_credit=True)
    # then the card pays the whole total
    assert answer.status_code == 201, answer.text
    [payment] = await _payments(checkout, answer.json()["order"]["id"])
    assert payment["amount"] == "15.00"


async def _modify(checkout: Checkout, order_id: str, headers: dict[str, str], quantity: int) -> Any:
    order = (await checkout.client.get(f"/v1/orders/{order_id}", headers=headers)).json()
    [line] = order["lines"]
    return await checkout.client.patch(
        f"/v1/orders/{order_id}",
        json={"lines": [{"line_id": line["id"], "quantity": quantity}]},
        headers=headers,
    )


async def test_a_modified_order_charges_the_card_its_new_total_less_the_credit(
    checkout: Checkout,
) -> None:
    # given an order of 2 x 10.00 (+ 5.00 shipping) that spent 15.00 of credit, 10.00 on a card
    _, headers = await _customer_with_credit(checkout, "15.00")
    product = await checkout.shop.product("10.00", stock=10)
    cart, headers = await checkout.filled_cart((product, 2), headers=headers)
    order = (await checkout.post(cart, headers, use_store_credit=True)).json()["order"]
    # when its shopper asks for 3 units (35.00)
    answer = await _modify(checkout, order["id"], headers, 3)
    # then the card pays the 20.00 the credit does not, and the credit stays spent
    assert answer.status_code == 200, answer.text
    assert (answer.json()["total"], answer.json()["store_credit_applied"]) == ("35.00", "15.00")
    live = [p for p in await _payments(checkout, order["id"]) if p["status"] == "authorized"]
    assert [p["amount"] for p in live] == ["20.00"]
    assert (await _balance(checkout, headers))["balance"] == "0.00"


async def test_an_order_credit_paid_in_full_cannot_grow_nor_fall_below_its_credit(
    checkout: Checkout,
) -> None:
    # given an order of 2 x 10.00 (+ 5.00 shipping) paid in full by store credit (no card)
    _, headers = await _customer_with_credit(checkout, "100.00")
    product = await checkout.shop.product("10.00", stock=10)
    cart, headers = await checkout.filled_cart((product, 2), headers=headers)
    placed = await checkout.post(cart, headers, use_store_credit=True, payment=None)
    order = placed.json()["order"]
    before = (await checkout.client.get(f"/v1/orders/{order['id']}", headers=headers)).json()
    # when its shopper asks for 3 units (nothing to charge the 10.00 more to) or 1 (15.00,
    # below the 25.00 of credit spent)
    more = await _modify(checkout, order["id"], headers, 3)
    fewer = await _modify(checkout, order["id"], headers, 1)
    # then both are refused, and nothing changed: the order, its payments, the credit
    for answer in (more, fewer):
        assert (answer.status_code, answer.json()["code"]) == (409, "order_not_modifiable")
    after = (await checkout.client.get(f"/v1/orders/{order['id']}", headers=headers)).json()
    assert (after["total"], after["version"], after["lines"]) == (
        before["total"],
        before["version"],
        before["lines"],
    )
    assert await _payments(checkout, order["id"]) == []
    assert (await _balance(checkout, headers))["balance"] == "75.00"
