"""Reading the HTTP providers' answers (SES, Twilio, FCM): a JSON object or nothing, and a
`Retry-After` in seconds."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object; {} for an empty, non-JSON or non-object body."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """An HTTP `Retry-After` (seconds, or an HTTP date: RFC 9110 §10.2.3) in seconds; None
    when absent or unreadable, so the sender falls back to its own backoff."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
