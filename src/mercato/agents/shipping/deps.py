"""What the shipping agent's code is given when the kernel is built: the settings, the
clock, the carriers (providers) and the secret that signs the local carrier's webhooks."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mercato.agents.shipping.providers.base import Carrier
from mercato.kernel.clock import Clock
from mercato.kernel.config import Settings


@dataclass(frozen=True)
class ShippingDeps:
    settings: Settings
    clock: Clock
    carriers: Mapping[str, Carrier]
    """The carriers with an API (local, easypost), by code; table carriers are rows."""
    secret: str


def load_secret(settings: Settings) -> str:
    """The local carrier's webhook secret: the setting, else one kept in the data directory
    (embedded), else one derived from the signing keys every host of a scaled deployment
    shares."""
    configured = settings.shipping_webhook_secret
    if configured is not None:
        return configured.get_secret_value()
    if settings.jwt_signing_keys:
        return hashlib.sha256(
            b"mercato shipping\0" + settings.jwt_signing_keys[-1].encode()
        ).hexdigest()
    path = Path(settings.data_dir) / "shipping-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()
