"""Who sees what: a merchant sees the sales of its own lines and none of whole orders; shoppers
and support see no report; a report that does not exist, a period that is not one and a
grouping a report does not take are clear problems that change nothing; every report
exports as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from mercato.agents.analytics.service import REPORTS
from tests.integration.analytics.conftest import Store, today
from tests.integration.cart.conftest import Product
from tests.integration.identity.conftest import ADMIN, role_headers

ORDER_LEVEL = ("orders", "funnel", "customers", "cohorts", "carts", "kpis")


@pytest.fixture
async def sold(store: Store) -> tuple[Product, Product]:
    """Boots of merchant m-1 and scarves of m-2, sold together in one order, and scarves
    alone in another."""
    boots = await store.product("30.00", merchant_id="m-1")
    scarves = await store.product("8.00", merchant_id="m-2")
    await store.order((boots, 1), (scarves, 2))
    await store.order((scarves, 1))
    await store.settled()
    return boots, scarves


async def test_a_merchant_sees_the_sales_of_its_own_lines_only(
    store: Store, sold: tuple[Product, Product]
) -> None:
    boots, _ = sold
    merchant = await store.merchant("m-1")
    # when the merchant asks its sales, best sellers and inventory
    sales = await store.report("sales", merchant)
    top = await store.report("top-products", merchant)
    stock = await store.report("inventory", merchant)
    # then they are its lines': one pair of boots in one order, no order-level amount
    assert sales["merchant_id"] == "m-1"
    assert (sales["totals"]["revenue"], sales["totals"]["units"], sales["totals"]["orders"]) == (
        "30.00", 1, 1,
    )  # fmt: skip
    assert sales["totals"]["shipping"] is None and sales["totals"]["refunds"] is None
    assert [r["id"] for r in top["rows"]] == [boots.id]
    assert [r["variant_id"] for r in stock["rows"]] == [boots.variant_id]
    # while the admin sees the whole store's
    assert (await store.report("top-products"))["totals"]["units"] == 4


@pytest.mark.parametrize("report", ORDER_LEVEL)
async def test_a_merchant_cannot_see_figures_of_whole_orders(
    store: Store, sold: tuple[Product, Product], report: str
) -> None:
    merchant = await store.merchant("m-1")
    refused = await store.ask(report, merchant)
    assert refused.status_code == 403
    assert refused.json()["code"] == "analytics_order_level"


@pytest.mark.parametrize("role", ["anonymous", "guest", "customer", "support"])
async def test_shoppers_and_support_see_no_report(store: Store, role: str) -> None:
    headers = await role_headers(store.client, role)
    refused = await store.ask("sales", headers)
    assert refused.status_code == (401 if role == "anonymous" else 403)
    settings = await store.client.get("/v1/analytics/settings", headers=headers)
    assert settings.status_code == (401 if role == "anonymous" else 403)


async def test_only_the_admin_reads_the_reporting_settings(store: Store) -> None:
    merchant = await store.merchant("m-1")
    assert (await store.client.get("/v1/analytics/settings", headers=merchant)).status_code == 403
    answer = await store.client.get("/v1/analytics/settings", headers=ADMIN)
    assert answer.status_code == 200 and answer.json() == {"time_zone": "UTC"}


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"from": "2026-03-02", "to": "2026-03-01"}, 422, "invalid_period"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, 422, "invalid_period"),
        ({"from": "2026-13-01"}, 422, "validation_failed"),
        ({"granularity": "hour"}, 422, "validation_failed"),
        ({"group_by": "colour"}, 422, "invalid_report_query"),
        ({"currency": "dollars"}, 422, "validation_failed"),
        ({"limit": 0}, 422, "validation_failed"),
    ],
)
async def test_a_question_a_report_cannot_answer_is_a_clear_problem(
    store: Store,
    sold: tuple[Product, Product],
    params: dict[str, Any],
    status: int,
    code: str,
) -> None:
    before = await store.snapshot()
    refused = await store.ask("sales", **params)
    assert refused.status_code == status, refused.text
    assert refused.json()["code"] == code
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert await store.snapshot() == before


async def test_a_report_groups_only_by_what_it_offers(store: Store) -> None:
    refused = await store.ask("orders", group_by="product")
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_report_query")


async def test_an_unknown_report_is_a_404_that_names_the_reports(store: Store) -> None:
    before = await store.snapshot()
    refused = await store.ask("profits")
    assert (refused.status_code, refused.json()["code"]) == (404, "unknown_report")
    assert "top-products" in refused.json()["detail"]
    assert await store.snapshot() == before


@pytest.mark.parametrize("report", sorted(REPORTS))
async def test_every_report_exports_as_csv(
    store: Store, sold: tuple[Product, Product], report: str
) -> None:
    # given the report as JSON
    params = {"from": today(), "to": today()}
    as_json = await store.report(report, **params)
    # when it is asked as CSV, by Accept or by format
    by_accept = await store.client.get(
        f"/v1/analytics/{report}", params=params, headers={**ADMIN, "Accept": "text/csv"}
    )
    by_format = await store.ask(report, format="csv", **params)
    # then both answer text/csv: a header line, then a line per row of the JSON answer
    for answer in (by_accept, by_format):
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/csv")
        assert (
            f'filename="{report}-{today()}-{today()}.csv"' in answer.headers["content-disposition"]
        )
    lines = list(csv.DictReader(io.StringIO(by_format.text)))
    assert len(lines) == len(as_json["rows"])
    header = by_format.text.splitlines()[0].split(",")
    if as_json["rows"]:
        assert header == list(as_json["rows"][0])
        first = {k: "" if v is None else str(v) for k, v in as_json["rows"][0].items()}
        assert lines[0] == first


async def test_a_csv_export_of_nothing_still_has_its_header(store: Store) -> None:
    answer = await store.ask("top-categories", format="csv")
    assert answer.status_code == 200
    assert answer.text.splitlines() == ["revenue,units,orders,rank,id,name,revenue_share"]
