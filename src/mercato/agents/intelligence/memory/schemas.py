"""The memory part's API contract: a user's preferences as `PUT /v1/intelligence/preferences`
takes them and both routes answer them. The body is checked for shape here; what each value
may be (known KPIs and goals, marketplace names, the floor's range) is checked by
`preferences.validated`, which answers `intel_invalid_preferences` naming the field."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from mercato.agents.intelligence.memory.preferences import DETAILS, GOALS, KPIS, Preferences
from mercato.kernel.money import MoneyStr
from mercato.kernel.schemas import RequestModel

Key = Annotated[str, StringConstraints(max_length=64)]
Keys = Annotated[list[Key], Field(max_length=50)]


class PreferencesIn(RequestModel):
    """The whole of the caller's preferences: a field left out takes its default."""

    kpis: Keys = Field(default_factory=list, description=f"Any of: {', '.join(KPIS)}")
    marketplaces: Keys = Field(
        default_factory=list,
        description="Marketplaces to focus on (amazon, ebay, own_store...), at most 10; "
        "names are lower-cased",
    )
    goals: Keys = Field(default_factory=list, description=f"Any of: {', '.join(GOALS)}")
    margin_floor_percent: Decimal | None = Field(
        default=None, description="0 to 90, two decimals at most; null: none"
    )
    report_detail: Key = Field(default="standard", description=" or ".join(DETAILS))


class PreferencesOut(BaseModel):
    kpis: list[str]
    marketplaces: list[str]
    goals: list[str]
    margin_floor_percent: MoneyStr | None = Field(description='A decimal string ("12.50")')
    report_detail: str
    updated_at: datetime | None = Field(description="null: never stated (the defaults)")

    @classmethod
    def of(cls, prefs: Preferences) -> PreferencesOut:
        return cls(
            kpis=list(prefs.kpis),
            marketplaces=list(prefs.marketplaces),
            goals=list(prefs.goals),
            margin_floor_percent=prefs.margin_floor_percent,
            report_detail=prefs.report_detail,
            updated_at=prefs.updated_at,
        )
