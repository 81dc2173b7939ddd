"""What a user's preferences may hold (seed 001 property 39's validation half): known KPIs
and goals, marketplace names (lower-cased, at most ten), a margin floor from 0 to 90 percent
and a report detail; anything else is refused with the field and what it allows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mercato.agents.intelligence.memory.preferences import Preferences, validated
from mercato.agents.intelligence.memory.problems import InvalidPreferences


def test_preferences_are_kept_in_a_canonical_form() -> None:
    # given preferences with duplicates, mixed-case marketplaces and a whole-number floor
    given = Preferences(
        kpis=("margin", "revenue", "margin"),
        marketplaces=(" Amazon", "amazon", "OWN_STORE"),
        goals=("protect_margin",),
        margin_floor_percent=Decimal("15"),
        report_detail="brief",
    )
    # when validated
    kept = validated(given)
    # then duplicates are dropped (first kept), names lower-cased, the floor in cents
    assert kept == Preferences(
        kpis=("margin", "revenue"),
        marketplaces=("amazon", "own_store"),
        goals=("protect_margin",),
        margin_floor_percent=Decimal("15.00"),
        report_detail="brief",
    )
    assert kept.report_view() == {
        "kpis": ["margin", "revenue"],
        "marketplaces": ["amazon", "own_store"],
        "goals": ["protect_margin"],
        "margin_floor_percent": "15.00",
    }


@pytest.mark.parametrize(
    ("given", "field", "named"),
    [
        (Preferences(kpis=("revenue", "profit")), "kpis", "units_sold"),
        (Preferences(goals=("world_domination",)), "goals", "clear_stock"),
        (Preferences(marketplaces=("amazon!",)), "marketplaces", "lower-case names"),
        (Preferences(marketplaces=tuple(f"m{i}" for i in range(11))), "marketplaces", "at most 10"),
        (Preferences(margin_floor_percent=Decimal("90.01")), "margin_floor_percent", "0 to 90"),
        (Preferences(margin_floor_percent=Decimal("-1")), "margin_floor_percent", "0 to 90"),
        (Preferences(margin_floor_percent=Decimal("12.345")), "margin_floor_percent", "two"),
        (Preferences(margin_floor_percent=Decimal("NaN")), "margin_floor_percent", "0 to 90"),
        (Preferences(report_detail="verbose"), "report_detail", "brief, standard, detailed"),
    ],
)
def test_invalid_preferences_name_the_field_and_what_it_allows(
    given: Preferences, field: str, named: str
) -> None:
    # when invalid preferences are validated, then the problem names the field and what
    # it allows
    with pytest.raises(InvalidPreferences) as refused:
        validated(given)
    assert refused.value.code == "intel_invalid_preferences"
    assert refused.value.status == 422
    assert refused.value.detail is not None
    assert refused.value.detail.startswith(f"{field}:")
    assert named in refused.value.detail
    assert refused.value.extra["field"] == field


def test_the_bounds_are_allowed() -> None:
    assert validated(Preferences(margin_floor_percent=Decimal(0))).margin_floor_percent == 0
    assert validated(Preferences(margin_floor_percent=Decimal(90))).margin_floor_percent == 90
    ten = tuple(f"m{i}" for i in range(10))
    assert validated(Preferences(marketplaces=ten)).marketplaces == ten
