"""What the catalog derives from a product: slugs, search text, attribute pairs, prices."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from mercato.agents.catalog import derived
from mercato.agents.catalog.models import Product, Variant

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def variant(
    sku: str, price: str, *, status: str = "active", available: int = 0, **attrs: str
) -> Variant:
    return Variant(
        id=sku, sku=sku, title="", price=Decimal(price), attributes=attrs, status=status,
        available=available,
    )  # fmt: skip


def product(**attributes: str) -> Product:
    return Product(id="p", name="Café Crème", description="Strong COFFEE", attributes=attributes)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Café Crème — 250 g", "cafe-creme-250-g"),
        ("  Desk  Lamp!! ", "desk-lamp"),
        ("O'Brien's Tea", "o-brien-s-tea"),
        ("日本語", ""),
        ("🎉", ""),
        ("a" * 400, "a" * 300),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert derived.slugify(name) == slug


def test_slug_candidates() -> None:
    assert derived.slug_candidates("tee", 4) == ["tee", "tee-2", "tee-3", "tee-4"]


def test_the_price_is_the_lowest_active_one() -> None:
    variants = [variant("A", "10"), variant("B", "4", status="archived"), variant("C", "7.5")]
    assert derived.lowest_price(variants) == Decimal("7.5")


def test_in_stock_counts_active_variants_only() -> None:
    assert derived.in_stock([variant("A", "1", available=0), variant("B", "1", available=2)])
    assert not derived.in_stock([variant("A", "1", status="archived", available=5)])


def test_search_text_is_lower_cased_and_skips_archived_variants() -> None:
    text = derived.search_text(
        product(material="Steel"),
        [variant("SKU-1", "1", colour="Red"), variant("OLD-9", "1", status="archived")],
    )
    assert text == "café crème strong coffee steel sku-1 red"


def test_attribute_pairs_are_lower_cased_and_merged() -> None:
    pairs = derived.attribute_pairs(
        product(Material=" Steel "),
        [variant("A", "1", Colour="Red"), variant("B", "1", colour="red")],
    )
    assert pairs == {("material", "steel"), ("colour", "red")}


def test_changed_names_the_differing_keys() -> None:
    assert derived.changed({"a": 1, "b": [1], "c": None}, {"a": 1, "b": [2], "c": 0}) == ["b", "c"]
