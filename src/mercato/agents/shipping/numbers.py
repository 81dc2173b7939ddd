"""Shipment numbers: `SHP-<year>-<7 characters>` (see `kernel.ids.readable_number`)."""

from __future__ import annotations

from datetime import datetime

from mercato.kernel.ids import readable_number


def shipment_number(shipment_id: str, now: datetime) -> str:
    return readable_number("SHP", shipment_id, now)
