"""Checkout and cart changes at their edges: a guest asked for an email and the missing part
of an address, a customer's last address used again, a declined card that buys nothing,
another request that lets a confirmation lapse; a line named among several, sizes a product
does not have, quantities the cart refuses, the whole cart emptied."""

from __future__ import annotations

import pytest

from tests.integration.assistant.conftest import CARD, Chat, Store, place_order

DECLINED = {"provider": "sandbox", "card": {**CARD["card"], "number": "4000000000000002"}}


async def orders_of(chat: Chat) -> list[dict[str, str]]:
    return list((await chat.client.get("/v1/orders", headers=chat.headers)).json()["items"])


async def test_checking_out_an_empty_cart_is_refused_kindly(clothes: Store) -> None:
    chat = await clothes.guest()
    reply = await chat.say("checkout")
    assert "cart is empty" in reply["reply"] and reply["actions"] == []


async def test_a_guest_is_asked_for_an_email_then_the_missing_part_of_the_address(
    clothes: Store,
) -> None:
    # given a guest with headphones in the cart, checking out
    chat = await clothes.guest()
    await chat.say("add the studio headphones to my cart")
    email = await chat.say("i'm ready to pay")
    # then they are asked for an email, then an address
    assert "email" in email["reply"]
    where = await chat.say("it's ana.lima@example.com")
    assert "ship" in where["reply"].lower()
    # when the address lacks its city and country, just those are asked for
    partial = await chat.say("12 Baker Street")
    assert "city" in partial["reply"] and "country" in partial["reply"]
    ready = await chat.say("London NW1 6XE, UK")
    # then the confirmation names the whole address
    confirmation = next(c for c in ready["cards"] if c["type"] == "confirmation")
    assert "12 Baker Street" in confirmation["summary"] and "London" in confirmation["summary"]
    placed = await chat.say("yes please", payment=CARD)
    assert placed["actions"][0]["type"] == "order.placed"
    assert "ana.lima@example.com" in placed["reply"]


async def test_a_customers_last_address_is_used_again(clothes: Store) -> None:
    # given a customer who ordered before (to 1 Main St, Springfield)
    chat, _ = await clothes.customer()
    products = (await clothes.client.get("/v1/products", params={"q": "headphones"})).json()[
        "items"
    ]
    await place_order(chat, products[0]["variants"][0]["id"])
    await chat.say("add a black nordic stoneware mug to my cart")
    # when they check out, then that address is offered straight away
    ready = await chat.say("checkout")
    confirmation = next(c for c in ready["cards"] if c["type"] == "confirmation")
    assert "1 Main St" in confirmation["summary"] and "Springfield" in confirmation["summary"]


async def test_a_declined_card_buys_nothing(clothes: Store) -> None:
    chat, _ = await clothes.customer()
    await chat.say("add the studio headphones to my cart")
    await chat.say("checkout")
    await chat.say("1 Main Street, Springfield 62704, USA")
    declined = await chat.say("yes", payment=DECLINED)
    assert "wasn't placed" in declined["reply"] and "Nothing was charged" in declined["reply"]
    assert declined["actions"] == []
    assert all(o["status"] == "cancelled" for o in await orders_of(chat))  # placed, then undone


async def test_another_request_lets_a_confirmation_lapse(clothes: Store) -> None:
    chat, _ = await clothes.customer()
    await chat.say("add the studio headphones to my cart")
    await chat.say("checkout")
    await chat.say("1 Main Street, Springfield 62704, USA")
    other = await chat.say("what's in my cart?")
    assert "didn't go ahead" in other["reply"]
    later = await chat.say("yes", payment=CARD)
    assert later["actions"] == [] and await orders_of(chat) == []


async def test_a_line_is_asked_for_when_several_could_be_meant(clothes: Store) -> None:
    chat = await clothes.guest()
    await chat.say("add the studio headphones to my cart")
    await chat.say("add a black nordic stoneware mug to my cart")
    await chat.say("what's in my cart?")
    chat_state_free = await chat.say("show me hoodies")  # the last line touched is forgotten?
    assert chat_state_free["intent"]["name"] == "search_products"
    changed = await chat.say("change the quantity of the mug to 3")
    assert changed["actions"][0]["type"] == "cart.quantity_changed"
    items = {i["name"]: i["quantity"] for i in (await chat.cart())["items"]}
    assert items == {"Studio Over-Ear Headphones": 1, "Nordic Stoneware Mug (Black)": 3}


@pytest.mark.business_rule("BR001")
async def test_a_quantity_the_cart_refuses_changes_nothing(clothes: Store) -> None:
    chat = await clothes.guest()
    await chat.say("add the studio headphones to my cart")
    refused = await chat.say("make it 100")
    assert "couldn't change it" in refused["reply"] and refused["actions"] == []
    assert [i["quantity"] for i in (await chat.cart())["items"]] == [1]


async def test_a_size_the_product_lacks_is_said_and_nothing_changes(clothes: Store) -> None:
    chat = await clothes.guest()
    await chat.say("add the merino hoodie in size M to my cart")
    refused = await chat.say("no, I meant XL")
    assert "doesn't come in XL" in refused["reply"] and refused["actions"] == []
    assert [i["name"] for i in (await chat.cart())["items"]] == ["Alpine Merino Hoodie (M)"]


async def test_emptying_the_cart_removes_every_line(clothes: Store) -> None:
    chat = await clothes.guest()
    await chat.say("add the studio headphones to my cart")
    await chat.say("add a black nordic stoneware mug to my cart")
    emptied = await chat.say("please empty my cart")
    assert emptied["actions"][0]["type"] == "cart.item_removed"
    assert (await chat.cart())["items"] == []
    nothing = await chat.say("remove the mug from my cart")
    assert "already empty" in nothing["reply"]
    changed = await chat.say("make it 2")
    assert "empty" in changed["reply"] and changed["actions"] == []
