"""Words shoppers use for the same thing (synonyms an admin keeps) and words they misspell
("did you mean") find what they meant."""

from __future__ import annotations

from mercato.agents.search.spelling import Vocabularies
from tests.integration.catalog.conftest import ADMIN_HEADERS
from tests.integration.identity.conftest import sign_up
from tests.integration.search.conftest import Shop

GROUPS = [["tshirt", "t shirt", "tee"], ["sofa", "couch", "settee"]]


async def test_an_admins_synonyms_find_the_products_by_any_member(shop: Shop) -> None:
    client = shop.client
    await shop.product("Crew Tee")
    await shop.product("Striped T-Shirt")
    await shop.product("Linen Couch")
    # before any synonym, each word finds only itself (by its letters: by meaning, a sofa
    # is a couch already)
    assert await shop.names(q="tee ", mode="lexical") == ["Crew Tee"]
    assert await shop.names(q="sofa", mode="lexical") == []
    # when an admin says which words mean the same
    put = await client.put("/v1/search/synonyms", json={"groups": GROUPS}, headers=ADMIN_HEADERS)
    assert put.status_code == 200, put.text
    assert (await client.get("/v1/search/synonyms", headers=ADMIN_HEADERS)).json() == {
        "groups": GROUPS
    }
    # then every member finds the products of every other
    for typed in ("tshirt ", "t shirt ", "tee ", "TSHIRT"):
        found = await shop.names(q=typed, mode="lexical")
        assert sorted(found) == ["Crew Tee", "Striped T-Shirt"], typed
    assert await shop.names(q="sofa", mode="lexical") == ["Linen Couch"]


async def test_synonyms_are_the_admins_to_change_and_must_be_words(shop: Shop) -> None:
    client = shop.client
    merchant = await sign_up(client, "merchant", merchant_id="m-1")
    refused = await client.put(
        "/v1/search/synonyms", json={"groups": GROUPS}, headers=merchant.headers
    )
    assert refused.status_code == 403
    assert (await client.get("/v1/search/synonyms", headers=merchant.headers)).status_code == 403
    for groups in ([["alone"]], [["a", "!!!"]], [["x" * 61, "y"]]):
        answer = await client.put(
            "/v1/search/synonyms", json={"groups": groups}, headers=ADMIN_HEADERS
        )
        assert answer.status_code == 422, groups
    listed = await client.get("/v1/search/synonyms", headers=ADMIN_HEADERS)
    assert listed.json() == {"groups": []}  # nothing was kept


async def test_a_misspelt_word_is_corrected_to_the_stores_word(shop: Shop) -> None:
    await shop.product("Waterproof Hiking Jacket")
    await shop.product("Merino Wool Sweater")
    for typed, meant in [
        ("jakcet", "jacket"),
        ("jackte", "jacket"),
        ("merno sweater", "merino sweater"),
        ("sweatr", "sweater"),
        ("waterprof", "waterproof"),
    ]:
        found = await shop.search(q=typed + " ")
        assert found["did_you_mean"] == meant, typed
        assert found["items"], typed
    exact = await shop.search(q="jacket")
    assert exact["did_you_mean"] is None and len(exact["items"]) == 1
    nothing = await shop.search(q="zzzzzz")
    assert nothing["did_you_mean"] is None and nothing["items"] == []


async def test_a_new_word_is_learnt_in_the_background_not_in_a_search(shop: Shop) -> None:
    # given a store whose vocabulary a search has loaded
    await shop.product("Walnut Tray")
    assert (await shop.search(q="walnat"))["did_you_mean"] == "walnut"
    # when a product brings a new word, the search keeps the vocabulary it has
    await shop.product("Rattan Basket")
    await shop.settle()
    vocabularies = shop.kernel.deps(Vocabularies)
    async with shop.kernel.uow(writes=False) as uow:
        held = await vocabularies.of(uow, "default")
    assert "rattan" not in held.counts
    # and the refresh job builds it again once it is old enough, no search waiting on it
    assert await vocabularies.refresh(shop.kernel) == []  # still fresh
    vocabularies.ttl = 0
    assert await vocabularies.refresh(shop.kernel) == ["default"]
    assert (await shop.search(q="rattn", mode="lexical"))["did_you_mean"] == "rattan"
