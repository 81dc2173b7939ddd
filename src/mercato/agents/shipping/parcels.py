"""A parcel for some units: their weight and a box around them, from the catalog's sizes
(the settings' defaults where it does not know). Rates are asked for one parcel; the
warehouse's packing chooses the real boxes when a shipment is made."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from mercato.agents.catalog import service as catalog
from mercato.agents.shipping.providers.base import Parcel
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork


def default_box(settings: Settings) -> tuple[int, int, int]:
    length, width, height = (int(side) for side in settings.shipping_default_box_mm.split("x"))
    return length, width, height


async def parcel_of(
    uow: UnitOfWork,
    settings: Settings,
    *,
    items: Sequence[tuple[str, int]],
    value: Decimal,
    currency: str,
) -> Parcel | None:
    """One parcel for `items` (variant id, units), or None when none of them ships. The box
    is the units laid flat side by side on their largest face, stacked: the longest unit's
    length, the widest's width, their heights added (sides of each unit sorted)."""
    sizes = await catalog.item_sizes(uow, [variant_id for variant_id, _ in items])
    fallback = default_box(settings)
    weight = length = width = height = 0
    for variant_id, units in items:
        size = sizes.get(variant_id)
        if size is not None and not size.requires_shipping:
            continue
        grams = (size.weight_grams if size else None) or settings.shipping_default_weight_grams
        known = size is not None and None not in (size.length_mm, size.width_mm, size.height_mm)
        sides = (
            sorted((size.length_mm or 0, size.width_mm or 0, size.height_mm or 0), reverse=True)
            if size is not None and known
            else sorted(fallback, reverse=True)
        )
        weight += grams * units
        length, width = max(length, sides[0]), max(width, sides[1])
        height += sides[2] * units
    if weight == 0:
        return None
    return Parcel(
        weight_grams=weight,
        length_mm=length,
        width_mm=width,
        height_mm=height,
        value=value,
        currency=currency,
    )
