"""Cart pricing: exact totals by currency rules, tax-inclusive and exclusive stores,
percent and fixed discounts, the free-shipping threshold."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.cart.pricing import (
    Discount,
    PricedLine,
    StorePricing,
    Totals,
    discount_amount,
    price,
    tax_amount,
)
from mercato.kernel.money import exponent, round_money

D = Decimal
EXCLUSIVE = StorePricing(
    prices_include_tax=False, flat_shipping=D("5.00"), free_shipping_over=D("75.00")
)
INCLUSIVE = StorePricing(
    prices_include_tax=True, flat_shipping=D("5.00"), free_shipping_over=D("75.00")
)
NO_SHIPPING = StorePricing(prices_include_tax=False, flat_shipping=D("0"), free_shipping_over=None)


def line(unit: str, quantity: int = 1, *, ships: bool = True, free: bool = False) -> PricedLine:
    return PricedLine(D(unit), quantity, requires_shipping=ships, is_free=free)


def as_strings(totals: Totals) -> tuple[str, str, str, str, str]:
    return (
        str(totals.subtotal),
        str(totals.discount_total),
        str(totals.tax_total),
        str(totals.shipping_total),
        str(totals.total),
    )


# -- line totals and subtotal ---------------------------------------------------------------


def test_line_totals_are_rounded_then_summed() -> None:
    # given lines whose unit prices carry sub-cent precision (e.g. converted prices)
    lines = [line("0.333", 3), line("0.335", 1)]
    # when priced in USD
    totals = price(lines, currency="USD", store=NO_SHIPPING)
    # then each line is rounded half up (0.999 -> 1.00, 0.335 -> 0.34) before the sum
    assert totals.line_totals == (D("1.00"), D("0.34"))
    assert totals.subtotal == D("1.34")


def test_an_empty_cart_costs_nothing_and_ships_nothing() -> None:
    totals = price([], currency="USD", store=EXCLUSIVE, tax_rate_percent=D("20"))
    assert as_strings(totals) == ("0.00", "0.00", "0.00", "0.00", "0.00")
    assert totals.all_free


def test_a_product_marked_free_costs_nothing_whatever_its_price() -> None:
    totals = price([line("9.99", 2, free=True, ships=False)], currency="USD", store=EXCLUSIVE)
    assert totals.line_totals == (D("0.00"),)
    assert totals.total == D("0.00")
    assert totals.all_free


def test_a_cart_with_one_paid_line_is_not_all_free() -> None:
    lines = [line("0", free=True), line("2.00")]
    assert not price(lines, currency="USD", store=NO_SHIPPING).all_free


# -- currencies -------------------------------------------------------------------------------


def test_jpy_has_no_minor_unit() -> None:
    # given a JPY store taxing 10 % with a 500 yen flat rate
    store = StorePricing(prices_include_tax=False, flat_shipping=D("500"), free_shipping_over=None)
    # when a 1,234 yen item is bought three times
    totals = price([line("1234", 3)], currency="JPY", store=store, tax_rate_percent=D("10"))
    # then every amount is whole yen (370.2 yen of tax rounds to 370)
    assert as_strings(totals) == ("3702", "0", "370", "500", "4572")


def test_jpy_rounds_half_up() -> None:
    totals = price([line("105")], currency="JPY", store=NO_SHIPPING, tax_rate_percent=D("10"))
    assert totals.tax_total == D("11")  # 10.5 -> 11


def test_kwd_has_three_decimals() -> None:
    # given a KWD store with a 1.250 KWD flat rate and 5 % tax
    store = StorePricing(
        prices_include_tax=False, flat_shipping=D("1.250"), free_shipping_over=None
    )
    # when 2 x 3.125 KWD and 1 x 0.0005 KWD (rounds up to 0.001) are bought
    totals = price(
        [line("3.125", 2), line("0.0005")], currency="KWD", store=store, tax_rate_percent=D("5")
    )
    # then every amount has three decimals: 6.251 x 5 % = 0.31255 -> 0.313
    assert totals.line_totals == (D("6.250"), D("0.001"))
    assert as_strings(totals) == ("6.251", "0.000", "0.313", "1.250", "7.814")


def test_kwd_percent_discount_rounds_to_the_fils() -> None:
    off = discount_amount(Discount("percent", D("15")), D("10.005"), "KWD")
    assert off == D("1.501")  # 1.50075 -> 1.501


# -- tax --------------------------------------------------------------------------------------


def test_a_tax_exclusive_store_adds_tax_on_the_discounted_subtotal() -> None:
    # given 100.00 of goods, a 10 % code and an 8.875 % rate (NYC)
    totals = price(
        [line("50.00", 2)],
        currency="USD",
        store=EXCLUSIVE,
        tax_rate_percent=D("8.875"),
        discount=Discount("percent", D("10")),
    )
    # then tax is 8.875 % of 90.00 = 7.9875 -> 7.99, shipping is free over 75
    assert as_strings(totals) == ("100.00", "10.00", "7.99", "0.00", "97.99")


def test_a_tax_inclusive_store_reports_the_tax_its_prices_contain() -> None:
    # given a 20 % VAT store whose prices include the tax
    totals = price([line("60.00")], currency="EUR", store=INCLUSIVE, tax_rate_percent=D("20"))
    # then the total does not grow, and the tax is 60 - 60 / 1.2 = 10.00
    assert as_strings(totals) == ("60.00", "0.00", "10.00", "5.00", "65.00")


def test_inclusive_tax_is_taken_after_the_discount() -> None:
    totals = price(
        [line("100.00")],
        currency="EUR",
        store=INCLUSIVE,
        tax_rate_percent=D("19"),
        discount=Discount("fixed", D("10.00")),
    )
    # 90.00 gross contains 90 - 90 / 1.19 = 14.3697... -> 14.37
    assert as_strings(totals) == ("100.00", "10.00", "14.37", "0.00", "90.00")


def test_no_rate_means_no_tax() -> None:
    assert tax_amount(D("99.99"), D("0"), inclusive=False, currency="USD") == D("0.00")
    assert tax_amount(D("99.99"), D("0"), inclusive=True, currency="USD") == D("0.00")


def test_tax_is_not_charged_on_shipping() -> None:
    totals = price([line("10.00")], currency="USD", store=EXCLUSIVE, tax_rate_percent=D("10"))
    assert as_strings(totals) == ("10.00", "0.00", "1.00", "5.00", "16.00")


# -- discounts -------------------------------------------------------------------------------


def test_a_percent_code_takes_its_share_of_the_subtotal() -> None:
    assert discount_amount(Discount("percent", D("12.5")), D("19.99"), "USD") == D("2.50")


def test_a_hundred_percent_code_makes_the_goods_free() -> None:
    totals = price(
        [line("30.00")], currency="USD", store=EXCLUSIVE, discount=Discount("percent", D("100"))
    )
    assert as_strings(totals) == ("30.00", "30.00", "0.00", "5.00", "5.00")


def test_a_fixed_code_never_exceeds_the_subtotal() -> None:
    totals = price(
        [line("8.00")], currency="USD", store=NO_SHIPPING, discount=Discount("fixed", D("20.00"))
    )
    assert totals.discount_total == D("8.00")
    assert totals.total == D("0.00")


def test_a_code_below_its_minimum_subtotal_is_not_applied() -> None:
    code = Discount("fixed", D("5.00"), min_subtotal=D("50.00"))
    below = price([line("49.99")], currency="USD", store=NO_SHIPPING, discount=code)
    at = price([line("50.00")], currency="USD", store=NO_SHIPPING, discount=code)
    assert (below.discount_total, below.discount_applied, below.minimum_not_met) == (
        D("0.00"),
        False,
        True,
    )
    assert (at.discount_total, at.discount_applied, at.minimum_not_met) == (D("5.00"), True, False)


# -- shipping ----------------------------------------------------------------------------------


def test_shipping_is_the_flat_rate_when_any_line_ships() -> None:
    lines = [line("10.00", ships=False), line("10.00", ships=True)]
    assert price(lines, currency="USD", store=EXCLUSIVE).shipping_total == D("5.00")


def test_nothing_to_ship_means_no_shipping() -> None:
    lines = [line("10.00", ships=False)]
    assert price(lines, currency="USD", store=EXCLUSIVE).shipping_total == D("0.00")


@pytest.mark.parametrize(
    ("amount", "shipping"),
    [("74.99", "5.00"), ("75.00", "0.00"), ("75.01", "0.00")],
)
def test_shipping_is_free_from_the_threshold_on(amount: str, shipping: str) -> None:
    assert price([line(amount)], currency="USD", store=EXCLUSIVE).shipping_total == D(shipping)


def test_the_threshold_is_judged_after_the_discount() -> None:
    # 80.00 of goods is over 75, but 10 % off leaves 72.00: shipping is charged
    totals = price(
        [line("80.00")], currency="USD", store=EXCLUSIVE, discount=Discount("percent", D("10"))
    )
    assert as_strings(totals) == ("80.00", "8.00", "0.00", "5.00", "77.00")


def test_no_threshold_means_shipping_is_always_charged() -> None:
    store = StorePricing(prices_include_tax=False, flat_shipping=D("7.50"), free_shipping_over=None)
    assert price([line("1000.00")], currency="USD", store=store).shipping_total == D("7.50")


# -- properties -------------------------------------------------------------------------------

CURRENCIES = st.sampled_from(["USD", "EUR", "JPY", "KWD"])
PRICES = st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False, allow_infinity=False)
LINES = st.lists(
    st.builds(
        PricedLine,
        unit_price=PRICES,
        quantity=st.integers(1, 99),
        requires_shipping=st.booleans(),
        is_free=st.booleans(),
    ),
    max_size=8,
)
DISCOUNTS = st.one_of(
    st.none(),
    st.builds(
        Discount,
        kind=st.just("percent"),
        value=st.decimals(min_value="0.01", max_value=100, places=2),
        min_subtotal=st.one_of(st.none(), PRICES),
    ),
    st.builds(
        Discount,
        kind=st.just("fixed"),
        value=st.decimals(min_value="0.01", max_value=20_000, places=2),
        min_subtotal=st.one_of(st.none(), PRICES),
    ),
)
STORES = st.builds(
    StorePricing,
    prices_include_tax=st.booleans(),
    flat_shipping=st.decimals(min_value=0, max_value=50, places=2),
    free_shipping_over=st.one_of(st.none(), st.decimals(min_value=0, max_value=500, places=2)),
)
RATES = st.decimals(min_value=0, max_value=30, places=3)


@settings(deadline=None)  # exact, not timed: a loaded CI machine must not fail it
@given(lines=LINES, currency=CURRENCIES, store=STORES, rate=RATES, discount=DISCOUNTS)
def test_totals_are_never_negative_and_always_add_up(
    lines: list[PricedLine],
    currency: str,
    store: StorePricing,
    rate: Decimal,
    discount: Discount | None,
) -> None:
    totals = price(lines, currency=currency, store=store, tax_rate_percent=rate, discount=discount)
    amounts = [
        totals.subtotal,
        totals.discount_total,
        totals.tax_total,
        totals.shipping_total,
        totals.total,
    ]
    # never negative, and every amount in the currency's minor unit
    assert all(a >= 0 for a in amounts)
    assert all(a == round_money(a, currency) for a in amounts)
    assert all(a.as_tuple().exponent == -exponent(currency) for a in amounts)
    # the discount never exceeds the subtotal
    assert totals.discount_total <= totals.subtotal
    # total = subtotal - discount + tax (exclusive stores only) + shipping
    tax = D(0) if store.prices_include_tax else totals.tax_total
    assert totals.total == totals.subtotal - totals.discount_total + tax + totals.shipping_total
    # the subtotal is the exact sum of the rounded line totals
    assert totals.subtotal == sum(totals.line_totals, D(0))
    # inclusive tax is a part of what is paid for the goods, never more
    if store.prices_include_tax:
        assert totals.tax_total <= totals.subtotal - totals.discount_total


@settings(deadline=None)  # exact, not timed: a loaded CI machine must not fail it
@given(lines=LINES, currency=CURRENCIES, store=STORES, rate=RATES, discount=DISCOUNTS)
def test_pricing_is_deterministic(
    lines: list[PricedLine],
    currency: str,
    store: StorePricing,
    rate: Decimal,
    discount: Discount | None,
) -> None:
    first = price(lines, currency=currency, store=store, tax_rate_percent=rate, discount=discount)
    again = price(lines, currency=currency, store=store, tax_rate_percent=rate, discount=discount)
    assert first == again


def test_a_line_not_counted_costs_nothing_and_ships_nothing() -> None:
    # given a 30.00 line, and a line in another currency than the cart's (not counted)
    elsewhere = PricedLine(D("99.00"), 2, requires_shipping=True, counted=False)
    # when the cart is priced with it alone, nothing is charged, not even shipping
    alone = price([elsewhere], currency="USD", store=EXCLUSIVE, tax_rate_percent=D("10"))
    assert as_strings(alone) == ("0.00", "0.00", "0.00", "0.00", "0.00")
    assert alone.line_totals == (D("0.00"),)
    # and beside a counted line, only that line is priced
    both = price([line("30.00"), elsewhere], currency="USD", store=EXCLUSIVE)
    assert as_strings(both) == ("30.00", "0.00", "0.00", "5.00", "35.00")
