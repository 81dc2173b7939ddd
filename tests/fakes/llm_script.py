"""A scripted model's turns, shared by the LLM fakes (pydantic-ai's `FunctionModel`, made by
`scripted`, and the local OpenAI and Anthropic servers): for a shopper's message, the tool
calls it makes; once the tools answered, its words (the last tool's answer, or a line of its
own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic_ai.messages import (
    ModelMessage,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

ToolCall = tuple[str, dict[str, Any]]


@dataclass
class Script:
    calls: dict[str, list[ToolCall]] = field(default_factory=dict)
    """The shopper's message, lower-cased → the tools the model calls for it."""
    fallback: str = "I can only help with shopping in this store."
    prompts: list[str] = field(default_factory=list)
    """Every shopper message the model was given, in order."""

    def tools_for(self, prompt: str) -> list[ToolCall]:
        self.prompts.append(prompt)
        return self.calls.get(prompt.strip().lower(), [])

    def words_after(self, tool_answers: list[str]) -> str:
        return tool_answers[-1] if tool_answers else self.fallback


def scripted(script: Script) -> FunctionModel:
    """pydantic-ai's test model, playing the script."""

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        parts = messages[-1].parts
        answers = [str(p.content) for p in parts if isinstance(p, ToolReturnPart)]
        if answers:
            return ModelResponse(parts=[TextPart(script.words_after(answers))])
        prompt = next(p for p in parts if isinstance(p, UserPromptPart))
        calls = script.tools_for(str(prompt.content))
        if not calls:
            return ModelResponse(parts=[TextPart(script.fallback)])
        return ModelResponse(parts=[ToolCallPart(name, args) for name, args in calls])

    return FunctionModel(respond)


SHOPPING = Script(
    calls={
        "do you have merino hoodies?": [("search_products", {"query": "merino hoodie"})],
        "tell me more about the first one": [("product_details", {"position": 1})],
        "add it in m": [("add_to_cart", {"size": "M"})],
        "what's in my cart?": [("view_cart", {})],
        "check out please": [("prepare_checkout", {})],
        "where is my order?": [("order_status", {})],
    }
)
