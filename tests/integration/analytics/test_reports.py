"""The reports over a day of trading: sales (and grouped), orders, the funnel, best sellers,
inventory, customers, cohorts, carts and KPIs, each read back from the read models the
events built, in the shape every report shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from mercato.agents.cart.abandonment import mark_abandoned
from mercato.kernel.context import bind
from tests.integration.analytics.conftest import Store, today
from tests.integration.cart.conftest import Product
from tests.integration.checkout.conftest import body, new_key
from tests.integration.identity.conftest import guest_headers, sign_up

FRAME = {
    "report", "from", "to", "granularity", "time_zone", "currency", "currencies", "group_by",
    "merchant_id", "totals", "rows",
}  # fmt: skip


@dataclass
class Day:
    """A day of trading: shoes (merchant m-1) and hats (m-2) and an uncategorised mug; an
    order of shoes and a hat, one of a mug cancelled, one of hats partly refunded."""

    shoes: Product
    hats: Product
    mug: Product
    first: dict[str, Any]
    cancelled: dict[str, Any]
    refunded: dict[str, Any]


@pytest.fixture
async def day(store: Store) -> Day:
    shoes_category, hats_category = await store.category("Shoes"), await store.category("Hats")
    shoes = await store.product("20.00", merchant_id="m-1", category_id=shoes_category)
    hats = await store.product("5.00", merchant_id="m-2", category_id=hats_category)
    mug = await store.product("12.00")
    first = await store.order((shoes, 2), (hats, 1))
    cancelled = await store.order((mug, 1))
    await store.cancel(cancelled)
    customer = (await sign_up(store.client)).headers
    refunded = await store.order((hats, 3), headers=customer)
    assert (await store.refund(refunded, "5.00")).status_code == 201
    await store.settled()
    return Day(shoes, hats, mug, first, cancelled, refunded)


def total(placed: dict[str, Any]) -> Decimal:
    return Decimal(placed["order"]["total"])


async def test_sales_counts_confirmed_orders_less_cancelled_ones_and_refunds(
    store: Store, day: Day
) -> None:
    # when the admin asks today's sales
    sales = await store.report("sales", **{"from": today(), "to": today()})
    # then the answer has every report's frame, in the store's time zone and currency
    assert sales.keys() >= FRAME and sales["report"] == "sales"
    assert (sales["time_zone"], sales["currency"], sales["currencies"]) == ("UTC", "USD", ["USD"])
    # and the two sales count, the cancelled order not, the refund on its day
    revenue = total(day.first) + total(day.refunded)
    totals = sales["totals"]
    assert Decimal(totals["revenue"]) == revenue
    assert (totals["orders"], totals["units"]) == (2, 6)
    assert Decimal(totals["gross_revenue"]) == Decimal("60.00")  # 2 x 20 + 1 x 5 + 3 x 5
    assert Decimal(totals["refunds"]) == Decimal("5.00")
    assert Decimal(totals["net_revenue"]) == revenue - Decimal("5.00")
    assert Decimal(totals["aov"]) == (revenue / 2).quantize(Decimal("0.01"))
    # and one row, today's, says the same
    [row] = sales["rows"]
    assert row["bucket"] == today() and row["revenue"] == totals["revenue"]


async def test_sales_grouped_by_what_lines_sell_are_the_lines_figures(
    store: Store, day: Day
) -> None:
    # when sales are grouped by category, product and merchant
    by = {
        group: await store.report("sales", group_by=group)
        for group in ("category", "product", "merchant")
    }
    # then each group has its lines' revenue and units, and no order-level amount
    categories = {r["label"]: r for r in by["category"]["rows"]}
    assert set(categories) == {"Shoes", "Hats"}
    assert (categories["Shoes"]["revenue"], categories["Shoes"]["units"]) == ("40.00", 2)
    assert (categories["Hats"]["revenue"], categories["Hats"]["units"]) == ("20.00", 4)
    assert categories["Hats"]["orders"] == 2 and categories["Hats"]["discounts"] is None
    products = {r["group"]: r["revenue"] for r in by["product"]["rows"]}
    assert products == {day.shoes.id: "40.00", day.hats.id: "20.00"}
    merchants = {r["group"]: r["units"] for r in by["merchant"]["rows"]}
    assert merchants == {"m-1": 2, "m-2": 4}
    # and the totals are the period's lines', whatever the grouping
    assert by["product"]["totals"]["revenue"] == "60.00" and by["product"]["totals"]["orders"] == 2


async def test_sales_by_channel_keeps_whole_orders(store: Store, day: Day) -> None:
    sales = await store.report("sales", group_by="channel")
    [web] = sales["rows"]
    assert web["group"] == "web" and Decimal(web["revenue"]) == total(day.first) + total(
        day.refunded
    )
    assert web["refunds"] == "5.00"


async def test_orders_report_has_what_became_of_every_order(store: Store, day: Day) -> None:
    orders = await store.report("orders")
    totals = orders["totals"]
    assert (totals["placed"], totals["orders"], totals["cancelled"], totals["pending"]) == (
        3, 2, 1, 0,
    )  # fmt: skip
    assert (totals["refunds"], totals["refunded_orders"]) == ("5.00", 1)
    revenue = total(day.first) + total(day.refunded)
    assert totals["refund_rate"] == round(float(Decimal("5.00") / revenue), 4)
    # the default period is the last 30 days, a row each
    assert len(orders["rows"]) == 30 and orders["rows"][-1]["bucket"] == today()


async def test_the_funnel_follows_visits_to_orders(store: Store, day: Day) -> None:
    funnel = (await store.report("funnel"))["totals"]
    # two guests' sessions (the customer signed in: no guest visit), three filled carts,
    # three checkouts, two of them sales
    assert (funnel["sessions"], funnel["carts"], funnel["checkouts"], funnel["orders"]) == (
        2, 3, 3, 2,
    )  # fmt: skip
    assert funnel["checkout_rate"] == 1.0 and funnel["order_rate"] == round(2 / 3, 4)
    assert funnel["conversion_rate"] == 1.0


async def test_best_sellers_by_revenue_or_units(store: Store, day: Day) -> None:
    by_revenue = await store.report("top-products")
    assert [r["id"] for r in by_revenue["rows"]] == [day.shoes.id, day.hats.id]
    assert by_revenue["rows"][0]["revenue_share"] == round(40 / 60, 4)
    by_units = await store.report("top-products", by="units", limit=1)
    assert [(r["rank"], r["id"], r["units"]) for r in by_units["rows"]] == [(1, day.hats.id, 4)]
    categories = await store.report("top-categories")
    assert [r["name"] for r in categories["rows"]] == ["Shoes", "Hats"]


async def test_inventory_has_turnover_and_days_of_cover(store: Store, day: Day) -> None:
    rows = {r["variant_id"]: r for r in (await store.report("inventory"))["rows"]}
    hats = rows[day.hats.variant_id]
    # 100 received today (on hand 0 at the start, 100 at the end: 50 on average); 4 sold
    assert (hats["units_sold"], hats["on_hand"], hats["average_on_hand"]) == (4, 100, 50.0)
    assert hats["turnover"] == 0.08
    assert hats["days_of_cover"] == round(100 / (4 / 30), 1)
    # the mug sold nothing (its order was cancelled) and has no cover to count
    mug = rows[day.mug.variant_id]
    assert (mug["units_sold"], mug["days_of_cover"]) == (0, None)


async def test_customers_new_and_returning(store: Store, day: Day) -> None:
    # given the first guest orders again, with the same email
    again = await store.order((day.mug, 1))
    await store.settled()
    customers = (await store.report("customers"))["totals"]
    # then two customers are new (the guest and the customer), none only returning
    assert (customers["customers"], customers["new_customers"], customers["orders"]) == (2, 2, 3)
    assert Decimal(customers["returning_customer_revenue"]) == total(again)
    cohorts = await store.report("cohorts")
    assert cohorts["granularity"] == "month"
    [this_month] = cohorts["rows"]
    assert (this_month["size"], this_month["months_since"], this_month["retention"]) == (2, 0, 1.0)
    assert cohorts["totals"]["returned"] == 0  # ordering again the same month is not returning


async def test_a_cart_checked_out_after_abandonment_is_recovered(store: Store, day: Day) -> None:
    # given a guest's cart left idle long enough to be abandoned
    headers = await guest_headers(store.client)
    cart = await store.shop.cart(headers)
    cart = await store.shop.added(cart, headers, day.mug.variant_id, 2)
    with bind(tenant_id="default"):
        async with store.kernel.uow() as uow:
            later = store.kernel.clock.now() + timedelta(hours=2)
            assert await mark_abandoned(uow, cart_id=cart["id"], now=later, threshold_seconds=60)
            await uow.commit()
    await store.settled()
    assert (await store.report("carts"))["totals"]["abandoned"] == 1
    # when the guest comes back and checks it out
    placed = await store.client.post(
        "/v1/checkout", json=body(cart), headers={**headers, "Idempotency-Key": new_key()}
    )
    assert placed.status_code == 201, placed.text
    await store.settled()
    # then the cart is recovered, with its order's revenue
    carts = (await store.report("carts"))["totals"]
    assert (carts["carts"], carts["abandoned"], carts["recovered"]) == (4, 1, 1)
    assert carts["recovered_revenue"] == placed.json()["order"]["total"]
    assert carts["abandoned_rate"] == 0.25 and carts["recovery_rate"] == 1.0


async def test_kpis_for_today_and_the_period(store: Store, day: Day) -> None:
    kpis = await store.report("kpis")
    today_row, period_row = kpis["rows"]
    assert (today_row["scope"], today_row["from"], today_row["to"]) == ("today", today(), today())
    assert period_row["scope"] == "period" and period_row["orders"] == kpis["totals"]["orders"]
    assert today_row["orders"] == 2 and today_row["revenue"] == kpis["totals"]["revenue"]
    assert today_row["refunds"] == "5.00" and today_row["abandoned_rate"] == 0.0


async def test_weeks_and_months_cut_the_same_sales(store: Store, day: Day) -> None:
    start = (store.kernel.clock.now().date() - timedelta(days=60)).isoformat()
    cuts = {
        g: await store.report("sales", **{"from": start, "granularity": g})
        for g in ("day", "week", "month")
    }
    assert len(cuts["day"]["rows"]) == 61
    assert {c["totals"]["revenue"] for c in cuts.values()} == {cuts["day"]["totals"]["revenue"]}
    for cut in cuts.values():
        assert sum(Decimal(r["revenue"]) for r in cut["rows"]) == Decimal(cut["totals"]["revenue"])
    assert all(date.fromisoformat(r["bucket"]).weekday() == 0 for r in cuts["week"]["rows"][1:])
    assert all(r["bucket"].endswith("-01") for r in cuts["month"]["rows"][1:])


async def test_a_period_before_the_sales_has_none(store: Store, day: Day) -> None:
    sales = await store.report("sales", **{"from": "2020-01-01", "to": "2020-01-31"})
    assert sales["totals"]["orders"] == 0 and sales["totals"]["revenue"] == "0.00"
    assert sales["currencies"] == [] and sales["currency"] == "USD"  # the latest order's


async def test_a_store_selling_in_two_currencies_reports_each_apart(store: Store) -> None:
    # given two orders in dollars, then, the store having moved to euros, one in euros
    dollars = await store.product("10.00")
    await store.order((dollars, 1))
    await store.order((dollars, 2))
    await store.shop.switch_currency("EUR")
    euros = await store.product("7.00", currency="EUR")
    in_euros = await store.order((euros, 1))
    await store.settled()
    # when the sales are asked, then they are in the period's main currency, naming the other
    sales = await store.report("sales")
    assert (sales["currency"], sales["currencies"]) == ("USD", ["USD", "EUR"])
    assert sales["totals"]["orders"] == 2
    # and asked in euros, they are the euro order's alone
    sales = await store.report("sales", currency="EUR")
    assert sales["currency"] == "EUR" and sales["totals"]["orders"] == 1
    assert sales["totals"]["revenue"] == in_euros["order"]["total"]
