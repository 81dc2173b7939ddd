"""The payments agent: payments of orders through a provider (the built-in sandbox, Stripe,
PayPal), authorize / capture / void / refund with idempotency keys, fraud screening with
manual review, gateway webhooks (idempotent, EC005), and reconciliation of lost answers
(EC004). Seed 000: BR004, BR007, BR008; EC004, EC005, EC008, EC017."""

from __future__ import annotations

from pathlib import Path

from mercato.agents.payments import rules as _rules  # registers BR004, BR007, BR008
from mercato.agents.payments.api import router
from mercato.agents.payments.handlers import handlers
from mercato.agents.payments.providers.registry import Gateways
from mercato.agents.payments.reconcile import reconcile_job
from mercato.kernel.agent import Agent, PeriodicJob
from mercato.kernel.auth import grant
from mercato.kernel.bootstrap import Kernel

del _rules

grant("customer", "payments:read")  # the payments of their own orders
grant("support", "payments:read", "payments:read_any", "payments:refund")
# payments:write (captures, review decisions) is for admins only, who hold every permission.


def setup(kernel: Kernel) -> None:
    """The gateways, for every unit of work (`uow.deps(Gateways)`)."""
    kernel.provide(Gateways, Gateways(kernel.settings))


async def stop(kernel: Kernel) -> None:
    """Close the providers' connections (and the sandbox's ledger)."""
    gateways = kernel.wiring.take(Gateways)
    if gateways is not None:
        await gateways.close()


agent = Agent(
    name="payments",
    description=(
        "Payments of orders: authorize, capture, void, refund through the sandbox, Stripe or "
        "PayPal; fraud screening and review; gateway webhooks; reconciliation"
    ),
    router=router,
    handlers=handlers,
    tables=["payments", "payment_transactions", "webhook_deliveries"],
    jobs=[PeriodicJob("payments.reconcile", lambda s: s.payment_reconcile_interval, reconcile_job)],
    setup=setup,
    on_stop=stop,
    web=Path(__file__).parent / "web",
)
