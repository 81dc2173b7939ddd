"""The demo store's part of this agent (filled in by the work in progress)."""

from __future__ import annotations

from mercato.kernel.bootstrap import Kernel


async def seed(kernel: Kernel) -> None:
    """Seed the demo store's rows of this part (idempotent)."""
