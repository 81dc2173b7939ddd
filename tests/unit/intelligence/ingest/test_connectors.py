"""The connectors' parsing: Shopify's Link header and records, competitor pages' JSON-LD
and selectors, prices as pages write them, GTINs with their check digit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mercato.agents.intelligence.ingest.clean.identifiers import mpn_key, normalize_gtin
from mercato.agents.intelligence.ingest.connectors.files import parse
from mercato.agents.intelligence.ingest.connectors.pages import extract, parse_price
from mercato.agents.intelligence.ingest.connectors.shopify import next_link, product_candidates
from tests.fakes.competitor_site import DEFAULT_LISTINGS, json_ld_page, markup_page
from tests.fakes.shopify_api import make_shop


def test_the_next_page_is_the_link_marked_next() -> None:
    # given Shopify's Link header on a middle page
    header = (
        "<https://s.myshopify.com/admin/api/2024-10/products.json?limit=2&page_info=abc>; "
        'rel="previous", <https://s.myshopify.com/admin/api/2024-10/products.json?limit=2'
        '&page_info=def>; rel="next"'
    )
    # then the next page is the one marked next, and there is none without the header
    assert next_link(header) == (
        "https://s.myshopify.com/admin/api/2024-10/products.json?limit=2&page_info=def"
    )
    assert next_link(header.split(", ", maxsplit=1)[0]) is None
    assert next_link(None) is None


def test_a_shopify_product_is_a_record_per_variant() -> None:
    product = make_shop(products=1, variants=2).products[0]
    records = product_candidates(product, "USD")
    assert [r["sku"] for r in records] == ["SKU:TEE001S", "SKU:TEE001M"]
    assert records[0]["title"] == "Organic cotton t-shirt 1 S"
    assert records[0]["attributes"] == {"Size": "S"}
    assert records[0]["price"] == "20.00" and records[0]["brand"] == "Threadline"


@pytest.mark.parametrize(
    ("written", "price"),
    [
        ("1,299.00", "1299.00"),
        ("1.299,00 €", "1299.00"),
        ("€ 12", "12"),
        ("12.5", "12.5"),
        ("EUR 0,99", "0.99"),
        ("sold out", None),
    ],
)
def test_prices_as_pages_write_them(written: str, price: str | None) -> None:
    assert parse_price(written) == (Decimal(price) if price else None)


def test_json_ld_offer_and_aggregate_offer() -> None:
    kettle = DEFAULT_LISTINGS[0]
    found = extract(json_ld_page(kettle, aggregate=False))
    assert found == {
        "title": kettle.name,
        "brand": "Bosch",
        "sku": "RV-KET-17",
        "mpn": "TWK7203",
        "gtin": "4006381333931",
        "price": Decimal("39.90"),
        "currency": "EUR",
        "availability": "in_stock",
        "promotion": "10% off with code WINTER",
    }
    assert extract(json_ld_page(kettle, aggregate=True))["price"] == Decimal("39.90")


def test_selectors_read_a_page_without_json_ld() -> None:
    tee = DEFAULT_LISTINGS[1]
    found = extract(
        markup_page(tee),
        {
            "title": ".product-title",
            "price": ".price",
            "availability": ".stock",
            "currency": "meta[itemprop=priceCurrency]",
        },
    )
    assert found == {
        "title": tee.name,
        "price": Decimal("17.50"),
        "availability": "out_of_stock",
        "currency": "EUR",
    }


def test_gtins_with_their_check_digit() -> None:
    # a UPC-A and its EAN-13 are one GTIN-14; a wrong check digit is no GTIN
    assert normalize_gtin("036000291452") == normalize_gtin("0036000291452") == "00036000291452"
    assert normalize_gtin("0-36000-29145-2") == "00036000291452"
    assert normalize_gtin("036000291453") is None
    assert normalize_gtin("ABC") is None
    assert mpn_key("wh-1000 xm5", "Sony") == mpn_key("WH1000XM5", "SONY ") == "SONY|WH1000XM5"


def test_files_are_csv_or_json_with_exact_numbers() -> None:
    assert parse("sku,available\nA,3\n", "csv") == [{"sku": "A", "available": "3"}]
    assert parse('{"items": [{"price": 1.10}]}', "json") == [{"price": Decimal("1.10")}]
