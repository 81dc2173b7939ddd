"""What an order's rows hold beyond the record itself (its timeline), and how many rows
SQL output writes per table, counted without writing them (`related_counts` of JSON and CSV
output)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mercato.agents.knowledge.testdata.catalog import Catalog
from mercato.agents.knowledge.testdata.makers import Item
from mercato.agents.knowledge.testdata.sql_columns import TABLES

_NEWS = {
    ("authorize", "succeeded"): "payment_authorized",
    ("authorize", "failed"): "payment_failed",
    ("capture", "succeeded"): "payment_captured",
    ("refund", "succeeded"): "payment_refunded",
    ("void", "succeeded"): "payment_voided",
}


def timeline(order: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(at, kind, actor, detail as JSON text) of each entry of an order's timeline, in time
    order, as the orders agent writes them. The details hold ids, codes and amounts only, so
    their JSON is written directly (the text `json.dumps` gives)."""
    found: list[tuple[str, str, str, str]] = [
        (order["placed_at"], "placed", order["customer_id"] or "guest",
         f'{{"number": "{order["number"]}"}}'),
    ]  # fmt: skip
    if order["confirmed_at"]:
        review = f'"{order["review"]}"' if order["review"] else "null"
        found.append((order["confirmed_at"], "confirmed", "system", f'{{"review": {review}}}'))
    if order["shipped_at"]:
        sent = (
            f'{{"carrier": "{order["carrier"]}", "tracking_number": "{order["tracking_number"]}"}}'
        )
        found.append((order["shipped_at"], "shipped", "system", sent))
    if order["delivered_at"]:
        found.append((order["delivered_at"], "delivered", "system", "{}"))
    if order["cancelled_at"]:
        reason = f'{{"reason": "{order["cancel_reason"]}", "payment_action": "none"}}'
        found.append((order["cancelled_at"], "cancelled", "system", reason))
    payment = order["payment"]
    if payment is not None:
        tail = f'"payment_id": "{payment["id"]}", '
        currency = payment["currency"]
        for op in payment["transactions"]:
            kind = _NEWS.get((op["kind"], op["status"]))
            if kind:
                detail = (f'{{"key": "{op["id"]}", {tail}"amount": "{op["amount"]}", '
                          f'"currency": "{currency}"}}')  # fmt: skip
                found.append((op["created_at"], kind, "payments", detail))
    found.sort(key=_at)
    return found


def _at(entry: tuple[str, str, str, str]) -> str:
    return entry[0]


def count_rows(items: Iterable[Item], catalog: Catalog) -> dict[str, int]:
    """The rows SQL output would write per table (without writing them), for JSON and CSV
    output's `related_counts`."""
    counts: dict[str, int] = dict.fromkeys(TABLES, 0)
    counts["tenants"] = 1
    if catalog.products:
        counts["categories"] = len(catalog.categories)
        counts["inventory_locations"] = 1
        for product in catalog.products:
            counts["products"] += 1
            counts["product_variants"] += len(product.variants)
            counts["stock_levels"] += len(product.variants)
            counts["product_attribute_values"] += len(
                {(n.lower(), a.lower()) for v in product.variants for n, a in v.attributes.items()}
            )
            counts["stock_movements"] += sum(
                (v.on_hand > 0) + (v.reserved > 0) for v in product.variants
            )
    users: set[str] = set()

    def cart(cart: dict[str, Any]) -> None:
        counts["carts"] += 1
        counts["cart_items"] += len(cart["items"])

    for item in items:
        if item.breaks_rule is not None:
            continue
        graph = item.graph
        if item.kind in ("order", "payment"):
            if graph["customer"] is not None:
                users.add(graph["customer"]["id"])
            cart(graph["cart"])
            counts["orders"] += 1
            counts["order_lines"] += len(graph["lines"])
            counts["stock_reservations"] += len(graph["lines"])
            counts["order_events"] += len(timeline(graph))
            if graph["payment"] is not None:
                counts["payments"] += 1
                counts["payment_transactions"] += len(graph["payment"]["transactions"])
        elif item.kind == "cart":
            if graph["customer"] is not None:
                users.add(graph["customer"]["id"])
            cart(graph)
        elif item.kind == "customer":
            users.add(graph["id"])
    counts["users"] = len(users)
    return {table: n for table, n in counts.items() if n}
