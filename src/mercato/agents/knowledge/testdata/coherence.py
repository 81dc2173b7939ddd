"""Coherence, measured: each record is checked against the registered business rules that
apply to it (through `rules.evaluate`, which is not counted as an enforcement), and the share
of ordinary records that break none is the score. Edge-case records are checked the same way
and must break exactly the rule they name.

BR011 (unique email) and BR013 (unique SKU) ask the database in the store; for generated data
their meaning is checked over the generated set instead: no two accounts of the store share
an email (case-insensitively), no two variants share a SKU (`catalog.rules.duplicates`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from mercato.agents.cart import rules as _cart_rules  # noqa: F401  (registers BR001-3, 14, 20)
from mercato.agents.catalog import rules as catalog_rules
from mercato.agents.identity import rules as _identity_rules  # noqa: F401  (BR011, BR017)
from mercato.agents.inventory import rules as _inventory_rules  # noqa: F401  (BR018)
from mercato.agents.knowledge.testdata.carts import ABANDON_AFTER_SECONDS
from mercato.agents.knowledge.testdata.catalog import Catalog, Product, Variant
from mercato.agents.knowledge.testdata.formats import datetime_of, minor_of
from mercato.agents.knowledge.testdata.tools import MINUTE, Facts
from mercato.agents.orders import rules as _order_rules  # noqa: F401  (BR005, BR006)
from mercato.agents.payments import rules as _payment_rules  # noqa: F401  (BR004, 7, 8)
from mercato.kernel.money import exponent
from mercato.kernel.rules import evaluate

RESERVATION_MINUTES = 15


class Coherence:
    """Evaluates records, returning the rules each broke, and counts the evaluations made per
    rule (`evaluated`). The failures per rule are counted by the caller, over the ordinary
    records only."""

    def __init__(self, catalog: Catalog) -> None:
        self.evaluated: Counter[str] = Counter()
        self._catalog = catalog
        self._variants: dict[str, Variant] = {}
        self._products: dict[str, bool] = {}

    def _holds(self, rule_id: str, **facts: Any) -> bool:
        self.evaluated[rule_id] += 1
        return evaluate(rule_id, **facts)

    def variant(self, variant_id: str) -> Variant:
        found = self._variants.get(variant_id)
        if found is None:
            self._variants = {v.id: v for p in self._catalog.products for v in p.variants}
            found = self._variants[variant_id]
        return found

    def product_holds(self, product: Product) -> bool:
        """BR012 for the product (once per product)."""
        known = self._products.get(product.id)
        if known is None:
            places = exponent(product.currency)
            prices = [Decimal(v.price).scaleb(-places) for v in product.variants]
            known = self._holds("BR012", prices=prices, is_free=product.is_free)
            self._products[product.id] = known
        return known

    # -- records ----------------------------------------------------------------------------

    def customer(self, customer: dict[str, Any], broken: set[str]) -> None:
        if not self._holds("BR017", password=customer.get("password")):
            broken.add("BR017")

    def lines(self, lines: list[dict[str, Any]], facts: Facts, broken: set[str]) -> list[Variant]:
        """BR001 and BR014 per line, BR003 over them, BR012 for their products."""
        holds = self._holds
        variants = []
        for line, available in zip(lines, facts.available, strict=True):
            quantity = line["quantity"]
            if not holds("BR001", quantity=quantity):
                broken.add("BR001")
            if not holds("BR014", quantity=quantity, available=available):
                broken.add("BR014")
            variant = self.variant(line["variant_id"])
            variants.append(variant)
            if not self.product_holds(variant.product):
                broken.add("BR012")
        if not holds("BR003", lines=len(lines)):
            broken.add("BR003")
        return variants

    def order(self, order: dict[str, Any], facts: Facts) -> set[str]:
        broken: set[str] = set()
        holds = self._holds
        if order["customer"] is not None:
            self.customer(order["customer"], broken)
        variants = self.lines(order["lines"], facts, broken)
        currency = order["currency"]
        total = Decimal(minor_of(order["total"], currency)).scaleb(-exponent(currency))
        all_free = all(v.product.is_free for v in variants)
        if not holds("BR002", total=total, all_free=all_free):
            broken.add("BR002")
        ships = any(line["requires_shipping"] for line in order["lines"])
        if not holds(
            "BR005", requires_shipping=ships, has_shipping_address=bool(order["shipping_address"])
        ):
            broken.add("BR005")
        if order["status"] == "cancelled":
            before = "confirmed" if order["confirmed_at"] else "pending"
            if not holds("BR006", status=before):
                broken.add("BR006")
        if order["confirmed_at"] is not None:  # its reservation was allocated in time
            expires = datetime_of(facts.placed + RESERVATION_MINUTES * MINUTE)
            confirmed = datetime.fromisoformat(order["confirmed_at"])
            if not holds("BR018", status="active", expires_at=expires, now=confirmed):
                broken.add("BR018")
        payment = order["payment"]
        if payment is not None:
            self.payment(payment, total, facts, broken)
        cart = order["cart"]
        if cart["status"] == "abandoned":
            self.abandonment(cart, broken)
        return broken

    def payment(
        self, payment: dict[str, Any], total: Decimal, facts: Facts, broken: set[str]
    ) -> None:
        holds = self._holds
        places = exponent(payment["currency"])
        amount = Decimal(minor_of(payment["amount"], payment["currency"])).scaleb(-places)
        if not holds("BR004", amount=amount, order_total=total):
            broken.add("BR004")
        captured = minor_of(payment["captured_amount"], payment["currency"])
        if captured and not holds(
            "BR004", amount=Decimal(captured).scaleb(-places), order_total=total, capture=True
        ):
            broken.add("BR004")
        card = payment["card"]
        when = datetime_of(facts.placed)
        if not holds("BR007", exp_month=card["exp_month"], exp_year=card["exp_year"], now=when):
            broken.add("BR007")
        if not holds("BR008", cvc=card["cvc"]):
            broken.add("BR008")

    def abandonment(self, cart: dict[str, Any], broken: set[str]) -> None:
        """BR020 where the sweep saw the cart: due when it was abandoned (idle an hour)."""
        last = datetime.fromisoformat(cart["last_activity_at"])
        at = datetime.fromisoformat(cart["abandoned_at"])
        idle = (at - last).total_seconds()
        if not self._holds(
            "BR020",
            items=len(cart["items"]),
            idle_seconds=idle,
            threshold_seconds=ABANDON_AFTER_SECONDS,
            already_announced=False,
        ):
            broken.add("BR020")

    def cart(self, cart: dict[str, Any], facts: Facts) -> set[str]:
        """A cart of its own: its lines, its customer, and BR020 agreeing with its status
        (an active cart is not due for abandonment yet, an abandoned one was)."""
        broken: set[str] = set()
        if cart["customer"] is not None:
            self.customer(cart["customer"], broken)
        self.lines(cart["items"], facts, broken)
        if cart["status"] == "abandoned":
            self.abandonment(cart, broken)
        elif self._holds(
            "BR020",
            items=len(cart["items"]),
            idle_seconds=facts.idle_seconds or 0.0,
            threshold_seconds=ABANDON_AFTER_SECONDS,
            already_announced=False,
        ):
            broken.add("BR020")
        return broken

    def customer_record(self, customer: dict[str, Any]) -> set[str]:
        broken: set[str] = set()
        self.customer(customer, broken)
        return broken

    def product(self, product: Product) -> set[str]:
        return set() if self.product_holds(product) else {"BR012"}

    # -- over the whole set -----------------------------------------------------------------

    def duplicate_emails(self, customers: Iterable[dict[str, Any]]) -> set[str]:
        """BR011 over the generated accounts: the emails used twice (lower-cased)."""
        emails = [c["email"].lower() for c in customers]
        if not emails:
            return set()
        self.evaluated["BR011"] += len(emails)
        return set(catalog_rules.duplicates(emails))

    def duplicate_skus(self) -> set[str]:
        """BR013 over the generated catalog: the SKUs used twice."""
        skus = [v.sku for p in self._catalog.products for v in p.variants]
        if not skus:
            return set()
        self.evaluated["BR013"] += len(skus)
        return set(catalog_rules.duplicates(skus))
