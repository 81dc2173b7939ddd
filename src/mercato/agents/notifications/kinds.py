"""The kinds of message Mercato sends: who they are for, on which channels, and the sample
data their templates are previewed with. A new kind is an entry here, its templates under
`templates/<locale>/<kind>.jinja` and a handler that queues it (handlers.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mercato.agents.notifications.statuses import Channel, Purpose

E, S, P, A = Channel.EMAIL, Channel.SMS, Channel.PUSH, Channel.IN_APP

_ORDER = {
    "number": "ORD-2026-0000042",
    "total": "84.50",
    "subtotal": "79.00",
    "discount": "0.00",
    "tax": "0.00",
    "shipping": "5.50",
    "currency": "USD",
    "placed_at": "2026-12-05T10:30:00+00:00",
    "lines": [
        {"name": "Trail Runner 2 — Blue / 42", "quantity": 1, "line_total": "64.00"},
        {"name": "Merino Socks — M", "quantity": 3, "line_total": "15.00"},
    ],
    "shipping_address": {
        "name": "Ana Lima",
        "line1": "1 Main St",
        "city": "Springfield",
        "postal_code": "12345",
        "country": "US",
    },
    "carrier": "UPS",
    "tracking_number": "1Z999AA10123456784",
    "cancel_reason": "customer_request",
}

_PARCEL = {
    "number": "SHP-2026-0000042",
    "carrier": "Parcel Post",
    "service": "Ground",
    "tracking_number": "PP12345678901",
}
_RETURN = {
    "id": "01a227c7-1222-7000-8c77-37df8a67a8cb",
    "number": "RET-2026-0000007",
    "order_number": "ORD-2026-0000042",
    "currency": "USD",
    "lines": [{"name": "Merino Socks — M", "quantity": 2}],
}
_RETURN_LINKS = {
    "return": "https://shop.example/account/returns/01a227c7-1222-7000-8c77-37df8a67a8cb",
    "order": "https://shop.example/account/orders/01a227c7-1222-7000-8c77-37df8a67a8ca",
}


@dataclass(frozen=True)
class Kind:
    name: str
    purpose: Purpose
    channels: tuple[Channel, ...]
    """Channels it may use; a customer's preference can switch each off (not transactional
    email)."""
    default_off: frozenset[Channel] = frozenset()
    """Channels a customer has to switch on for it."""
    description: str = ""
    sample: dict[str, Any] = field(default_factory=dict)
    sensitive: bool = False
    """Carries a secret (a one-time link): its bodies are blanked once it is out."""

    def locked(self, channel: Channel) -> bool:
        """Whether the customer may not switch this channel off for this kind."""
        return self.purpose is not Purpose.MARKETING and channel is E and E in self.channels


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind(
            "order_confirmed",
            Purpose.TRANSACTIONAL,
            (E, S, P, A),
            default_off=frozenset({S}),
            description="An order was accepted and paid for",
            sample={"order": _ORDER},
        ),
        Kind(
            "order_cancelled",
            Purpose.TRANSACTIONAL,
            (E, S, P, A),
            description="An order was cancelled (and its money given back)",
            sample={"order": _ORDER, "refund": "84.50"},
        ),
        Kind(
            "order_shipped",
            Purpose.TRANSACTIONAL,
            (E, S, P, A),
            description="An order left the warehouse",
            sample={"order": _ORDER},
        ),
        Kind(
            "order_delivered",
            Purpose.TRANSACTIONAL,
            (E, P, A),
            description="An order arrived",
            sample={"order": _ORDER},
        ),
        Kind(
            "shipment_shipped",
            Purpose.TRANSACTIONAL,
            (E, S, P, A),
            description="A parcel of an order that ships in several left the warehouse",
            sample={
                "order": _ORDER,
                "shipment": {
                    **_PARCEL,
                    "lines": [{"name": "Merino Socks — M", "quantity": 2}],
                    "units": 2,
                    "of": 3,
                    "so_far": 2,
                    "complete": False,
                },
            },
        ),
        Kind(
            "delivery_failed",
            Purpose.TRANSACTIONAL,
            (E, S, P, A),
            description="The carrier could not deliver a parcel and will try again",
            sample={
                "order": _ORDER,
                "shipment": {
                    **_PARCEL,
                    "attempts": 1,
                    "description": "No one home: we will try again tomorrow",
                },
            },
        ),
        Kind(
            "return_approved",
            Purpose.TRANSACTIONAL,
            (E, P, A),
            description="A return was approved: its label and what to send back",
            sample={
                "return": _RETURN,
                "links": {
                    **_RETURN_LINKS,
                    "label": "https://shop.example/v1/shipments/01a227c7/label.pdf",
                },
            },
        ),
        Kind(
            "return_rejected",
            Purpose.TRANSACTIONAL,
            (E, P, A),
            description="A return was not accepted, and why",
            sample={
                "return": _RETURN,
                "reason": "The items were bought more than 30 days ago",
                "links": _RETURN_LINKS,
            },
        ),
        Kind(
            "refund_issued",
            Purpose.TRANSACTIONAL,
            (E, P, A),
            description="A return's refund: to the card, to store credit, or both",
            sample={
                "return": _RETURN,
                "refund": {
                    "amount": "30.00",
                    "to_payment": None,
                    "to_store_credit": "30.00",
                    "note": "the original payment could not take the refund "
                    "(refund_method_unavailable): it was given as store credit",
                },
                "links": _RETURN_LINKS,
            },
        ),
        Kind(
            "payment_failed",
            Purpose.TRANSACTIONAL,
            (E, S, P, A),
            description="The card was declined for an order",
            sample={"order": _ORDER, "reason": "card_declined"},
        ),
        Kind(
            "payment_refunded",
            Purpose.TRANSACTIONAL,
            (E, P, A),
            description="Money was given back for an order",
            sample={"order": _ORDER, "amount": "15.00", "fully": False},
        ),
        Kind(
            "email_verification",
            Purpose.TRANSACTIONAL,
            (E,),
            description="Confirm an account's email address",
            sample={"link": "https://shop.example/verify-email?token=mt_sample", "days": 7},
            sensitive=True,
        ),
        Kind(
            "password_reset",
            Purpose.TRANSACTIONAL,
            (E,),
            description="A link to choose a new password",
            sample={"link": "https://shop.example/reset-password?token=mt_sample", "minutes": 60},
            sensitive=True,
        ),
        Kind(
            "cart_abandoned",
            Purpose.MARKETING,
            (E, P, A),
            description="A reminder of what is still in the cart",
            sample={
                "cart": {
                    "lines": [
                        {"name": "Trail Runner 2 — Blue / 42", "quantity": 1, "line_total": "64.00"}
                    ],
                    "subtotal": "64.00",
                    "currency": "USD",
                }
            },
        ),
        Kind(
            "low_stock",
            Purpose.STAFF,
            (E, A),
            description="A variant fell to its reorder point (to its merchant and the admins)",
            sample={
                "stock": {
                    "sku": "TR2-BLU-42",
                    "name": "Trail Runner 2 — Blue / 42",
                    "available": 3,
                    "reorder_point": 5,
                    "location": "main",
                }
            },
        ),
        Kind(
            "support_reply",
            Purpose.TRANSACTIONAL,
            (E, P, A),
            description="Staff answered a support ticket",
            sample={
                "ticket": {
                    "number": "TCK-000123",
                    "subject": "Where is my parcel?",
                    "reply": "It left our warehouse this morning.",
                }
            },
        ),
    ]
}


def kind_named(name: str) -> Kind | None:
    return KINDS.get(name)
