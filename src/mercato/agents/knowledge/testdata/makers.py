"""One top-level record of each entity, as an `Item`: the record's graph (an order with its
related records, a cart, a customer, a product), the facts its rules are measured against,
and, for an edge-case record, the edge case and the rule it breaks."""

from __future__ import annotations

from typing import Any

from mercato.agents.knowledge.testdata.carts import cart_of_its_own
from mercato.agents.knowledge.testdata.catalog import Product, Variant
from mercato.agents.knowledge.testdata.orders import Orders
from mercato.agents.knowledge.testdata.tools import Facts, Tools
from mercato.agents.knowledge.testdata.words import (
    ABROAD,
    COUNTRIES_OF_CURRENCY,
    DEPARTMENTS,
    HOME,
    OTHER_CURRENCIES,
)

PAYMENT_AS_ORDER = {"authorized": "happy_path", "voided": "cancelled"}
"""Payment scenarios made from an order scenario of another name."""
MULTI_VARIANT = tuple(d for d in DEPARTMENTS if len(d.values) >= 4)
HIGH_END = (DEPARTMENTS[4], DEPARTMENTS[5])
DIGITAL = tuple(d for d in DEPARTMENTS if not d.ships)


class Item:
    __slots__ = ("breaks_rule", "broken", "edge_case", "facts", "graph", "kind")

    def __init__(self, kind: str, graph: Any, facts: Facts | None = None) -> None:
        self.kind = kind
        """order, payment (an order graph shown from its payment), cart, customer, product."""
        self.graph = graph
        self.facts = facts or Facts()
        self.edge_case: str | None = None
        self.breaks_rule: str | None = None
        self.broken: set[str] = set()

    def as_edge(self, case_id: str, breaks_rule: str | None) -> Item:
        self.edge_case, self.breaks_rule = case_id, breaks_rule
        if isinstance(self.graph, Product):
            self.graph.edge_case = case_id
            self.graph.scenario = "edge_case"
        else:
            self.graph["scenario"] = "edge_case"
        return self


class Makers:
    def __init__(self, tools: Tools) -> None:
        self.t = tools
        self.orders = Orders(tools)

    def make(self, entity: str, scenario: str) -> Item:
        """An ordinary record of `entity` in `scenario`."""
        if entity == "order":
            return self.order(scenario)
        if entity == "payment":
            return self.payment(scenario)
        if entity == "cart":
            return self.cart(scenario)
        if entity == "customer":
            return self.customer(scenario)
        return self.product(scenario)

    def order(self, scenario: str, **shape: Any) -> Item:
        order, facts = self.orders.order(scenario, **shape)
        return Item("order", order, facts)

    def payment(self, scenario: str, **shape: Any) -> Item:
        as_order = PAYMENT_AS_ORDER.get(scenario, scenario)
        if scenario == "happy_path":
            shape.setdefault("status", "delivered" if self.t.rng.random() < 0.8 else "shipped")
        elif scenario == "authorized":
            shape.setdefault("status", "confirmed")
        order, facts = self.orders.order(as_order, **shape)
        order["scenario"] = scenario
        return Item("payment", order, facts)

    def cart(
        self,
        scenario: str,
        *,
        name: str | None = None,
        lines: list[tuple[Variant, int]] | None = None,
        seen_prices: list[int] | None = None,
        restock: bool = True,
    ) -> Item:
        rng = self.t.rng
        currency, country = "USD", HOME
        if scenario == "multi_currency":
            currency = OTHER_CURRENCIES[int(rng.random() * len(OTHER_CURRENCIES))]
            places = COUNTRIES_OF_CURRENCY[currency]
            country = places[int(rng.random() * len(places))]
        customer = None
        if scenario != "guest":
            customer = self.t.people.customer(country, full_name=name)
        cart, facts = cart_of_its_own(
            self.t, scenario, customer, lines=lines, seen_prices=seen_prices, restock=restock,
            currency=currency, country=country,
        )  # fmt: skip
        return Item("cart", cart, facts)

    def customer(self, scenario: str, *, name: str | None = None) -> Item:
        rng = self.t.rng
        country = ABROAD[int(rng.random() * len(ABROAD))] if scenario == "international" else HOME
        customer = self.t.people.customer(country, status=scenario, full_name=name)
        record = {"scenario": scenario, **customer}
        return Item("customer", record)

    def product(self, scenario: str, *, name: str | None = None) -> Item:
        rng = self.t.rng
        options = DEPARTMENTS
        shape: dict[str, Any] = {"variants": 1 + int(rng.random() * 3)}
        if scenario == "multi_variant":
            options, shape["variants"] = MULTI_VARIANT, 4 + int(rng.random() * 3)
        elif scenario == "high_value":
            options, shape["min_price"] = HIGH_END, 100_000
        elif scenario == "digital":
            options = DIGITAL
        elif scenario == "multi_currency":
            options = tuple(d for d in DEPARTMENTS if d.ships)
            shape["currency"] = OTHER_CURRENCIES[int(rng.random() * len(OTHER_CURRENCIES))]
        elif scenario == "free_product":
            shape["is_free"] = True
        elif scenario == "out_of_stock":
            shape["stock"] = 0
        elif scenario in ("draft", "archived"):
            shape["status"] = scenario
        department = options[int(rng.random() * len(options))]
        product = self.t.catalog.add_product(department, name=name, **shape)
        product.scenario = scenario
        return Item("product", product)
