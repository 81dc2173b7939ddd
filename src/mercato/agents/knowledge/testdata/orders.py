"""Orders with everything they stand on: the customer (or guest), the converted cart, the
lines at the catalog's prices, the totals as the cart prices them (flat shipping of 5.00
under 75.00 for USD carts that ship, no tax: a new store has no tax rates), the card payment
of the total and its gateway operations, and the milestones its status implies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mercato.agents.knowledge.testdata import payments
from mercato.agents.knowledge.testdata.carts import (
    ABANDON_AFTER_SECONDS,
    cart_record,
    choose_lines,
    subtotal_of,
)
from mercato.agents.knowledge.testdata.catalog import Variant
from mercato.agents.knowledge.testdata.order_plans import (
    REVIEWED,
    Plan,
    outcome,
    plan_order,
    shift,
)
from mercato.agents.knowledge.testdata.people import DAY
from mercato.agents.knowledge.testdata.tools import MINUTE, SECOND, Facts, Tools
from mercato.agents.knowledge.testdata.words import (
    ABROAD,
    CARRIERS,
    COUNTRIES_OF_CURRENCY,
    HOME,
    OTHER_CURRENCIES,
)

FLAT_SHIPPING = 500
FREE_SHIPPING_OVER = 7_500
REVIEW_OVER = 1_000_000
"""Settings.fraud_amount_threshold (10,000.00): a payment from it is held for review."""
NUMBER_BASE = 9_000_000
"""Generated orders are numbered ORD-YYYY-9000001 on: the store's own counter starts at 1 and
is left alone, so the numbers it gives never meet these (ADR 0014)."""


class Orders:
    def __init__(self, tools: Tools) -> None:
        self.t = tools
        self._returning: dict[str, list[dict[str, Any]]] = {}
        self._sequence: dict[int, int] = {}

    # -- who --------------------------------------------------------------------------------

    def customer(
        self, country: str, *, new: bool = False, name: str | None = None
    ) -> dict[str, Any]:
        """A returning customer of `country` one time in five, else a new one. (No order
        leaves its customer an active cart, so the store's one-active-cart-per-account
        index holds however often a customer comes back.)"""
        known = self._returning.setdefault(country, [])
        if not new and known and self.t.rng.random() < 0.2:
            return known[int(self.t.rng.random() * len(known))]
        made = self.t.people.customer(country, full_name=name)
        if not new:
            known.append(made)
        return made

    # -- when -------------------------------------------------------------------------------

    def plan(self, scenario: str, *, held: bool = False, status: str | None = None) -> Plan:
        return plan_order(self.t, scenario, held=held, status=status)

    def number(self, year: int) -> str:
        sequence = self._sequence.get(year, NUMBER_BASE) + 1
        self._sequence[year] = sequence
        return f"ORD-{year}-{sequence:07d}"

    # -- the order --------------------------------------------------------------------------

    def order(
        self,
        scenario: str,
        *,
        lines: list[tuple[Variant, int]] | None = None,
        quantities: list[int] | None = None,
        line_count: int | None = None,
        placed: int | None = None,
        name: str | None = None,
        free: bool = False,
        restock: bool = True,
        consume: bool = True,
        status: str | None = None,
        failure: str = "card_declined",
    ) -> tuple[dict[str, Any], Facts]:
        """An order of `scenario` and its related records, and the facts its rules are
        measured against. The keyword arguments shape edge-case records: `restock` False
        lets a line want more than the stock has (EC002), `consume` False leaves the stock
        untouched (a record the store would refuse holds nothing)."""
        t = self.t
        rng = t.rng
        currency = "USD"
        country = HOME
        if scenario == "multi_currency":
            currency = OTHER_CURRENCIES[int(rng.random() * len(OTHER_CURRENCIES))]
            options = COUNTRIES_OF_CURRENCY[currency]
            country = options[int(rng.random() * len(options))]
        elif scenario == "international":
            country = ABROAD[int(rng.random() * len(ABROAD))]
        if lines is None:
            if free:
                variants = rng.sample(t.catalog.pool("free"), 1)
                lines = choose_lines(t, scenario, currency, variants=variants, quantities=[1])
            else:
                lines = choose_lines(
                    t, scenario, currency, digital=scenario == "digital_only",
                    count=line_count, quantities=quantities,
                )  # fmt: skip
            lines = _below_review(lines, scenario)
        held = subtotal_of(lines) >= REVIEW_OVER
        plan = self.plan(scenario, held=held, status=status)
        if placed is not None:
            shift(plan, placed - plan.placed)
        if failure == "gateway_unavailable":
            plan.cancel_reason = "payment_gateway_unavailable"
        guest = scenario == "guest_checkout"
        if guest:
            full_name, email, _ = t.people.person(country, name)
            customer = None
            address = t.people.address(country, full_name)
        else:
            customer = self.customer(country, new=name is not None or not consume, name=name)
            full_name, email, address = (
                customer["full_name"],
                customer["email"],
                customer["address"],
            )
        if restock:
            available = [variant.take(quantity) for variant, quantity in lines]
        else:
            available = [variant.available for variant, _ in lines]
        order, facts = self._assemble(
            scenario, plan, lines, available, currency, customer, email, address, guest, failure
        )
        if consume:
            status = plan.status
            for variant, quantity in lines:
                if status == "confirmed":
                    variant.hold(quantity)
                elif status in ("shipped", "delivered"):
                    variant.ship(quantity)
        return order, facts

    def _assemble(
        self,
        scenario: str,
        plan: Plan,
        lines: list[tuple[Variant, int]],
        available: list[int],
        currency: str,
        customer: dict[str, Any] | None,
        email: str,
        address: dict[str, Any],
        guest: bool,
        failure: str,
    ) -> tuple[dict[str, Any], Facts]:
        t = self.t
        iso, text = t.iso, t.money(currency)
        ships = any(variant.product.requires_shipping for variant, _ in lines)
        subtotal = subtotal_of(lines)
        shipping = FLAT_SHIPPING if currency == "USD" and ships else 0
        if subtotal >= FREE_SHIPPING_OVER:
            shipping = 0
        total = subtotal + shipping
        order_id, checkout_id = t.new_order_id(), t.new_checkout_id()
        placed_iso = iso(plan.placed)
        year = int(placed_iso[:4])
        session_id = t.new_session_id() if guest else None
        customer_id = customer["id"] if customer else None
        billing = address
        reasons: tuple[str, ...] = ()
        if scenario == REVIEWED:
            other = ABROAD[int(t.rng.random() * len(ABROAD))]
            billing = t.people.address(other, address["name"])
            reasons = ("country_mismatch",)
        if total >= REVIEW_OVER:
            reasons = (*reasons, "amount_threshold")
        status = plan.status
        # the cart: converted at checkout, given back when the card was declined, given back
        # then abandoned when the checkout was
        cart_status = "converted"
        abandoned_at = None
        last_activity = plan.placed
        if scenario in ("card_declined", "abandoned"):
            # given back when the checkout failed, then left: the sweep abandoned it an hour
            # later (BR020), since the order is older than that
            cart_status = "abandoned"
            if scenario == "card_declined" and plan.cancelled is not None:
                last_activity = plan.cancelled
            abandoned_at = last_activity + ABANDON_AFTER_SECONDS * SECOND + t.between(0, MINUTE)
        cart = cart_record(
            t,
            customer_id=customer_id,
            session_id=session_id,
            currency=currency,
            country=address["country"],
            region=address["region"],
            lines=lines,
            status=cart_status,
            created=plan.placed - t.between(5 * MINUTE, 3 * DAY),
            last_activity=last_activity,
            abandoned_at=abandoned_at,
        )
        new_line = t.new_line_id
        order_lines = [
            {
                "id": new_line(),
                "variant_id": variant.id,
                "product_id": variant.product.id,
                "sku": variant.sku,
                "name": variant.product.name,
                "quantity": quantity,
                "unit_price": text(variant.price),
                "line_total": text(variant.price * quantity),
                "requires_shipping": variant.product.requires_shipping,
            }
            for variant, quantity in lines
        ]
        total_text = text(total)
        payment, payment_status = self._pay(
            scenario, plan, total, text, order_id, checkout_id, currency, year, reasons, failure
        )
        carrier = CARRIERS[int(t.rng.random() * len(CARRIERS))] if plan.shipped else None
        order: dict[str, Any] = {
            "scenario": scenario,
            "id": order_id,
            "number": self.number(year),
            "status": status,
            "payment_status": payment_status,
            "review": REVIEWED if reasons and payment is not None else None,
            "currency": currency,
            "subtotal": text(subtotal),
            "discount": text(0),
            "tax": text(0),
            "shipping": text(shipping),
            "total": total_text,
            "email": email,
            "customer_id": customer_id,
            "session_id": session_id,
            "checkout_id": checkout_id,
            "placed_at": placed_iso,
            "confirmed_at": _iso(t, plan.confirmed),
            "shipped_at": _iso(t, plan.shipped),
            "delivered_at": _iso(t, plan.delivered),
            "cancelled_at": _iso(t, plan.cancelled),
            "cancel_reason": plan.cancel_reason,
            "carrier": carrier,
            "tracking_number": f"{carrier}{t.hex(12).upper()}" if carrier else None,
            "shipping_address": address if ships else None,
            "billing_address": billing,
            "customer": customer,
            "lines": order_lines,
            "payment": payment,
            "cart": cart,
        }
        return order, Facts(available, plan.placed)

    def _pay(
        self,
        scenario: str,
        plan: Plan,
        total: int,
        text: Callable[[int], str],
        order_id: str,
        checkout_id: str,
        currency: str,
        year: int,
        reasons: tuple[str, ...],
        failure: str,
    ) -> tuple[dict[str, Any] | None, str]:
        """(the payment, the order's payment status): none for a free order (paid: nothing
        to pay, EC010) or one abandoned before paying (pending)."""
        if total == 0:
            return None, "paid"
        if scenario == "abandoned":
            return None, "pending"
        result, status = outcome(scenario, plan)
        refund = None
        if result == "refunded":
            refund = text(total if scenario == "full_refund" else max(1, total * 3 // 10))
        payment = payments.payment(
            self.t,
            order_id=order_id,
            checkout_id=checkout_id,
            amount=text(total),
            currency=currency,
            placed=plan.placed,
            placed_year=year,
            outcome=result,
            captured_at=plan.shipped,
            refund=refund,
            refunded_at=plan.refunded,
            voided_at=plan.cancelled if result == "voided" else None,
            review_reasons=reasons,
            failure=failure,
        )
        return payment, status


def _below_review(lines: list[tuple[Variant, int]], scenario: str) -> list[tuple[Variant, int]]:
    """Lines whose total the fraud screening lets through, except for the scenarios where
    a held payment is what happens (high_value, max_items): single units first, then fewer
    lines."""
    if scenario in ("high_value", "max_items") or subtotal_of(lines) < REVIEW_OVER:
        return lines
    lines = [(variant, 1) for variant, _ in lines]
    while len(lines) > 1 and subtotal_of(lines) >= REVIEW_OVER:
        lines.pop()
    return lines


def _iso(tools: Tools, moment: int | None) -> str | None:
    return None if moment is None else tools.iso(moment)
