"""A checkout request as the saga carries it, and what makes two requests the same one.

A checkout's saga id is derived from the shopper and their `Idempotency-Key`, so the saga
row's primary key is the idempotency record: a second request with the key finds the first
one's saga (replayed, or 409 while it runs), a concurrent one loses the insert. The request's
hash tells a retry from another request that reuses the key (422). No card number is
stored, hashed or not.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

from mercato.agents.orders.checkout.problems import IdempotencyKeyRequired
from mercato.agents.orders.checkout.schemas import CheckoutIn
from mercato.kernel.auth import Principal

_NAMESPACE = uuid.UUID("6f1c2a59-0c53-4b8e-9a3c-2f7d1b0e8c41")
MAX_KEY = 255


def saga_id_for(principal: Principal, key: str | None) -> str:
    """The checkout saga of this shopper's key (a tenant's shoppers never share keys)."""
    if not key or len(key) > MAX_KEY:
        raise IdempotencyKeyRequired(f"send an Idempotency-Key header of 1 to {MAX_KEY} characters")
    owner = principal.session_id if principal.kind == "guest" else principal.id
    return str(uuid.uuid5(_NAMESPACE, f"{principal.tenant_id}\x00{owner}\x00{key}"))


def request_hash(body: CheckoutIn) -> str:
    """What tells a retry from another request. The card enters it by its last four digits
    and expiry only: no hash of a card number or CVC is kept (PCI DSS)."""
    fields = body.model_dump(mode="json")
    card = (fields.get("payment") or {}).get("card")
    if card:
        number = card.pop("number").replace(" ", "")
        card.pop("cvc", None)
        card["last4"] = number[-4:]
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def saga_data(
    body: CheckoutIn,
    *,
    principal: Principal,
    source: dict[str, Any] | None,
    ip: str | None,
    placed_at: datetime,
    order_id: str,
    payment_id: str,
    channel: str = "web",
) -> dict[str, Any]:
    """Everything the steps need, JSON only: the saga resumes from it in another process."""
    return {
        "request_hash": request_hash(body),
        "cart_id": body.cart_id,
        "shopper": {
            "id": principal.id,
            "kind": principal.kind,
            "session_id": principal.session_id,
        },
        "customer_id": principal.id if principal.kind == "user" else None,
        "session_id": principal.session_id,
        "email": str(body.email),
        "shipping_address": _address(body.shipping_address),
        "billing_address": _address(body.billing_address),
        "provider": body.payment.provider if body.payment else None,
        "source": source,
        "ip": ip,
        "placed_at": placed_at.isoformat(),
        "order_id": order_id,
        "payment_id": payment_id,
        "channel": channel,
        "use_store_credit": body.use_store_credit,
    }


def _address(address: Any) -> dict[str, Any] | None:
    return None if address is None else dict(address.model_dump(mode="json", exclude_none=True))
