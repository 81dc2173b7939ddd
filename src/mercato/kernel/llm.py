"""The LLM a deployment talks to, from the settings: Anthropic, OpenAI, or any server that
speaks OpenAI's chat completions (a local model), as a pydantic-ai model. None when none is
configured (`MERCATO_LLM_PROVIDER` unset): the agents that use one then work offline only
(the assistant understands with its own NLU; intelligence routes and summarises by rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mercato.kernel.config import Settings

if TYPE_CHECKING:  # pydantic-ai (half a second to import) is loaded only when an LLM is set
    from pydantic_ai.models import Model

DEFAULT_MODELS = {"anthropic": "claude-haiku-4-5", "openai": "gpt-4o-mini", "compatible": "local"}


def model_for(settings: Settings) -> Model | None:
    provider = (settings.llm_provider or "").strip()
    if not provider:
        return None
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    if provider == "anthropic":
        from pydantic_ai.models.anthropic import AnthropicModel
        from pydantic_ai.providers.anthropic import AnthropicProvider

        return AnthropicModel(
            settings.llm_model or DEFAULT_MODELS["anthropic"],
            provider=AnthropicProvider(api_key=key, base_url=settings.llm_base_url),
        )
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    if provider == "openai":
        name, base_url = settings.llm_model or DEFAULT_MODELS["openai"], settings.llm_base_url
    elif provider.startswith(("http://", "https://")):
        name, base_url = settings.llm_model or DEFAULT_MODELS["compatible"], provider
        key = key or "local"  # a local server takes any key; the SDK wants one
    else:
        raise ValueError(f"MERCATO_LLM_PROVIDER: {provider!r} is not anthropic, openai or a URL")
    return OpenAIChatModel(name, provider=OpenAIProvider(base_url=base_url, api_key=key))
