"""The SMS and push channels' providers: the local logs, Twilio against a local Twilio and
FCM against a local FCM (with Google's token endpoint), each failure mapped to the sender's
kind of error with nothing sent."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mercato.agents.notifications.providers.base import (
    DeadAddressError,
    DeliveryReport,
    Outgoing,
    PermanentDeliveryError,
    Provider,
    TransientDeliveryError,
)
from mercato.agents.notifications.providers.http_answers import retry_after
from mercato.agents.notifications.providers.local_log import LocalPush, LocalSms, read_log
from mercato.agents.notifications.providers.push_fcm import FcmPush, ServiceAccount
from mercato.agents.notifications.providers.sms_twilio import (
    TwilioSms,
    parse_status_callback,
    verify_twilio_signature,
)
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from tests.fakes import fcm_api, twilio_api
from tests.fakes.fcm_api import FakeFcm
from tests.fakes.twilio_api import FakeTwilio

CUSTOMER = "+14155550100"
SHOP_NUMBER = "+14155550199"
SERVICE = "MG" + "ab" * 16
DEVICE = "device-token-0123456789abcdef"
CALLBACK = "https://shop.example/notifications/twilio/status"


def sms(to: str = CUSTOMER, reference: str = "ntf-1") -> Outgoing:
    return Outgoing(reference=reference, channel="sms", to=to, subject="", text="Shipped!")


def push(to: str = DEVICE, reference: str = "ntf-1") -> Outgoing:
    return Outgoing(
        reference=reference,
        channel="push",
        to=to,
        subject="Your order shipped",
        text="Order 1042 is on its way",
        data={"kind": "order.shipped", "order_id": "1042"},
    )


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


# -- the local logs ---------------------------------------------------------------------------


async def test_local_sms_writes_one_json_line_per_message_read_back_newest_first(
    tmp_path: Path,
) -> None:
    # given the local SMS provider on a clock that moves a minute per message
    clock = ManualClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    provider: Provider = LocalSms(tmp_path, clock=clock)
    # when three messages are sent
    for n in (1, 2, 3):
        sent = await provider.send(sms(reference=f"ntf-{n}"))
        clock.advance(minutes=1)
        # then each is delivered under Mercato's own id
        assert (sent.provider, sent.provider_message_id, sent.delivered) == (
            "local", f"ntf-{n}", True
        )  # fmt: skip
    # then the log holds three whole JSON lines, the console reads the newest first
    path = tmp_path / "notifications" / "sms.jsonl"
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0] == {
        "at": "2026-03-01T09:00:00+00:00",
        "reference": "ntf-1",
        "to": CUSTOMER,
        "subject": "",
        "text": "Shipped!",
        "data": {},
    }
    assert [e["reference"] for e in read_log(path, limit=2)] == ["ntf-3", "ntf-2"]
    assert [e["reference"] for e in read_log(path, limit=2, after="ntf-2")] == ["ntf-1"]
    assert read_log(path, limit=2, after="not-there") == []
    await provider.close()


async def test_local_push_logs_the_title_and_the_apps_data(tmp_path: Path) -> None:
    # given the local push provider, from the settings' data directory
    provider = LocalPush.from_settings(Settings(data_dir=tmp_path))
    # when a push is sent
    sent = await provider.send(push())
    # then it is in push.jsonl with its title and payload
    (entry,) = read_log(provider.path, limit=10)
    assert provider.path == tmp_path / "notifications" / "push.jsonl"
    assert (entry["title"], entry["text"], entry["to"]) == (
        "Your order shipped", "Order 1042 is on its way", DEVICE
    )  # fmt: skip
    assert entry["data"] == {"kind": "order.shipped", "order_id": "1042"}
    assert sent.delivered and sent.provider_message_id == "ntf-1"


async def test_concurrent_local_sends_keep_every_line_whole(tmp_path: Path) -> None:
    # given a log with a line cut short by a crash
    provider = LocalSms(tmp_path)
    provider.path.parent.mkdir(parents=True)
    provider.path.write_text('{"reference": "cut-sh\n')
    # when fifty messages are sent at once
    await asyncio.gather(*(provider.send(sms(reference=f"ntf-{n}")) for n in range(50)))
    # then each is one readable line and the broken one is skipped
    assert len(read_log(provider.path, limit=100)) == 50
    assert read_log(tmp_path / "missing.jsonl", limit=10) == []


# -- Twilio -----------------------------------------------------------------------------------


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio().running() as fake:
        yield fake


def twilio_for(
    fake: FakeTwilio,
    *,
    sender: str = SHOP_NUMBER,
    auth_token: str | None = None,
    status_callback_url: str | None = None,
    timeout: float = 1.0,
) -> TwilioSms:
    return TwilioSms(
        fake.account_sid,
        auth_token or fake.auth_token,
        sender,
        base_url=fake.url,
        status_callback_url=status_callback_url,
        timeout=timeout,
    )


@pytest.fixture
async def twilio(fake_twilio: FakeTwilio) -> AsyncIterator[TwilioSms]:
    provider = twilio_for(fake_twilio, status_callback_url=CALLBACK)
    yield provider
    await provider.close()


async def test_twilio_posts_a_form_with_basic_auth_and_a_callback_carrying_the_ref(
    twilio: TwilioSms, fake_twilio: FakeTwilio
) -> None:
    # when an SMS is sent
    sent = await twilio.send(sms(reference="ntf/42"))
    # then Twilio got one form-encoded request authenticated as the account
    (request,) = fake_twilio.received
    assert request.content_type == "application/x-www-form-urlencoded"
    assert request.path == f"/2010-04-01/Accounts/{fake_twilio.account_sid}/Messages.json"
    assert request.authorization.startswith("Basic ")
    assert request.form == {
        "To": CUSTOMER,
        "From": SHOP_NUMBER,
        "Body": "Shipped!",
        "StatusCallback": f"{CALLBACK}?ref=ntf%2F42",
    }
    # and the message is known to Twilio by the sid Mercato keeps
    assert sent.provider == "twilio" and not sent.delivered
    assert fake_twilio.messages[sent.provider_message_id]["status"] == "queued"


async def test_a_messaging_service_sender_is_sent_as_messaging_service_sid(
    fake_twilio: FakeTwilio,
) -> None:
    # given a Messaging Service as the sender and no status callback
    provider = twilio_for(fake_twilio, sender=SERVICE)
    # when an SMS is sent
    await provider.send(sms())
    await provider.close()
    # then Twilio picks the number: no From, no StatusCallback
    assert fake_twilio.received[0].form == {
        "To": CUSTOMER, "MessagingServiceSid": SERVICE, "Body": "Shipped!"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("setup", "to", "kind", "code"),
    [
        ("bad_token", CUSTOMER, PermanentDeliveryError, "auth_failed"),
        ("none", "555-0100", DeadAddressError, "invalid_number"),
        ("opted_out", CUSTOMER, DeadAddressError, "opted_out"),
        ("not_mobile", CUSTOMER, DeadAddressError, "not_mobile"),
        ("rate_limited", CUSTOMER, TransientDeliveryError, "rate_limited"),
        ("down", CUSTOMER, TransientDeliveryError, "unavailable"),
    ],
)
async def test_twilio_errors_map_to_the_senders_kinds(
    fake_twilio: FakeTwilio,
    setup: str,
    to: str,
    kind: type[Exception],
    code: str,
) -> None:
    # given Twilio in the given state
    token = "wrong-token" if setup == "bad_token" else fake_twilio.auth_token
    fake_twilio.rate_limited = setup == "rate_limited"
    fake_twilio.down = setup == "down"
    if setup in ("opted_out", "not_mobile"):
        getattr(fake_twilio, setup).add(to)
    provider = twilio_for(fake_twilio, auth_token=token)
    # when an SMS is sent, then it fails with that kind and code
    with pytest.raises(kind) as raised:
        await provider.send(sms(to=to))
    await provider.close()
    assert getattr(raised.value, "code", None) == code
    # and nothing was sent
    assert fake_twilio.messages == {}


async def test_a_rate_limited_twilio_says_when_to_retry(
    twilio: TwilioSms, fake_twilio: FakeTwilio
) -> None:
    # given Twilio answering 429 with Retry-After: 3
    fake_twilio.rate_limited = True
    # when an SMS is sent, then the failure is transient and carries the wait
    with pytest.raises(TransientDeliveryError) as raised:
        await twilio.send(sms())
    assert raised.value.retry_after == 3.0
    assert fake_twilio.messages == {}


async def test_an_unreachable_or_silent_twilio_is_transient(fake_twilio: FakeTwilio) -> None:
    # given nothing listening where Twilio should be
    provider = TwilioSms("AC1", "t", SHOP_NUMBER, base_url=closed_port_url(), timeout=1.0)
    # when an SMS is sent, then it is to be tried again
    with pytest.raises(TransientDeliveryError, match="unavailable"):
        await provider.send(sms())
    await provider.close()
    # given a Twilio whose answer is lost (it may have taken the message: a retry may repeat)
    provider = twilio_for(fake_twilio, timeout=0.3)
    fake_twilio.lose_next_answer("/2010-04-01")
    with pytest.raises(TransientDeliveryError, match="unavailable"):
        await provider.send(sms())
    await provider.close()


def test_the_twilio_signature_covers_the_url_and_every_param() -> None:
    # given a callback form signed by Twilio for the callback URL with its ref
    url = f"{CALLBACK}?ref=ntf-1"
    form = twilio_api.status_callback_form("SM1", "delivered")
    signature = twilio_api.sign("secret", url, form)
    # then it verifies, and any change to a param, the URL or the token does not
    assert verify_twilio_signature("secret", url, form, signature)
    assert not verify_twilio_signature(
        "secret", url, {**form, "MessageStatus": "failed"}, signature
    )
    assert not verify_twilio_signature("secret", f"{CALLBACK}?ref=ntf-2", form, signature)
    assert not verify_twilio_signature("other", url, form, signature)
    assert not verify_twilio_signature("secret", url, form, "")


async def test_a_signed_status_callback_reaches_the_webhook_as_a_report() -> None:
    # given a webhook that checks Twilio's signature and parses the callback
    reports: list[DeliveryReport] = []

    async def webhook(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        if not verify_twilio_signature(
            "secret", str(request.url), form, request.headers.get("x-twilio-signature", "")
        ):
            return JSONResponse({"error": "bad signature"}, status_code=403)
        reports.append(parse_status_callback({**request.query_params, **form}))
        return Response(status_code=204)

    app = Starlette(routes=[Route("/status", webhook, methods=["POST"])])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
        # when Twilio reports a failed delivery to an unreachable handset
        url = "http://shop.test/status?ref=ntf-7"
        answer = await twilio_api.status_callback(
            url, "secret", "SM7", "undelivered", 30003, client=client
        )
        forged = await twilio_api.status_callback(url, "guess", "SM7", "delivered", client=client)
    # then the webhook accepted the genuine one only, as a dead address for message ntf-7
    assert (answer.status_code, forged.status_code) == (204, 403)
    (report,) = reports
    assert (report.provider_message_id, report.status, report.reference) == (
        "SM7", "failed", "ntf-7"
    )  # fmt: skip
    assert report.dead_address and "30003" in report.detail


@pytest.mark.parametrize(
    ("twilio_status", "error_code", "status", "dead"),
    [
        ("queued", None, "sent", False),
        ("accepted", None, "sent", False),
        ("sending", None, "sent", False),
        ("sent", None, "sent", False),
        ("delivered", None, "delivered", False),
        ("undelivered", 30005, "failed", True),
        ("failed", 30006, "failed", True),
        ("undelivered", 30007, "failed", False),
    ],
)
def test_status_callbacks_map_to_report_statuses(
    twilio_status: str, error_code: int | None, status: str, dead: bool
) -> None:
    # given a callback's form and the ref from its URL
    form = {**twilio_api.status_callback_form("SM9", twilio_status, error_code), "ref": "ntf-9"}
    # when parsed
    report = parse_status_callback(form)
    # then the status, the dead address and the reference are Mercato's
    assert (report.status, report.dead_address, report.reference) == (status, dead, "ntf-9")
    assert report.provider_message_id == "SM9"


def test_a_callback_about_no_outbound_status_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_status_callback(twilio_api.status_callback_form("SM1", "received"))
    with pytest.raises(ValueError):
        parse_status_callback({"MessageStatus": "sent"})


def test_retry_after_reads_seconds_or_an_http_date() -> None:
    now = datetime(2015, 10, 21, 7, 27, 30, tzinfo=UTC)
    assert retry_after("120") == 120.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 30.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_twilio_from_settings_needs_the_account() -> None:
    with pytest.raises(ValueError, match="TWILIO"):
        TwilioSms.from_settings(Settings())
    settings = Settings(twilio_account_sid="AC1", twilio_auth_token="t", twilio_from=SERVICE)
    provider = TwilioSms.from_settings(settings, status_callback_url=CALLBACK)
    assert provider.form(sms())["MessagingServiceSid"] == SERVICE


# -- FCM --------------------------------------------------------------------------------------


@pytest.fixture
def fake_fcm() -> Iterator[FakeFcm]:
    with FakeFcm().running() as fake:
        yield fake


def fcm_for(fake: FakeFcm, path: Path) -> FcmPush:
    return FcmPush(ServiceAccount.load(path), base_url=fake.url, timeout=1.0)


@pytest.fixture
async def fcm(fake_fcm: FakeFcm, tmp_path: Path) -> AsyncIterator[FcmPush]:
    provider = fcm_for(fake_fcm, fake_fcm.service_account_file(tmp_path / "sa.json"))
    yield provider
    await provider.close()


async def test_fcm_signs_in_once_and_sends_the_v1_message(fcm: FcmPush, fake_fcm: FakeFcm) -> None:
    # when ten pushes are sent
    sent = [await fcm.send(push(reference=f"ntf-{n}")) for n in range(10)]
    # then one access token served them all, for a JWT the token endpoint verified
    assert fake_fcm.token_requests == 1
    (claims,) = fake_fcm.assertions
    assert claims["iss"] == fake_fcm.client_email
    assert claims["scope"] == fcm_api.SCOPE
    assert claims["aud"] == fake_fcm.token_uri
    assert claims["exp"] - claims["iat"] == 3600
    # and each message is FCM's v1 shape, Mercato's id in its data
    assert fake_fcm.messages[0] == {
        "token": DEVICE,
        "notification": {"title": "Your order shipped", "body": "Order 1042 is on its way"},
        "data": {"kind": "order.shipped", "order_id": "1042", "mercato_ref": "ntf-0"},
        "android": {"priority": "high"},
        "apns": {"headers": {"apns-priority": "10"}},
    }
    assert sent[0].provider == "fcm"
    assert sent[0].provider_message_id.startswith(f"projects/{fake_fcm.project_id}/messages/")


async def test_a_refused_access_token_is_refreshed_once(fcm: FcmPush, fake_fcm: FakeFcm) -> None:
    # given a token in use that FCM then stops accepting
    await fcm.send(push(reference="ntf-1"))
    fake_fcm.expire_tokens()
    # when another push is sent
    await fcm.send(push(reference="ntf-2"))
    # then a new token was fetched and the push went out
    assert fake_fcm.token_requests == 2
    assert [m["data"]["mercato_ref"] for m in fake_fcm.messages] == ["ntf-1", "ntf-2"]


@pytest.mark.parametrize(
    ("switch", "to", "kind", "code"),
    [
        ("unregistered", DEVICE, DeadAddressError, "unregistered_token"),
        ("sender_mismatch", DEVICE, DeadAddressError, "sender_mismatch"),
        ("none", "not a token", DeadAddressError, "invalid_token"),
        ("rate_limited", DEVICE, TransientDeliveryError, "rate_limited"),
        ("down", DEVICE, TransientDeliveryError, "unavailable"),
    ],
)
async def test_fcm_errors_map_to_the_senders_kinds(
    fcm: FcmPush, fake_fcm: FakeFcm, switch: str, to: str, kind: type[Exception], code: str
) -> None:
    # given a token already held, then FCM in the given state
    await fcm.send(push())
    fake_fcm.messages.clear()
    if switch in ("unregistered", "sender_mismatch"):
        getattr(fake_fcm, switch).add(to)
    fake_fcm.rate_limited = switch == "rate_limited"
    fake_fcm.down = switch == "down"
    # when a push is sent, then it fails with that kind and code, and nothing was sent
    with pytest.raises(kind) as raised:
        await fcm.send(push(to=to))
    assert getattr(raised.value, "code", None) == code
    assert fake_fcm.messages == []


async def test_a_quota_exceeded_fcm_says_when_to_retry(fcm: FcmPush, fake_fcm: FakeFcm) -> None:
    fake_fcm.rate_limited = True
    with pytest.raises(TransientDeliveryError) as raised:
        await fcm.send(push())
    assert raised.value.retry_after == 7.0


async def test_an_invalid_data_payload_is_a_permanent_invalid_argument(
    fcm: FcmPush, fake_fcm: FakeFcm
) -> None:
    # given app data using a key FCM keeps for itself
    message = Outgoing(reference="r", channel="push", to=DEVICE, subject="s", text="t",
                       data={"google.c.a": "1"})  # fmt: skip
    # when sent, then FCM refuses the message, not the device
    with pytest.raises(PermanentDeliveryError) as raised:
        await fcm.send(message)
    assert raised.value.code == "invalid_argument" and not raised.value.dead_address
    assert fake_fcm.messages == []


@pytest.mark.parametrize("key", ["foreign", "garbage"])
async def test_a_bad_service_account_key_fails_auth_permanently(
    fake_fcm: FakeFcm, tmp_path: Path, key: str
) -> None:
    # given a key the token endpoint does not know, or not a key at all
    path = tmp_path / "sa.json"
    if key == "foreign":
        fake_fcm.service_account_file(path, key=fcm_api.new_key())
    else:
        fake_fcm.service_account_file(path, private_key="-----BEGIN PRIVATE KEY-----\nno\n")
    provider = fcm_for(fake_fcm, path)
    # when a push is sent, then it fails as auth_failed, and no token or message was made
    with pytest.raises(PermanentDeliveryError) as raised:
        await provider.send(push())
    await provider.close()
    assert raised.value.code == "auth_failed" and not raised.value.transient
    assert (fake_fcm.token_requests, fake_fcm.messages) == (0, [])


async def test_a_down_token_endpoint_is_transient(fcm: FcmPush, fake_fcm: FakeFcm) -> None:
    # given Google's token endpoint answering 503 before any token was issued
    fake_fcm.down = True
    # when a push is sent, then it is to be tried again
    with pytest.raises(TransientDeliveryError, match="unavailable"):
        await fcm.send(push())
    assert fake_fcm.messages == []


async def test_fcm_from_settings_reads_the_service_account(
    fake_fcm: FakeFcm, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="FCM_SERVICE_ACCOUNT"):
        FcmPush.from_settings(Settings())
    (tmp_path / "junk.json").write_text("[]")
    with pytest.raises(ValueError, match="not a service account"):
        ServiceAccount.load(tmp_path / "junk.json")
    path = fake_fcm.service_account_file(tmp_path / "sa.json")
    provider = FcmPush.from_settings(Settings(fcm_service_account=path, fcm_base_url=fake_fcm.url))
    assert (await provider.send(push())).provider == "fcm"
    await provider.close()
