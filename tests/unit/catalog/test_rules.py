"""The catalog's rules as registered: BR012 (positive prices, EC010) and BR013."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mercato.agents.catalog import rules as catalog_rules
from mercato.kernel import rules


@pytest.mark.business_rule("BR012")
@pytest.mark.edge_case("EC010")
@pytest.mark.parametrize(
    ("prices", "is_free", "holds"),
    [
        (["19.99", "0.01"], False, True),
        (["19.99", "0"], False, False),
        (["-1"], False, False),
        (["0", "0.00"], True, True),
        (["0", "1.00"], True, False),
    ],
)
async def test_br012_positive_prices_unless_marked_free(
    prices: list[str], is_free: bool, holds: bool
) -> None:
    amounts = [Decimal(p) for p in prices]
    assert await rules.holds("BR012", prices=amounts, is_free=is_free) is holds


def test_br012_and_br013_are_registered_as_product_rules() -> None:
    br012, br013 = rules.get("BR012"), rules.get("BR013")
    assert (br012.code, br012.entity, br012.status) == ("br012_positive_price", "product", 422)
    assert (br013.code, br013.entity, br013.status) == ("br013_unique_sku", "product", 409)


@pytest.mark.business_rule("BR013")
def test_br013_duplicates_within_a_request() -> None:
    assert catalog_rules.duplicates(["A", "B", "A", "C", "B"]) == ["A", "B"]
    assert catalog_rules.duplicates(["a", "A"]) == []  # SKUs compare exactly
