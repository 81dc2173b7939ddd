"""Coherence is measured, not claimed: the registered rules are evaluated on each record
(without counting as enforcements), and a record that breaks one is found."""

from __future__ import annotations

import copy

import pytest

from mercato.agents.knowledge.testdata import GenerationRequest, generate
from mercato.agents.knowledge.testdata.coherence import Coherence
from mercato.agents.knowledge.testdata.makers import Makers
from mercato.agents.knowledge.testdata.tools import Tools
from mercato.kernel import rules


@pytest.fixture
def makers() -> Makers:
    tools = Tools(seed=1, now=1_793_491_200_000_000, workflow=None, tenant_id="default")
    tools.catalog.stock_pool()
    return Makers(tools)


def test_evaluate_checks_a_rule_without_counting_an_enforcement() -> None:
    # given the rules registered and the enforcements counted so far
    Coherence  # noqa: B018  (importing it registers the agents' rules)
    before = rules.enforcement_counts()
    # when rules are evaluated
    assert rules.evaluate("BR001", quantity=99) is True
    assert rules.evaluate("BR001", quantity=100) is False
    generate(GenerationRequest("order", 50, seed=1))
    # then no enforcement was counted
    assert rules.enforcement_counts() == before


def test_evaluate_refuses_a_rule_checked_against_the_database() -> None:
    with pytest.raises(TypeError, match="BR011"):
        rules.evaluate("BR011", uow=None, email="a@example.com")


@pytest.mark.business_rule("BR004")
@pytest.mark.business_rule("BR007")
@pytest.mark.business_rule("BR008")
@pytest.mark.business_rule("BR005")
def test_a_record_broken_after_generation_is_found(makers: Makers) -> None:
    coherence = Coherence(makers.t.catalog)
    item = makers.order("happy_path")
    assert coherence.order(item.graph, item.facts) == set()
    cases = {
        "BR004": ("payment", "amount", "1.00"),
        "BR007": ("card", "exp_year", 2001),
        "BR008": ("card", "cvc", "12"),
    }
    for rule_id, (part, field, value) in cases.items():
        broken = copy.deepcopy(item.graph)
        target = broken["payment"] if part == "payment" else broken["payment"]["card"]
        target[field] = value
        assert rule_id in coherence.order(broken, item.facts), rule_id
    unshipped = copy.deepcopy(item.graph)
    unshipped["shipping_address"] = None
    assert coherence.order(unshipped, item.facts) == {"BR005"}


@pytest.mark.business_rule("BR011")
def test_a_duplicate_email_is_found_over_the_set(makers: Makers) -> None:
    coherence = Coherence(makers.t.catalog)
    one = makers.customer("happy_path").graph
    two = dict(makers.customer("happy_path").graph, email=one["email"].upper())
    assert coherence.duplicate_emails([one, two]) == {one["email"]}
    assert coherence.duplicate_skus() == set()


def test_the_rules_evaluated_are_reported() -> None:
    result = generate(GenerationRequest("order", 100, seed=6))
    assert set(result.rules_evaluated) >= {
        "BR001", "BR002", "BR003", "BR004", "BR005", "BR007", "BR008", "BR011", "BR012",
        "BR013", "BR014", "BR017", "BR018",
    }  # fmt: skip
    assert result.rule_failures == {}
