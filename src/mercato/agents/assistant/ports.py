"""What the assistant asks of other agents, for them to provide (`kernel.provide`): a checkout
of a cart the shopper confirmed (the orders agent's). Without a provider, the assistant sends
the shopper to the checkout page instead."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mercato.kernel.auth import Principal

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel


@dataclass(frozen=True)
class CheckoutRequest:
    cart_id: str
    email: str
    shipping_address: dict[str, Any] | None
    payment: dict[str, Any] | None
    """`{"provider": …, "token": …}` or `{"card": {…}}`, as `POST /v1/checkout` takes it."""
    idempotency_key: str
    """One per confirmation: confirming twice never charges twice."""


@dataclass(frozen=True)
class PlacedOrder:
    order_id: str
    number: str
    status: str
    total: str
    currency: str


@dataclass(frozen=True)
class Checkout:
    """Runs a checkout for the shopper; raises the checkout's problems (declined, out of
    stock, a missing address: `kernel.errors.Problem`) or `ValueError` for a request the
    checkout's contract refuses."""

    run: Callable[[Kernel, Principal, CheckoutRequest], Awaitable[PlacedOrder]]
