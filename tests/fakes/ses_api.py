"""A local Amazon SES (API v2 `SendEmail`, raw content) and the SNS that reports on it.

`FakeSes` answers `POST /v2/email/outbound-emails` as SES does: it checks the SigV4
signature by recomputing it with botocore from the secret it knows (an unknown key id: 403
`UnrecognizedClientException`; a wrong secret or a stale date: 403
`InvalidSignatureException`), keeps each accepted message (the JSON request, the decoded
MIME, the tags) and answers `{"MessageId": …}`. Errors are REST-JSON as AWS writes them: the
type in `x-amzn-ErrorType`, the text in the body's `message`. Switches: `throttled` (429
`TooManyRequestsException`, with `Retry-After` when `retry_after` is set), `reject_messages`
(400 `MessageRejected`), `failing` (500), `down` (503).

`SnsSigner` makes SNS HTTP deliveries of SES events, signed with a certificate of its own,
which `fetch_certificate` serves in place of `https://sns.<region>.amazonaws.com/….pem`.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import itertools
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes import FakeServer
from tests.fakes.smtp_server import self_signed

ACCESS_KEY_ID = "AKIAMERCATOTEST00001"
SECRET_ACCESS_KEY = "mercato/Test+Secret/Key0000000000000000"
REGION = "us-east-1"
CONFIGURATION_SET = "mercato-events"
PATH = "/v2/email/outbound-emails"
TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:mercato-ses-events"

_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request, ?SignedHeaders=(?P<signed>[a-z0-9;-]+), ?"
    r"Signature=(?P<signature>[0-9a-f]{64})"
)
_BAD_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided. Check "
    "your AWS Secret Access Key and signing method. Consult the service documentation for "
    "details."
)


@dataclass(frozen=True)
class SentEmail:
    message_id: str
    request: dict[str, Any]
    """The JSON body as received."""
    raw: bytes
    mime: EmailMessage
    tags: dict[str, str]


def aws_error(status: int, kind: str, message: str, **headers: str) -> Response:
    namespace = "com.amazon.coral" if status == 403 else "com.amazonaws.sesv2"
    return JSONResponse(
        {"message": message},
        status_code=status,
        headers={
            "x-amzn-ErrorType": f"{kind}:http://internal.amazon.com/coral/{namespace}/",
            "x-amzn-RequestId": str(uuid.uuid4()),
            **headers,
        },
    )


class FakeSes(FakeServer):
    def __init__(
        self,
        *,
        access_key_id: str = ACCESS_KEY_ID,
        secret_access_key: str = SECRET_ACCESS_KEY,
        region: str = REGION,
        configuration_sets: frozenset[str] = frozenset({CONFIGURATION_SET}),
    ) -> None:
        super().__init__()
        self.access_key_id, self.secret_access_key = access_key_id, secret_access_key
        self.region = region
        self.configuration_sets = configuration_sets
        self.sent: list[SentEmail] = []
        self.throttled = False
        self.retry_after: int | None = None
        self.reject_messages = False
        self.failing = False
        self._ids = itertools.count(1)

    def build_app(self) -> Starlette:
        return Starlette(routes=[Route(PATH, self._send_email, methods=["POST"])])

    def unavailable(self) -> Response:
        return aws_error(503, "ServiceUnavailable", "Service Unavailable")

    async def _send_email(self, request: Request) -> Response:
        body = await request.body()
        refused = self._check_signature(request, body)
        if refused is not None:
            return refused
        if self.failing:
            return aws_error(500, "InternalFailure", "An internal error has occurred.")
        if self.throttled:
            extra = {"Retry-After": str(self.retry_after)} if self.retry_after else {}
            return aws_error(429, "TooManyRequestsException", "Too Many Requests", **extra)
        try:
            payload = json.loads(body)
            sender = payload["FromEmailAddress"]
            to = payload["Destination"]["ToAddresses"]
            raw = base64.b64decode(payload["Content"]["Raw"]["Data"], validate=True)
            tags = {t["Name"]: t["Value"] for t in payload.get("EmailTags", [])}
        except (ValueError, KeyError, TypeError, binascii.Error) as exc:
            return aws_error(400, "BadRequestException", f"Invalid request: {exc!r}")
        config = payload.get("ConfigurationSetName")
        if config is not None and config not in self.configuration_sets:
            return aws_error(
                404, "NotFoundException", f"Configuration set <{config}> does not exist."
            )
        if self.reject_messages:
            return aws_error(
                400,
                "MessageRejected",
                "Email address is not verified. The following identities failed the check in "
                f"region {self.region.upper()}: {sender}",
            )
        if not to:
            return aws_error(400, "BadRequestException", "Missing required recipients.")
        message_id = f"0100018c{next(self._ids):08x}-{uuid.uuid4()}-000000"
        mime = message_from_bytes(raw, policy=policy.default)
        self.sent.append(SentEmail(message_id, payload, raw, mime, tags))
        return JSONResponse({"MessageId": message_id})

    def _check_signature(self, request: Request, body: bytes) -> Response | None:
        """None when the request is signed with the known key, else AWS's 403."""
        header = request.headers.get("authorization")
        if header is None:
            return aws_error(
                403, "MissingAuthenticationTokenException", "Missing Authentication Token"
            )
        found = _AUTHORIZATION.fullmatch(header)
        amz_date = request.headers.get("x-amz-date", "")
        if found is None or not amz_date.startswith(found["date"]):
            return aws_error(403, "IncompleteSignatureException", "Malformed Authorization header")
        if found["key"] != self.access_key_id:
            return aws_error(
                403,
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            )
        if found["service"] != "ses" or found["region"] != self.region:
            scope = f"{found['region']}/{found['service']}"
            return aws_error(403, "InvalidSignatureException", f"Credential scope {scope} is wrong")
        signed_at = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        if abs(datetime.now(UTC) - signed_at) > timedelta(minutes=5):
            return aws_error(403, "InvalidSignatureException", f"Signature expired: {amz_date}")
        names = found["signed"].split(";")
        if "host" not in names or any(name not in request.headers for name in names):
            return aws_error(403, "InvalidSignatureException", _BAD_SIGNATURE)
        signed = AWSRequest(
            method=request.method,
            url=f"{request.url.scheme}://{request.headers['host']}{request.url.path}",
            data=body,
            headers={name: request.headers[name] for name in names},
        )
        signed.context["timestamp"] = amz_date
        signer = SigV4Auth(
            Credentials(self.access_key_id, self.secret_access_key), "ses", self.region
        )
        expected = signer.signature(
            signer.string_to_sign(signed, signer.canonical_request(signed)), signed
        )
        if not hmac.compare_digest(expected, found["signature"]):
            return aws_error(403, "InvalidSignatureException", _BAD_SIGNATURE)
        return None


# -- SES events through SNS --------------------------------------------------------------------


def ses_event(kind: str, sent: SentEmail, **section: Any) -> dict[str, Any]:
    """An SES event publishing record for `sent` (as in AWS's examples): `kind` is the
    `eventType`; `section` fills its own object (`bounceType="Permanent"`, …)."""
    now = _now()
    to = sent.request["Destination"]["ToAddresses"]
    tags = {name: [value] for name, value in sent.tags.items()}
    tags["ses:configuration-set"] = [sent.request.get("ConfigurationSetName", "")]
    record: dict[str, Any] = {
        "eventType": kind,
        "mail": {
            "timestamp": now,
            "source": sent.request["FromEmailAddress"],
            "sendingAccountId": "123456789012",
            "messageId": sent.message_id,
            "destination": to,
            "headersTruncated": False,
            "tags": tags,
        },
    }
    details: dict[str, dict[str, Any]] = {
        "Delivery": {
            "timestamp": now,
            "recipients": to,
            "smtpResponse": "250 2.6.0 Message received",
        },
        "Bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "General",
            "bouncedRecipients": [{"emailAddress": to[0], "action": "failed", "status": "5.1.1"}],
            "timestamp": now,
        },
        "Complaint": {
            "complainedRecipients": [{"emailAddress": to[0]}],
            "timestamp": now,
            "complaintFeedbackType": "abuse",
        },
        "Send": {},
    }
    key = kind[0].lower() + kind[1:]
    record[key] = {**details.get(kind, {}), **section}
    return record


_NOTIFICATION = "Message MessageId Subject Timestamp TopicArn Type"
_SUBSCRIPTION = "Message MessageId SubscribeURL Timestamp Token TopicArn Type"
"""The keys SNS signs, in order (a missing Subject is left out)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class SnsSigner:
    """Signs SNS deliveries the way SNS does (SignatureVersion 1: SHA1withRSA, 2:
    SHA256withRSA, over the documented `key\\nvalue\\n` string), with its own certificate."""

    def __init__(self, *, region: str = REGION) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.certificate_pem, _ = self_signed("sns.amazonaws.com", key=self._key)
        self.cert_url = f"https://sns.{region}.amazonaws.com/SimpleNotificationService-test.pem"

    async def fetch_certificate(self, url: str) -> bytes:
        """What an HTTPS GET of the certificate URL answers (only the signer's own)."""
        if url != self.cert_url:
            raise LookupError(f"no certificate at {url}")
        return self.certificate_pem

    def notification(self, record: dict[str, Any], *, version: int = 2) -> dict[str, Any]:
        envelope = {
            "Type": "Notification",
            "MessageId": str(uuid.uuid4()),
            "TopicArn": TOPIC_ARN,
            "Message": json.dumps(record),
            "Timestamp": _now(),
            "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
        }
        return self.sign(envelope, version=version)

    def subscription_confirmation(self, *, version: int = 2) -> dict[str, Any]:
        token = uuid.uuid4().hex * 4
        envelope = {
            "Type": "SubscriptionConfirmation",
            "MessageId": str(uuid.uuid4()),
            "Token": token,
            "TopicArn": TOPIC_ARN,
            "Message": f"You have chosen to subscribe to the topic {TOPIC_ARN}.",
            "SubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription"
            f"&TopicArn={TOPIC_ARN}&Token={token}",
            "Timestamp": _now(),
        }
        return self.sign(envelope, version=version)

    def sign(self, envelope: dict[str, Any], *, version: int = 2) -> dict[str, Any]:
        keys = (_NOTIFICATION if envelope["Type"] == "Notification" else _SUBSCRIPTION).split()
        text = "".join(f"{k}\n{envelope[k]}\n" for k in keys if k in envelope)
        digest = hashes.SHA1() if version == 1 else hashes.SHA256()
        signature = self._key.sign(text.encode(), padding.PKCS1v15(), digest)
        return {
            **envelope,
            "SignatureVersion": str(version),
            "Signature": base64.b64encode(signature).decode(),
            "SigningCertURL": self.cert_url,
        }
