"""The demo catalogue: big enough to browse, spread over the whole tree, the same every time."""

from __future__ import annotations

from decimal import Decimal

from mercato import demo_data


def test_the_same_seed_makes_the_same_store_and_another_seed_another() -> None:
    # when the catalogue is made twice with one seed, and once with another
    first, again = demo_data.products(300, seed=7), demo_data.products(300, seed=7)
    other = demo_data.products(300, seed=8)
    # then the first two are equal to the last SKU, price and unit of stock
    assert first == again
    assert [p.name for p in first] != [p.name for p in other]


def test_a_thousand_products_fill_every_category_of_at_least_twenty() -> None:
    # given the demo's category tree and a catalogue of 1,200 products
    paths = demo_data.categories()
    made = demo_data.products(1200, seed=7)
    # then there are at least 20 categories, and each leaf holds products
    assert len(paths) >= 20
    leaves = {tuple(p) for p in paths if len(p) == 2}
    assert {tuple(p.category) for p in made} == leaves
    # and every product has variants with unique SKUs and prices in minor units
    skus = [v.sku for p in made for v in p.variants]
    assert len(skus) == len(set(skus)) >= 1200
    assert all(
        v.price > 0 and v.price == v.price.quantize(Decimal("0.01"))
        for p in made
        for v in p.variants
    )


def test_most_variants_are_stocked_and_some_are_sold_out() -> None:
    made = demo_data.products(1200, seed=7)
    stock = [sum(v.stock) for p in made for v in p.variants]
    sold_out = sum(1 for units in stock if units == 0)
    # then shoppers meet both in-stock and sold-out variants
    assert 0 < sold_out < len(stock) * 0.2
    # and the compare-at price of a product on sale is above its price
    on_sale = [p for p in made if p.compare_at_price is not None]
    assert on_sale
    assert all(p.compare_at_price > min(v.price for v in p.variants) for p in on_sale)
