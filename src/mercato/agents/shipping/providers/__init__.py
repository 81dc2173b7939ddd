"""The carriers' providers, chosen by settings: Mercato's own local courier (no account
needed) and EasyPost's API (with an API key). The store's rate tables are a carrier too, but
the shipping service builds those from its own tables, not from here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mercato.agents.shipping.providers.base import (
    Address,
    Carrier,
    CarrierRefused,
    CarrierUnavailable,
    InvalidWebhook,
    Label,
    LabelRequest,
    Parcel,
    Quote,
    TrackingStatus,
    TrackingUpdate,
)
from mercato.agents.shipping.providers.easypost import EasyPostCarrier
from mercato.agents.shipping.providers.local import LocalCarrier
from mercato.kernel.config import Settings

__all__ = [
    "Address",
    "Carrier",
    "CarrierRefused",
    "CarrierUnavailable",
    "EasyPostCarrier",
    "InvalidWebhook",
    "Label",
    "LabelRequest",
    "LocalCarrier",
    "Parcel",
    "Quote",
    "TrackingStatus",
    "TrackingUpdate",
    "carrier_codes",
    "carriers_from_settings",
]


def carrier_codes(settings: Settings) -> list[str]:
    """`shipping_carriers` as codes, in order, each once (`local`, `tables`, `easypost`)."""
    codes = [code.strip().lower() for code in settings.shipping_carriers.split(",")]
    return list(dict.fromkeys(code for code in codes if code))


def carriers_from_settings(
    settings: Settings,
    *,
    now: Callable[[], datetime],
    local_webhook_secret: str | None = None,
) -> dict[str, Carrier]:
    """The provider carriers named in settings, by code, in the settings' order. `easypost`
    without an API key is left out (a laptop store works without one); `tables` and codes
    this module does not know are the caller's. The local courier signs with
    `local_webhook_secret` when given (a secret the caller keeps, e.g. in the data directory),
    else `settings.shipping_webhook_secret`; with neither it refuses every webhook."""
    carriers: dict[str, Carrier] = {}
    for code in carrier_codes(settings):
        if code == "local":
            configured = settings.shipping_webhook_secret
            secret = local_webhook_secret or (configured.get_secret_value() if configured else None)
            carriers[code] = LocalCarrier(webhook_secret=secret, now=now)
        elif code == "easypost" and settings.easypost_api_key is not None:
            carriers[code] = EasyPostCarrier.from_settings(settings)
    return carriers
