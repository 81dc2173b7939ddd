"""EC001: concurrent edits of one cart. Every answer carries the cart's version as its ETag;
a write naming a stale version (`If-Match`) is refused with 409 and changes nothing, and
writes that name none are serialized by the version's conditional update (retried, never
lost silently)."""

from __future__ import annotations

import asyncio

import pytest

from mercato.agents.cart.models import Cart
from mercato.agents.cart.problems import CartVersionMoved
from mercato.agents.cart.service import claim
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.integration.cart.conftest import Shop


@pytest.mark.edge_case("EC001")
async def test_ec001_two_writers_with_the_same_if_match_one_wins_one_gets_409(
    shop: Shop,
) -> None:
    # given a cart both tabs read at the same version
    first, second = await shop.product(), await shop.product()
    guest = await shop.guest()
    cart = await shop.cart(guest)
    seen = cart["version"]
    # when both add a different product at once, each naming that version
    answers = await asyncio.gather(
        shop.add(cart, guest, first.variant_id, if_match=seen),
        shop.add(cart, guest, second.variant_id, if_match=seen),
    )
    # then exactly one wins and the other is told the cart moved on
    assert sorted(a.status_code for a in answers) == [200, 409]
    won = next(a for a in answers if a.status_code == 200)
    lost = next(a for a in answers if a.status_code == 409)
    assert lost.json()["code"] == "cart_version_conflict"
    assert lost.json()["current_version"] == seen + 1
    assert lost.headers["etag"] == f'"{seen + 1}"'
    # and the cart holds exactly the winner's change
    now = await shop.get(cart, guest)
    assert now["version"] == seen + 1
    assert [i["variant_id"] for i in now["items"]] == [won.json()["items"][0]["variant_id"]]
    assert len(await shop.events("cart.item_changed")) == 1


@pytest.mark.edge_case("EC001")
async def test_ec001_two_writers_without_if_match_both_land(shop: Shop) -> None:
    # given a cart and two products
    first, second = await shop.product(), await shop.product()
    guest = await shop.guest()
    cart = await shop.cart(guest)
    # when two tabs add them at once without naming a version
    answers = await asyncio.gather(
        shop.add(cart, guest, first.variant_id), shop.add(cart, guest, second.variant_id)
    )
    # then both succeed and neither line was lost
    assert [a.status_code for a in answers] == [200, 200]
    now = await shop.get(cart, guest)
    assert sorted(i["variant_id"] for i in now["items"]) == sorted(
        [first.variant_id, second.variant_id]
    )
    assert now["version"] == cart["version"] + 2


@pytest.mark.edge_case("EC001")
async def test_ec001_concurrent_increments_of_one_line_all_count(shop: Shop) -> None:
    # given a line of 1
    product = await shop.product(stock=50)
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 1)
    # when two tabs add 2 and 3 of it at once
    answers = await asyncio.gather(
        shop.add(cart, guest, product.variant_id, 2), shop.add(cart, guest, product.variant_id, 3)
    )
    # then the line holds all of them
    assert [a.status_code for a in answers] == [200, 200]
    assert (await shop.get(cart, guest))["items"][0]["quantity"] == 6


@pytest.mark.edge_case("EC001")
async def test_ec001_a_stale_if_match_is_refused_and_changes_nothing(shop: Shop) -> None:
    # given a cart read at version v, then changed by another tab
    product = await shop.product()
    guest = await shop.guest()
    cart = await shop.cart(guest)
    stale = cart["version"]
    cart = await shop.added(cart, guest, product.variant_id)
    before = await shop.snapshot(cart, guest)
    url = f"/v1/carts/{cart['id']}/items/{cart['items'][0]['id']}"
    # when the first tab writes naming version v
    answers = [
        await shop.add(cart, guest, product.variant_id, if_match=stale),
        await shop.client.patch(
            url, json={"quantity": 3}, headers={**guest, "if-match": f'"{stale}"'}
        ),
        await shop.client.delete(url, headers={**guest, "if-match": f'W/"{stale}"'}),
        await shop.client.patch(
            f"/v1/carts/{cart['id']}",
            json={"country": "CA"},
            headers={**guest, "if-match": "not-a-version"},
        ),
    ]
    # then every write is refused with the current version, and nothing changed
    for answer in answers:
        assert (answer.status_code, answer.json()["code"]) == (409, "cart_version_conflict")
        assert answer.json()["current_version"] == cart["version"]
    assert await shop.snapshot(cart, guest) == before


@pytest.mark.edge_case("EC001")
async def test_ec001_an_if_match_of_no_issued_version_is_a_conflict_never_a_crash(
    shop: Shop,
) -> None:
    # given a cart with a line
    product = await shop.product()
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id)
    before = await shop.snapshot(cart, guest)
    url = f"/v1/carts/{cart['id']}/items/{cart['items'][0]['id']}"
    # when writes name a "version" that is a digit to `str.isdigit` but no number to `int`
    # (a superscript two, sent as its Latin-1 byte), or more digits than `int` reads
    tags = ['"\u00b2"'.encode("latin-1"), f'"{"9" * 5000}"'.encode("ascii")]
    answers = [
        await shop.client.patch(url, json={"quantity": 3}, headers={**guest, "if-match": tag})
        for tag in tags
    ]
    # then each is refused like any version the API never issued, and nothing changed
    for answer in answers:
        assert (answer.status_code, answer.json()["code"]) == (409, "cart_version_conflict")
        assert answer.json()["current_version"] == cart["version"]
    assert await shop.snapshot(cart, guest) == before


@pytest.mark.edge_case("EC001")
async def test_ec001_the_current_if_match_is_accepted(shop: Shop) -> None:
    product = await shop.product()
    guest = await shop.guest()
    cart = await shop.cart(guest)
    opened = await shop.client.get(f"/v1/carts/{cart['id']}", headers=guest)
    etag = opened.headers["etag"]
    answer = await shop.client.post(
        f"/v1/carts/{cart['id']}/items",
        json={"variant_id": product.variant_id, "quantity": 1},
        headers={**guest, "if-match": etag},
    )
    assert answer.status_code == 200
    assert answer.headers["etag"] == f'"{cart["version"] + 1}"'
    wildcard = await shop.client.post(
        f"/v1/carts/{cart['id']}/items",
        json={"variant_id": product.variant_id, "quantity": 1},
        headers={**guest, "if-match": "*"},
    )
    assert wildcard.status_code == 200


@pytest.mark.edge_case("EC001")
async def test_ec001_a_write_that_read_a_version_since_moved_claims_nothing(
    shop: Shop, settings: Settings
) -> None:
    if settings.is_sqlite:
        pytest.skip("SQLite serializes writers before they read: a claim cannot lose there")
    # given a unit of work that read the cart at version v
    product = await shop.product()
    guest = await shop.guest()
    cart = await shop.cart(guest)
    with bind(tenant_id="default"):
        async with shop.kernel.uow() as stale:
            row = await stale.session.get(Cart, cart["id"])
            assert row is not None and row.version == cart["version"]
            # when another writer commits first
            await shop.added(cart, guest, product.variant_id)
            # then the stale unit's conditional update matches nothing, and says so
            with pytest.raises(CartVersionMoved):
                await claim(stale, row, now=shop.kernel.clock.now())
    # and the other writer's change is intact
    now = await shop.get(cart, guest)
    assert (now["version"], len(now["items"])) == (cart["version"] + 1, 1)
