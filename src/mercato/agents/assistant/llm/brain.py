"""Which LLM the assistant talks to (`kernel/llm.py`: from the settings), or None when none
is configured: the assistant then understands offline only. Tests put their own model here
(pydantic-ai's `FunctionModel`, or a provider pointed at a local fake server)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mercato.kernel.llm import DEFAULT_MODELS, model_for

if TYPE_CHECKING:
    from pydantic_ai.models import Model

__all__ = ["DEFAULT_MODELS", "Brain", "model_for"]


@dataclass
class Brain:
    model: Model | None
