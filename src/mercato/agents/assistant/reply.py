"""What a turn answers: the words, what was done (`actions`), what a UI shows (`cards`:
products, the cart, an order, a confirmation to accept, a ticket, an answer from the FAQ)
and the shopper's likely next words (`quick_replies`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Card = dict[str, Any]


@dataclass
class Reply:
    text: str
    actions: list[dict[str, Any]] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    quick_replies: list[str] = field(default_factory=list)

    def then(self, more: str) -> Reply:
        self.text = f"{self.text} {more}".strip()
        return self


def product_card(product: dict[str, Any], position: int | None = None) -> Card:
    """A product as the catalog summarises it (`ProductSummary`), made a card."""
    pictures = product.get("pictures") or []
    cover = pictures[0] if pictures else None
    return {
        "type": "product",
        "position": position,
        "product_id": product["id"],
        "name": product["name"],
        "slug": product.get("slug"),
        "price": product["price"],
        "currency": product.get("currency"),
        "in_stock": product.get("in_stock"),
        "href": f"/shop/products/{product.get('slug') or product['id']}",
        "picture": (cover or {}).get("url") if isinstance(cover, dict) else cover,
        "options": options_of(product),
    }


def options_of(product: dict[str, Any]) -> dict[str, list[str]]:
    """Each attribute the product's variants differ by, with its values in order."""
    values: dict[str, list[str]] = {}
    for variant in product.get("variants", []):
        for name, value in (variant.get("attributes") or {}).items():
            seen = values.setdefault(name, [])
            if str(value) not in seen:
                seen.append(str(value))
    return {name: vals for name, vals in values.items() if len(vals) > 1}


def options_text(product: dict[str, Any], separator: str = ", ") -> str:
    """The product's options in words: "size: S, M, L"."""
    return separator.join(f"{k}: {', '.join(v)}" for k, v in options_of(product).items())


def variant_label(variant: dict[str, Any]) -> str:
    """A variant as a shopper names it: its attribute values ("M / Navy"), else its title."""
    values = (variant.get("attributes") or {}).values()
    return " / ".join(str(v) for v in values) or (variant.get("title") or "")


def cart_card(cart: Any) -> Card:
    """A cart view (`cart.service.CartView`) made a card."""
    return {
        "type": "cart",
        "cart_id": cart.id,
        "currency": cart.currency,
        "items": [
            {
                "item_id": item.id,
                "name": item.name,
                "quantity": item.quantity,
                "unit_price": str(item.unit_price),
                "line_total": str(item.line_total),
            }
            for item in cart.items
        ],
        "discount_code": cart.discount_code,
        "subtotal": str(cart.totals.subtotal),
        "discount": str(cart.totals.discount_total),
        "tax": str(cart.totals.tax_total),
        "total": str(cart.totals.total),
        "problems": [p.detail for p in cart.problems],
        "href": "/shop/cart",
    }


def order_card(order: Any) -> Card:
    """An order (`orders.service.OrderView` or `OrderSummary`) made a card."""
    return {
        "type": "order",
        "order_id": order.id,
        "number": order.number,
        "status": order.status,
        "payment_status": order.payment_status,
        "total": str(order.total),
        "currency": order.currency,
        "placed_at": order.placed_at.isoformat(),
        "tracking_number": getattr(order, "tracking_number", None),
        "carrier": getattr(order, "carrier", None),
        "lines": [{"name": line.name, "quantity": line.quantity} for line in order.lines],
        "href": f"/account/orders/{order.id}",
    }


def confirmation_card(action: str, summary: str, **details: Any) -> Card:
    return {
        "type": "confirmation",
        "action": action,
        "summary": summary,
        "accept": "Yes",
        "decline": "No",
        **details,
    }
