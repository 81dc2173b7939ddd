"""The inventory agent's service as an order's transitions use it (`OrderStock`:
allocate, release, commit the reservation made under the order's id), held in memory. It
answers as the real service does, with the real service's problems: 404
`ReservationNotFound` when nothing was reserved, 409 `ReservationNotActive` (BR018) when
committing stock that no longer holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mercato.agents.inventory.errors import ReservationNotActive, ReservationNotFound

HOLDING = ("active", "allocated")


@dataclass
class Held:
    variant_id: str
    quantity: int
    status: str = "active"


@dataclass
class FakeInventory:
    reservations: dict[str, list[Held]] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    """(operation, reference) of every call, in order."""

    # -- what a test arranges ----------------------------------------------------------------

    def reserve(self, reference: str, lines: dict[str, int]) -> None:
        self.reservations[reference] = [Held(v, q) for v, q in lines.items()]

    def lapse(self, reference: str, variant_id: str) -> None:
        """The variant's reservation expired (BR018) before the order was confirmed."""
        for held in self.reservations[reference]:
            if held.variant_id == variant_id:
                held.status = "expired"

    def statuses(self, reference: str) -> dict[str, str]:
        return {h.variant_id: h.status for h in self.reservations.get(reference, [])}

    # -- OrderStock --------------------------------------------------------------------------

    async def allocate(self, uow: Any, *, reference: str, now: datetime) -> list[Held]:
        self.calls.append(("allocate", reference))
        held = [h for h in self._of(reference) if h.status in HOLDING]
        if not held:
            raise ReservationNotFound(f"no reservation holds stock for {reference!r}")
        for h in held:
            h.status = "allocated"
        return held

    async def release(
        self, uow: Any, *, reference: str, now: datetime, reason: str = "released"
    ) -> list[Held]:
        self.calls.append(("release", reference))
        released = [h for h in self.reservations.get(reference, []) if h.status in HOLDING]
        for h in released:
            h.status = "released"
        return released

    async def commit(self, uow: Any, *, reference: str, now: datetime) -> list[Held]:
        self.calls.append(("commit", reference))
        every = self._of(reference)
        if any(h.status not in (*HOLDING, "committed") for h in every):
            raise ReservationNotActive(f"the stock held for {reference!r} no longer holds")
        for h in every:
            h.status = "committed"
        return every

    def _of(self, reference: str) -> list[Held]:
        if reference not in self.reservations:
            raise ReservationNotFound(f"no reservation for {reference!r}")
        return self.reservations[reference]
