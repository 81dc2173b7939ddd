"""Discount codes: the admin's CRUD, applying one to a cart (one per cart), the reasons a
code is refused, EC014 (a code that expires after it was applied is removed and reported),
and redeeming a code at checkout under concurrency."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from mercato.agents.cart import service
from mercato.agents.cart.problems import DiscountCodeExhausted
from mercato.kernel.context import bind
from tests.integration.cart.conftest import Shop, codes_of
from tests.integration.identity.conftest import ADMIN

# -- the admin's CRUD ---------------------------------------------------------------------------


async def test_an_admin_creates_lists_and_changes_codes(shop: Shop) -> None:
    # when the admin creates a code in lower case
    created = await shop.code("spring-10", "percent", "10", min_subtotal="20.00", usage_limit=5)
    # then it is stored upper-case, in the store's currency, unused
    assert (created["code"], created["kind"], created["value"]) == ("SPRING-10", "percent", "10")
    assert (created["currency"], created["min_subtotal"], created["usage_limit"]) == (
        "USD",
        "20.00",
        5,
    )
    assert (created["times_used"], created["active"]) == (0, True)
    # and it is listed; a change deactivates it and clears its minimum
    listed = await shop.client.get("/v1/discount-codes", headers=ADMIN)
    assert [c["code"] for c in listed.json()["items"]] == ["SPRING-10"]
    changed = await shop.client.patch(
        f"/v1/discount-codes/{created['id']}",
        json={"active": False, "min_subtotal": None},
        headers=ADMIN,
    )
    assert changed.status_code == 200
    assert (changed.json()["active"], changed.json()["min_subtotal"]) == (False, None)


async def test_codes_are_refused_when_invalid_or_taken(shop: Shop) -> None:
    await shop.code("TAKEN")
    bad = [
        ({"code": "taken", "kind": "percent", "value": "5"}, 409, "discount_code_exists"),
        ({"code": "BIG", "kind": "percent", "value": "150"}, 422, "invalid_discount_code"),
        ({"code": "ZERO", "kind": "fixed", "value": "0"}, 422, "validation_failed"),
        ({"code": "FINE", "kind": "fixed", "value": "1.005"}, 422, "invalid_amount"),
        ({"code": "has space", "kind": "fixed", "value": "1"}, 422, "validation_failed"),
        (
            {
                "code": "BACKWARDS",
                "kind": "fixed",
                "value": "1",
                "starts_at": "2030-01-02T00:00:00Z",
                "expires_at": "2030-01-01T00:00:00Z",
            },
            422,
            "invalid_discount_code",
        ),
    ]
    for body, status, code in bad:
        answer = await shop.client.post("/v1/discount-codes", json=body, headers=ADMIN)
        assert (answer.status_code, answer.json()["code"]) == (status, code), body
    listed = await shop.client.get("/v1/discount-codes", headers=ADMIN)
    assert [c["code"] for c in listed.json()["items"]] == ["TAKEN"]


async def test_only_admins_manage_codes(shop: Shop) -> None:
    customer = await shop.customer()
    body = {"code": "MINE", "kind": "percent", "value": "50"}
    assert (
        await shop.client.post("/v1/discount-codes", json=body, headers=customer)
    ).status_code == 403
    assert (await shop.client.get("/v1/discount-codes", headers=customer)).status_code == 403


# -- applying codes ------------------------------------------------------------------------------


async def _cart_of(shop: Shop, amount: str = "40.00") -> tuple[dict[str, Any], dict[str, str]]:
    product = await shop.product(amount)
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id)
    return cart, guest


async def test_a_code_takes_its_share_and_one_code_replaces_another(shop: Shop) -> None:
    # given a 40.00 cart and two codes
    await shop.code("TENPCT", "percent", "10")
    await shop.code("FIVEOFF", "fixed", "5.00")
    cart, guest = await _cart_of(shop)
    url = f"/v1/carts/{cart['id']}/codes"
    # when the guest applies one, typed in lower case
    first = await shop.client.post(url, json={"code": "tenpct"}, headers=guest)
    # then 10 % comes off
    assert first.status_code == 200, first.text
    assert (first.json()["discount_code"], first.json()["discount_total"]) == ("TENPCT", "4.00")
    assert first.json()["total"] == "41.00"  # 40 - 4 + 5 shipping
    # when it applies the other, that one replaces it
    second = await shop.client.post(url, json={"code": "FIVEOFF"}, headers=guest)
    assert (second.json()["discount_code"], second.json()["discount_total"]) == ("FIVEOFF", "5.00")
    # and removing it takes it off
    removed = await shop.client.delete(f"{url}/fiveoff", headers=guest)
    assert (removed.json()["discount_code"], removed.json()["discount_total"]) == (None, "0.00")
    again = await shop.client.delete(f"{url}/FIVEOFF", headers=guest)
    assert (again.status_code, again.json()["code"]) == (404, "discount_code_not_applied")


async def test_codes_that_cannot_apply_are_refused_and_change_nothing(shop: Shop) -> None:
    # given a 40.00 cart and codes of every kind of refusal
    now = shop.kernel.clock.now()
    await shop.code("OFF", active=False)
    await shop.code("LATER", starts_at=(now + timedelta(days=1)).isoformat())
    await shop.code("OVER", expires_at=(now - timedelta(seconds=1)).isoformat())
    used = await shop.code("USEDUP", usage_limit=1)
    await shop.code("BIGSPENDER", min_subtotal="50.00")
    with bind(tenant_id="default"):
        async with shop.kernel.uow() as uow:
            await service.redeem_code(uow, code=used["code"], now=now)
            await uow.commit()
    cart, guest = await _cart_of(shop)
    before = await shop.snapshot(cart, guest)
    url = f"/v1/carts/{cart['id']}/codes"
    expected = {
        "NOSUCH": (404, "discount_code_not_found"),
        "OFF": (422, "discount_code_inactive"),
        "LATER": (422, "discount_code_not_started"),
        "OVER": (422, "discount_code_expired"),
        "USEDUP": (409, "discount_code_exhausted"),
        "BIGSPENDER": (422, "discount_minimum_not_met"),
    }
    # when the guest tries each
    for code, (status, problem) in expected.items():
        answer = await shop.client.post(url, json={"code": code}, headers=guest)
        # then each is refused with its reason
        assert (answer.status_code, answer.json()["code"]) == (status, problem), code
    # and nothing changed
    assert await shop.snapshot(cart, guest) == before


async def test_a_code_that_never_existed_is_told_apart_from_one_no_longer_valid(
    shop: Shop,
) -> None:
    # given a cart, and a code the admin switched off
    await shop.code("RETIRED", active=False)
    cart, guest = await _cart_of(shop)
    before = await shop.snapshot(cart, guest)
    url = f"/v1/carts/{cart['id']}/codes"
    # when the guest tries a code no one ever made, then the retired one
    nope = await shop.client.post(url, json={"code": "nope"}, headers=guest)
    retired = await shop.client.post(url, json={"code": "retired"}, headers=guest)
    # then the first is 404 "there is no discount code", the second 422 "no longer valid"
    assert (nope.status_code, nope.json()["code"]) == (404, "discount_code_not_found")
    assert nope.json()["detail"] == "there is no discount code NOPE"
    assert (retired.status_code, retired.json()["code"]) == (422, "discount_code_inactive")
    assert retired.json()["detail"] == "the code RETIRED is no longer valid"
    # and nothing changed
    assert await shop.snapshot(cart, guest) == before


async def test_a_code_switched_off_after_it_was_applied_is_reported_as_no_longer_valid(
    shop: Shop,
) -> None:
    # given a cart carrying a code
    created = await shop.code("SPRING")
    cart, guest = await _cart_of(shop)
    applied = await shop.client.post(
        f"/v1/carts/{cart['id']}/codes", json={"code": "SPRING"}, headers=guest
    )
    assert applied.status_code == 200, applied.text
    # when the admin switches the code off
    off = await shop.client.patch(
        f"/v1/discount-codes/{created['id']}", json={"active": False}, headers=ADMIN
    )
    assert off.status_code == 200, off.text
    # then the cart reports it as no longer valid, not as a code that never existed
    read = await shop.get(cart, guest)
    [problem] = [p for p in read["problems"] if p["code"].startswith("discount_")]
    assert (problem["code"], problem["discount_code"]) == ("discount_code_inactive", "SPRING")
    assert problem["detail"] == "the code SPRING is no longer valid"


@pytest.mark.edge_case("EC014")
async def test_ec014_a_code_that_expires_after_it_was_applied_is_removed_and_reported(
    quiet_shop: Shop,
) -> None:
    shop = quiet_shop
    assert shop.clock is not None
    # given a cart with a code that expires in an hour
    await shop.code(
        "HOUR", "percent", "25", expires_at=(shop.clock.now() + timedelta(hours=1)).isoformat()
    )
    product = await shop.product("40.00")
    cart, guest = await _cart_of(shop)
    applied = await shop.client.post(
        f"/v1/carts/{cart['id']}/codes", json={"code": "HOUR"}, headers=guest
    )
    assert applied.json()["discount_total"] == "10.00"
    # when the hour passes
    shop.clock.advance(hours=1, seconds=1)
    # then reading the cart no longer counts it and says why, without writing anything
    read = await shop.get(cart, guest)
    assert (read["discount_total"], read["discount_code"]) == ("0.00", "HOUR")
    assert codes_of(read) == ["discount_code_expired"]
    assert read["version"] == applied.json()["version"]
    # and the next write takes it off the cart and tells the shopper
    written = await shop.added(cart, guest, product.variant_id)
    assert (written["discount_code"], written["discount_total"]) == (None, "0.00")
    [notice] = written["problems"]
    assert (notice["code"], notice["discount_code"], notice["removed"]) == (
        "discount_code_expired",
        "HOUR",
        True,
    )
    # for good: the cart has no code any more
    after = await shop.get(cart, guest)
    assert (after["discount_code"], after["problems"]) == (None, [])


@pytest.mark.edge_case("EC014")
async def test_ec014_validation_removes_an_expired_code_and_reports_it(quiet_shop: Shop) -> None:
    shop = quiet_shop
    assert shop.clock is not None
    await shop.code(
        "BRIEF", "fixed", "5.00", expires_at=(shop.clock.now() + timedelta(minutes=5)).isoformat()
    )
    cart, guest = await _cart_of(shop)
    applied = await shop.client.post(
        f"/v1/carts/{cart['id']}/codes", json={"code": "BRIEF"}, headers=guest
    )
    assert applied.status_code == 200
    shop.clock.advance(minutes=10)
    # when checkout validates the cart
    checked = await shop.validate(cart, guest)
    # then the code is gone, reported, and the cart must be confirmed again
    assert checked["valid"] is False
    assert codes_of(checked) == ["discount_code_expired"]
    assert checked["cart"]["discount_code"] is None
    assert checked["cart"]["version"] == applied.json()["version"] + 1
    # and validating again finds nothing wrong
    again = await shop.validate(cart, guest)
    assert (again["valid"], again["problems"]) == (True, [])


async def test_a_code_whose_minimum_is_no_longer_met_stays_but_does_not_count(shop: Shop) -> None:
    # given a 60.00 cart (two lines) with a code for carts of 50.00 or more
    await shop.code("FIFTY", "fixed", "10.00", min_subtotal="50.00")
    big, small = await shop.product("40.00"), await shop.product("20.00")
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, big.variant_id)
    cart = await shop.added(cart, guest, small.variant_id)
    applied = await shop.client.post(
        f"/v1/carts/{cart['id']}/codes", json={"code": "FIFTY"}, headers=guest
    )
    assert applied.json()["discount_total"] == "10.00"
    # when the 40.00 line is removed
    line = next(i for i in applied.json()["items"] if i["variant_id"] == big.variant_id)
    removed = await shop.client.delete(f"/v1/carts/{cart['id']}/items/{line['id']}", headers=guest)
    # then the code stays on the cart but does not count, and the shopper is told why
    body = removed.json()
    assert (body["discount_code"], body["discount_total"], body["subtotal"]) == (
        "FIFTY",
        "0.00",
        "20.00",
    )
    [problem] = body["problems"]
    assert (problem["code"], problem["min_subtotal"]) == ("discount_minimum_not_met", "50.00")
    # and it counts again once the minimum is met
    restored = await shop.added(cart, guest, big.variant_id)
    assert (restored["discount_total"], restored["problems"]) == ("10.00", [])


# -- redeeming at checkout -------------------------------------------------------------------------


async def test_redeeming_never_exceeds_a_codes_usage_limit_under_concurrency(shop: Shop) -> None:
    # given a code that may be used 3 times
    created = await shop.code("THREE", usage_limit=3)
    now = shop.kernel.clock.now()

    async def redeem() -> str:
        with bind(tenant_id="default"):
            async with shop.kernel.uow() as uow:
                try:
                    await service.redeem_code(uow, code="three", now=now)
                except DiscountCodeExhausted:
                    return "exhausted"
                await uow.commit()
                return "redeemed"

    # when 10 checkouts redeem it at once
    outcomes = await asyncio.gather(*(redeem() for _ in range(10)))
    # then exactly 3 succeed and the code counts 3 uses
    assert sorted(outcomes) == ["exhausted"] * 7 + ["redeemed"] * 3
    listed = (await shop.client.get("/v1/discount-codes", headers=ADMIN)).json()["items"]
    assert [(c["id"], c["times_used"]) for c in listed] == [(created["id"], 3)]
