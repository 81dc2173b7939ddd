"""The pricing part through its API, on a whole store: gaps, market and history of a
product; alerts on competitors' moves; costs and category margins under the suggestions;
accepting a suggestion into the catalogue, and the refusals that change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.integration.identity.conftest import ADMIN
from tests.integration.intelligence.pricing.conftest import Pricing


async def test_a_products_gaps_market_position_and_history(pricing: Pricing) -> None:
    # given a product at 30.00 USD and three competitors' prices, one in euros with a promotion
    product = await pricing.product("30.00")
    seen = await pricing.observe(product["id"], ("alpha", "20.00"), ("beta", "24.00"),
                                 ("gamma", "26.00"))  # fmt: skip
    assert seen.status_code == 200, seen.text
    euro = await pricing.observe(
        product["id"], ("delta", "25.00"), currency="EUR",
        promotion_text="Save 10% with code SAVE10 until 31 Dec",
    )  # fmt: skip
    assert euro.json() == {"recorded": 1}
    # when its pricing is read
    found = await pricing.analysis(product["id"])
    # then each competitor's gap is store - competitor, in one currency only
    by_name = {c["competitor"]: c for c in found["competitors"]}
    assert (found["price"], found["currency"]) == ("30.00", "USD")
    assert (by_name["alpha"]["gap"], by_name["alpha"]["gap_percent"]) == ("10.00", "50.00")
    assert (by_name["beta"]["gap"], by_name["beta"]["gap_percent"]) == ("6.00", "25.00")
    assert (by_name["gamma"]["gap"], by_name["gamma"]["gap_percent"]) == ("4.00", "15.38")
    assert by_name["delta"]["comparable"] is False and by_name["delta"]["gap"] is None
    promotions = by_name["delta"]["promotions"]
    assert [(p["kind"], p["terms"].get("percent"), p["terms"].get("code")) for p in promotions] == [
        ("percent_off", "10", "SAVE10"),
        ("coupon", None, "SAVE10"),
    ]
    # and the market is the dollar prices', where the store is the dearest
    assert found["market"] == {"min": "20.00", "median": "24.00", "max": "26.00", "count": 3}
    assert found["position"] == {"label": "dearest", "rank": 4, "of": 4}
    # and with no cost known, nothing lowers the price, and it says why
    assert found["suggestions"] == [] and found["floor"] is None
    assert any("no cost" in note for note in found["notes"])
    assert any("EUR" in note for note in found["notes"])
    # and the history holds the store's price and each competitor's
    assert [p["price"] for p in found["history"]["store"]] == ["30.00"]
    assert len(found["history"]["competitors"]) == 4
    assert 0 < by_name["alpha"]["confidence"] <= 1


async def test_a_move_of_the_threshold_or_more_alerts_once(pricing: Pricing) -> None:
    # given a competitor's price seen at 20.00
    product = await pricing.product("30.00")
    start = datetime.now(UTC) - timedelta(hours=3)
    for hours, price in ((0, "20.00"), (1, "19.00"), (2, "18.50")):
        # when it is seen at 19.00 (5 % down: the threshold), then at 18.50 (2.6 % down)
        answer = await pricing.observe(
            product["id"],
            ("alpha", price),
            observed_at=(start + timedelta(hours=hours)).isoformat(),
        )
        assert answer.status_code == 200, answer.text
    # then exactly one alert is kept and published, for the 5 % move
    found = await pricing.analysis(product["id"])
    assert [(a["old_price"], a["new_price"], a["change_percent"]) for a in found["alerts"]] == [
        ("20.00", "19.00", "-5.00")
    ]
    events = await pricing.events("pricing.competitor_price_changed")
    assert [(e["old_price"], e["new_price"], e["product_id"]) for e in events] == [
        ("20.00", "19.00", product["id"])
    ]
    # and seeing the same price at the same instant again records nothing
    before = await pricing.snapshot()
    again = await pricing.observe(product["id"], ("alpha", "18.50"),
                                  observed_at=(start + timedelta(hours=2)).isoformat())  # fmt: skip
    assert again.status_code == 200 and await pricing.snapshot() == before


async def test_accepting_a_suggestion_changes_the_catalogue_once(pricing: Pricing) -> None:
    # given a product of two variants (30.00, 35.00) costing 15.00 with a 20 % margin, dearer
    # than three competitors
    product = await pricing.product("30.00", "35.00")
    stated = await pricing.cost(product["id"], cost="15.00", min_margin_percent="20")
    assert stated.status_code == 200, stated.text
    assert stated.json()["floor"]["price"] == "18.00"
    await pricing.observe(product["id"], ("alpha", "20.00"), ("beta", "24.00"), ("gamma", "26.00"))
    found = await pricing.analysis(product["id"])
    suggestions = {s["rule"]: s for s in found["suggestions"]}
    assert suggestions["match_median"]["price"] == "24.00"
    assert suggestions["undercut_lowest"]["price"] == "19.80"
    assert all(s["floor"] == "18.00" and 0 <= s["confidence"] <= 1 for s in suggestions.values())
    # when the merchant accepts matching the median
    accepted = await pricing.accept(suggestions["match_median"]["id"])
    # then the catalogue's prices move by -6.00, and who and when are recorded
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert body["status"] == "accepted" and body["accepted_by"] and body["accepted_at"]
    assert sorted(await pricing.catalogue_prices(product["id"])) == ["24.00", "29.00"]
    assert len(await pricing.events("pricing.suggestion_accepted")) == 1
    # when it is accepted again, the same answer, and no second change
    before = await pricing.snapshot()
    again = await pricing.accept(suggestions["match_median"]["id"])
    assert again.status_code == 200 and again.json()["accepted_at"] == body["accepted_at"]
    assert sorted(await pricing.catalogue_prices(product["id"])) == ["24.00", "29.00"]
    assert await pricing.snapshot() == before
    # when the other suggestion, made for the old price, is accepted: stale, nothing changes
    stale = await pricing.accept(suggestions["undercut_lowest"]["id"])
    assert stale.status_code == 409 and stale.json()["code"] == "pricing_suggestion_stale"
    assert sorted(await pricing.catalogue_prices(product["id"])) == ["24.00", "29.00"]
    assert await pricing.snapshot() == before
    # and the history has followed the catalogue
    await pricing.settled()
    history = (await pricing.analysis(product["id"]))["history"]["store"]
    assert [p["price"] for p in history] == ["30.00", "24.00"]


async def test_a_suggestion_for_a_price_changed_since_is_stale(pricing: Pricing) -> None:
    # given a suggestion made for a product at 30.00
    product = await pricing.product("30.00")
    await pricing.cost(product["id"], cost="10.00")
    await pricing.observe(product["id"], ("alpha", "20.00"), ("beta", "24.00"))
    (first, *_) = (await pricing.analysis(product["id"]))["suggestions"]
    # when the merchant changes the price in the catalogue, then accepts it
    variant = product["variants"][0]["id"]
    patched = await pricing.client.patch(
        f"/v1/products/{product['id']}/variants/{variant}",
        json={"price": "28.00"},
        headers=ADMIN,
    )
    assert patched.status_code == 200, patched.text
    await pricing.settled()
    before = await pricing.snapshot()
    answer = await pricing.accept(first["id"])
    # then 409, and the catalogue keeps the merchant's price
    assert answer.status_code == 409 and answer.json()["code"] == "pricing_suggestion_stale"
    assert await pricing.catalogue_prices(product["id"]) == ["28.00"]
    assert await pricing.snapshot() == before


async def test_a_suggestion_the_catalogue_refuses_changes_nothing(pricing: Pricing) -> None:
    # given a product at 15.00 marked down from 16.00, far below competitors at 24 and 26
    product = await pricing.product("15.00", compare_at="16.00")
    await pricing.observe(product["id"], ("alpha", "24.00"), ("beta", "26.00"))
    (raise_it,) = (await pricing.analysis(product["id"]))["suggestions"]
    assert (raise_it["rule"], raise_it["price"]) == ("raise_toward_median", "24.75")
    await pricing.settled()
    before = await pricing.snapshot()
    # when it is accepted: the catalogue refuses a price above the compare-at price
    refused = await pricing.accept(raise_it["id"])
    # then the catalogue's problem is answered, and neither the price nor the suggestion moved
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_compare_at_price"
    assert await pricing.catalogue_prices(product["id"]) == ["15.00"]
    assert await pricing.snapshot() == before
    still = (await pricing.analysis(product["id"]))["suggestions"]
    assert [(s["id"], s["status"]) for s in still] == [(raise_it["id"], "open")]


async def test_a_merchant_reads_and_accepts_for_its_own_products_only(pricing: Pricing) -> None:
    # given two merchants' products, each with a suggestion
    mine = await pricing.product("30.00", merchant_id="m-own")
    theirs = await pricing.product("30.00", merchant_id="m-other")
    for product in (mine, theirs):
        await pricing.cost(product["id"], cost="10.00")
        await pricing.observe(product["id"], ("alpha", "20.00"), ("beta", "24.00"))
    merchant = await pricing.merchant("m-own")
    # when the merchant reads and states the cost of its own: allowed
    assert (await pricing.pricing(mine["id"], merchant)).status_code == 200
    assert (await pricing.cost(mine["id"], merchant, cost="12.00")).status_code == 200
    # then another merchant's pricing and cost are refused
    refused = await pricing.pricing(theirs["id"], merchant)
    assert refused.status_code == 403 and refused.json()["code"] == "pricing_not_your_product"
    before = await pricing.snapshot()
    assert (await pricing.cost(theirs["id"], merchant, cost="1.00")).status_code == 403
    # and accepting another merchant's suggestion changes nothing
    (theirs_suggestion, *_) = (await pricing.analysis(theirs["id"]))["suggestions"]
    taken = await pricing.accept(theirs_suggestion["id"], merchant)
    assert taken.status_code == 403
    assert await pricing.catalogue_prices(theirs["id"]) == ["30.00"]
    assert await pricing.snapshot() == before
    # while its own is accepted into the catalogue
    (own_suggestion, *_) = (await pricing.analysis(mine["id"]))["suggestions"]
    assert (await pricing.accept(own_suggestion["id"], merchant)).status_code == 200
    assert await pricing.catalogue_prices(mine["id"]) == [own_suggestion["price"]]


async def test_a_category_margin_raises_the_floor_of_its_products(pricing: Pricing) -> None:
    # given a product of a subcategory costing 15.00 with no margin of its own
    parent = await pricing.category("Outerwear")
    made = await pricing.client.post(
        "/v1/categories",
        json={"name": "Rain jackets", "parent_id": parent},
        headers=ADMIN,
    )
    assert made.status_code == 201, made.text
    product = await pricing.product("30.00", category_id=made.json()["id"])
    await pricing.cost(product["id"], cost="15.00")
    await pricing.observe(product["id"], ("alpha", "12.00"), ("beta", "24.00"))
    # when the parent category's margin is set to 50 %
    answer = await pricing.client.put(
        f"/v1/intelligence/pricing/floors/{parent}",
        json={"min_margin_percent": "50"},
        headers=ADMIN,
    )
    assert answer.status_code == 200, answer.text
    # then the product's floor is 22.50 from that category, and no suggestion is under it
    found = await pricing.analysis(product["id"])
    assert found["floor"]["price"] == "22.50"
    assert found["floor"]["margin_from"] == f"category:{parent}"
    assert found["suggestions"] and all(float(s["price"]) >= 22.5 for s in found["suggestions"])
    # and an unknown category is refused, changing nothing
    before = await pricing.snapshot()
    missing = await pricing.client.put(
        "/v1/intelligence/pricing/floors/no-such-category",
        json={"min_margin_percent": "10"},
        headers=ADMIN,
    )
    assert missing.status_code == 404 and missing.json()["code"] == "pricing_category_not_found"
    assert await pricing.snapshot() == before


async def test_bad_input_changes_nothing(pricing: Pricing) -> None:
    # given a product priced in dollars
    product = await pricing.product("30.00")
    await pricing.settled()
    before = await pricing.snapshot()
    # when its cost is stated in euros, or with more decimals than dollars have
    euros = await pricing.cost(product["id"], cost="10.00", currency="EUR")
    fine = await pricing.cost(product["id"], cost="10.001")
    # and observations name a product that does not exist (with a good one in the batch)
    unknown = await pricing.client.post(
        "/v1/intelligence/pricing/observations",
        json={"items": [
            {"product_id": product["id"], "competitor": "a", "url": "https://a.example/1",
             "price": "20.00", "currency": "USD", "match_confidence": 0.9},
            {"product_id": "no-such-product", "competitor": "a", "url": "https://a.example/2",
             "price": "20.00", "currency": "USD", "match_confidence": 0.9},
        ]},
        headers=ADMIN,
    )  # fmt: skip
    # then each is refused with its code, and nothing was recorded
    assert euros.status_code == 422 and euros.json()["code"] == "pricing_invalid_amount"
    assert fine.status_code == 422
    assert unknown.status_code == 404
    assert (await pricing.accept("no-such-suggestion")).json()["code"] == (
        "pricing_suggestion_not_found"
    )
    assert await pricing.snapshot() == before
