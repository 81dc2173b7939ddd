"""The knowledge catalog's entities come from the code: the agents' tables for structure,
the rules registry for rules; entities not built yet are described from seed 000."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from mercato.agents.knowledge import entities
from mercato.agents.returns.models import Return
from mercato.agents.returns.statuses import ReturnStatus
from mercato.agents.shipping.models import Shipment
from mercato.agents.shipping.statuses import ShipmentStatus
from mercato.kernel import rules
from mercato.kernel.config import Settings
from tests.support.store import store_for

REQUIRED = {
    "cart",
    "cart_item",
    "order",
    "payment",
    "customer",
    "product",
    "inventory",
    "shipment",
    "return",
    "review",
}


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with store_for(settings, start=False) as (_, client):
        yield client


async def test_the_catalog_lists_every_entity_the_issue_names(client: httpx.AsyncClient) -> None:
    listed = await client.get("/v1/knowledge/entities")

    assert listed.status_code == 200, listed.text
    by_name = {e["name"]: e for e in listed.json()["items"]}
    assert set(by_name) >= REQUIRED
    assert {n for n, e in by_name.items() if not e["implemented"]} == set()
    assert all(e["category"] in entities.CATEGORIES for e in by_name.values())


async def test_an_entity_is_read_from_its_table_with_rules_and_relationships(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/v1/knowledge/entities/order")

    assert answer.status_code == 200, answer.text
    order = answer.json()
    fields = {f["name"]: f for f in order["fields"]}
    assert {"id", "number", "status", "payment_status", "total", "placed_at"} <= set(fields)
    assert fields["total"]["type"] == "decimal"
    assert fields["placed_at"]["type"] == "datetime"
    assert fields["number"]["required"] is True
    assert "unique per store" in fields["number"]["validations"]
    assert "tenant_id" not in fields  # the kernel's scoping is not the domain's
    assert {r["id"] for r in order["rules"]} >= {"BR005", "BR006"}
    assert any(case.startswith("EC002") for case in order["edge_cases"])
    assert {(r["target"], r["type"]) for r in order["relationships"]} >= {
        ("order_item", "has_many"),
        ("payment", "has_many"),
        ("customer", "belongs_to"),
    }


async def test_shipments_and_returns_are_read_from_their_agents_tables(
    client: httpx.AsyncClient,
) -> None:
    # when the catalog describes the shipment and the return
    shipment = (await client.get("/v1/knowledge/entities/shipment")).json()
    returned = (await client.get("/v1/knowledge/entities/return")).json()

    # then each is implemented by its agent, its fields are its table's columns, its status
    # takes the values its enum has, and it carries its rules and edge cases
    assert (shipment["implemented"], shipment["agent"], shipment["table"]) == (
        True,
        "shipping",
        "shipments",
    )
    assert (returned["implemented"], returned["agent"], returned["table"]) == (
        True,
        "returns",
        "returns",
    )
    for entity, model in ((shipment, Shipment), (returned, Return)):
        columns = {c.name for c in model.__table__.columns} - {"tenant_id"}
        assert {f["name"] for f in entity["fields"]} == columns
    statuses = {
        "shipment": ShipmentStatus,
        "return": ReturnStatus,
    }
    for entity in (shipment, returned):
        [status] = [f for f in entity["fields"] if f["name"] == "status"]
        listed = "one of: " + ", ".join(statuses[entity["name"]])
        assert status["type"] == "enum" and listed in status["validations"]
    assert {r["id"] for r in shipment["rules"]} == {"BR023", "BR024"}
    assert {r["id"] for r in returned["rules"]} == {"BR009", "BR010"}
    assert {("order", "belongs_to"), ("return", "belongs_to")} <= {
        (r["target"], r["type"]) for r in shipment["relationships"]
    }
    assert ("shipment", "has_many") in {(r["target"], r["type"]) for r in returned["relationships"]}
    assert {"EC018", "EC036", "EC037"} <= {c.split(":")[0] for c in shipment["edge_cases"]}
    assert {"EC038", "EC039", "EC040", "EC041"} <= {c.split(":")[0] for c in returned["edge_cases"]}


async def test_a_check_constraint_shows_as_a_validation(client: httpx.AsyncClient) -> None:
    item = (await client.get("/v1/knowledge/entities/cart_item")).json()

    [quantity] = [f for f in item["fields"] if f["name"] == "quantity"]
    assert any("quantity BETWEEN 1 AND 99" in v for v in quantity["validations"])
    assert [r["id"] for r in item["rules"]] == ["BR001"]


async def test_secrets_are_never_described(client: httpx.AsyncClient) -> None:
    customer = (await client.get("/v1/knowledge/entities/customer")).json()
    payment = (await client.get("/v1/knowledge/entities/payment")).json()

    names = {f["name"] for f in customer["fields"] + payment["fields"]}
    assert not names & {"password_hash", "token", "card_fingerprint"}


async def test_an_unknown_entity_is_a_404(client: httpx.AsyncClient) -> None:
    answer = await client.get("/v1/knowledge/entities/no_such_entity")

    assert answer.status_code == 404
    assert answer.json()["code"] == "unknown_entity"


async def test_the_rules_listed_are_the_registered_ones(client: httpx.AsyncClient) -> None:
    listed = (await client.get("/v1/knowledge/rules")).json()["items"]

    assert [r["id"] for r in listed] == [r.id for r in rules.registered()]
    br004 = next(r for r in listed if r["id"] == "BR004")
    assert br004["entity"] == "payment"
    assert br004["source"].startswith("mercato.agents.payments.rules.")


@pytest.fixture
def a_new_order_rule() -> Iterator[None]:
    @rules.business_rule(
        "BR999",
        name="test_only",
        entity="order",
        condition="never in production",
        constraint="a rule registered by this test",
    )
    def holds(**_: object) -> bool:
        return True

    yield
    rules._rules.pop("BR999", None)


def test_a_rule_written_in_code_is_what_the_catalog_reports(a_new_order_rule: None) -> None:
    # given a rule registered for orders (as a module's decorator does)
    # when the catalog describes orders
    order = entities.entity("order")

    # then the rule is there, pointing at the function that checks it
    assert order is not None
    [rule] = [r for r in order.rules if r.id == "BR999"]
    assert rule.source.endswith("holds")
