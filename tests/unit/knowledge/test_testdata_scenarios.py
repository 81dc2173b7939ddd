"""Each scenario changes the data the way its name says, every record stands on records
that exist (its customer, its cart, the variants of its lines), and every ordinary record of
every scenario passes every rule that applies (coherence 1.0, measured)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from mercato.agents.knowledge.testdata import (
    GenerationRequest,
    GenerationResult,
    generatable_entities,
    generate,
    scenario_names,
)


def records(entity: str, scenario: str, count: int = 12, **more: Any) -> list[dict[str, Any]]:
    return generate(GenerationRequest(entity, count, {scenario: count}, seed=3, **more)).records


def money(text: str) -> Decimal:
    return Decimal(text)


@pytest.mark.parametrize(
    ("entity", "scenario"),
    [
        (entity, scenario)
        for entity in generatable_entities()
        for scenario in scenario_names(entity)
    ],
)
def test_every_scenario_of_every_entity_passes_every_rule(entity: str, scenario: str) -> None:
    result = generate(GenerationRequest(entity, 25, {scenario: 25}, seed=9))
    assert result.coherence_score == 1.0, result.rule_failures
    assert result.rule_failures == {}
    assert result.scenario_counts == {scenario: 25}
    assert {r["scenario"] for r in result.records} == {scenario}


@pytest.mark.business_rule("BR004")
@pytest.mark.business_rule("BR005")
def test_orders_stand_on_their_customer_cart_lines_and_payment() -> None:
    result = generate(
        GenerationRequest(
            "order", 300, scenarios=["happy_path", "guest_checkout", "digital_only"], seed=4
        )
    )
    for order in result.records:
        lines = order["lines"]
        assert lines
        subtotal = sum(money(line["line_total"]) for line in lines)
        assert money(order["subtotal"]) == subtotal
        assert money(order["total"]) == subtotal + money(order["shipping"])
        for line in lines:
            assert money(line["line_total"]) == money(line["unit_price"]) * line["quantity"]
        # the cart the order came from holds the same variants
        cart = order["cart"]
        assert [i["variant_id"] for i in cart["items"]] == [line["variant_id"] for line in lines]
        assert cart["currency"] == order["currency"]
        # its customer is the one named (a guest has none)
        if order["scenario"] == "guest_checkout":
            assert order["customer"] is None and order["session_id"]
            assert cart["user_id"] is None and cart["session_id"] == order["session_id"]
        else:
            assert order["customer"]["id"] == order["customer_id"] == cart["user_id"]
            assert order["email"] == order["customer"]["email"]
        # it is paid its total (BR004)
        payment = order["payment"]
        assert payment["amount"] == order["total"]
        assert payment["currency"] == order["currency"]
        # it ships to an address unless nothing ships (BR005)
        ships = any(line["requires_shipping"] for line in lines)
        assert (order["shipping_address"] is not None) == ships
    assert any(order["shipping_address"] is None for order in result.records)


def test_high_value_single_item_and_max_items_shape_the_lines() -> None:
    for order in records("order", "high_value"):
        assert money(order["total"]) >= Decimal("1000.00")
    for order in records("order", "single_item"):
        assert [line["quantity"] for line in order["lines"]] == [1]
    for cart in records("cart", "max_items", 3):
        assert len(cart["items"]) == 100
        assert len({i["variant_id"] for i in cart["items"]}) == 100


def test_multi_currency_and_international_change_money_and_places() -> None:
    priced = records("order", "multi_currency", 30)
    assert {o["currency"] for o in priced} <= {"EUR", "GBP", "JPY", "CAD"}
    assert len({o["currency"] for o in priced}) > 1
    for order in priced:
        assert order["payment"]["currency"] == order["currency"]
        if order["currency"] == "JPY":
            assert "." not in order["total"]  # yen have no minor unit
    for order in records("order", "international"):
        assert order["currency"] == "USD"
        assert order["shipping_address"]["country"] != "US"


def test_payment_outcomes_follow_their_scenarios() -> None:
    for order in records("order", "card_declined"):
        payment = order["payment"]
        assert (payment["status"], payment["failure_code"]) == ("failed", "card_declined")
        assert (order["status"], order["payment_status"]) == ("cancelled", "failed")
        assert order["cart"]["status"] == "abandoned"  # given back, then left (BR020)
    for order in records("order", "full_refund"):
        payment = order["payment"]
        assert payment["status"] == "refunded"
        assert payment["refunded_amount"] == payment["captured_amount"] == payment["amount"]
        assert order["status"] == "delivered"
    for order in records("order", "partial_refund"):
        payment = order["payment"]
        assert payment["status"] == "partially_refunded"
        assert Decimal(0) < money(payment["refunded_amount"]) < money(payment["amount"])
    for payment in records("payment", "manual_review"):
        assert payment["review"] == "manual_review" and payment["status"] == "authorized"
        assert payment["order"]["status"] == "confirmed"


@pytest.mark.business_rule("BR020")
def test_abandoned_carts_and_checkouts_are_abandoned_as_br020_says() -> None:
    for cart in records("cart", "abandoned"):
        assert cart["status"] == "abandoned" and cart["abandoned_at"] > cart["last_activity_at"]
    for cart in records("cart", "happy_path"):
        assert cart["status"] == "active" and cart["abandoned_at"] is None
    for order in records("order", "abandoned"):
        assert order["payment"] is None
        assert (order["status"], order["cancel_reason"]) == ("cancelled", "reservation_expired")
        assert order["cart"]["status"] == "abandoned"


def test_customers_and_products_in_their_scenarios() -> None:
    locked = records("customer", "locked_account")
    assert all(c["locked_until"] and c["failed_logins"] >= 5 for c in locked)
    assert all(c["address"]["country"] != "US" for c in records("customer", "international"))
    assert all(c["email_verified_at"] is None for c in records("customer", "unverified_email"))
    free = records("product", "free_product")
    assert all(p["is_free"] and {v["price"] for v in p["variants"]} == {"0.00"} for p in free)
    assert not any(p["in_stock"] for p in records("product", "out_of_stock"))
    assert all(len(p["variants"]) >= 4 for p in records("product", "multi_variant"))
    assert all(not p["requires_shipping"] for p in records("product", "digital"))


@pytest.mark.business_rule("BR011")
@pytest.mark.business_rule("BR013")
def test_emails_and_skus_are_unique_in_the_set() -> None:
    result: GenerationResult = generate(GenerationRequest("order", 2000, seed=8))
    emails = [o["customer"]["email"] for o in result.records]
    by_id = {o["customer"]["id"]: o["customer"]["email"] for o in result.records}
    assert len(set(by_id.values())) == len(by_id)  # one email per account
    assert len(set(emails)) < len(emails)  # some customers came back
    assert result.rules_evaluated["BR011"] == len(by_id)
    assert result.rules_evaluated["BR013"] > 100
