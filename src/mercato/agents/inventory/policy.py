"""The store-wide inventory settings the service falls back on when a caller names none:
how long a reservation holds stock, and the feed discrepancy that needs review. Wired from
Settings by the agent's `setup`; until then, the Settings defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from mercato.kernel.config import Settings


@dataclass(frozen=True)
class InventoryPolicy:
    reservation_ttl: timedelta
    sync_threshold: Decimal

    @classmethod
    def from_settings(cls, settings: Settings) -> InventoryPolicy:
        return cls(
            reservation_ttl=timedelta(seconds=settings.reservation_ttl),
            sync_threshold=settings.inventory_sync_threshold,
        )


_DEFAULTS = Settings.model_fields
_current = InventoryPolicy(
    reservation_ttl=timedelta(seconds=int(_DEFAULTS["reservation_ttl"].default)),
    sync_threshold=Decimal(_DEFAULTS["inventory_sync_threshold"].default),
)


def configure(settings: Settings) -> None:
    """Adopt a kernel's settings (called by the agent's `setup`)."""
    global _current
    _current = InventoryPolicy.from_settings(settings)


def current() -> InventoryPolicy:
    return _current
