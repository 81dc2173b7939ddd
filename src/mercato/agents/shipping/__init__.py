"""The shipping agent: carriers and their services, zones and rate tables, rate shopping
(cheapest, fastest, best value) that checkout offers, shipments with labels (PDF, 4x6),
packing slips and manifests, tracking by carriers' webhooks and by polling. Seed 003
Shipping; seed 000's shipment entity (BR023, BR024) and EC018."""

from __future__ import annotations

from pathlib import Path

from mercato.agents.shipping import access as access  # grants the permissions
from mercato.agents.shipping import rules as rules  # registers BR023, BR024
from mercato.agents.shipping.api import router
from mercato.agents.shipping.deps import ShippingDeps, load_secret
from mercato.agents.shipping.handlers import handlers
from mercato.agents.shipping.polling import poll_tracking, sweep_quotes
from mercato.agents.shipping.providers import carriers_from_settings
from mercato.kernel.agent import Agent, PeriodicJob
from mercato.kernel.bootstrap import Kernel


def setup(kernel: Kernel) -> None:
    settings = kernel.settings
    secret = load_secret(settings)
    carriers = carriers_from_settings(settings, now=kernel.clock.now, local_webhook_secret=secret)
    kernel.provide(
        ShippingDeps,
        ShippingDeps(settings=settings, clock=kernel.clock, carriers=carriers, secret=secret),
    )


async def on_stop(kernel: Kernel) -> None:
    for carrier in kernel.deps(ShippingDeps).carriers.values():
        await carrier.close()


agent = Agent(
    name="shipping",
    description="Carriers, zones, rate tables, rate shopping, shipments with labels, tracking",
    router=router,
    handlers=handlers,
    setup=setup,
    on_stop=on_stop,
    jobs=[
        PeriodicJob(
            "shipping.poll_tracking",
            lambda settings: settings.shipping_poll_interval,
            poll_tracking,
        ),
        PeriodicJob("shipping.sweep_quotes", lambda settings: 3600.0, sweep_quotes),
    ],
    tables=[
        "shipping_zones",
        "shipping_rate_tables",
        "shipping_origins",
        "shipping_carrier_settings",
        "shipping_quotes",
        "shipments",
        "shipment_lines",
        "shipment_tracking_events",
    ],
    web=Path(__file__).parent / "web",
)
