"""The cart agent: guests' and users' carts, their lines and totals (tax, shipping estimate,
discount codes), optimistic concurrency, validation for checkout, the guest-to-user merge
and the abandonment sweep (seed 000: BR001-BR003, BR014, BR020; EC001, EC006, EC007, EC010,
EC013, EC014; workflow cart_abandonment)."""

from __future__ import annotations

from pathlib import Path

from mercato.agents.cart import rules as _rules  # registers BR001-BR003, BR014, BR020
from mercato.agents.cart.abandonment import detect_abandoned
from mercato.agents.cart.api import router
from mercato.agents.cart.handlers import handlers
from mercato.agents.cart.store import read_terms
from mercato.agents.cart.store_terms import KeptTerms
from mercato.kernel.agent import Agent, PeriodicJob
from mercato.kernel.auth import grant
from mercato.kernel.bootstrap import Kernel

del _rules

grant("guest", "cart:use")
grant("customer", "cart:use")
grant("merchant", "cart:use")
grant("support", "cart:use", "carts:read_any")
# discounts:write and cart_settings:write are for admins only, who hold every permission.


def setup(kernel: Kernel) -> None:
    """What this process keeps of each store's settings and tax rates."""
    ttl = kernel.settings.store_terms_cache_seconds
    kernel.provide(KeptTerms, KeptTerms(kernel.broadcast, ttl=ttl, read=read_terms))


agent = Agent(
    name="cart",
    description="Carts of guests and users: lines, totals, codes, validation, abandonment",
    router=router,
    handlers=handlers,
    setup=setup,
    tables=["carts", "cart_items", "discount_codes", "tax_rates", "cart_settings"],
    jobs=[
        PeriodicJob(
            "cart.detect_abandoned", lambda s: s.cart_abandon_sweep_interval, detect_abandoned
        )
    ],
    web=Path(__file__).parent / "web",
)
