"""Edge-case records come from the catalog's edge cases: each breaks exactly the rule it
names (measured with the registry), or none when it is a boundary the store accepts."""

from __future__ import annotations

from typing import Any

import pytest

from mercato.agents.knowledge.edge_cases import edge_case
from mercato.agents.knowledge.testdata import (
    RECIPES,
    GenerationRequest,
    GeneratorDefectError,
    applicable_edge_cases,
    generatable_entities,
    generate,
)
from mercato.agents.knowledge.testdata.edge_records import Recipe
from mercato.agents.knowledge.testdata.makers import Item, Makers
from mercato.agents.knowledge.testdata.scenarios import WORKFLOWS


def edge_records(entity: str, case_id: str) -> list[dict[str, Any]]:
    result = generate(GenerationRequest(entity, 3, edge_cases=[case_id], seed=2))
    assert result.edge_case_violations_ok, case_id
    assert result.coherence_score == 1.0  # the ordinary records are still coherent
    found = [r for r in result.records if r.get("edge_case") == case_id]
    assert result.edge_case_counts == {case_id: len(found)}
    assert result.record_count == 3 + len(found)
    return found


def test_every_generated_edge_case_is_in_the_catalog_and_generates_for_its_entities() -> None:
    for case_id, recipe in RECIPES.items():
        assert edge_case(case_id) is not None
        for entity in recipe.entities:
            assert edge_records(entity, case_id), (case_id, entity)


def test_include_edge_cases_adds_those_the_entity_can_show() -> None:
    result = generate(GenerationRequest("customer", 5, include_edge_cases=True, seed=2))
    assert result.edge_case_counts == {"EC009": 4, "EC011": 1}
    assert result.edge_case_violations_ok
    assert result.record_count == 10
    assert applicable_edge_cases("order", "return_flow") == [
        "EC006", "EC007", "EC008", "EC009", "EC010", "EC015",
    ]  # fmt: skip


def test_edge_case_records_break_exactly_their_rule_whatever_the_seed() -> None:
    """Over many seeds, every entity and workflow: each edge-case record breaks exactly the
    rule it names (`generate` would raise otherwise) and the ordinary records stay coherent.
    (EC007's 0 units of a variant that needs no shipping once made a 0.00 order: BR002 too.)"""
    for seed in range(61):
        for entity in generatable_entities():
            for workflow in (None, *WORKFLOWS):
                request = GenerationRequest(
                    entity, 3, include_edge_cases=True, workflow=workflow, seed=seed
                )
                result = generate(request)
                assert result.edge_case_violations_ok, (seed, entity, workflow)
                assert result.coherence_score == 1.0, (seed, entity, workflow)
    for seed in range(40):  # as the defect was first seen: EC007 alone
        result = generate(GenerationRequest("order", 3, edge_cases=["EC007"], seed=seed))
        assert result.edge_case_violations_ok and result.coherence_score == 1.0, seed


def test_an_edge_case_record_breaking_otherwise_is_a_generator_defect() -> None:
    # given recipes that make EC007 break BR002 too, and EC011 break nothing
    def free_of_charge(m: Makers, entity: str) -> list[Item]:
        digital = m.t.catalog.pool("USD:digital")[0]  # 0 units, no shipping: a 0.00 total
        order = m.order("happy_path", lines=[(digital, 0)], consume=False, restock=True)
        return [order.as_edge("EC007", "BR001")]

    def harmless(m: Makers, entity: str) -> list[Item]:
        return [m.customer("happy_path").as_edge("EC011", "BR017")]  # breaks nothing

    defective = {
        **RECIPES,
        "EC007": Recipe("EC007", ("order",), "defect", free_of_charge),
        "EC011": Recipe("EC011", ("customer",), "defect", harmless),
    }
    # when the generator makes them, then it refuses to hand them out as data
    with pytest.raises(GeneratorDefectError, match=r"EC007 order .* BR001, but broke BR001, BR002"):
        generate(GenerationRequest("order", 2, edge_cases=["EC007"], seed=1), recipes=defective)
    with pytest.raises(GeneratorDefectError, match=r"EC011 customer .* BR017, but broke no rule"):
        generate(GenerationRequest("customer", 2, edge_cases=["EC011"], seed=1), recipes=defective)
    assert issubclass(GeneratorDefectError, RuntimeError)
    # and the catalog's own recipes make records that break exactly their rule
    made = generate(GenerationRequest("order", 2, edge_cases=["EC007"], seed=1))
    assert made.edge_case_counts == {"EC007": 4}


@pytest.mark.edge_case("EC006")
@pytest.mark.business_rule("BR003")
def test_ec006_a_hundred_lines_pass_and_a_hundred_and_one_break_br003() -> None:
    found = {len(r["items"]): r["breaks_rule"] for r in edge_records("cart", "EC006")}
    assert found == {100: None, 101: "BR003"}


@pytest.mark.edge_case("EC007")
@pytest.mark.business_rule("BR001")
def test_ec007_quantities_0_and_100_break_br001_and_1_and_99_do_not() -> None:
    found = {r["lines"][0]["quantity"]: r["breaks_rule"] for r in edge_records("order", "EC007")}
    assert found == {0: "BR001", 1: None, 99: None, 100: "BR001"}


@pytest.mark.edge_case("EC002")
@pytest.mark.business_rule("BR014")
def test_ec002_an_order_for_more_than_the_last_unit_breaks_br014() -> None:
    [record] = edge_records("order", "EC002")
    assert record["breaks_rule"] == "BR014"
    assert record["lines"][0]["quantity"] == 2


@pytest.mark.edge_case("EC008")
def test_ec008_the_largest_total_is_accepted_and_held_for_review() -> None:
    [record] = edge_records("payment", "EC008")
    assert record["amount"] == "999999.99" and record["breaks_rule"] is None
    assert record["review"] == "manual_review"
    assert "amount_threshold" in record["review_reasons"]


@pytest.mark.edge_case("EC009")
def test_ec009_names_with_quotes_accents_scripts_and_emoji_are_accepted() -> None:
    names = {r["full_name"] for r in edge_records("customer", "EC009")}
    assert names == {"O'Brien", "José García", "日本語", "🎉 Party"}


@pytest.mark.edge_case("EC010")
@pytest.mark.business_rule("BR012")
@pytest.mark.business_rule("BR002")
def test_ec010_free_products_and_an_order_with_nothing_to_pay() -> None:
    [product] = edge_records("product", "EC010")
    assert product["is_free"] and product["price"] == "0.00"
    [order] = edge_records("order", "EC010")
    assert (order["total"], order["payment"], order["payment_status"]) == ("0.00", None, "paid")


@pytest.mark.edge_case("EC011")
@pytest.mark.business_rule("BR017")
def test_ec011_an_empty_password_breaks_br017() -> None:
    [record] = edge_records("customer", "EC011")
    assert (record["password"], record["full_name"], record["breaks_rule"]) == ("", "", "BR017")


@pytest.mark.edge_case("EC012")
def test_ec012_an_order_at_the_last_millisecond_of_a_year_is_numbered_in_it() -> None:
    [order] = edge_records("order", "EC012")
    assert order["placed_at"] == "2025-12-31T23:59:59.999000+00:00"
    assert order["number"].startswith("ORD-2025-")


@pytest.mark.edge_case("EC013")
def test_ec013_a_line_priced_as_it_was_when_added() -> None:
    [cart] = edge_records("cart", "EC013")
    assert cart["breaks_rule"] is None
    assert cart["items"][0]["unit_price"] != cart["subtotal"]  # the price has changed since


@pytest.mark.edge_case("EC017")
def test_ec017_a_checkout_while_the_gateway_was_down() -> None:
    [order] = edge_records("order", "EC017")
    assert order["payment"]["failure_code"] == "gateway_unavailable"
    assert order["cancel_reason"] == "payment_gateway_unavailable"
