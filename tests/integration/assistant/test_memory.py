"""Long-term memory: preferences a shopper states and affinities their signals show, used to
rank suggestions and pick a size, visible and erasable by the shopper (`/v1/me/memory`),
following a guest who signs in."""

from __future__ import annotations

from typing import Any

from tests.integration.assistant.conftest import Chat, Store
from tests.integration.identity.conftest import sign_up


async def memory(chat: Chat) -> list[dict[str, Any]]:
    answer = await chat.client.get("/v1/me/memory", headers=chat.headers)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def preferences(entries: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(e["key"], e["value"]) for e in entries if e["kind"] == "preference"}


async def test_stated_preferences_are_remembered_and_used(clothes: Store) -> None:
    # given a fleece hoodie beside the merino one
    await clothes.product(
        "Harbor Fleece Hoodie",
        price="45.00",
        options={"size": ["M", "L"]},
        description="A recycled polyester fleece hoodie.",
    )
    await clothes.ready()
    chat, _ = await clothes.customer()
    # when the shopper says what they wear and avoid
    noted = await chat.say("I'm a size M and no wool please")
    # then it is remembered, and said so
    assert {("size", "M"), ("exclude", "wool")} <= preferences(await memory(chat))
    assert "size M" in noted["reply"]
    # when they look for hoodies, the wool one is left out
    found = await chat.say("show me hoodies")
    names = [c["name"] for c in found["cards"] if c["type"] == "product"]
    assert names == ["Harbor Fleece Hoodie"]
    # when they add a tee without a size, their size is used
    added = await chat.say("add the coastal cotton tee to my cart")
    assert added["actions"][0]["type"] == "cart.item_added"
    assert [i["name"] for i in (await chat.cart())["items"]] == ["Coastal Cotton Tee (M)"]


async def test_signals_become_affinities(clothes: Store) -> None:
    # given a shopper who looks at the headphones and puts a mug in the cart
    chat, _ = await clothes.customer()
    await chat.say("tell me about the studio headphones")
    await chat.say("add a black nordic stoneware mug to my cart")
    # then their memory holds the price bands and the mug's colour as affinities
    affinities = {
        (e["key"], e["value"], e["source"]) for e in await memory(chat) if e["kind"] == "affinity"
    }
    assert ("price_band", "100-250", "view") in affinities
    assert ("color", "black", "cart") in affinities


async def test_a_shopper_sees_and_erases_only_their_own_memory(clothes: Store) -> None:
    # given two shoppers who stated preferences
    ann, _ = await clothes.customer()
    bob, _ = await clothes.customer()
    await ann.say("i usually wear size L")
    await bob.say("i'm allergic to nickel")
    # then each sees only their own
    assert preferences(await memory(ann)) == {("size", "L")}
    assert preferences(await memory(bob)) == {("exclude", "nickel")}
    # when ann forgets one entry by id, bob's id is not hers to forget
    bobs = (await memory(bob))[0]["id"]
    refused = await ann.client.delete(f"/v1/me/memory/{bobs}", headers=ann.headers)
    assert refused.status_code == 404 and refused.json()["code"] == "memory_entry_not_found"
    assert preferences(await memory(bob)) == {("exclude", "nickel")}
    # when ann forgets everything
    erased = await ann.client.delete("/v1/me/memory", headers=ann.headers)
    assert erased.status_code == 204
    # then her memory is empty, and bob's intact
    assert await memory(ann) == []
    assert preferences(await memory(bob)) == {("exclude", "nickel")}


async def test_a_guests_memory_follows_them_when_they_sign_in(clothes: Store) -> None:
    # given a guest who stated their size
    guest = await clothes.guest()
    await guest.say("i'm a size S")
    account = await sign_up(clothes.client)
    # when they sign in with their guest session
    signed = await clothes.client.post(
        "/v1/auth/login",
        json={"email": account.email, "password": account.password},
        headers=guest.headers,
    )
    assert signed.status_code == 200, signed.text
    await clothes.settle()
    user = Chat(
        clothes.client,
        {"x-tenant": "default", "authorization": f"Bearer {signed.json()['access_token']}"},
    )
    # then the user remembers it
    assert ("size", "S") in preferences(await memory(user))
