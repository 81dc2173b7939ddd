"""The email channel's providers: local `.eml` files, SMTP against a real local relay (STARTTLS,
AUTH) and SES's v2 API against a local SES that checks SigV4; each failure mapped to the
sender's kind of error with nothing sent; and SES's events as SNS delivers them, signed."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

import pytest

from mercato.agents.notifications.providers.base import (
    DeadAddressError,
    DeliveryError,
    Outgoing,
    PermanentDeliveryError,
    Provider,
    TransientDeliveryError,
)
from mercato.agents.notifications.providers.email_local import LocalMail
from mercato.agents.notifications.providers.email_ses import SesMail
from mercato.agents.notifications.providers.email_smtp import SmtpMail
from mercato.agents.notifications.providers.ses_events import (
    InvalidSnsMessage,
    parse_sns,
    verify_sns_signature,
)
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from tests.fakes import ses_api
from tests.fakes.ses_api import FakeSes, SnsSigner, ses_event
from tests.fakes.smtp_server import USERNAME, FakeSmtp

SHOP = "Mercato Shop <shop@example.test>"
CUSTOMER = "ada@example.test"
UNSUBSCRIBE = {
    "List-Unsubscribe": "<https://shop.example/u/abc>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}


def email(to: str = CUSTOMER, reference: str = "ntf-1", **changes: Any) -> Outgoing:
    values: dict[str, Any] = {
        "reference": reference,
        "channel": "email",
        "to": to,
        "subject": "Your order shipped — №1042",
        "text": "Order 1042 is on its way.",
        "html": "<p>Order <b>1042</b> is on its way.</p>",
        "headers": UNSUBSCRIBE,
        **changes,
    }
    return Outgoing(**values)


def parts(mime: EmailMessage) -> tuple[str, str]:
    """The text and html bodies, line ends as LF (the wire form is CRLF)."""
    text, html = mime.get_body(("plain",)), mime.get_body(("html",))
    assert text is not None and html is not None
    text_content, html_content = (
        cast(EmailMessage, part).get_content().replace("\r\n", "\n") for part in (text, html)
    )
    return text_content, html_content


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- local files --------------------------------------------------------------------------------


async def test_local_mail_writes_a_readable_eml_with_both_parts_and_the_headers(
    tmp_path: Path,
) -> None:
    # given the local provider under the data directory, on a fixed clock
    clock = ManualClock(datetime(2026, 3, 1, 9, 30, tzinfo=UTC))
    provider: Provider = LocalMail.from_settings(Settings(data_dir=tmp_path), clock=clock)
    # when a message with html and unsubscribe headers is sent
    sent = await provider.send(email())
    # then it is delivered as <data dir>/mail/<reference>.eml, and nothing else is left there
    assert (sent.provider, sent.provider_message_id, sent.delivered) == ("local", "ntf-1", True)
    assert [p.name for p in (tmp_path / "mail").iterdir()] == ["ntf-1.eml"]
    mime = message_from_bytes((tmp_path / "mail" / "ntf-1.eml").read_bytes(), policy=policy.default)
    assert mime["From"] == "Mercato <no-reply@mercato.local>"
    assert (mime["To"], mime["Subject"]) == (CUSTOMER, "Your order shipped — №1042")
    assert mime["Message-ID"] == "<ntf-1@mercato>"
    assert mime["Date"].datetime == clock.now()
    assert mime["List-Unsubscribe"] == UNSUBSCRIBE["List-Unsubscribe"]
    assert mime["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mime.get_content_type() == "multipart/alternative"
    assert parts(mime) == (
        "Order 1042 is on its way.\n",
        "<p>Order <b>1042</b> is on its way.</p>\n",
    )


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (email(reference="../../etc/passwd"), "invalid_reference"),
        (email(subject="Hi\r\nBcc: everyone@example.test"), "invalid_message"),
    ],
)
async def test_local_mail_refuses_what_would_escape_its_file_or_its_headers(
    tmp_path: Path, message: Outgoing, code: str
) -> None:
    # given the local provider; when a path-like reference or a header injection is sent
    provider = LocalMail(tmp_path / "mail", default_sender=SHOP)
    with pytest.raises(PermanentDeliveryError) as caught:
        await provider.send(message)
    # then it fails for good and nothing is written
    assert caught.value.code == code
    assert not (tmp_path / "mail").exists() or not any((tmp_path / "mail").iterdir())


# -- SMTP -----------------------------------------------------------------------------------------


@pytest.fixture
def relay() -> Iterator[FakeSmtp]:
    with FakeSmtp().running() as fake:
        yield fake


@pytest.fixture
async def smtp(relay: FakeSmtp) -> AsyncIterator[SmtpMail]:
    settings = Settings(smtp_url=relay.url, mail_from=SHOP, email_provider="smtp")
    provider = SmtpMail.from_settings(settings, tls_context=relay.client_tls_context())
    yield provider
    await provider.close()


async def test_smtp_sends_over_starttls_after_auth(relay: FakeSmtp, smtp: SmtpMail) -> None:
    # given a relay that wants STARTTLS and AUTH (the URL's password is percent-encoded)
    # when one message is sent
    sent = await smtp.send(email())
    # then the relay got it under TLS, logged in, with the right envelope and MIME
    assert (sent.provider, sent.provider_message_id) == ("smtp", "<ntf-1@mercato>")
    [got] = relay.received
    assert (got.mail_from, got.rcpt_tos, got.tls, got.login) == (
        "shop@example.test",
        [CUSTOMER],
        True,
        USERNAME,
    )
    assert (got.message["From"], got.message["Subject"]) == (SHOP, email().subject)
    assert got.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parts(got.message)[1] == "<p>Order <b>1042</b> is on its way.</p>\n"


async def test_smtp_keeps_one_connection_for_a_batch(relay: FakeSmtp, smtp: SmtpMail) -> None:
    # when a batch of 20 messages is sent
    for n in range(20):
        await smtp.send(email(reference=f"ntf-{n}"))
    # then all arrive over one connection (no handshake, TLS and AUTH per message)
    assert len(relay.received) == 20
    assert (relay.connections, smtp.connections_opened) == (1, 1)


async def test_smtp_reconnects_once_when_the_relay_dropped_the_idle_connection(
    relay: FakeSmtp, smtp: SmtpMail
) -> None:
    # given a kept connection that the relay then closes
    await smtp.send(email(reference="ntf-1"))
    relay.drop_connections()
    # when the next message is sent, then it goes through on a new connection
    await smtp.send(email(reference="ntf-2"))
    assert [m.message["Message-ID"] for m in relay.received] == [
        "<ntf-1@mercato>",
        "<ntf-2@mercato>",
    ]
    assert relay.connections == 2


async def test_smtp_over_implicit_tls() -> None:
    # given a relay speaking TLS from the first byte (smtps://, port 465 style)
    with FakeSmtp(implicit_tls=True).running() as fake:
        provider = SmtpMail.from_url(
            fake.url, default_sender=SHOP, tls_context=fake.client_tls_context()
        )
        # when a message is sent, then it arrives encrypted and authenticated
        await provider.send(email())
        await provider.close()
    assert [(m.tls, m.login) for m in fake.received] == [(True, USERNAME)]


def break_auth(relay: FakeSmtp) -> SmtpMail:
    url = relay.url.replace("p%40ss", "wrong")
    return SmtpMail.from_url(url, default_sender=SHOP, tls_context=relay.client_tls_context())


def untrusted(relay: FakeSmtp) -> SmtpMail:
    return SmtpMail.from_url(relay.url, default_sender=SHOP)  # the system's CAs only


@pytest.mark.parametrize(
    ("make", "kind", "code"),
    [
        (break_auth, PermanentDeliveryError, "auth_failed"),
        (untrusted, TransientDeliveryError, "unavailable"),
    ],
)
async def test_smtp_credentials_and_certificates_are_checked(
    relay: FakeSmtp, make: Any, kind: type[DeliveryError], code: str
) -> None:
    # given a wrong password (535) or a certificate the client does not trust
    provider = make(relay)
    # when a message is sent, then it fails with the right kind and nothing arrives
    with pytest.raises(kind) as caught:
        await provider.send(email())
    await provider.close()
    assert type(caught.value) is kind and caught.value.code == code
    assert relay.received == []
    assert not any(ok for _, ok in relay.auth_attempts)


async def test_smtp_never_sends_a_password_in_clear() -> None:
    # given a relay that offers AUTH but no STARTTLS
    with FakeSmtp(starttls=False).running() as fake:
        provider = SmtpMail.from_url(fake.url, default_sender=SHOP)
        # when a message is sent, then it fails for good before any AUTH
        with pytest.raises(PermanentDeliveryError) as caught:
            await provider.send(email())
        await provider.close()
    assert caught.value.code == "tls_required"
    assert (fake.auth_attempts, fake.received) == ([], [])


async def test_smtp_a_rejected_recipient_is_a_dead_address_and_the_connection_lives_on(
    relay: FakeSmtp, smtp: SmtpMail
) -> None:
    # given a relay that answers 550 5.1.1 for one address
    relay.reject_recipients = {"gone@example.test"}
    # when a message to it is sent, then the address is dead and nothing was delivered
    with pytest.raises(DeadAddressError) as caught:
        await smtp.send(email(to="gone@example.test"))
    assert caught.value.code == "rejected_recipient" and "550" in caught.value.detail
    assert relay.received == []
    # and the next message goes over the same connection
    await smtp.send(email(reference="ntf-2"))
    assert (len(relay.received), relay.connections) == (1, 1)


@pytest.mark.parametrize(
    ("switch", "kind", "code"),
    [
        ("temp_fail", TransientDeliveryError, "deferred"),
        ("reject_content", PermanentDeliveryError, "rejected"),
        ("down", TransientDeliveryError, "unavailable"),
    ],
)
async def test_smtp_relay_failures_map_to_the_senders_kinds(
    relay: FakeSmtp, smtp: SmtpMail, switch: str, kind: type[DeliveryError], code: str
) -> None:
    # given a connection in use, then a relay that greylists (451), calls the content spam
    # (550 5.7.1, not the address's fault) or goes down
    await smtp.send(email(reference="ntf-0"))
    setattr(relay, switch, True)
    # when the next message is sent, then it fails with that kind and is not delivered
    with pytest.raises(kind) as caught:
        await smtp.send(email())
    assert type(caught.value) is kind and caught.value.code == code
    assert not caught.value.dead_address
    assert [m.message["Message-ID"] for m in relay.received] == ["<ntf-0@mercato>"]


async def test_smtp_nothing_listening_is_transient() -> None:
    # given no server on the port; when a message is sent, then it is worth retrying
    provider = SmtpMail("127.0.0.1", free_port(), default_sender=SHOP, timeout=2)
    with pytest.raises(TransientDeliveryError) as caught:
        await provider.send(email())
    assert caught.value.code == "unavailable"


# -- SES ------------------------------------------------------------------------------------------


@pytest.fixture
def fake_ses() -> Iterator[FakeSes]:
    with FakeSes().running() as fake:
        yield fake


def ses_for(fake: FakeSes, **overrides: Any) -> SesMail:
    values: dict[str, Any] = {
        "email_provider": "ses",
        "mail_from": SHOP,
        "ses_region": ses_api.REGION,
        "ses_endpoint_url": fake.url,
        "ses_access_key_id": ses_api.ACCESS_KEY_ID,
        "ses_secret_access_key": ses_api.SECRET_ACCESS_KEY,
        "ses_configuration_set": ses_api.CONFIGURATION_SET,
        **overrides,
    }
    return SesMail.from_settings(Settings(**values))


async def test_ses_sends_signed_raw_mime_tagged_with_the_reference(fake_ses: FakeSes) -> None:
    # given SES with the right keys (the local SES recomputes the SigV4 signature)
    provider = ses_for(fake_ses)
    # when a message is sent
    sent = await provider.send(email())
    await provider.close()
    # then SES accepted it, and the request carries the documented fields
    [got] = fake_ses.sent
    assert (sent.provider, sent.provider_message_id) == ("ses", got.message_id)
    assert got.request["FromEmailAddress"] == "shop@example.test"
    assert got.request["Destination"] == {"ToAddresses": [CUSTOMER]}
    assert got.request["ConfigurationSetName"] == ses_api.CONFIGURATION_SET
    assert got.request["EmailTags"] == [{"Name": "mercato_ref", "Value": "ntf-1"}]
    assert base64.b64decode(got.request["Content"]["Raw"]["Data"]) == got.raw
    assert (got.mime["Subject"], got.mime["Message-ID"]) == (email().subject, "<ntf-1@mercato>")
    assert parts(got.mime)[0] == "Order 1042 is on its way.\n"


async def test_ses_throttling_is_transient_and_says_how_long_to_wait(fake_ses: FakeSes) -> None:
    # given SES answering 429 TooManyRequestsException with Retry-After: 7
    fake_ses.throttled, fake_ses.retry_after = True, 7
    provider = ses_for(fake_ses)
    # when a message is sent, then it is to be retried in 7 s, and nothing was sent
    with pytest.raises(TransientDeliveryError) as caught:
        await provider.send(email())
    await provider.close()
    assert (caught.value.code, caught.value.retry_after) == ("rate_limited", 7.0)
    assert fake_ses.sent == []


AUTH_FAILED = (PermanentDeliveryError, "auth_failed")


@pytest.mark.parametrize(
    ("overrides", "switch", "outcome", "aws_said"),
    [
        ({"ses_secret_access_key": "not-the-secret"}, None, AUTH_FAILED, "InvalidSignature"),
        ({"ses_access_key_id": "AKIAUNKNOWN"}, None, AUTH_FAILED, "UnrecognizedClient"),
        ({"ses_configuration_set": "nope"}, None, (PermanentDeliveryError, "not_found"), "404"),
        ({}, "reject_messages", (PermanentDeliveryError, "rejected"), "MessageRejected"),
        ({}, "failing", (TransientDeliveryError, "unavailable"), "500"),
        ({}, "down", (TransientDeliveryError, "unavailable"), "503"),
    ],
)
async def test_ses_errors_map_to_the_senders_kinds(
    fake_ses: FakeSes,
    overrides: dict[str, Any],
    switch: str | None,
    outcome: tuple[type[DeliveryError], str],
    aws_said: str,
) -> None:
    # given a wrong secret, an unknown key id, an unknown configuration set, a message SES
    # rejects, SES failing (500) or down (503)
    if switch:
        setattr(fake_ses, switch, True)
    provider = ses_for(fake_ses, **overrides)
    # when a message is sent, then it fails with that kind, saying why, and nothing was sent
    with pytest.raises(DeliveryError) as caught:
        await provider.send(email())
    await provider.close()
    assert (type(caught.value), caught.value.code) == outcome
    assert aws_said in caught.value.detail
    assert fake_ses.sent == []


async def test_ses_unreachable_is_transient() -> None:
    provider = SesMail(
        region="us-east-1",
        default_sender=SHOP,
        access_key_id="AKIA",
        secret_access_key="secret",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
    )
    with pytest.raises(TransientDeliveryError) as caught:
        await provider.send(email())
    await provider.close()
    assert caught.value.code == "unavailable"


# -- SES events through SNS -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def signer() -> SnsSigner:
    return SnsSigner()


async def sent_through(fake: FakeSes) -> ses_api.SentEmail:
    provider = ses_for(fake)
    await provider.send(email())
    await provider.close()
    return fake.sent[0]


@pytest.mark.parametrize(
    ("kind", "section", "status", "dead"),
    [
        ("Delivery", {}, "delivered", False),
        ("Bounce", {"bounceType": "Permanent"}, "bounced", True),
        ("Bounce", {"bounceType": "Transient", "bounceSubType": "MailboxFull"}, "failed", False),
        ("Complaint", {}, "complained", False),
        ("Send", {}, "sent", False),
    ],
)
async def test_sns_notifications_become_delivery_reports(
    fake_ses: FakeSes,
    signer: SnsSigner,
    kind: str,
    section: dict[str, Any],
    status: str,
    dead: bool,
) -> None:
    # given a message sent through SES, and SNS's delivery of an event about it
    sent = await sent_through(fake_ses)
    body = signer.notification(ses_event(kind, sent, **section))
    # when the delivery is parsed
    parsed = parse_sns(json.dumps(body).encode())
    # then one report finds the message by SES's id and by Mercato's reference
    [report] = parsed.reports
    assert (report.provider_message_id, report.reference) == (sent.message_id, "ntf-1")
    assert (report.status, report.dead_address) == (status, dead)
    assert await verify_sns_signature(parsed.envelope, signer.fetch_certificate)


async def test_sns_subscription_confirmation_asks_for_its_url(signer: SnsSigner) -> None:
    parsed = parse_sns(json.dumps(signer.subscription_confirmation()).encode())
    assert parsed.needs_confirmation and parsed.reports == []
    assert parsed.subscribe_url is not None and "ConfirmSubscription" in parsed.subscribe_url
    assert await verify_sns_signature(parsed.envelope, signer.fetch_certificate)


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"Type": "Mystery"}'])
def test_sns_a_body_that_is_not_a_delivery_is_refused(body: bytes) -> None:
    with pytest.raises(InvalidSnsMessage):
        parse_sns(body)


def tampered(message: dict[str, Any]) -> dict[str, Any]:
    return {**message, "Message": message["Message"].replace("Delivery", "Bounce")}


def other_host(message: dict[str, Any]) -> dict[str, Any]:
    return {**message, "SigningCertURL": "https://sns.evil.example/cert.pem"}


def plain_http(message: dict[str, Any]) -> dict[str, Any]:
    return {**message, "SigningCertURL": message["SigningCertURL"].replace("https", "http")}


@pytest.mark.parametrize("version", [1, 2])
async def test_sns_signatures_are_verified(
    fake_ses: FakeSes, signer: SnsSigner, version: int
) -> None:
    # given a signed delivery (SHA1withRSA or SHA256withRSA), and any URL serving the cert
    record = ses_event("Delivery", await sent_through(fake_ses))
    message = signer.notification(record, version=version)
    fetched: list[str] = []

    async def fetch(url: str) -> bytes:
        fetched.append(url)
        return signer.certificate_pem

    # then it verifies as sent; a changed message, or a certificate from elsewhere, does not
    assert await verify_sns_signature(message, fetch)
    assert not await verify_sns_signature(tampered(message), fetch)
    assert not await verify_sns_signature(other_host(message), fetch)
    assert not await verify_sns_signature(plain_http(message), fetch)
    assert fetched == [signer.cert_url, signer.cert_url]  # never from an untrusted URL
    # and a test's own host can be allowed explicitly
    moved = {**message, "SigningCertURL": "https://127.0.0.1/cert.pem"}
    assert await verify_sns_signature(moved, fetch, allowed_hosts={"127.0.0.1"})
    assert not await verify_sns_signature(moved, fetch)
