"""What the notifications agent's code is given when the kernel is built: the settings, the
clock, the secret, and a provider per channel."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mercato.agents.notifications.providers.base import Provider
from mercato.agents.notifications.statuses import Channel
from mercato.kernel.clock import Clock
from mercato.kernel.config import Settings


@dataclass(frozen=True)
class NotificationDeps:
    settings: Settings
    clock: Clock
    secret: bytes
    providers: Mapping[Channel, Provider]
    """email, sms, push; in-app is the agent's own inbox."""

    def link(self, path: str) -> str:
        return f"{self.settings.public_url.rstrip('/')}{path}"
