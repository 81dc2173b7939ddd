"""The checkout saga's definition (steps in `steps.py`)."""

from __future__ import annotations

from mercato.agents.orders.checkout import steps
from mercato.kernel.saga import SagaDefinition, Step

SAGA = SagaDefinition(
    "checkout",
    [
        Step("place", steps.place, steps.unplace),
        Step("pay", steps.pay, steps.void, compensate_on_error=True),
    ],
)
