"""What SES says happened to a message, as it arrives: an Amazon SNS HTTP(S) delivery whose
`Message` is an SES event record (event publishing through a configuration set, or the
identity's feedback notifications, which name the type `notificationType`).

`parse_sns` reads the delivery; `verify_sns_signature` checks that SNS wrote it (its RSA
signature over the documented canonical string, under a certificate fetched over HTTPS from
an SNS host), so a forged bounce cannot mark a customer's address dead.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from mercato.agents.notifications.providers.base import DeliveryReport

REFERENCE_TAG = "mercato_ref"

_NOTIFICATION_KEYS = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
_SUBSCRIPTION_KEYS = (
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
)
_SNS_HOST = re.compile(r"sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?")
_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {"1": hashes.SHA1, "2": hashes.SHA256}


class InvalidSnsMessage(ValueError):  # noqa: N818 - says what the body is
    """The body is not an SNS delivery Mercato can read."""


@dataclass(frozen=True)
class SnsMessage:
    type: str
    """`Notification`, `SubscriptionConfirmation` or `UnsubscribeConfirmation`."""
    message_id: str
    topic_arn: str
    envelope: dict[str, Any]
    """The delivery as sent, for `verify_sns_signature`."""
    subscribe_url: str | None = None
    """For a SubscriptionConfirmation: GET it (after verifying) to start receiving."""
    reports: list[DeliveryReport] = field(default_factory=list)

    @property
    def needs_confirmation(self) -> bool:
        return self.type == "SubscriptionConfirmation"


def parse_sns(body: bytes) -> SnsMessage:
    """Read one SNS delivery. A Notification carries one SES event, giving zero reports
    (opens, clicks: not a delivery status) or one."""
    envelope = _object(body, "SNS delivery")
    kind = envelope.get("Type")
    if kind not in ("Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"):
        raise InvalidSnsMessage(f"unknown SNS message type {kind!r}")
    reports: list[DeliveryReport] = []
    if kind == "Notification":
        message = envelope.get("Message")
        if not isinstance(message, str):
            raise InvalidSnsMessage("a Notification without a Message")
        report = ses_event_report(_object(message.encode(), "SES event"))
        reports = [report] if report is not None else []
    subscribe_url = envelope.get("SubscribeURL")
    return SnsMessage(
        type=kind,
        message_id=str(envelope.get("MessageId", "")),
        topic_arn=str(envelope.get("TopicArn", "")),
        envelope=envelope,
        subscribe_url=subscribe_url if isinstance(subscribe_url, str) else None,
        reports=reports,
    )


def ses_event_report(record: dict[str, Any]) -> DeliveryReport | None:
    """One SES event record as a report, or None for events that are not a status."""
    kind = record.get("eventType") or record.get("notificationType")
    mail = record.get("mail")
    if not isinstance(mail, dict) or not isinstance(mail.get("messageId"), str):
        raise InvalidSnsMessage("an SES event without mail.messageId")

    def report(status: str, detail: str = "", *, dead: bool = False) -> DeliveryReport:
        return DeliveryReport(
            provider_message_id=mail["messageId"],
            status=status,
            detail=detail,
            dead_address=dead,
            reference=_reference(mail.get("tags")),
        )

    if kind == "Delivery":
        return report("delivered", str(_get(record, "delivery", "smtpResponse") or ""))
    if kind == "Send":
        return report("sent")
    if kind == "Bounce":
        bounce = record.get("bounce") or {}
        bounce_type = str(bounce.get("bounceType", ""))
        detail = _bounce_detail(bounce)
        if bounce_type == "Permanent":
            return report("bounced", detail, dead=True)
        return report("failed", detail)  # Transient, Undetermined: the address may live
    if kind == "Complaint":
        feedback = _get(record, "complaint", "complaintFeedbackType")
        return report("complained", str(feedback or "complaint"))
    if kind == "Reject":
        return report("failed", f"rejected: {_get(record, 'reject', 'reason') or ''}".strip())
    if kind == "Rendering Failure":
        return report("failed", str(_get(record, "failure", "errorMessage") or "rendering"))
    if kind == "DeliveryDelay":  # SES keeps trying: still in flight
        return report("sent", f"delayed: {_get(record, 'deliveryDelay', 'delayType') or ''}")
    return None


async def verify_sns_signature(
    message: dict[str, Any],
    fetch_certificate: Callable[[str], Awaitable[bytes]],
    *,
    allowed_hosts: Collection[str] | None = None,
) -> bool:
    """Whether SNS signed `message` (the parsed delivery).

    SignatureVersion 1 is SHA1withRSA, 2 SHA256withRSA, over `key\\nvalue\\n` for the
    documented keys in order (Subject only when present). The certificate is fetched only
    from an `https://sns.<region>.amazonaws.com/….pem` URL (or, in tests, a host in
    `allowed_hosts`); the caller's `fetch_certificate` may cache by URL, and its errors
    propagate (answer 5xx then: SNS retries those, not a 4xx)."""
    algorithm = _HASHES.get(str(message.get("SignatureVersion", "")))
    url = message.get("SigningCertURL")
    if algorithm is None or not isinstance(url, str) or not _trusted(url, allowed_hosts):
        return False
    canonical = canonical_string(message)
    if canonical is None:
        return False
    try:
        signature = base64.b64decode(str(message.get("Signature", "")), validate=True)
        certificate = x509.load_pem_x509_certificate(await fetch_certificate(url))
    except (binascii.Error, ValueError):
        return False
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    try:
        key.verify(signature, canonical, padding.PKCS1v15(), algorithm())
    except InvalidSignature:
        return False
    return True


def canonical_string(message: dict[str, Any]) -> bytes | None:
    """The bytes SNS signs, or None when a key it signs is missing."""
    kind = message.get("Type")
    keys = _NOTIFICATION_KEYS if kind == "Notification" else _SUBSCRIPTION_KEYS
    lines: list[str] = []
    for key in keys:
        value = message.get(key)
        if value is None and key == "Subject":
            continue
        if not isinstance(value, str):
            return None
        lines += [key, value]
    return ("\n".join(lines) + "\n").encode()


# -- helpers ---------------------------------------------------------------------------------


def _object(raw: bytes, what: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidSnsMessage(f"the {what} is not JSON") from exc
    if not isinstance(data, dict):
        raise InvalidSnsMessage(f"the {what} is not a JSON object")
    return data


def _get(record: dict[str, Any], section: str, key: str) -> Any:
    part = record.get(section)
    return part.get(key) if isinstance(part, dict) else None


def _reference(tags: Any) -> str | None:
    """`mail.tags` maps each tag to a list of values (`{"mercato_ref": ["msg-1"]}`)."""
    if not isinstance(tags, dict):
        return None
    value = tags.get(REFERENCE_TAG)
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


def _bounce_detail(bounce: dict[str, Any]) -> str:
    kind = f"{bounce.get('bounceType', '')}/{bounce.get('bounceSubType', '')}"
    recipients = bounce.get("bouncedRecipients") or [{}]
    first = recipients[0] if isinstance(recipients[0], dict) else {}
    diagnostic = first.get("diagnosticCode") or first.get("status") or ""
    return f"{kind}: {diagnostic}" if diagnostic else kind


def _trusted(url: str, allowed_hosts: Collection[str] | None) -> bool:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https" or not parts.path.endswith(".pem"):
        return False
    return host in allowed_hosts if allowed_hosts is not None else bool(_SNS_HOST.fullmatch(host))
