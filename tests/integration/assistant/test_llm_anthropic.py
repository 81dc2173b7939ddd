"""The Anthropic provider against a local server speaking the Messages API: the same shopping
dialogue through `tool_use` blocks, and an overloaded provider answered offline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from mercato.agents.assistant.llm.brain import Brain, model_for
from mercato.kernel.config import Settings
from tests.fakes.anthropic_api import API_KEY, FakeAnthropic
from tests.fakes.llm_script import SHOPPING, Script
from tests.integration.assistant.conftest import Store


@pytest.fixture
def fake_anthropic() -> Iterator[FakeAnthropic]:
    with FakeAnthropic(Script(calls=dict(SHOPPING.calls))).running() as fake:
        yield fake


def brain(fake: FakeAnthropic) -> Brain:
    settings = Settings(
        llm_provider="anthropic", llm_api_key=SecretStr(API_KEY), llm_base_url=fake.url
    )
    return Brain(model_for(settings))


async def test_the_anthropic_provider_runs_the_dialogue_through_tool_use(
    clothes: Store, fake_anthropic: FakeAnthropic
) -> None:
    # given the assistant configured with Anthropic (a local server speaking its API)
    clothes.kernel.deps(Brain).model = brain(fake_anthropic).model
    chat = await clothes.guest()
    # when the shopper searches, then adds in a size
    found = await chat.say("do you have merino hoodies?")
    await chat.say("tell me more about the first one")
    added = await chat.say("add it in M")
    # then the model's tool calls did it
    assert (found["via"], added["via"]) == ("llm", "llm")
    assert (
        next(c for c in found["cards"] if c["type"] == "product")["name"] == "Alpine Merino Hoodie"
    )
    assert added["actions"][0]["type"] == "cart.item_added"
    offered = {t["name"] for t in fake_anthropic.bodies[0]["tools"]}
    assert {"search_products", "add_to_cart", "prepare_checkout"} <= offered
    assert [i["name"] for i in (await chat.cart())["items"]] == ["Alpine Merino Hoodie (M)"]


async def test_an_overloaded_anthropic_is_answered_offline(
    clothes: Store, fake_anthropic: FakeAnthropic
) -> None:
    # given Anthropic answers 529 overloaded
    clothes.kernel.deps(Brain).model = brain(fake_anthropic).model
    fake_anthropic.down = True
    chat = await clothes.guest()
    # when a shopper searches, then the same turn is answered offline
    found = await chat.say("do you have merino hoodies?")
    assert found["via"] == "offline"
    assert any(c["type"] == "product" for c in found["cards"])
