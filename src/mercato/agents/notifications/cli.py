"""The notifications agent's commands: `mercato notifications test` sends one message through
the configured provider of a channel (are the SMTP, SES, Twilio or FCM settings right?);
`mercato notifications send` sends what is due now (a deployment that runs no `serve` or
`worker` with the agent)."""

from __future__ import annotations

from typing import Annotated

import typer

from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.providers.base import DeliveryError, Outgoing
from mercato.agents.notifications.sender import send_due
from mercato.agents.notifications.statuses import Channel
from mercato.kernel.commands import command_kernel, console, fail, preflight, run, settings
from mercato.kernel.ids import new_id

cli = typer.Typer()
notifications = typer.Typer(help="Email, SMS and push messages.", no_args_is_help=True)
cli.add_typer(notifications, name="notifications")


@notifications.command("test")
def test_command(
    to: Annotated[str, typer.Option(help="An email address, an E.164 number or a device token")],
    channel: Annotated[str, typer.Option(help="email, sms or push")] = "email",
) -> None:
    """Send one test message through the channel's configured provider, now."""
    if channel not in ("email", "sms", "push"):
        fail("--channel is email, sms or push")
    cfg = settings()
    run(lambda: preflight(cfg))

    async def send() -> str:
        async with command_kernel(cfg, prepare=False) as kernel:
            deps = kernel.deps(NotificationDeps)
            provider = deps.providers[Channel(channel)]
            message = Outgoing(
                reference=new_id(),
                channel=channel,
                to=to,
                subject="Mercato test message",
                text="This is a test of your store's notification settings.",
                sender=cfg.mail_from if channel == "email" else None,
            )
            try:
                sent = await provider.send(message)
            except DeliveryError as error:
                kind = "transient" if error.transient else "permanent"
                return f"[red]not sent[/red] by {provider.name} ({kind}): {error}"
            return f"sent by {sent.provider}: {sent.provider_message_id}"

    console.print(run(send))


@notifications.command("send")
def send_command() -> None:
    """Send every queued message that is due now (the periodic job's work, once)."""
    cfg = settings()
    run(lambda: preflight(cfg))

    async def drain() -> int:
        async with command_kernel(cfg, prepare=True) as kernel:
            return await send_due(kernel)

    console.print(f"{run(drain)} messages handed to their providers")
