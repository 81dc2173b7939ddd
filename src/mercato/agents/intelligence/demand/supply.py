"""Demand against supply over a forecast's horizon (seed 001, properties 23 and 24): the
gap (forecast demand less stock on hand and inbound), the day stock runs out, and the
alerts. A stock-out risk is raised when cumulative demand passes the supply within the
horizon, by the forecast itself (high) or by the 80 % interval's upper end (medium); an
overstock risk when the supply exceeds the 95 % upper end of the horizon's demand by more
than the margin. The two exclude each other (the 80 % upper end never passes the 95 %'s)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

from mercato.agents.intelligence.demand.series import Band

Kind = Literal["stockout_risk", "overstock_risk"]
STOCKOUT: Kind = "stockout_risk"
OVERSTOCK: Kind = "overstock_risk"


@dataclass(frozen=True)
class Supply:
    on_hand: int
    """Available to sell now."""
    inbound: int = 0
    """On open purchase orders (no arrival dates are kept: counted as arriving in time)."""

    @property
    def total(self) -> int:
        return self.on_hand + self.inbound


@dataclass(frozen=True)
class Alert:
    kind: Kind
    severity: Literal["high", "medium"]
    units: int
    """Shortfall (stock-out) or excess (overstock) at the horizon's end."""
    day: date | None
    """The day stock runs out (stock-out risks)."""
    message: str


@dataclass(frozen=True)
class Gap:
    demand: float
    """Forecast units over the horizon."""
    demand_upper_80: float
    demand_upper_95: float
    supply: int
    gap: float
    """demand - supply: positive, the units missing; negative, the units left over."""
    stockout_date: date | None
    """When stock runs out at the forecast's own level (None: it lasts the horizon)."""
    alerts: tuple[Alert, ...]


def _first_over(cumulative: np.ndarray, supply: int) -> int | None:
    over = np.nonzero(cumulative > supply + 1e-9)[0]
    return int(over[0]) if len(over) else None


def assess(band: Band, dates: list[date], supply: Supply, *, overstock_margin: float = 0.5) -> Gap:
    """The gap and the alerts of one forecast against its product's supply."""
    cum_mean = np.cumsum(band.mean)
    cum_80 = np.cumsum(band.hi80)
    demand = float(cum_mean[-1]) if len(cum_mean) else 0.0
    upper_80 = float(cum_80[-1]) if len(cum_80) else 0.0
    upper_95 = float(np.sum(band.hi95))
    total = supply.total
    out_at = _first_over(cum_mean, total)
    alerts: list[Alert] = []
    risky = out_at if out_at is not None else _first_over(cum_80, total)
    if risky is not None:
        high = out_at is not None
        short = (demand if high else upper_80) - total
        alerts.append(
            Alert(
                kind=STOCKOUT,
                severity="high" if high else "medium",
                units=max(1, round(short)),
                day=dates[risky],
                message=(
                    f"stock ({total} units) runs out on {dates[risky].isoformat()}"
                    + ("" if high else " if demand reaches the 80 % interval's upper end")
                ),
            )
        )
    elif total > upper_95 * (1 + overstock_margin):
        excess = total - upper_95
        alerts.append(
            Alert(
                kind=OVERSTOCK,
                severity="high" if total > 3 * upper_95 else "medium",
                units=max(1, round(excess)),
                day=None,
                message=f"{total} units against at most {upper_95:.0f} wanted over the horizon",
            )
        )
    return Gap(
        demand=round(demand, 3),
        demand_upper_80=round(upper_80, 3),
        demand_upper_95=round(upper_95, 3),
        supply=total,
        gap=round(demand - total, 3),
        stockout_date=dates[out_at] if out_at is not None else None,
        alerts=tuple(alerts),
    )
