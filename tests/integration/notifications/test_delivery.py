"""Delivery through the real SMTP provider against a real local SMTP server (STARTTLS, AUTH):
sent once with the provider's id in the log; a transient failure is retried with backoff; an
outage queues and drains, nothing lost; a rejected recipient fails at once and is
suppressed. Provider webhooks move a message's status on."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from mercato.agents.notifications.models import Suppression
from mercato.kernel.config import Settings
from tests.conftest import eventually
from tests.fakes.smtp_server import FakeSmtp
from tests.integration.notifications.conftest import Post
from tests.support.store import store_for


@pytest.fixture
def smtp() -> Iterator[FakeSmtp]:
    with FakeSmtp().running() as server:
        yield server


@pytest.fixture
async def mailing(
    smtp: FakeSmtp, make_settings: Callable[..., Settings], tmp_path: Path
) -> AsyncIterator[Post]:
    """A store that mails through `smtp` (trusting its certificate), retrying fast."""
    ca = tmp_path / "smtp-ca.pem"
    ca.write_bytes(smtp.cert_pem)
    settings = make_settings(
        "sqlite",
        email_provider="smtp",
        smtp_url=smtp.url,
        smtp_ca_file=ca,
        notifications_retry_base_seconds=0.2,
        notifications_send_interval=0.1,
    )
    async with store_for(settings) as (kernel, client):
        yield Post(kernel, client)


async def test_an_order_is_mailed_over_starttls_with_auth_once(
    mailing: Post, smtp: FakeSmtp
) -> None:
    order = await mailing.order(email="smtp.buyer@example.com")
    [message] = await mailing.sent(kind="order_confirmed")
    assert message.status == "sent" and message.provider == "smtp"
    assert message.provider_message_id == f"<{message.id}@mercato>"
    [received] = [r for r in smtp.received if "smtp.buyer@example.com" in r.rcpt_tos]
    assert order["number"] in str(received.message["Subject"])
    assert any(ok for _, ok in smtp.auth_attempts)


@pytest.mark.edge_case("EC034")
async def test_an_outage_queues_the_mail_and_it_goes_when_the_server_is_back(
    mailing: Post, smtp: FakeSmtp
) -> None:
    # given the mail server is down when an order is placed
    smtp.down = True
    await mailing.order(email="outage@example.com")

    async def retried() -> bool:
        found = await mailing.messages(kind="order_confirmed")
        return bool(found) and found[0].attempts >= 2 and found[0].status == "queued"

    await eventually(retried, within=15)
    assert not [r for r in smtp.received if "outage@example.com" in r.rcpt_tos]
    # when it comes back
    smtp.down = False
    # then the queued mail goes, once
    [message] = await mailing.sent(kind="order_confirmed")
    assert message.status == "sent" and message.last_error is None
    assert len([r for r in smtp.received if "outage@example.com" in r.rcpt_tos]) == 1


async def test_a_rejected_recipient_fails_at_once_and_is_not_written_to_again(
    mailing: Post, smtp: FakeSmtp
) -> None:
    smtp.reject_recipients.add("gone@example.com")
    await mailing.order(email="gone@example.com")
    [message] = await mailing.sent(kind="order_confirmed")
    assert (message.status, message.attempts) == ("failed", 1)
    async with mailing.kernel.uow(writes=False) as uow:
        suppressed = await uow.session.scalar(
            select(Suppression.reason)
            .where(Suppression.address == "gone@example.com")
            .execution_options(all_tenants=True)
        )
    assert suppressed == "rejected_recipient"
    # and the next order's mail to it is not even queued
    await mailing.order(email="gone@example.com")
    assert len(await mailing.messages(recipient="gone@example.com")) == 1


async def test_the_delivery_log_shows_each_step_of_a_message(post: Post) -> None:
    await post.order(email="log@example.com")
    [message] = await post.sent(kind="order_confirmed")
    log = await post.admin("GET", f"/v1/notifications/messages/{message.id}")
    assert log.status_code == 200
    assert [s["status"] for s in log.json()["steps"]] == ["queued", "delivered"]
    listed = await post.admin("GET", "/v1/notifications/messages?channel=email&limit=5")
    assert message.id in [m["id"] for m in listed.json()["items"]]


async def test_a_twilio_status_callback_marks_the_sms_delivered(
    make_settings: Callable[..., Settings],
) -> None:
    from tests.fakes.twilio_api import FakeTwilio, status_callback

    with FakeTwilio().running() as twilio:
        settings = make_settings(
            "sqlite",
            sms_provider="twilio",
            twilio_account_sid=twilio.account_sid,
            twilio_auth_token=twilio.auth_token,
            twilio_from="+15005550006",
            twilio_base_url=twilio.url,
            public_url="http://mercato.test",
        )
        async with store_for(settings) as (kernel, client):
            post = Post(kernel, client)
            account = await post.customer()
            await client.patch(
                "/v1/me/notifications/profile",
                headers=account.headers,
                json={"phone": "+14155550123", "quiet_start": None, "quiet_end": None},
            )
            await client.put(
                "/v1/me/notifications/preferences",
                headers=account.headers,
                json={"choices": [{"kind": "order_confirmed", "channel": "sms", "enabled": True}]},
            )
            await post.order(account.headers, email=account.email)
            [sms] = await post.sent(kind="order_confirmed", channel="sms")
            assert sms.status == "sent" and sms.provider_message_id.startswith("SM")
            url = f"http://mercato.test/v1/notifications/webhooks/twilio?ref={sms.id}"
            answer = await status_callback(
                url, twilio.auth_token, sms.provider_message_id, "delivered", client=client
            )
            assert answer.status_code == 200, answer.text
            [after] = await post.messages(id=sms.id)
            assert after.status == "delivered"
            forged = await client.post(
                "/v1/notifications/webhooks/twilio",
                data={"MessageSid": sms.provider_message_id, "MessageStatus": "failed"},
                headers={"x-twilio-signature": "forged"},
            )
            assert forged.status_code == 400
            [still] = await post.messages(id=sms.id)
            assert still.status == "delivered"


async def test_fcm_pushes_and_an_unregistered_device_is_dropped(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    from tests.fakes.fcm_api import FakeFcm

    with FakeFcm().running() as fcm:
        key = fcm.service_account_file(tmp_path / "service-account.json")
        settings = make_settings(
            "sqlite", push_provider="fcm", fcm_service_account=key, fcm_base_url=fcm.url
        )
        async with store_for(settings) as (kernel, client):
            post = Post(kernel, client)
            account = await post.customer()
            for token in ("device-live-0001", "device-gone-0002"):
                added = await client.post(
                    "/v1/me/notifications/devices",
                    headers=account.headers,
                    json={"token": token, "platform": "android"},
                )
                assert added.status_code == 201
            fcm.unregistered.add("device-gone-0002")
            await post.order(account.headers, email=account.email)
            pushes = {
                m.recipient: m for m in await post.sent(kind="order_confirmed", channel="push")
            }
            assert pushes["device-live-0001"].status == "sent"
            assert pushes["device-live-0001"].provider_message_id.startswith("projects/")
            assert pushes["device-gone-0002"].status == "failed"
            devices = (
                await client.get("/v1/me/notifications/preferences", headers=account.headers)
            ).json()["devices"]
            assert len(devices) == 1  # the unregistered one is no longer pushed to
            [sent] = [m for m in fcm.messages if m["token"] == "device-live-0001"]
            assert sent["data"]["kind"] == "order_confirmed"


async def test_ses_sends_and_its_bounce_report_suppresses_the_address(
    make_settings: Callable[..., Settings],
) -> None:
    from mercato.agents.notifications import signing
    from mercato.agents.notifications.deps import NotificationDeps
    from tests.fakes.ses_api import (
        ACCESS_KEY_ID,
        REGION,
        SECRET_ACCESS_KEY,
        FakeSes,
        SnsSigner,
        ses_event,
    )

    with FakeSes().running() as ses:
        settings = make_settings(
            "sqlite",
            email_provider="ses",
            ses_region=REGION,
            ses_endpoint_url=ses.url,
            ses_access_key_id=ACCESS_KEY_ID,
            ses_secret_access_key=SECRET_ACCESS_KEY,
            ses_verify_sns_signature=False,  # its certificate is not on an AWS host here
        )
        async with store_for(settings) as (kernel, client):
            post = Post(kernel, client)
            await post.order(email="bounce@example.com")
            [mail] = await post.sent(kind="order_confirmed")
            [sent] = ses.sent
            assert (mail.provider, mail.provider_message_id) == ("ses", sent.message_id)
            assert sent.tags["mercato_ref"] == mail.id
            key = signing.webhook_key(kernel.deps(NotificationDeps).secret, "ses")
            report = SnsSigner().notification(ses_event("Bounce", sent, bounceType="Permanent"))
            wrong = await client.post("/v1/notifications/webhooks/ses/not-the-key", json=report)
            assert wrong.status_code == 400
            answer = await client.post(f"/v1/notifications/webhooks/ses/{key}", json=report)
            assert (answer.status_code, answer.json()) == (200, {"applied": 1})
            [after] = await post.messages(id=mail.id)
            assert after.status == "bounced"
            await post.order(email="bounce@example.com")
            assert len(await post.messages(recipient="bounce@example.com")) == 1


async def test_admins_read_the_webhook_addresses_and_others_do_not(post: Post) -> None:
    answer = await post.admin("GET", "/v1/notifications/webhooks")
    assert answer.status_code == 200
    assert answer.json()["ses"].startswith("http") and "/webhooks/ses/" in answer.json()["ses"]
    customer = await post.customer()
    refused = await post.client.get("/v1/notifications/webhooks", headers=customer.headers)
    assert refused.status_code == 403
