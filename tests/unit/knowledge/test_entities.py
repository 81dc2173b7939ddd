"""An entity is described as the code is now: its rules are read from the registry each time
it is asked for (a rule rewritten in code is what the catalog and GetEntity report)."""

from __future__ import annotations

import dataclasses

from mercato.agents.knowledge import entities
from mercato.agents.knowledge.rpc.messages import rule_message
from mercato.kernel import rules
from mercato.kernel.rules import Rule


def test_a_rule_rewritten_in_code_is_what_the_entity_reports() -> None:
    # given a registry holding BR001 as the cart enforces it
    held: dict[str, Rule] = {"BR001": rules.get("BR001")}

    def registered() -> list[Rule]:
        return list(held.values())

    before = entities.entity("cart_item", registered=registered)

    # when BR001 is rewritten (as an engineer changing the cart's quantity limit would)
    def up_to_fifty(*, quantity: int) -> bool:
        return 1 <= quantity <= 50

    held["BR001"] = dataclasses.replace(
        held["BR001"], constraint="quantity per item must be between 1 and 50", check=up_to_fifty
    )
    after = entities.entity("cart_item", registered=registered)

    # then the entity described now carries the rule the code now runs, as GetEntity sends it
    assert before is not None and after is not None
    assert [r.constraint for r in before.rules] == ["quantity per item must be between 1 and 99"]
    [br001] = after.rules
    assert br001.constraint == "quantity per item must be between 1 and 50"
    assert "up_to_fifty" in rule_message(br001).description
    assert after.fields == before.fields  # the structure is the table's, unchanged


def test_an_entity_another_agent_has_no_rule_for_lists_none() -> None:
    # given a registry holding only the cart's rule
    def registered() -> list[Rule]:
        return [rules.get("BR001")]

    # when the order is described
    order = entities.entity("order", registered=registered)

    # then it lists no rule (BR001 is the cart item's), and an unknown entity is None
    assert order is not None and order.rules == []
    assert entities.entity("unicorn", registered=registered) is None
