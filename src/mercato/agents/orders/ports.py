"""What the orders agent asks of other agents, as ports they implement and the kernel wires.

`StoreCredit` is how checkout spends a signed-in shopper's store credit (the returns agent
keeps the balances and provides it in its `setup`; orders never imports returns, which
imports orders to read what it takes back). Without it, checkout takes no credit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal

from mercato.kernel.db import UnitOfWork


@dataclass(frozen=True)
class StoreCredit:
    balance: Callable[[UnitOfWork, str, str], Awaitable[Decimal]]
    """The customer's (id) balance in a currency."""
    redeem: Callable[[UnitOfWork, str, Decimal, str, str], Awaitable[None]]
    """Spend (customer id, amount, currency, order id) once per order; 409 when the balance
    no longer covers it."""
    restore: Callable[[UnitOfWork, str, str], Awaitable[Decimal]]
    """Give back what the order (customer id, order id) spent, once: what came back."""
