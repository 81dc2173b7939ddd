"""The order and support dialogues on the LLM path, with a scripted model: its tools find the
order, prepare the cancellation (which the shopper's yes does, read by Mercato), answer from
the FAQ and hand the conversation to a person."""

from __future__ import annotations

import pytest
from pydantic_ai.messages import (
    ModelMessage,
    ModelResponse,
    ToolCallPart,
    ToolReturnPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

from mercato.agents.assistant.llm.brain import Brain
from tests.fakes.llm_script import Script, scripted
from tests.integration.assistant.conftest import Store, faq, place_order

SUPPORT = Script(
    calls={
        "where is my order?": [("order_status", {})],
        "please cancel it": [("prepare_cancel_order", {})],
        "how do i send something back?": [
            ("answer_question", {"question": "how do I return an item"})
        ],
        "let me talk to a person": [("hand_off_to_a_person", {"reason": "wants a person"})],
    }
)


@pytest.mark.business_rule("BR021")
async def test_orders_and_support_with_a_scripted_model(clothes: Store) -> None:
    # given a customer with an order, the store's FAQ, and the assistant on a scripted model
    await faq(
        clothes,
        "How do I return an item?",
        "Returns are free within 30 days of delivery.",
        "returns",
        ["return", "send back"],
    )
    clothes.kernel.deps(Brain).model = scripted(SUPPORT)
    chat, _ = await clothes.customer()
    products = (await clothes.client.get("/v1/products", params={"q": "headphones"})).json()[
        "items"
    ]
    order = await place_order(chat, products[0]["variants"][0]["id"])
    # when they ask where it is, then the model's tool finds it
    status = await chat.say("where is my order?")
    assert status["via"] == "llm" and order["number"] in status["reply"]
    # when they ask to cancel it, the model only prepares it
    asked = await chat.say("please cancel it")
    assert asked["via"] == "llm" and asked["actions"] == []
    assert any(c["type"] == "confirmation" for c in asked["cards"])
    current = (await chat.client.get(f"/v1/orders/{order['id']}", headers=chat.headers)).json()
    assert current["status"] == "confirmed"
    # when they say yes, Mercato reads it and cancels
    done = await chat.say("yes")
    assert done["via"] == "offline" and done["actions"][0]["type"] == "order.cancelled"
    # when they ask about returns, the FAQ answers through the tool
    returns = await chat.say("how do I send something back?")
    assert returns["via"] == "llm" and "30 days" in returns["reply"]
    # when they ask for a person, a ticket is opened with the conversation
    handed = await chat.say("let me talk to a person")
    assert handed["via"] == "llm"
    assert [a["type"] for a in handed["actions"]] == ["support.ticket_opened"]


async def test_a_provider_failing_after_a_tool_acted_says_what_was_done_once(
    clothes: Store,
) -> None:
    # given a model that puts the headphones in the cart, then fails
    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        if any(isinstance(p, ToolReturnPart) for p in messages[-1].parts):
            raise ConnectionError("the provider went away")
        return ModelResponse(parts=[ToolCallPart("add_to_cart", {"product": "studio headphones"})])

    clothes.kernel.deps(Brain).model = FunctionModel(respond)
    chat = await clothes.guest()
    # when the shopper asks for them
    reply = await chat.say("i'll take the studio headphones")
    # then the turn says what the tool did, and it was done once
    assert reply["via"] == "llm" and reply["actions"][0]["type"] == "cart.item_added"
    assert reply["reply"].startswith("Added 1")
    assert [i["quantity"] for i in (await chat.cart())["items"]] == [1]
