"""The local PayPal's wire details: how its test cards fare, its timestamps, its error
shape and the canonical form of an event it signs."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from starlette.responses import JSONResponse, Response

Outcome = tuple[str, str]
"""How a card fares: ("error", issue) → 422; ("denied", processor response code)."""
CARDS: dict[str, tuple[str, Outcome | None]] = {
    "4242424242424242": ("VISA", None),
    "5555555555554444": ("MASTERCARD", None),
    "4000000000000002": ("VISA", ("error", "INSTRUMENT_DECLINED")),
    "4000000000009995": ("VISA", ("denied", "5120")),
    "4100000000000019": ("VISA", ("denied", "9500")),
    "4000000000000069": ("VISA", ("error", "CARD_EXPIRED")),
    "4000000000000127": ("VISA", ("denied", "5110")),
}


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical(event: Any) -> bytes:
    return json.dumps(event, sort_keys=True, separators=(",", ":")).encode()


def error(status: int, name: str, issue: str | None = None, message: str = "") -> Response:
    body: dict[str, Any] = {
        "name": name,
        "message": message or name.replace("_", " ").capitalize() + ".",
        "debug_id": secrets.token_hex(6),
    }
    if issue:
        body["details"] = [{"issue": issue, "description": issue.replace("_", " ").lower()}]
    return JSONResponse(body, status_code=status)
