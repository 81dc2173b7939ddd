"""An agent's result is kept as JSON (the cache, Redis included) and read back the same
(seed 001 property 44: what agents exchange conforms to its schema)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.ask import codec
from mercato.agents.intelligence.ask.findings import AgentResult
from tests.unit.intelligence.ask.strategies import AGENTS, agent_results


@pytest.mark.seed_property(44)
@settings(max_examples=100, deadline=None, database=None)
@given(result=st.sampled_from(AGENTS).flatmap(agent_results))
def test_property_44_an_agents_result_reads_back_from_json_as_it_was(result: AgentResult) -> None:
    # given any agent's result; when it is written as JSON text and read back
    kept = json.loads(json.dumps(codec.encode(result)))
    # then it is the same result, its enums and tuples restored
    assert codec.decode(kept) == result
