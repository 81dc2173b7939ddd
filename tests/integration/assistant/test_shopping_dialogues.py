"""Shopping in the chat, turn by turn, against the real app: search, details, add (asking
the size), the cart, checkout with a confirmation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.assistant.conftest import CARD, Chat, Store


@pytest.mark.business_rule("BR021")
async def test_search_then_details_then_add_then_cart_then_checkout_with_confirmation(
    clothes: Store,
) -> None:
    # given a signed-in shopper in the chat
    chat, _ = await clothes.customer()
    # when they look for a hoodie
    found = await chat.say("hi, do you have any merino hoodies?")
    # then the assistant lists it as a product card
    assert found["intent"]["name"] == "search_products"
    assert next(c["name"] for c in found["cards"] if c["type"] == "product") == (
        "Alpine Merino Hoodie"
    )
    # when they ask about the first one
    details = await chat.say("tell me more about the first one")
    assert details["intent"]["name"] == "product_details"
    assert "merino wool" in details["reply"]
    # when they add it without a size, they are asked which
    asked = await chat.say("add it to my cart")
    assert "size" in asked["reply"].lower()
    assert asked["quick_replies"][:3] == ["S", "M", "L"]
    added = await chat.say("M")
    assert added["actions"][0]["type"] == "cart.item_added"
    # when they look at the cart
    cart = await chat.say("what's in my cart?")
    card = next(c for c in cart["cards"] if c["type"] == "cart")
    assert [(i["name"], i["quantity"]) for i in card["items"]] == [("Alpine Merino Hoodie (M)", 1)]
    # when they check out, they are asked where it ships
    where = await chat.say("ok checkout please")
    assert where["intent"]["name"] == "checkout"
    assert "ship" in where["reply"].lower()
    ready = await chat.say("12 Baker Street, London NW1 6XE, UK")
    # then a confirmation is asked for, and nothing is bought yet
    confirmation = next(c for c in ready["cards"] if c["type"] == "confirmation")
    assert confirmation["action"] == "checkout" and confirmation["needs_payment"] is True
    assert (await orders_of(chat))["items"] == []
    # when they say yes without a card, they are shown the card form, still nothing bought
    no_card = await chat.say("yes")
    assert [c["type"] for c in no_card["cards"]] == ["payment_form"]
    assert no_card["actions"] == [] and (await orders_of(chat))["items"] == []
    # when they say yes with the card the form collected
    placed = await chat.say("yes", payment=CARD)
    # then the order is placed, once
    assert placed["actions"][0]["type"] == "order.placed"
    listed = (await orders_of(chat))["items"]
    assert [o["number"] for o in listed] == [placed["actions"][0]["number"]]
    assert listed[0]["total"] == confirmation["total"]


async def orders_of(chat: Chat) -> dict[str, Any]:
    answer = await chat.client.get("/v1/orders", headers=chat.headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_slot_filling_asks_the_size_and_keeps_the_quantity(clothes: Store) -> None:
    # given a guest who asks for two tees without a size
    chat = await clothes.guest()
    asked = await chat.say("add 2 coastal cotton tees to my basket")
    # then they are asked which size, and nothing is added yet
    assert "size" in asked["reply"].lower() and asked["actions"] == []
    assert (await chat.cart())["items"] == []
    # when they answer
    added = await chat.say("L please")
    # then two of size L are in the cart
    items = (await chat.cart())["items"]
    assert [(i["name"], i["quantity"]) for i in items] == [("Coastal Cotton Tee (L)", 2)]
    assert added["actions"][0]["quantity"] == 2


async def test_corrections_change_the_last_line(clothes: Store) -> None:
    # given a shopper who added a hoodie in M
    chat = await clothes.guest()
    await chat.say("add the merino hoodie in size M to my cart")
    # when they correct the size, then the quantity
    await chat.say("no, I meant L")
    await chat.say("actually make it two")
    # then the cart holds two hoodies in L, and no M
    items = (await chat.cart())["items"]
    assert [(i["name"], i["quantity"]) for i in items] == [("Alpine Merino Hoodie (L)", 2)]


async def test_a_context_switch_is_answered_then_the_question_asked_again(clothes: Store) -> None:
    # given a shopper asked which size they want
    chat = await clothes.guest()
    await chat.say("I'd like to buy the merino hoodie")
    # when they ask something else meanwhile
    aside = await chat.say("how much is the nordic mug?")
    # then it is answered, and the size is asked again
    assert "14.00" in aside["reply"]
    assert "size" in aside["reply"].lower() and aside["quick_replies"][:3] == ["S", "M", "L"]
    # when they answer the size
    await chat.say("S")
    # then the hoodie is added in S
    items = (await chat.cart())["items"]
    assert [i["name"] for i in items] == ["Alpine Merino Hoodie (S)"]


async def test_cancelling_mid_flow_adds_nothing(clothes: Store) -> None:
    # given a shopper asked which size they want
    chat = await clothes.guest()
    await chat.say("put the tee in my cart")
    # when they change their mind
    stopped = await chat.say("never mind")
    # then the flow stops, nothing is added, and a later size means nothing
    assert stopped["actions"] == []
    later = await chat.say("M")
    assert later["actions"] == []
    assert (await chat.cart())["items"] == []


async def test_removing_and_applying_a_code_through_the_cart_agent(clothes: Store) -> None:
    # given a shopper with headphones in the cart
    chat = await clothes.guest()
    await chat.say("add the studio headphones to my cart")
    # when they apply a code that does not exist
    refused = await chat.say("apply code NOPE2026")
    # then it is refused, and the cart keeps no code
    assert refused["actions"] == []
    assert (await chat.cart())["discount_code"] is None
    # when they remove the headphones
    removed = await chat.say("remove the headphones from my cart")
    # then the cart is empty
    assert removed["actions"][0]["type"] == "cart.item_removed"
    assert (await chat.cart())["items"] == []


async def test_similar_and_cheaper_follow_the_conversation(clothes: Store) -> None:
    # given a second hoodie, and a shopper looking at the merino one
    await clothes.product("Harbor Fleece Hoodie", price="45.00", description="A fleece hoodie.")
    await clothes.ready()
    chat = await clothes.guest()
    await chat.say("tell me about the alpine merino hoodie")
    # when they ask for something similar
    similar = await chat.say("show me something similar")
    # then products like it are listed, not itself
    names = [c["name"] for c in similar["cards"] if c["type"] == "product"]
    assert "Harbor Fleece Hoodie" in names and "Alpine Merino Hoodie" not in names
    # when they search hoodies and then ask for something cheaper
    listed = await chat.say("show me merino hoodies")
    first = float(next(c["price"] for c in listed["cards"] if c["type"] == "product"))
    cheaper = await chat.say("something cheaper")
    # then hoodies cheaper than the first one shown are listed
    prices = [float(c["price"]) for c in cheaper["cards"] if c["type"] == "product"]
    assert prices and all(p < first for p in prices)


async def test_availability_by_size_and_colour(clothes: Store) -> None:
    chat = await clothes.guest()
    # a size it has, a size it lacks, a product with one variant
    has = await chat.say("is the merino hoodie in stock in size M?")
    lacks = await chat.say("do you have the merino hoodie in XL?")
    single = await chat.say("are the studio headphones in stock?")
    assert has["intent"]["name"] == "check_availability"
    assert has["reply"].startswith("Yes, Alpine Merino Hoodie in M is in stock (10 left)")
    assert "doesn't come in XL" in lacks["reply"] and "S, M, L" in lacks["reply"]
    assert single["reply"].startswith("Studio Over-Ear Headphones is in stock")
