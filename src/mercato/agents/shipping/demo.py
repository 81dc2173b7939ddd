"""The demo store's shipping: where its two locations ship from, zones for the US (the
North-East apart), Canada and Europe, and a table carrier ("Parcel Post") with a ground and
a priority service priced by weight in each, free ground from 100.00 at home."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from mercato.agents.shipping import origins, rate_tables, zones
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork

ORIGINS = [
    {
        "name": "Mercato East Warehouse",
        "line1": "400 Raymond Blvd",
        "city": "Newark",
        "region": "NJ",
        "postal_code": "07105",
        "country": "US",
        "phone": "+12015550100",
    },
    {
        "name": "Mercato New York Shop",
        "line1": "120 W 31st St",
        "city": "New York",
        "region": "NY",
        "postal_code": "10001",
        "country": "US",
        "phone": "+12125550100",
    },
]
EUROPE = ["GB", "IE", "DE", "FR", "ES", "IT", "NL", "BE", "AT", "PT", "SE", "DK"]
ZONES = [
    ("us-northeast", "US North-East", [], ["US-NY", "US-NJ", "US-CT", "US-PA", "US-MA"], 0),
    ("us", "United States", ["US"], [], 10),
    ("ca", "Canada", ["CA"], [], 20),
    (
        "eu",
        "Europe",
        ["GB", "IE", "DE", "FR", "ES", "IT", "NL", "BE", "AT", "PT", "SE", "DK"],
        [],
        30,
    ),
]
# zone: (ground brackets, priority brackets, per kg over, ground days, priority days)
PRICES = {
    "us-northeast": ((4.50, 6.90, 9.90), (8.90, 12.90, 17.90), 1.50, (2, 4), (1, 2)),
    "us": ((5.90, 8.90, 12.90), (11.90, 16.90, 24.90), 2.00, (3, 6), (1, 3)),
    "ca": ((12.90, 18.90, 26.90), (24.90, 34.90, 49.90), 4.00, (5, 9), (2, 4)),
    "eu": ((19.90, 29.90, 44.90), (34.90, 49.90, 74.90), 6.00, (6, 12), (3, 5)),
}
WEIGHTS = (1000, 5000, 10000)


async def seed(uow: UnitOfWork, settings: Settings, *, locations: list[str], now: datetime) -> None:
    """Idempotent: a store that has zones keeps its own set-up."""
    if await zones.all_zones(uow):
        return
    for location_id, address in zip(locations, ORIGINS, strict=False):
        await origins.set_origin(uow, location_id=location_id, address=address, now=now)
    for code, name, countries, regions, position in ZONES:
        zone = await zones.create_zone(
            uow,
            code=code,
            name=name,
            countries=countries,
            regions=regions,
            position=position,
            now=now,
        )
        ground, priority, per_kg, ground_days, priority_days = PRICES[code]
        for service, label, prices, days in (
            ("ground", "Ground", ground, ground_days),
            ("priority", "Priority", priority, priority_days),
        ):
            await rate_tables.create_table(
                uow,
                data={
                    "carrier": "post",
                    "carrier_name": "Parcel Post",
                    "service": service,
                    "service_name": label,
                    "zone_id": zone.id,
                    "currency": settings.default_currency,
                    "brackets": [
                        {"up_to_grams": grams, "price": str(price)}
                        for grams, price in zip(WEIGHTS, prices, strict=True)
                    ],
                    "per_kg_over": Decimal(str(per_kg)),
                    "value_percent": Decimal(0),
                    "free_over": Decimal(100)
                    if service == "ground" and code.startswith("us")
                    else None,
                    "max_length_mm": 1500,
                    "days_min": days[0],
                    "days_max": days[1],
                },
                now=now,
            )
