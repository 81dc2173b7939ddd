"""The channels' providers, chosen by settings: each channel has a local one (what it sends
is kept under the data directory) and a real one on the vendor's protocol."""

from __future__ import annotations

import ssl

from mercato.agents.notifications.providers.base import Provider
from mercato.agents.notifications.providers.email_local import LocalMail
from mercato.agents.notifications.providers.email_ses import SesMail
from mercato.agents.notifications.providers.email_smtp import SmtpMail
from mercato.agents.notifications.providers.local_log import LocalPush, LocalSms
from mercato.agents.notifications.providers.push_fcm import FcmPush
from mercato.agents.notifications.providers.sms_twilio import TwilioSms
from mercato.agents.notifications.statuses import Channel
from mercato.kernel.clock import Clock
from mercato.kernel.config import Settings


def providers_for(settings: Settings, clock: Clock) -> dict[Channel, Provider]:
    """One provider per channel (in-app is the agent's own inbox)."""
    email: Provider
    if settings.email_provider == "smtp" or (
        settings.email_provider == "local" and settings.smtp_url  # as before this agent
    ):
        trusted = (
            ssl.create_default_context(cafile=str(settings.smtp_ca_file))
            if settings.smtp_ca_file
            else None
        )
        email = SmtpMail.from_settings(settings, tls_context=trusted)
    elif settings.email_provider == "ses":
        email = SesMail.from_settings(settings, clock=clock)
    else:
        email = LocalMail.from_settings(settings, clock=clock)
    callback = f"{settings.public_url.rstrip('/')}/v1/notifications/webhooks/twilio"
    sms: Provider = (
        TwilioSms.from_settings(settings, status_callback_url=callback)
        if settings.sms_provider == "twilio"
        else LocalSms.from_settings(settings, clock=clock)
    )
    push: Provider = (
        FcmPush.from_settings(settings, clock=clock)
        if settings.push_provider == "fcm"
        else LocalPush.from_settings(settings, clock=clock)
    )
    return {Channel.EMAIL: email, Channel.SMS: sms, Channel.PUSH: push}
