"""The orders agent's rules, as the registry holds them (BR005, BR006)."""

from __future__ import annotations

import pytest

from mercato.agents.orders import rules as _rules
from mercato.kernel import rules
from mercato.kernel.rules import RuleViolated

del _rules


@pytest.mark.business_rule("BR005")
@pytest.mark.parametrize(
    ("requires_shipping", "has_address", "holds"),
    [(True, True, True), (True, False, False), (False, False, True), (False, True, True)],
)
async def test_br005_physical_items_need_a_shipping_address(
    requires_shipping: bool, has_address: bool, holds: bool
) -> None:
    facts = {"requires_shipping": requires_shipping, "has_shipping_address": has_address}
    assert await rules.holds("BR005", **facts) is holds


@pytest.mark.business_rule("BR006")
@pytest.mark.parametrize(
    ("status", "holds"),
    [
        ("pending", True),
        ("confirmed", True),
        ("cancelled", True),
        ("shipped", False),
        ("delivered", False),
    ],
)
async def test_br006_only_orders_not_yet_shipped_may_be_cancelled(status: str, holds: bool) -> None:
    assert await rules.holds("BR006", status=status) is holds


@pytest.mark.business_rule("BR006")
async def test_br006_is_a_409_with_its_code() -> None:
    with pytest.raises(RuleViolated) as refused:
        await rules.enforce("BR006", status="shipped")
    assert (refused.value.status, refused.value.code) == (409, "br006_cancel_before_ship")
