"""When a competitor's price moved enough to tell the merchant (seed 001, property 12): a
change of at least the threshold (a percentage of the previous price, `Settings.
intel_price_alert_percent`, 5 by default) always alerts, a smaller one never does."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mercato.agents.intelligence.pricing.gaps import PERCENT


@dataclass(frozen=True)
class PriceChange:
    old: Decimal
    new: Decimal
    ratio: Decimal
    """(new - old) / old, exact: what the threshold is compared with."""
    percent: Decimal
    """`ratio` x 100 to two decimals, as shown."""

    @property
    def direction(self) -> str:
        return "up" if self.new > self.old else "down"


def price_change(
    old: Decimal, old_currency: str, new: Decimal, new_currency: str, *, threshold: Decimal
) -> PriceChange | None:
    """The change from `old` to `new` if it is at least `threshold` percent of `old` either
    way; None for a smaller one, one across currencies (not a price move: the listing
    changed) or one from a price that was not above zero."""
    if old_currency.upper() != new_currency.upper() or old <= 0 or new == old:
        return None
    ratio = (new - old) / old
    if abs(ratio) * 100 < threshold:
        return None
    return PriceChange(
        old=old,
        new=new,
        ratio=ratio,
        percent=(ratio * 100).quantize(PERCENT, rounding=ROUND_HALF_UP),
    )
