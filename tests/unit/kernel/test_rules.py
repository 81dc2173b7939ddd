"""The rules registry: a rule is registered once, enforced by id, and counted."""

from __future__ import annotations

import pytest

from mercato.kernel import rules
from mercato.kernel.rules import RuleViolated, business_rule


@business_rule(
    "BR900",
    name="test_quantity",
    entity="test_line",
    condition="a test line is written",
    constraint="quantity is between 1 and 3",
)
def _quantity_in_range(*, quantity: int) -> bool:
    return 1 <= quantity <= 3


@business_rule(
    "BR901",
    name="test_unique",
    entity="test_line",
    condition="a name is taken",
    constraint="the name is not taken",
    status=409,
)
async def _name_free(*, name: str) -> bool:
    return name != "taken"


async def test_a_rule_that_holds_passes_and_is_counted() -> None:
    before = rules.enforcement_counts()["BR900"]
    await rules.enforce("BR900", quantity=2)
    assert rules.enforcement_counts()["BR900"] == before + 1


async def test_a_broken_rule_raises_its_status_and_code() -> None:
    with pytest.raises(RuleViolated) as raised:
        await rules.enforce("BR900", quantity=4)
    assert (raised.value.status, raised.value.code) == (422, "br900_test_quantity")
    assert raised.value.extra["rule"] == "BR900"


async def test_an_async_rule_is_awaited() -> None:
    assert await rules.holds("BR901", name="free")
    with pytest.raises(RuleViolated) as raised:
        await rules.enforce("BR901", name="taken")
    assert raised.value.status == 409


def test_the_registry_describes_each_rule_with_its_source() -> None:
    rule = rules.get("BR900")
    assert (rule.entity, rule.severity, rule.constraint) == (
        "test_line",
        "error",
        "quantity is between 1 and 3",
    )
    assert rule.source.endswith("_quantity_in_range")


def test_one_id_cannot_name_two_rules() -> None:
    with pytest.raises(ValueError, match="already"):
        business_rule("BR900", name="other", entity="x", condition="c", constraint="c")(
            lambda: True
        )


async def test_an_unknown_rule_is_an_error() -> None:
    with pytest.raises(KeyError, match="BR999"):
        await rules.enforce("BR999")
