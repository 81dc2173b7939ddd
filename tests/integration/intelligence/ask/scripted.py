"""A scripted LLM for the questions' tests (pydantic-ai's `FunctionModel`): it plans the
question it is given as its plan, and writes a summary stating the first metric's value (or,
when told to, a number the findings do not hold), counting what it was asked."""

from __future__ import annotations

import json
from typing import Any

from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

PLAN: dict[str, Any] = {
    "intents": ["sentiment", "stock_risk"],
    "products": ["Summit Mesh Trail Shoe No. 16"],
    "category": None,
    "competitor": None,
    "marketplace": None,
    "filters": {},
    "period": None,
    "deep": False,
}


class Scripted:
    """Plans every question as `plan`; writes a summary stating the first metric's value
    (or, when told to, a number the findings do not hold). Counts what it was asked."""

    def __init__(self, plan: dict[str, Any] | None = None) -> None:
        self.plan = plan or PLAN
        self.plans = 0
        self.summaries = 0
        self.invent = False

    def model(self) -> FunctionModel:
        def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
            prompt = str(messages[-1].parts[-1].content)  # type: ignore[union-attr]
            if info.output_tools:
                self.plans += 1
                return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, self.plan)])
            self.summaries += 1
            if self.invent:
                return ModelResponse(parts=[TextPart("Sales rose 987% and you should relax.")])
            found = json.loads(prompt[prompt.index("{") :])
            metric = found["metrics"][0]
            return ModelResponse(
                parts=[TextPart(f"The first figure stands at {metric['value']}. Act on the risks.")]
            )

        return FunctionModel(respond, model_name="scripted")
