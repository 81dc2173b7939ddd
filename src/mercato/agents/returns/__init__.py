"""The returns agent: a shopper's return of some of an order's units within 30 days of
delivery (BR009), screened and approved with a return label, received, inspected (BR010),
and refunded by a saga (restock, then the money) to the original payment, to store credit
or by an exchange's replacement order; store credit balances. Seed 003 Returns and Refund;
seed 000's return entity and return_flow."""

from __future__ import annotations

from pathlib import Path

from mercato.agents.orders.ports import StoreCredit
from mercato.agents.returns import access as access  # grants the permissions
from mercato.agents.returns import rules as rules  # registers BR009, BR010
from mercato.agents.returns import spending
from mercato.agents.returns.api import router
from mercato.agents.returns.handlers import handlers
from mercato.agents.returns.refund_saga import SAGA
from mercato.kernel.agent import Agent
from mercato.kernel.bootstrap import Kernel


def setup(kernel: Kernel) -> None:
    kernel.provide(StoreCredit, spending.PORT)


agent = Agent(
    name="returns",
    description="Return requests, inspection, refunds and exchanges, store credit",
    router=router,
    handlers=handlers,
    setup=setup,
    sagas=[SAGA],
    tables=["returns", "return_lines", "store_credit_accounts", "store_credit_entries"],
    web=Path(__file__).parent / "web",
)
