"""An account's statuses (stored as these strings)."""

from __future__ import annotations

from enum import StrEnum


class UserStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"
    """Turned off by an administrator: signs in nowhere, its tokens are refused."""
