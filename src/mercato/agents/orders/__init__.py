"""The orders agent: orders and their lines, human numbers, statuses (pending → confirmed →
shipped → delivered, or cancelled), payment status and review flag from the payments
agent's events, modifications before fulfilment, notes, tags and the timeline; and the
checkout saga (`checkout`: POST /v1/checkout). Seed 000: BR005, BR006 (and BR002 at
placement); EC004 (a payment settled after checkout stopped waiting), EC012."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from mercato.agents.assistant.ports import Checkout
from mercato.agents.orders import checkout
from mercato.agents.orders import rules as _rules  # registers BR005, BR006
from mercato.agents.orders.access import MANAGE, READ, READ_ANY, WRITE
from mercato.agents.orders.api import router as orders_router
from mercato.agents.orders.checkout.for_assistant import check_out_for_assistant
from mercato.agents.orders.handlers import handlers
from mercato.kernel.agent import Agent
from mercato.kernel.auth import grant
from mercato.kernel.bootstrap import Kernel

del _rules

grant("guest", READ, WRITE)  # the orders of their session
grant("customer", READ, WRITE)  # their own orders
grant("merchant", READ)  # the orders with their lines, only those lines
grant("support", READ, WRITE, READ_ANY)  # every order, internal notes, tags
grant("system", READ, WRITE, READ_ANY, MANAGE)  # integrations: fulfilment
# admins hold every permission

router = APIRouter()
router.include_router(orders_router)
router.include_router(checkout.router)


def setup(kernel: Kernel) -> None:
    kernel.provide(Checkout, Checkout(run=check_out_for_assistant))


agent = Agent(
    name="orders",
    description=(
        "Orders: numbers, statuses, payment status, modifications, cancellations, notes, "
        "tags and timeline; the checkout saga"
    ),
    router=router,
    handlers=handlers,
    tables=["orders", "order_lines", "order_events", "order_notes", "order_tags", "order_counters"],
    sagas=[checkout.SAGA],
    setup=setup,
    web=Path(__file__).parent / "web",
)
