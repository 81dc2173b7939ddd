"""The checkout saga (ARCHITECTURE.md, "Checkout"): `POST /v1/checkout` runs it; a
restarted process resumes it. `router` and `SAGA` are the orders agent's."""

from __future__ import annotations

from mercato.agents.orders.checkout.api import router
from mercato.agents.orders.checkout.saga import SAGA
from mercato.kernel.auth import grant

grant("guest", "checkout:use")
grant("customer", "checkout:use")

__all__ = ["SAGA", "router"]
