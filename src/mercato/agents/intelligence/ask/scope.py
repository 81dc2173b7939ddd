"""What a question is about, as the router reads it: its intents, the products or category,
the period, the competitor or marketplace, and filters such as a colour; and the mode it
runs in. A follow-up's scope starts from the previous question's (seed 001 property 32)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any


class Mode(StrEnum):
    QUICK = "quick"
    """Stored analyses, cached where fresh: seconds."""
    DEEP = "deep"
    """Fresh analyses (new forecasts, re-scored reviews, a competitor crawl when allowed)
    within the mode's budget."""


class Intent(StrEnum):
    PRICE_POSITION = "price_position"
    COMPETITOR_MOVES = "competitor_moves"
    SENTIMENT = "sentiment"
    FORECAST = "forecast"
    STOCK_RISK = "stock_risk"
    SALES_TREND = "sales_trend"
    ADVICE = "advice"
    """"What should I do": every analysis that can suggest an action."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    """Inclusive."""
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before, to compare with."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, f"the {self.days} days before")

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}


def last_days(today: date, days: int) -> Period:
    """The `days` whole days up to yesterday."""
    end = today - timedelta(days=1)
    return Period(end - timedelta(days=days - 1), end, f"the last {days} days")


@dataclass(frozen=True)
class Scope:
    product_ids: tuple[str, ...] = ()
    product_names: tuple[str, ...] = ()
    category_id: str | None = None
    category_name: str | None = None
    competitor: str | None = None
    marketplace: str | None = None
    period: Period | None = None
    filters: dict[str, str] = field(default_factory=dict)
    """Option filters read from the question ({"colour": "blue"}): the products in scope are
    narrowed to those with a variant of that option value."""

    @property
    def is_store_wide(self) -> bool:
        return not self.product_ids and self.category_id is None

    def narrowed(self, **changes: Any) -> Scope:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "product_ids": list(self.product_ids),
            "product_names": list(self.product_names),
            "category_id": self.category_id,
            "category_name": self.category_name,
            "competitor": self.competitor,
            "marketplace": self.marketplace,
            "period": self.period.as_dict() if self.period else None,
            "filters": dict(self.filters),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scope:
        period = data.get("period")
        return cls(
            product_ids=tuple(data.get("product_ids") or ()),
            product_names=tuple(data.get("product_names") or ()),
            category_id=data.get("category_id"),
            category_name=data.get("category_name"),
            competitor=data.get("competitor"),
            marketplace=data.get("marketplace"),
            period=Period(
                date.fromisoformat(period["start"]), date.fromisoformat(period["end"]),
                period["label"],
            ) if period else None,
            filters=dict(data.get("filters") or {}),
        )  # fmt: skip


@dataclass(frozen=True)
class Route:
    """The router's reading of a question."""

    intents: tuple[Intent, ...]
    scope: Scope
    mode: Mode
    understood: bool
    """False: no pattern matched; an LLM (when configured) plans it, else every analysis
    runs on the store as a whole, and the report says the question was not understood."""
    follow_up: bool = False
    """It reused the previous question's scope."""
    planned_by: str = "router"
    """"router" or "llm"."""
    notes: tuple[str, ...] = ()
    """What the router read, for the report ("product: Trail Runner", "period: last month")."""


def route_to_dict(route: Route) -> dict[str, Any]:
    return {
        "intents": [str(i) for i in route.intents],
        "scope": route.scope.as_dict(),
        "mode": route.mode.value,
        "understood": route.understood,
        "follow_up": route.follow_up,
        "planned_by": route.planned_by,
        "notes": list(route.notes),
    }


def route_from_dict(data: dict[str, Any]) -> Route:
    return Route(
        intents=tuple(Intent(i) for i in data.get("intents") or ()),
        scope=Scope.from_dict(data.get("scope") or {}),
        mode=Mode(data.get("mode") or Mode.QUICK.value),
        understood=bool(data.get("understood")),
        follow_up=bool(data.get("follow_up")),
        planned_by=str(data.get("planned_by") or "router"),
        notes=tuple(data.get("notes") or ()),
    )
