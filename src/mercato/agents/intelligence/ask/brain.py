"""The LLM intelligence plans unparsed questions with and writes summaries with (the
deployment's, `kernel/llm.py`), or None: the router and the templates then do it all.
Tests put their own model here (pydantic-ai's `FunctionModel`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic_ai.models import Model


@dataclass
class IntelligenceModel:
    model: Model | None
