"""The notifications agent: messages to customers and staff over email, SMS, push and an
in-app inbox, triggered by other agents' events (orders, payments, accounts, carts, stock,
support). Kinds and their templates (Jinja2, per locale, a store's own wording), customers'
preferences, quiet hours and unsubscribes, a delivery log fed by the sender and by providers'
webhooks. Seed 002 Notification; seed 003 Notification, Email and SMS."""

from __future__ import annotations

from pathlib import Path

from mercato.agents.notifications import access as access  # grants the permissions
from mercato.agents.notifications import rules as rules  # registers BR022
from mercato.agents.notifications.api import router
from mercato.agents.notifications.cli import cli
from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.handlers import handlers
from mercato.agents.notifications.inbox_feed import TOPIC, LiveInboxes
from mercato.agents.notifications.providers import providers_for
from mercato.agents.notifications.sender import send_due
from mercato.agents.notifications.signing import load_secret
from mercato.kernel.agent import Agent, PeriodicJob
from mercato.kernel.bootstrap import Kernel


def setup(kernel: Kernel) -> None:
    settings = kernel.settings
    deps = NotificationDeps(
        settings=settings,
        clock=kernel.clock,
        secret=load_secret(settings),
        providers=providers_for(settings, kernel.clock),
    )
    kernel.provide(NotificationDeps, deps)
    live = LiveInboxes()
    kernel.provide(LiveInboxes, live)
    kernel.broadcast.subscribe(TOPIC, live.deliver)


async def on_stop(kernel: Kernel) -> None:
    for provider in kernel.deps(NotificationDeps).providers.values():
        await provider.close()


agent = Agent(
    name="notifications",
    description="Email, SMS, push and in-app messages from events; templates, preferences, "
    "delivery log",
    router=router,
    cli=cli,
    handlers=handlers,
    setup=setup,
    on_stop=on_stop,
    jobs=[
        PeriodicJob(
            "notifications.send",
            lambda settings: settings.notifications_send_interval,
            send_due,
        )
    ],
    tables=[
        "notification_messages",
        "notification_delivery_steps",
        "notification_preferences",
        "notification_profiles",
        "notification_devices",
        "notification_suppressions",
        "notification_templates",
    ],
    web=Path(__file__).parent / "web",
)
