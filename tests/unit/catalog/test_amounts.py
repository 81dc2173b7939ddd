"""Amounts a request may carry: the `Price` type keeps them within a billion either way and
to four decimals (the `Amount` column's scale), and `check_amounts` refuses an amount its
currency cannot express, however large, as `invalid_amount` rather than failing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from mercato.agents.catalog.checks import check_amounts
from mercato.agents.catalog.problems import InvalidAmount
from mercato.agents.catalog.schemas import VariantIn


@pytest.mark.parametrize("amount", ["-1e30", "1e30", "1E+27"])
def test_an_amount_too_large_to_round_is_an_invalid_amount(amount: str) -> None:
    # given an amount whose rounding to cents exceeds the decimal context's precision
    # when it is checked, then it is refused as an invalid amount (not a decimal error)
    with pytest.raises(InvalidAmount):
        check_amounts([Decimal("10.00"), Decimal(amount)], "USD")


def test_amounts_in_minor_units_pass_and_finer_ones_do_not() -> None:
    check_amounts([Decimal("19.99"), None, Decimal("-1"), Decimal("1000000000")], "USD")
    with pytest.raises(InvalidAmount):
        check_amounts([Decimal("19.999")], "USD")


@pytest.mark.parametrize(
    "price", ["-1e30", "1e30", "-1000000000.01", "1000000000.01", "0.00001", "1e-999999999"]
)
def test_a_price_beyond_a_billion_or_finer_than_four_decimals_is_invalid(price: str) -> None:
    # when a variant is given the price, then it does not validate
    with pytest.raises(ValidationError):
        VariantIn.model_validate({"sku": "A-1", "price": price})
    with pytest.raises(ValidationError):
        VariantIn.model_validate({"sku": "A-1", "price": "5", "compare_at_price": price})


@pytest.mark.parametrize(
    "price", ["-1", "0", "19.999", "1.0005", "19.99000000", "1000000000", "-1000000000"]
)
def test_sign_zero_and_minor_units_are_left_to_the_service(price: str) -> None:
    """BR012 judges the sign and zero, `check_amounts` the currency's minor units."""
    assert VariantIn.model_validate({"sku": "A-1", "price": price}).price == Decimal(price)
